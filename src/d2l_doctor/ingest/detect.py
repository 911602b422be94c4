"""Which kind of report a text is: a d2l-doctor JSON document, collect_env output, or neither (exit 2)."""

from __future__ import annotations

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.ingest import collect_env, json_report, snapshot_builder
from d2l_doctor.models import Snapshot


def snapshot_from_text(text: str, name: str, lang: str = "en") -> Snapshot:
    """The Snapshot a report's text describes. name: how to call the file in an error message."""
    document = json_report.parse_json(text, name, lang)
    if document is not None:
        return json_report.snapshot_from_document(document, name, lang)
    raw = collect_env.segment(text)
    if not raw.looks_like_report():
        raise UsageError(t("report.error.not_a_report", lang, path=name))
    return snapshot_builder.build(raw)
