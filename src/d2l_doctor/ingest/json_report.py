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
from d2l_doctor.models import SCHEMA_VERSION, SchemaError, Snapshot

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
        if version != SCHEMA_VERSION or isinstance(version, bool):
            found = json.dumps(version)
            raise UsageError(
                t("report.error.schema_version", lang, path=name, found=found, expected=SCHEMA_VERSION)
            )
    try:
        snapshot = Snapshot.from_dict(data)
    except SchemaError as exc:
        raise UsageError(
            t("report.error.bad_snapshot", lang, path=name, reason=str(exc).splitlines()[0])
        ) from None
    return dataclasses.replace(snapshot, source=SOURCE)
