"""Run a setup plan: the environment first (its own step: there is nothing to measure before it exists), then
every package step and the kernel as transactions of `fix --apply` (fixes/run.py): each measured by `pip
freeze`, a failed or interrupted one rolled back to the state before it, the ones after it skipped. What
finished stays: the next `setup` resumes after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Optional

from d2l_doctor.fixes.executor import Executor
from d2l_doctor.fixes.run import DONE, FAILED, INTERRUPTED, SKIPPED, Freeze, Reason, RunReport, TxResult
from d2l_doctor.fixes.run import run_transactions as run_txs
from d2l_doctor.fixes.state import EnvSnapshot, StateError
from d2l_doctor.fixes.transaction import Transaction
from d2l_doctor.mirrors import PipIndex
from d2l_doctor.setup.plan import ENV, SetupPlan


@dataclass(frozen=True)
class BuildReport:
    results: tuple[TxResult, ...]
    interrupted: bool = False
    freeze: Optional[tuple[str, ...]] = None  # the environment's packages at the end

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(r.status == DONE for r in self.results)


def transactions(plan: SetupPlan) -> list[Transaction]:
    """One transaction per pending step, each needing the one before it: a step after a failed one would
    build on what is not there."""
    out: list[Transaction] = []
    for step in plan.pending:
        needs = (out[-1].id,) if out else ()
        out.append(Transaction(step.id, (step.id,), (step.step,), needs))
    return out


def build(
    plan: SetupPlan,
    executor: Executor,
    *,
    freeze: Freeze,
    wheel_dir: str,
    pypi_index: Optional[PipIndex],
    torch_indexes: Mapping[str, PipIndex],
    on_env: Callable[[], None] = lambda: None,
) -> BuildReport:
    """on_env: called once the environment exists (the caller records it in setup's mark)."""
    txs = transactions(plan)
    results: list[TxResult] = []
    if txs and txs[0].id == ENV:
        env_tx, txs = txs[0], txs[1:]
        try:
            execution = executor.run(env_tx.steps)
        except KeyboardInterrupt:
            results.append(TxResult(env_tx, INTERRUPTED, Reason("fix.run.interrupted")))
            results += [TxResult(tx, SKIPPED, Reason("fix.run.stopped")) for tx in txs]
            return BuildReport(tuple(results), True)
        if not execution.ok:
            failed = execution.failed
            line = next((ln for ln in reversed(failed.tail) if ln.strip()), "") if failed else ""
            reason = Reason(
                "fix.run.step_failed", {"code": failed.returncode if failed else "?", "line": line}
            )
            results.append(TxResult(env_tx, FAILED, reason, execution.done + ((failed,) if failed else ())))
            results += [TxResult(tx, SKIPPED, Reason("fix.run.needs", {"ids": ENV})) for tx in txs]
            return BuildReport(tuple(results))
        results.append(TxResult(env_tx, DONE, None, execution.done))
        on_env()
        txs = [Transaction(t.id, t.fixes, t.steps, tuple(n for n in t.needs if n != ENV)) for t in txs]
    if not txs:
        return BuildReport(tuple(results), False, _freeze(freeze, str(plan.target.python)))
    python = str(plan.target.python)
    now = datetime.now(timezone.utc)
    try:
        before = tuple(freeze(python))
    except StateError as exc:
        reason = Reason("fix.run.step_failed", {"code": "-", "line": str(exc)})
        results += [TxResult(tx, FAILED if i == 0 else SKIPPED, reason) for i, tx in enumerate(txs)]
        return BuildReport(tuple(results))
    snap = EnvSnapshot(
        id=now.strftime("%Y%m%dT%H%M%S%fZ"),
        created=now.isoformat(timespec="seconds"),
        python=python,
        freeze=before,
        pypi_index=pypi_index,
        torch_indexes=dict(torch_indexes),
    )
    report: RunReport = run_txs(txs, executor, snap=snap, freeze=freeze, wheel_dir=wheel_dir)
    return BuildReport((*results, *report.results), report.interrupted, report.final_freeze)


def _freeze(freeze: Freeze, python: str) -> Optional[tuple[str, ...]]:
    try:
        return tuple(freeze(python))
    except StateError:
        return None
