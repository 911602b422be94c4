"""Options shared by the commands, validated once (bad values are a UsageError: one line, exit 2)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from d2l_doctor.errors import UsageError

SHELLS = ("bash", "powershell", "cmd")
MAX_TIMEOUT_S = 86400.0  # a day: past it (inf, 1e308) a deadline means nothing and would overflow a sleep


@dataclass(frozen=True)
class CommonOptions:
    python: Optional[str]  # --python as given; the target probe resolves and validates it
    timeout: float
    matrix: Optional[Path]
    lang: str  # en | zh
    verbose: bool
    json: bool
    shell: Optional[str]  # None: detect
    from_report: Optional[str]  # a path, or "-" for stdin

    @classmethod
    def build(
        cls,
        *,
        python: Optional[str],
        timeout: float,
        matrix: Optional[Path],
        lang: Optional[str],
        verbose: bool,
        json: bool,
        shell: Optional[str],
        from_report: Optional[str],
    ) -> CommonOptions:
        from d2l_doctor.i18n import LANGS, detect_lang, t

        if lang is None:
            lang = detect_lang()
        lang = lang.lower().replace("_", "-")
        if lang.startswith("zh"):
            lang = "zh"
        elif lang.startswith("en"):
            lang = "en"
        if lang not in LANGS:
            raise UsageError(t("error.lang", detect_lang(), given=lang, langs=", ".join(LANGS)))
        if shell is not None:
            shell = shell.lower()
            if shell in ("pwsh", "ps"):
                shell = "powershell"
            if shell in ("zsh", "sh", "fish"):
                shell = "bash"
            if shell not in SHELLS:
                raise UsageError(t("error.shell", lang, shell=shell, shells=", ".join(SHELLS)))
        if not (
            isinstance(timeout, (int, float)) and math.isfinite(timeout) and 1 <= timeout <= MAX_TIMEOUT_S
        ):
            raise UsageError(t("error.timeout", lang, given=timeout, most=int(MAX_TIMEOUT_S)))
        if matrix is not None and not matrix.is_file():
            raise UsageError(t("error.matrix_missing", lang, path=matrix))
        if from_report is not None and from_report != "-" and not Path(from_report).is_file():
            raise UsageError(t("error.report_missing", lang, path=from_report))
        return cls(python, timeout, matrix, lang, verbose, json, shell, from_report)
