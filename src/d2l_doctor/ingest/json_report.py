"""A d2l-doctor `--json` document -> its Snapshot.

The document is `{schema_version, tool_version, snapshot, findings, exit_code}`; only the snapshot is read:
the rules run again on it, so a report gives the same findings as the machine it came from.
"""

from __future__ import annotations

import dataclasses
import json
import re
from typing import Any, Optional

from d2l_doctor import bounded_json
from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.models import READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION, SchemaError, Snapshot

SOURCE = "d2l-doctor-report"
_FENCED_JSON = re.compile(
    r"^\s*(?:```|~~~)\s*(?:json)?\s*\n(\{.*?\})\s*\n\s*(?:```|~~~)", re.DOTALL | re.MULTILINE
)


def parse_json(text: str, name: str, lang: str) -> Optional[dict[str, Any]]:
    """The JSON object the text is, or holds in a ```json fence; None when it is not JSON at all."""
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            document = bounded_json.loads(stripped)
        except json.JSONDecodeError as exc:
            reason = f"line {exc.lineno} column {exc.colno}: {exc.msg}"
            raise UsageError(t("report.error.bad_json", lang, path=name, reason=reason)) from None
        except bounded_json.JsonLimit as exc:
            raise UsageError(t("report.error.bad_json", lang, path=name, reason=str(exc))) from None
        if not isinstance(document, dict):
            raise UsageError(t("report.error.not_a_report", lang, path=name))
        return document
    for match in _FENCED_JSON.finditer(text):  # a report pasted into a forum post inside a code fence
        try:
            document = bounded_json.loads(match.group(1))
        except ValueError:  # bad syntax, or past the bounds
            continue
        if isinstance(document, dict) and "snapshot" in document:
            return document
    return None


def snapshot_from_document(document: dict[str, Any], name: str, lang: str) -> Snapshot:
    data = document.get("snapshot")
    if not isinstance(data, dict):
        raise UsageError(t("report.error.json_not_report", lang, path=name))
    for version in (
        document.get("schema_version", SCHEMA_VERSION),
        data.get("schema_version", SCHEMA_VERSION),
    ):
        if version not in READABLE_SCHEMA_VERSIONS or isinstance(version, bool):
            found = json.dumps(version)
            raise UsageError(
                t("report.error.schema_version", lang, path=name, found=found, expected=SCHEMA_VERSION)
            )
    if data.get("schema_version", SCHEMA_VERSION) == 1:
        data = upgrade_v1(data)
    try:
        snapshot = Snapshot.from_dict(data)
    except SchemaError as exc:
        raise UsageError(
            t("report.error.bad_snapshot", lang, path=name, reason=str(exc).splitlines()[0])
        ) from None
    return dataclasses.replace(snapshot, source=SOURCE)


_PLACEHOLDERS = (("python", "executable", "unknown"), ("python", "bits", 0), ("python", "machine", ""))


def upgrade_v1(data: dict[str, Any]) -> dict[str, Any]:
    """A schema-1 snapshot in schema 2: placeholders ("unknown", 0, "") become None, problems' English words
    become quoted errors (`ui.why.error`)."""
    out = dict(data, schema_version=SCHEMA_VERSION)
    for section, key, placeholder in _PLACEHOLDERS:
        part = out.get(section)
        if isinstance(part, dict) and part.get(key) == placeholder:
            out[section] = dict(part, **{key: None})
    conda = out.get("conda")
    if isinstance(conda, dict) and conda.get("prefix") == "unknown":
        out["conda"] = dict(conda, prefix=None)
    for section in ("cuda_toolkits", "cudnn_system"):
        rows = out.get(section)
        if isinstance(rows, list):
            out[section] = [
                dict(r, path=None) if isinstance(r, dict) and r.get("path") == "unknown" else r for r in rows
            ]
    problems = out.get("problems")
    if isinstance(problems, dict):
        out["problems"] = {
            k: {"message": "ui.why.error", "params": {"error": str(v)}} if isinstance(v, str) else v
            for k, v in problems.items()
        }
    return out
