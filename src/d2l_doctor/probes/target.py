"""The target interpreter, seen from inside: runs payload/probe_env.py in it and turns its answer into facts.

The payload frames each import with marker lines on stderr. When the interpreter dies in an import (a
segfault: a negative return code) or hangs past the deadline, the phase that began and never ended is the
culprit: it is recorded as such, what was already streamed is kept, and the payload runs again with the
culprit (and what needs it) skipped, within the time left. A missing or broken target becomes a problem, never
a crash of the doctor.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

from d2l_doctor import bounded_json, runner
from d2l_doctor.models import ImportResult, Problem, PythonInfo, TorchInfo
from d2l_doctor.probes import launch
from d2l_doctor.probes.answer import answer_ok, facts_ok

MARK = "@@d2l-doctor:"
# The payload's phases in its order; the Snapshot's `imports` keys in the contract's order.
PHASES = ("numpy", "PIL", "nbconvert", "torch", "torch.cuda", "torchvision", "torchaudio")
IMPORTS = ("numpy", "PIL", "torch", "torchvision", "torchaudio", "nbconvert")
_NEEDS_TORCH = ("torch.cuda", "torchvision", "torchaudio")
_MAX_WARNINGS = 5  # the payload keeps five; an older or foreign payload may not
_MIN_RUN_S = 0.5  # below this a re-run cannot even start an interpreter and import something

# Windows reports a crash as an NTSTATUS exit code, not a signal.
_NTSTATUS = {
    0xC0000005: "STATUS_ACCESS_VIOLATION",
    0xC000001D: "STATUS_ILLEGAL_INSTRUCTION",  # e.g. a build that needs AVX on a CPU without it
    0xC00000FD: "STATUS_STACK_OVERFLOW",
    0xC0000135: "STATUS_DLL_NOT_FOUND",
    0xC0000139: "STATUS_ENTRYPOINT_NOT_FOUND",
    0xC0000409: "STATUS_STACK_BUFFER_OVERRUN",
}


@dataclass(frozen=True)
class TargetFacts:
    python: Optional[PythonInfo]
    packages: dict[str, str]
    torch: Optional[TorchInfo]
    imports: dict[str, ImportResult]
    problems: dict[str, Problem]
    # The payload said anything in its own shape: False means this was no Python to examine.
    answered: bool = True
    requires: dict[str, tuple[str, ...]] = field(default_factory=dict)  # name -> its Requires-Dist lines
    # With book=True: the last run and its nonce, whose output also carries the book cell's (probes/book.py).
    last_run: Optional[runner.CmdResult] = None
    last_nonce: str = ""


@dataclass(frozen=True)
class _Failure:
    """A phase in which the interpreter died or hung."""

    text: str  # faulthandler's report, or how long we waited
    death: Optional[str]  # "SIGSEGV", "STATUS_ACCESS_VIOLATION", "exit code 3"; None when it hung
    timed_out: bool
    seconds: float

    def why(self) -> str:
        return "hung" if self.timed_out else f"crashed the interpreter ({self.death})"


@dataclass
class _Stream:
    """What one run of the payload said on stderr."""

    facts: Optional[dict[str, Any]] = None
    ended: dict[str, dict[str, Any]] = field(default_factory=dict)
    open_phase: Optional[str] = None  # began and never ended: where the interpreter died or hung
    open_at: float = 0.0  # seconds after the payload started
    after_open: list[str] = field(
        default_factory=list
    )  # stderr lines after that marker (a fault's traceback)


def parse_stream(stderr: str, nonce: str = "") -> _Stream:
    """The markers of the run that was given `nonce` (`@@d2l-doctor:NONCE:kind ...`); other lines are text."""
    mark = f"{MARK}{nonce}:" if nonce else MARK
    stream = _Stream()
    for line in stderr.splitlines():
        if not line.startswith(mark):
            if stream.open_phase is not None and line.strip():
                stream.after_open.append(line.rstrip())
            continue
        kind, _, rest = line[len(mark) :].partition(" ")
        name, _, data = rest.partition(" ")
        if kind == "begin":
            stream.open_phase, stream.after_open = name, []
            try:
                stream.open_at = float(data)
            except ValueError:
                stream.open_at = 0.0
            continue
        try:
            value = bounded_json.loads(data)
        except ValueError:  # a line garbled by another thread's output: the final JSON still has it
            continue
        if kind == "facts" and facts_ok(value):
            stream.facts = value
        elif kind == "end" and isinstance(value, dict):
            stream.ended[name] = value
            if stream.open_phase == name:
                stream.open_phase = None
    return stream


def parse_result(stdout: str, nonce: str) -> Optional[dict[str, Any]]:
    """The payload's one JSON object for this nonce, in its shape; None for anything else."""
    text = stdout.strip()
    for candidate in (text, *reversed(text.splitlines()[-3:])):
        if candidate.startswith("{"):
            try:
                value = bounded_json.loads(candidate)
            except ValueError:
                continue
            if answer_ok(value, nonce):
                return value
    return None


def death_name(result: runner.CmdResult) -> Optional[str]:
    """How the interpreter died: "SIGSEGV", "STATUS_ACCESS_VIOLATION", "exit code 3"; None when it did not."""
    if result.signal_name:
        return result.signal_name
    code = result.returncode
    if code is None or code == 0:
        return None
    return _NTSTATUS.get(code & 0xFFFFFFFF, f"exit code {code}")


def probe(
    python: str, chosen_by: str, timeout: float, env: Mapping[str, str], book: bool = False
) -> TargetFacts:
    """book: the payload also runs the book's first cell, after its answer (probe_env.py --book)."""
    # `check`'s head start (probes/launch.py) may have started this run already, before the doctor's imports.
    head = launch.adopt(python, env, book)
    began = head.launched.started if head and isinstance(head.launched, runner.Launched) else time.monotonic()
    deadline = began + timeout
    facts: dict[str, Any] = {}
    phases: dict[str, dict[str, Any]] = {}
    failed: dict[str, _Failure] = {}
    problems: dict[str, Problem] = {}
    skip: set[str] = set()
    answered = False
    result: Optional[runner.CmdResult] = None
    nonce = ""
    # An empty cwd, nothing there to import: the head start's own, or a new one.
    cwd = head.cwd if head else tempfile.mkdtemp(prefix="d2l-doctor-")
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining < _MIN_RUN_S:
                break
            run = head if head is not None else launch.start(python, env, cwd, book, sorted(skip))
            head = None
            nonce, launched = run.nonce, run.launched
            result = (
                runner.result(launched, remaining, reap_leftovers=True)
                if isinstance(launched, runner.Launched)
                else launched
            )
            if result.overflow:  # no payload talks that much: whatever answered is not the interpreter we run
                problems["target"] = Problem("ui.why.python_too_much_output", {"python": python})
                answered = False
                break
            stream = parse_stream(result.stderr, nonce)
            # The answer stands once written, even if what ran after it (the book cell) died.
            final = parse_result(result.stdout, nonce) if result.ok or book else None
            answered = (
                answered or final is not None or bool(stream.facts or stream.ended or stream.open_phase)
            )
            if final is not None:
                facts.update(
                    python=final.get("python"),
                    packages=final.get("packages") or {},
                    requires=final.get("requires") or {},
                )
                phases.update(final.get("phases") or {})
                if final.get("errors"):
                    problems["payload"] = Problem.error("; ".join(str(e) for e in final["errors"])[:2000])
                break
            if stream.facts:
                facts.update(stream.facts)
            phases.update(stream.ended)
            culprit = stream.open_phase
            if culprit is None or culprit in failed:  # died outside a phase, or ignored --skip
                problems["target"] = _could_not_run(python, result)
                break
            failed[culprit] = _Failure(
                text=f"no answer within {timeout:g} s"
                if result.timed_out
                else "\n".join(stream.after_open[:8]),
                death=death_name(result),
                timed_out=result.timed_out,
                seconds=max(0.0, result.seconds - stream.open_at),
            )
            skip |= set(phases) | {culprit}
            if culprit == "torch":
                skip |= set(_NEEDS_TORCH)
    finally:
        shutil.rmtree(cwd, ignore_errors=True)  # Windows may hold a killed process's cwd for a moment
    if not facts.get("python") and "target" not in problems:
        problems["target"] = Problem("ui.why.python_timeout", {"python": python, "seconds": f"{timeout:g}"})
    return TargetFacts(
        python=_python_info(facts.get("python"), python, chosen_by),
        packages={str(k): str(v) for k, v in (facts.get("packages") or {}).items()},
        requires=_requires(facts.get("requires")),
        torch=_torch_info(phases, failed),
        imports=_imports(phases, failed),
        problems=problems,
        answered=answered,
        last_run=result if book else None,
        last_nonce=nonce,
    )


def _requires(data: Any) -> dict[str, tuple[str, ...]]:
    """The payload's {name: [Requires-Dist line, ...]}, kept only where it has that shape."""
    if not isinstance(data, dict):
        return {}
    return {
        str(name): tuple(str(line) for line in lines)
        for name, lines in data.items()
        if isinstance(lines, list)
    }


def _could_not_run(python: str, result: runner.CmdResult) -> Problem:
    if result.not_found:
        return Problem("ui.why.python_not_found", {"python": python})
    if result.error:
        return Problem("ui.why.python_no_start", {"python": python, "error": str(result.error)})
    if result.timed_out:
        return Problem("ui.why.python_deadline", {"python": python})
    tail = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith(MARK)][-3:]
    how = death_name(result) or "no answer in the payload's shape"
    said = " | ".join(tail)[:1000]
    if not said:
        return Problem("ui.why.probe_failed_silent", {"python": python, "how": how})
    return Problem("ui.why.probe_failed", {"python": python, "how": how, "tail": said})


def _python_info(data: Any, python: str, chosen_by: str) -> Optional[PythonInfo]:
    if not isinstance(data, dict):
        return None
    return PythonInfo(
        executable=str(data.get("executable") or python),
        version=str(data.get("version", "")),
        bits=int(data.get("bits") or 0),
        machine=str(data.get("machine", "")),
        implementation=str(data.get("implementation", "cpython")),
        platform=str(data.get("platform", "")),
        prefix=data.get("prefix"),
        base_prefix=data.get("base_prefix"),
        is_venv=bool(data.get("is_venv")),
        chosen_by=chosen_by,
    )


def _import_result(data: dict[str, Any], name: str) -> ImportResult:
    seconds = data.get("seconds")
    return ImportResult(
        module=name,
        ok=bool(data.get("ok")),
        error_type=data.get("error_type"),
        error=data.get("error"),
        seconds=float(seconds) if isinstance(seconds, (int, float)) else None,
        skipped=data.get("skipped"),
        warnings=tuple(str(w) for w in data.get("warnings") or () if w)[:_MAX_WARNINGS],
    )


def _imports(phases: dict[str, dict[str, Any]], failed: dict[str, _Failure]) -> dict[str, ImportResult]:
    imports: dict[str, ImportResult] = {}
    torch_failure = failed.get("torch")
    for name in IMPORTS:
        failure = failed.get(name)
        if failure is not None:
            imports[name] = ImportResult(
                module=name,
                ok=False,
                error=failure.text or None,
                signal=failure.death,
                timed_out=failure.timed_out,
                seconds=round(failure.seconds, 3),
            )
        elif isinstance(phases.get(name, {}).get("import"), dict):
            imports[name] = _import_result(phases[name]["import"], name)
        elif torch_failure is not None and name in _NEEDS_TORCH:
            skipped = f"not attempted: importing torch {torch_failure.why()}"
            imports[name] = ImportResult(module=name, ok=False, skipped=skipped)
        else:
            skipped = f"not attempted: no time left after {', '.join(sorted(failed)) or 'the probe'}"
            imports[name] = ImportResult(module=name, ok=False, skipped=skipped)
    return imports


def _torch_info(phases: dict[str, dict[str, Any]], failed: dict[str, _Failure]) -> Optional[TorchInfo]:
    info = phases.get("torch", {}).get("torch")
    if not isinstance(info, dict) or not info.get("version"):
        return None
    merged = {**info, **(phases.get("torch.cuda", {}).get("torch") or {})}
    warning = merged.get("init_warning")
    if "torch.cuda" in failed:  # torch imported, then CUDA's initialisation killed or hung the interpreter
        warning = f"torch.cuda.is_available() {failed['torch.cuda'].why()}"
    cudnn = merged.get("cudnn")
    return TorchInfo(
        version=str(merged["version"]),
        cuda=merged.get("cuda"),
        hip=merged.get("hip"),
        cudnn=int(cudnn) if isinstance(cudnn, int) else None,
        arch_list=tuple(str(a) for a in merged.get("arch_list") or ()),
        cuda_available=merged.get("cuda_available"),
        device_count=merged.get("device_count"),
        device_capabilities=tuple(str(c) for c in merged.get("device_capabilities") or ()),
        init_warning=warning,
    )
