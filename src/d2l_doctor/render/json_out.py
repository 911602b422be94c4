"""`check --json`: one UTF-8 JSON document, `{schema_version, tool_version, snapshot, findings, exit_code}`.

Each finding carries its words in the chosen language and its fixes with the argv rendered for the target
interpreter (what `fix` would run) and the line to paste for the shell. Key order is fixed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from d2l_doctor.envelope import envelope, write_json
from d2l_doctor.models import Finding, FixAction, Snapshot, exit_code_for
from d2l_doctor.render.view import finding_detail, finding_title, fix_view

if TYPE_CHECKING:
    from d2l_doctor.diagnose import Diagnosis

# Snapshot mappings ordered by dict insertion (probes finish in any order): sorted for a stable output.
_SORTED_SECTIONS = ("packages", "imports", "problems")


def document(diagnosis: Diagnosis, lang: str, shell: str) -> dict[str, Any]:
    snapshot = diagnosis.snapshot
    findings = list(diagnosis.findings)
    body = {
        "snapshot": snapshot_dict(snapshot),
        "findings": [finding_dict(f, snapshot, lang, shell) for f in findings],
    }
    return envelope(body, exit_code_for(findings))


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
        "certainty": f.certainty.value,  # observed | inferred
        "quotes": [q.to_dict() for q in f.quotes],  # the lines of the paste it rests on
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


def write(diagnosis: Diagnosis, lang: str, shell: str, stream: TextIO) -> None:
    write_json(document(diagnosis, lang, shell), stream)


def _jsonable(value: Any) -> Any:
    """Evidence and params are free-form: tuples become lists, anything exotic its str()."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))
