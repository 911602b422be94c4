"""Which kind of report a text is: a d2l-doctor JSON document, or any other paste (paste.py reads collect_env,
tracebacks, warnings, pip/conda lists, nvidia-smi, logs and prose); a text with nothing recognisable is bad
input (exit 2, saying what kinds of text are read)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.ingest import json_report, paste
from d2l_doctor.models import Snapshot

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix


def snapshot_from_text(text: str, name: str, lang: str = "en", matrix: Optional[Matrix] = None) -> Snapshot:
    """The Snapshot a report's text describes. name: how to call the file in an error message."""
    document = json_report.parse_json(text, name, lang)
    if document is not None:
        return json_report.snapshot_from_document(document, name, lang)
    try:
        return paste.read(text, matrix)
    except paste.NothingRead:
        raise UsageError(t("report.error.not_a_report", lang, path=name)) from None
