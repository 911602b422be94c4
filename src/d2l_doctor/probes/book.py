"""The book's first cell and the installed distributions' requirements, in the target interpreter.

`check` runs payload/book_cell.py inside the target's own probe (probe_env.py --book), after that probe's
answer is written: torch is imported once, and a crash in the cell cannot cost a fact (from_target reads it
from the probe's run). It streams each result as a marker line before the
next step begins, so a step that kills or hangs the interpreter is named, and what came before it is kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Optional

from d2l_doctor import runner
from d2l_doctor.models import BookStep, Problem, UnmetRequirement

if TYPE_CHECKING:
    from d2l_doctor.probes.target import TargetFacts

MARK = "@@d2l-doctor:"
STEPS = ("import d2l", "tensor", "optimizer step", "plot")


@dataclass(frozen=True)
class BookFacts:
    steps: tuple[BookStep, ...] = ()
    requirements: Optional[tuple[UnmetRequirement, ...]] = None
    problems: dict[str, Problem] = field(default_factory=dict)


def from_target(python: str, facts: TargetFacts, timeout: float) -> BookFacts:
    """The cell as the target's probe ran it (probe_env.py --book). When that run stopped before the cell
    began (an import crashed or hung), nothing is said here: the target's own problems say why."""
    result = facts.last_run
    if result is None:
        return BookFacts()
    began = (f"{MARK}{facts.last_nonce}:requirements", f"{MARK}{facts.last_nonce}:book")
    if not any(line.startswith(began) for line in result.stderr.splitlines()):
        return BookFacts()
    return from_run(python, result, facts.last_nonce, timeout)


def from_run(python: str, result: runner.CmdResult, nonce: str, timeout: float) -> BookFacts:
    """BookFacts from one run's output: its final object, else what it streamed before it died or hung."""
    from d2l_doctor.probes.target import death_name

    streamed = _stream(result.stderr, nonce)
    final = last_json(result.stdout.strip().splitlines(), "steps") if result.ok else None
    if final is not None and final.get("nonce") != nonce:
        final = None  # not this run's answer
    problems: dict[str, Problem] = {}
    if final is not None:
        reqs, steps = final.get("requirements"), final.get("steps") or []
        if final.get("errors"):
            problems["book"] = Problem.error("; ".join(str(e) for e in final["errors"])[:2000])
    else:
        reqs, steps = streamed.requirements, list(streamed.steps)
        if streamed.open_step is not None:
            death = death_name(result)
            steps.append(
                {
                    "name": streamed.open_step,
                    "ok": False,
                    "timed_out": result.timed_out,
                    "signal": None if result.timed_out else death,
                    "error": f"no answer within {timeout:g} s" if result.timed_out else streamed.fault,
                }
            )
        else:
            problems["book"] = Problem.error(_why(python, result))
    return BookFacts(tuple(_step(s) for s in steps if isinstance(s, dict)), _requirements(reqs), problems)


@dataclass
class _Streamed:
    requirements: Any = None
    steps: list[dict[str, Any]] = field(default_factory=list)
    open_step: Optional[str] = None
    fault: Optional[str] = None  # the lines after the open step's marker (faulthandler's report)


def _stream(stderr: str, nonce: str) -> _Streamed:
    out = _Streamed()
    after: list[str] = []
    mark = f"{MARK}{nonce}:"
    for line in stderr.splitlines():
        if not line.startswith(mark):
            if out.open_step is not None and line.strip():
                after.append(line.rstrip())
            continue
        kind, _, rest = line[len(mark) :].partition(" ")
        name, _, data = rest.partition(" ")
        name = name.replace("_", " ")
        if kind == "book-begin":
            out.open_step, after = name, []
            continue
        try:
            value = json.loads(data)
        except ValueError:
            continue
        if kind == "requirements":
            out.requirements = value
        elif kind == "book" and isinstance(value, dict):
            out.steps.append(value)
            out.open_step = None
    out.fault = "\n".join(after[:8]) or None
    return out


def last_json(lines: list[str], key: str) -> Optional[dict[str, Any]]:
    """The last line that is a JSON object holding key: a payload's answer after whatever else was printed."""
    for line in reversed(lines):
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict) and key in value:
                return value
    return None


def _why(python: str, result: runner.CmdResult) -> str:
    if result.not_found:
        return f"{python}: not found"
    if result.timed_out:
        return f"{python}: no answer before the deadline"
    tail = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith(MARK)][-3:]
    return f"{python}: the book cell did not answer: " + " | ".join(tail)[:1000]


def _step(data: dict[str, Any]) -> BookStep:
    seconds = data.get("seconds")
    return BookStep(
        name=str(data.get("name", "")),
        ok=bool(data.get("ok")),
        error_type=data.get("error_type"),
        error=data.get("error"),
        skipped=data.get("skipped"),
        seconds=float(seconds) if isinstance(seconds, (int, float)) else None,
        device=data.get("device"),
        signal=data.get("signal"),
        timed_out=bool(data.get("timed_out")),
    )


def _requirements(data: Any) -> Optional[tuple[UnmetRequirement, ...]]:
    if not isinstance(data, list):
        return None
    return tuple(
        UnmetRequirement(
            package=str(r.get("package", "")),
            version=str(r.get("version", "")),
            requirement=str(r.get("requirement", "")),
            name=str(r.get("name", "")),
            installed=r.get("installed"),
        )
        for r in data
        if isinstance(r, dict)
    )
