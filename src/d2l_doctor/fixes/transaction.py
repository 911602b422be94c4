"""A plan cut into transactions: each finding's fix is one unit that succeeds or is undone as a whole.

Steps that fix the same finding (or that one merged step ties together) form one transaction. A transaction
needs another when it cannot work without it: a torchvision/torchaudio install needs the torch install the
plan makes, a kernel registration needs the ipykernel another transaction installs. A failed transaction stops
itself and those that need it; the others run on.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from d2l_doctor.fixes.conda_steps import requirement_name
from d2l_doctor.models import FixKind, PlanStep

CONDA_MIRROR = "conda-mirror"  # the optional channel steps: a transaction of their own that fixes nothing
_TORCH_DOMAIN = frozenset({"torchvision", "torchaudio"})


@dataclass(frozen=True)
class Transaction:
    id: str  # the finding ids it fixes, joined with "+"
    fixes: tuple[str, ...]
    steps: tuple[PlanStep, ...]
    needs: tuple[str, ...] = ()  # ids of the transactions that must succeed first
    optional: bool = False

    def installs(self) -> set[str]:
        """Canonical names of the packages its pip/conda installs name."""
        return {requirement_name(p) for s in self.steps if _installs(s) for p in s.action.packages}


def transactions(steps: Sequence[PlanStep]) -> list[Transaction]:
    """The runnable steps grouped into transactions, in the plan's order (a transaction stands where its first
    step stood; its steps keep their order)."""
    runnable = [s for s in steps if s.argv]
    groups: list[list[PlanStep]] = []
    ids: list[set[str]] = []
    for step in runnable:
        key = set(step.fixes) if step.fixes else {CONDA_MIRROR if step.optional else _argv_id(step)}
        joined = [i for i, g in enumerate(ids) if g & key]
        if not joined:
            groups.append([step])
            ids.append(key)
            continue
        first = joined[0]
        for other in reversed(joined[1:]):  # one step fixing two findings ties their transactions
            groups[first].extend(groups.pop(other))
            ids[first] |= ids.pop(other)
        groups[first].append(step)
        ids[first] |= key
    order = {id(s): i for i, s in enumerate(runnable)}
    out = []
    for group, names in zip(groups, ids):
        group.sort(key=lambda s: order[id(s)])
        fixes = tuple(dict.fromkeys(f for s in group for f in s.fixes))
        optional = all(s.optional for s in group)
        out.append(Transaction("+".join(fixes) or "+".join(sorted(names)), fixes, tuple(group), (), optional))
    return _with_needs(out)


def _with_needs(txs: list[Transaction]) -> list[Transaction]:
    out = []
    for tx in txs:
        needs = []
        wants = {requirement_name(p) for s in tx.steps if _installs(s) for p in s.action.packages}
        kernels = any(s.action.kind is FixKind.KERNEL_INSTALL for s in tx.steps)
        for other in txs:
            if other is tx:
                continue
            gives = other.installs()
            torch_first = bool(wants & _TORCH_DOMAIN) and "torch" in gives and "torch" not in wants
            kernel_first = kernels and "ipykernel" in gives and "ipykernel" not in wants
            if torch_first or kernel_first:
                needs.append(other.id)
        out.append(Transaction(tx.id, tx.fixes, tx.steps, tuple(needs), tx.optional))
    return out


def select(
    txs: Sequence[Transaction], only: Iterable[str] = (), skip: Iterable[str] = ()
) -> tuple[list[Transaction], list[Transaction]]:
    """(chosen, left out) by finding id: --only keeps the transactions that fix one of `only`, --skip drops
    those that fix one of `skip`. The optional conda-mirror transaction goes with the others unless named."""
    only_set, skip_set = set(only), set(skip)
    chosen: list[Transaction] = []
    left: list[Transaction] = []
    for tx in txs:
        names = set(tx.fixes) or {tx.id}
        keep = (not only_set or bool(names & only_set)) and not names & skip_set
        (chosen if keep else left).append(tx)
    return chosen, left


def known_ids(txs: Sequence[Transaction]) -> set[str]:
    return {f for tx in txs for f in (tx.fixes or (tx.id,))}


def _installs(step: PlanStep) -> bool:
    return step.action.kind in (FixKind.PIP_INSTALL, FixKind.CONDA_INSTALL)


def _argv_id(step: PlanStep) -> str:
    return step.action.reason or (step.argv[1] if len(step.argv) > 1 else step.argv[0])
