"""The diagnosis shared by `check`, `fix` and `smoke-gpu`: the matrix, the facts (live or from a report), the
findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional

from d2l_doctor.models import Finding, Snapshot, exit_code_for
from d2l_doctor.options import CommonOptions

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix


@dataclass(frozen=True)
class Diagnosis:
    snapshot: Snapshot
    findings: tuple[Finding, ...]
    matrix: Matrix

    @property
    def exit_code(self) -> int:
        return exit_code_for(self.findings)


def diagnose(opts: CommonOptions, prepare: Optional[Callable[[], object]] = None) -> Diagnosis:
    """Load the matrix, collect the Snapshot (or read it from --from-report), evaluate the rules.

    A matrix given with --matrix is loaded first, so that a broken one fails fast (exit 2) before any probe
    starts. The bundled matrix, which the tests validate, is parsed while the probes run: parsing it takes
    about as long as starting the target interpreter, and `check` should not wait for both in turn. So are the
    rules, the messages and `prepare` (the caller's own imports, such as a renderer): after the target has
    answered, only the work that needs its answer is left.
    """
    if opts.from_report is not None:
        from d2l_doctor.ingest import read_report
        from d2l_doctor.matrix import load_matrix

        matrix = load_matrix(opts.matrix)
        snapshot = read_report(opts.from_report, lang=opts.lang)
    elif opts.matrix is not None:
        from d2l_doctor.matrix import load_matrix

        matrix = load_matrix(opts.matrix)
        snapshot = _collect(opts)
    else:
        # Even the import of the matrix module (yaml) stays off the main thread, which starts the target.
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="d2l-doctor-matrix") as pool:
            pending = pool.submit(_load_rules_and_matrix, prepare)
            snapshot = _collect(opts)
            matrix = pending.result()
    from d2l_doctor.rules import evaluate

    return Diagnosis(snapshot, tuple(evaluate(snapshot, matrix)), matrix)


def _load_rules_and_matrix(prepare: Optional[Callable[[], object]]) -> Matrix:
    """The bundled matrix, the rules and the messages: all off the critical path."""
    from d2l_doctor.i18n import catalogue
    from d2l_doctor.matrix import load_matrix
    from d2l_doctor.rules.registry import load_rules

    matrix = load_matrix(None)
    load_rules()
    catalogue()
    if prepare is not None:
        prepare()
    return matrix


def _collect(opts: CommonOptions) -> Snapshot:
    import sys

    from d2l_doctor.probes.collect import collect

    if sys.stderr is not None and sys.stderr.isatty():  # words for a person waiting, never in a pipe
        from d2l_doctor.probes.progress import ProbeProgress

        return collect(
            opts.python, opts.timeout, lang=opts.lang, progress=ProbeProgress(sys.stderr, opts.lang)
        )
    return collect(opts.python, opts.timeout, lang=opts.lang)
