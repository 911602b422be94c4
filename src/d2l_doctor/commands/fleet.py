"""`d2l-doctor fleet run` and `d2l-doctor fleet report`: orchestration only (the fleet package does the work)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Optional, TextIO

from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t


def run_report(
    paths: list[Path],
    lang: str,
    *,
    json_out: bool = False,
    markdown: bool = False,
    html: Optional[Path] = None,
    matrix: Optional[Path] = None,
    stream: Optional[TextIO] = None,
) -> int:
    """Read every report, print the fleet's picture; 0 all healthy, 1 a problem or an unchecked machine."""
    from d2l_doctor.fleet.reading import Reader
    from d2l_doctor.fleet.table import build

    if sum((json_out, markdown, html is not None)) > 1:
        raise UsageError(t("fleet.usage.formats", lang))
    if not paths:
        raise UsageError(t("fleet.usage.no_paths", lang))
    for path in paths:
        if not path.exists():
            raise UsageError(t("fleet.usage.missing", lang, path=path))
    table = build(paths, Reader(lang, matrix))
    if not table.machines and not table.unreadable:
        raise UsageError(t("fleet.usage.empty", lang, paths=", ".join(map(str, paths))))
    out = stream if stream is not None else sys.stdout
    if json_out:
        from d2l_doctor.fleet.table import write_json

        write_json(table, out)
    elif html is not None:
        from d2l_doctor.fleet.render_html import render

        try:
            html.write_text("\n".join(render(table, lang)) + "\n", encoding="utf-8")
        except OSError as exc:
            raise UsageError(t("fleet.usage.html_out", lang, path=html, reason=exc.strerror or exc)) from None
        from d2l_doctor.fleet.view import summary

        _write(out, [summary(table, lang), str(html)])
    else:
        from d2l_doctor.fleet import render_text

        _write(out, render_text.markdown(table, lang) if markdown else render_text.console(table, lang))
    return table.exit_code


def _write(out: TextIO, lines: Iterable[str]) -> None:
    from d2l_doctor.terminal import safe, stream_encoding

    encoding = stream_encoding(out)
    out.write(safe("\n".join(lines) + "\n", encoding))
    out.flush()


def run_collect(
    *,
    slurm: bool,
    srun_args: list[str],
    inventory: Optional[Path],
    limit: Optional[str],
    out_dir: Path,
    timeout: float,
    lang: str,
    stream: Optional[TextIO] = None,
) -> int:
    """Collect one report per machine through srun or ansible into out_dir; 1 when a machine could not be checked."""
    if slurm == (inventory is not None):
        raise UsageError(t("fleet.usage.engine", lang))
    if srun_args and not slurm:
        raise UsageError(t("fleet.usage.srun_args", lang))
    if limit is not None and inventory is None:
        raise UsageError(t("fleet.usage.limit", lang))
    if inventory is not None and not inventory.is_file():
        raise UsageError(t("fleet.usage.inventory", lang, path=inventory))
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(t("fleet.usage.out", lang, path=out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    if slurm:
        from d2l_doctor.fleet import slurm as engine

        result = engine.collect(srun_args, out_dir, timeout, lang)
    else:
        from d2l_doctor.fleet import ansible

        assert inventory is not None
        result = ansible.collect(inventory, limit, out_dir, timeout, lang)
    out = stream if stream is not None else sys.stdout
    checked, failed = len(result.checked), len(result.failed)
    written = checked + failed
    _write(
        out,
        [
            t("fleet.run.done", lang, written=written, out=out_dir, checked=checked, failed=failed),
            t("fleet.run.next", lang, out=out_dir),
        ],
    )
    return 1 if result.failed or not written else 0
