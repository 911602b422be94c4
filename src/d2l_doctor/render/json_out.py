"""`check --json`: one UTF-8 JSON document, `{schema_version, tool_version, snapshot, findings, exit_code}`.

Each finding carries its words in the chosen language and its fixes with the argv rendered for the target
interpreter (what `fix` would run) and the line to paste for the shell. Key order is fixed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from d2l_doctor import __version__
from d2l_doctor.models import SCHEMA_VERSION, Finding, FixAction, Snapshot, exit_code_for
from d2l_doctor.render.view import finding_detail, finding_title, fix_view

if TYPE_CHECKING:
    from d2l_doctor.diagnose import Diagnosis

# Snapshot mappings ordered by dict insertion (probes finish in any order): sorted for a stable output.
_SORTED_SECTIONS = ("packages", "imports", "problems")


def document(diagnosis: Diagnosis, lang: str, shell: str) -> dict[str, Any]:
    snapshot = diagnosis.snapshot
    findings = list(diagnosis.findings)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "snapshot": snapshot_dict(snapshot),
        "findings": [finding_dict(f, snapshot, lang, shell) for f in findings],
        "exit_code": exit_code_for(findings),
    }


def snapshot_dict(snapshot: Snapshot) -> dict[str, Any]:
    data = snapshot.to_dict()
    for key in _SORTED_SECTIONS:
        if isinstance(data.get(key), dict):
            data[key] = dict(sorted(data[key].items()))
    return data


def finding_dict(f: Finding, snapshot: Snapshot, lang: str, shell: str) -> dict[str, Any]:
    return {
        "id": f.id,
        "severity": f.severity.value,
        "area": f.area.value,
        "title": finding_title(f, lang),
        "detail": finding_detail(f, lang),
        "evidence": _jsonable(f.evidence),
        "fixes": [fix_dict(a, snapshot, lang, shell) for a in f.fixes],
        "undecided": f.undecided,
        "params": _jsonable(f.params),
    }


def fix_dict(action: FixAction, snapshot: Snapshot, lang: str, shell: str) -> dict[str, Any]:
    view = fix_view(action, snapshot, shell, lang)
    fields = action.to_dict()
    out: dict[str, Any] = {"kind": fields.pop("kind"), "argv": list(view.argv), "command": view.command}
    fields.pop("argv")  # a RUN action's own argv is what action_argv returned
    out.update(fields)
    out["text"] = view.text  # a manual step in words (None otherwise)
    return out


def dumps(doc: dict[str, Any]) -> str:
    from d2l_doctor.textsafe import json_visible

    # The exact strings, escaped where a raw character could steer the terminal the document is shown on.
    return json_visible(json.dumps(doc, ensure_ascii=False, indent=2, default=str)) + "\n"


def write(diagnosis: Diagnosis, lang: str, shell: str, stream: TextIO) -> None:
    write_document(document(diagnosis, lang, shell), stream)


def write_document(doc: dict[str, Any], stream: TextIO) -> None:
    """Any command's --json document, as UTF-8 bytes whatever the console's code page: a JSON document is read
    by programs, not by eyes."""
    text = dumps(doc)
    binary: BinaryIO | None = getattr(stream, "buffer", None)
    if binary is None:
        stream.write(text)
        return
    stream.flush()
    binary.write(text.encode("utf-8"))
    binary.flush()


def _jsonable(value: Any) -> Any:
    """Evidence and params are free-form: tuples become lists, anything exotic its str()."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))
