"""Reports from another machine -> the Snapshot the live probes would produce (`check --from-report FILE`).

A d2l-doctor `--json` document (json_report.py), or any paste (paste.py): the text of PyTorch's
`python -m torch.utils.collect_env` in every format it has had since torch 1.0, vLLM's copy included
(collect_env.py splits it into fields, snapshot_builder.py turns fields into facts), tracebacks and warnings
(the matrix's `messages` table), pip/conda lists, nvidia-smi, logs and prose (loose.py), whatever wraps them
(lines.py). Every fact keeps its line (Snapshot.evidence). A text with nothing recognisable is bad input: a
UsageError with one line.
"""

from __future__ import annotations

from typing import BinaryIO, Optional

from d2l_doctor.models import Snapshot


def read_report(path_or_dash: str, lang: str = "en", stdin: Optional[BinaryIO] = None) -> Snapshot:
    """Read a report file ("-" reads stdin). Raises UsageError (in `lang`) when it is no report."""
    from d2l_doctor.ingest import detect, source

    text = source.read_text(path_or_dash, lang, stdin=stdin)
    return detect.snapshot_from_text(text, source.display_name(path_or_dash, lang), lang)


__all__ = ["read_report"]
