"""Run transactions so that the environment never ends worse than it began.

Each transaction's effect is measured (`pip freeze` before and after), never assumed. One that fails and
changed something is rolled back at once for exactly the packages it changed, with the same fetch-first steps
as `fix --undo`; those that need it are skipped with the reason; the others run on. Ctrl-C stops pip (runner),
rolls back the transaction it interrupted and stops the run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from d2l_doctor.fixes.executor import Execution, Executor, StepOutcome
from d2l_doctor.fixes.state import EnvSnapshot, StateError
from d2l_doctor.fixes.transaction import Transaction
from d2l_doctor.fixes.undo import parse_freeze, restore_steps
from d2l_doctor.i18n import t

# What became of a transaction.
DONE = "done"  # its steps ran; the re-check says whether its findings are gone
FAILED = "failed"  # a step failed and nothing had changed
ROLLED_BACK = "rolled-back"  # a step failed (or Ctrl-C) after changes, and they were undone
ROLLBACK_FAILED = "rollback-failed"  # ... and undoing them failed: `fix --undo` is the way back
SKIPPED = "skipped"  # not run: a transaction it needs did not succeed, or the run was stopped
BLOCKED = "blocked"  # not run: a host it downloads from did not answer the preflight
INTERRUPTED = "interrupted"  # Ctrl-C during it, nothing had changed


@dataclass(frozen=True)
class Reason:
    """Why, as a message id of the fix catalogue and its values (the renderer words it)."""

    key: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TxResult:
    tx: Transaction
    status: str
    reason: Optional[Reason] = None
    outcomes: tuple[StepOutcome, ...] = ()
    changed: tuple[str, ...] = ()  # "- pillow==10.4.0" / "+ pillow==11.0.0": measured by the transaction
    left: tuple[str, ...] = ()  # what a failed rollback could not put back, in the same form


@dataclass(frozen=True)
class RunReport:
    results: tuple[TxResult, ...]
    interrupted: bool = False
    final_freeze: Optional[tuple[str, ...]] = None  # measured at the end (None: pip freeze failed)

    def by_status(self, *statuses: str) -> list[TxResult]:
        return [r for r in self.results if r.status in statuses]


Freeze = Callable[[str], tuple[str, ...]]


def run_transactions(
    txs: Sequence[Transaction],
    executor: Executor,
    *,
    snap: EnvSnapshot,
    freeze: Freeze,
    wheel_dir: str,
    blocked: Optional[Mapping[str, Reason]] = None,
) -> RunReport:
    """Run txs in order against the environment saved in snap (its freeze is the state before the first)."""
    blocked = blocked or {}
    results: dict[str, TxResult] = {}
    current: Optional[tuple[str, ...]] = tuple(snap.freeze)
    for position, tx in enumerate(txs):
        if tx.id in blocked:
            results[tx.id] = TxResult(tx, BLOCKED, blocked[tx.id])
            continue
        missing = [n for n in tx.needs if n in results and results[n].status != DONE]
        if missing:
            results[tx.id] = TxResult(tx, SKIPPED, Reason("fix.run.needs", {"ids": ", ".join(missing)}))
            continue
        before = current if current is not None else _measure(freeze, snap.python)
        try:
            execution = executor.run(tx.steps)
        except KeyboardInterrupt:
            result = _interrupted(tx, executor, snap, freeze, before, wheel_dir)
            results[tx.id] = result
            for later in txs[position + 1 :]:
                results[later.id] = TxResult(later, SKIPPED, Reason("fix.run.stopped"))
            return RunReport(tuple(results[t.id] for t in txs), True, _measure(freeze, snap.python))
        after = _measure(freeze, snap.python)
        changed = diff(before, after)
        if execution.ok:
            results[tx.id] = TxResult(tx, DONE, None, execution.done, changed)
        elif not changed:
            results[tx.id] = TxResult(tx, FAILED, _failure(execution), _all(execution), changed)
        else:
            results[tx.id] = _rollback(tx, executor, snap, freeze, before, after, wheel_dir, execution)
            after = _measure(freeze, snap.python)
        current = after
    return RunReport(tuple(results[t.id] for t in txs), False, current)


def diff(before: Optional[Sequence[str]], after: Optional[Sequence[str]]) -> tuple[str, ...]:
    """What changed between two freezes, one line per package: `- old`, `+ new`."""
    if before is None or after is None:
        return ()
    old, _ = parse_freeze(before)
    new, _ = parse_freeze(after)
    out = []
    for name in sorted(set(old) | set(new)):
        if old.get(name) != new.get(name):
            out += [f"- {old[name]}"] if name in old else []
            out += [f"+ {new[name]}"] if name in new else []
    return tuple(out)


def _rollback(
    tx: Transaction,
    executor: Executor,
    snap: EnvSnapshot,
    freeze: Freeze,
    before: Optional[tuple[str, ...]],
    after: Optional[tuple[str, ...]],
    wheel_dir: str,
    execution: Execution,
) -> TxResult:
    changed = diff(before, after)
    if before is None or after is None:  # not measurable: say so, never guess
        return TxResult(tx, ROLLBACK_FAILED, Reason("fix.run.unmeasured"), _all(execution), changed, changed)
    fetch, install, uninstall = restore_steps(snap, before, after, wheel_dir)
    executor.display.note("  " + t("fix.run.rolling_back", executor.display.lang, id=tx.id), "yellow")
    undone = executor.run([*fetch, *install, *uninstall])
    left = diff(before, _measure(freeze, snap.python))
    status = ROLLED_BACK if undone.ok and not left else ROLLBACK_FAILED
    return TxResult(tx, status, _failure(execution), _all(execution), changed, left)


def _interrupted(
    tx: Transaction,
    executor: Executor,
    snap: EnvSnapshot,
    freeze: Freeze,
    before: Optional[tuple[str, ...]],
    wheel_dir: str,
) -> TxResult:
    after = _measure(freeze, snap.python)
    changed = diff(before, after)
    reason = Reason("fix.run.interrupted")
    if not changed:
        return TxResult(tx, INTERRUPTED, reason, (), changed)
    try:
        fake = Execution((), None)
        rolled = _rollback(tx, executor, snap, freeze, before, after, wheel_dir, fake)
    except KeyboardInterrupt:  # a second Ctrl-C: stop here; `fix --undo` remains
        left = diff(before, _measure(freeze, snap.python))
        return TxResult(tx, ROLLBACK_FAILED, reason, (), changed, left)
    return TxResult(tx, rolled.status, reason, (), changed, rolled.left)


def _failure(execution: Execution) -> Reason:
    failed = execution.failed
    if failed is None:
        return Reason("fix.run.interrupted")
    if failed.timed_out:
        return Reason("fix.run.step_timed_out", {"command": " ".join(failed.step.argv[:4])})
    last = next((line for line in reversed(failed.tail) if line.strip()), "")
    code = failed.error or failed.returncode
    if not last.strip():
        return Reason("fix.run.step_failed_quiet", {"code": code})
    return Reason("fix.run.step_failed", {"code": code, "line": last.strip()[:200]})


def _all(execution: Execution) -> tuple[StepOutcome, ...]:
    return execution.done + ((execution.failed,) if execution.failed else ())


def _measure(freeze: Freeze, python: str) -> Optional[tuple[str, ...]]:
    try:
        return tuple(freeze(python))
    except StateError:
        return None

