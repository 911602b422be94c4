"""Every smoke failure mapped to a cause, and to the `check` finding that fixes it where there is one.

A Cause is data: `kind` picks the message `smoke.cause.<kind>` (i18n/smoke.py), `params` fill it, `finding`
names the finding of `check` whose fix applies. The error texts are torch's and CUDA's own words, matched with
the matrix's `messages` table (rows with a `smoke` cause), in table order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from d2l_doctor.smoke.outcome import Aborted, Outcome, RunError, SmokeRun

GIB = float(1 << 30)


@dataclass(frozen=True)
class Cause:
    kind: str  # the message id suffix: smoke.cause.<kind>
    finding: Optional[str] = None  # the `check` finding whose fix applies
    # Only the facts that are known: the message's [[clauses]] leave out the rest (render/wording.py).
    params: dict[str, str] = field(default_factory=dict)


def known_params(**values: object) -> dict[str, str]:
    """values as message params, without the ones that are not known (None or empty)."""
    return {k: str(v) for k, v in values.items() if v is not None and str(v).strip() != ""}


def classify_text(text: str) -> Optional[Cause]:
    """The cause that torch's or CUDA's words name, or None when they name none we know. The words and what
    they prove are the matrix's `messages` table (the one the report reader and the rules read too)."""
    from d2l_doctor.matrix import load_matrix

    hit = load_matrix(None).messages.first(text, smoke=True)
    if hit is None or hit.pattern.smoke is None:
        # Another module than torch missing at run time (sympy, after `pip install --no-deps torch`): smoke-gpu
        # only; a paste's "No module named" line proves nothing alone, so it is not a row of the messages table.
        if _OTHER_MODULE.search(text):
            return Cause(
                "module-missing", _CHECK_FINDING["module-missing"], _params_from_text("module-missing", text)
            )
        return None
    kind = hit.pattern.smoke
    return Cause(kind, hit.pattern.finding or _CHECK_FINDING.get(kind), _params_from_text(kind, text))


# Causes whose words prove no finding alone, yet `check` reports what fixes them from other facts: a missing
# module is a requirement its package's metadata names (requirements-missing), which the words cannot say.
_CHECK_FINDING = {"module-missing": "requirements-missing"}
_OTHER_MODULE = re.compile(r"No module named '(?!torch\b)[A-Za-z0-9_.]+'")


def classify_test(test: Outcome, device: str) -> Optional[Cause]:
    """Why a failed test failed; None for a test that did not fail."""
    if test.ok:
        return None
    err = test.error or RunError("exception", "", "")
    data = test.data
    where = {"test": test.name, "device": device}
    if err.kind == "mismatch":
        params = {**where, **known_params(message=first_line(err.message))}
        if "rel_err" in data and "tolerance" in data:
            return Cause(
                "wrong-numbers",
                None,
                {**params, "error": f"{data['rel_err']:.3g}", "tolerance": f"{data['tolerance']:.0e}"},
            )
        return Cause("wrong-result", None, params)
    if err.kind == "no-learning":
        return Cause(
            "no-learning",
            None,
            {**where, **known_params(first=_num(data.get("loss_first")), last=_num(data.get("loss_last")))},
        )
    if err.kind in ("crash", "timeout"):  # the renderer words the step from test and device
        seconds = f"{test.seconds:.0f}" if test.seconds is not None else None
        return Cause(err.kind, None, {**where, **known_params(signal=err.type, seconds=seconds)})
    if err.kind in ("leak", "cudnn-unavailable", "world-size"):
        return Cause(err.kind, None, {**where, **known_params(message=first_line(err.message))})
    cause = classify_text(err.message)
    if cause is None:
        return Cause("unknown", None, {**where, **known_params(error=error_text(err))})
    params = {**cause.params, **where}
    if cause.kind == "out-of-memory":
        params.update(_memory_params(data, params))
    return Cause(cause.kind, cause.finding, params)


def classify_unavailable(run: SmokeRun) -> Cause:
    """Why no device could be tested (the payload ran, or died before testing anything)."""
    if run.aborted is not None and run.aborted.how not in ("crash", "timeout"):
        return classify_abort(run.aborted, run.stderr)
    if run.error is not None:
        if run.error.kind in ("crash", "timeout") and run.aborted is not None:
            return classify_abort(run.aborted, run.stderr)
        cause = classify_text(run.error.message)
        if cause is not None:
            return cause
        text = error_text(run.error)
        if run.error.stage in (None, "import torch"):
            return Cause("torch-import-error", None, known_params(error=text))
        return Cause("payload-error", None, known_params(error=text, stage=run.error.stage))
    why = run.unavailable or {}
    reason = why.get("reason")
    if reason == "no-such-device":
        return Cause("no-such-device", None, known_params(device=why.get("device"), count=why.get("count")))
    if reason in ("not-built", "not-available"):
        return Cause(f"mps-{reason}")
    return _why_no_cuda(run)


def _why_no_cuda(run: SmokeRun) -> Cause:
    state = run.cuda_state or {}
    texts = [str(w) for w in state.get("warnings") or []]
    if isinstance(state.get("error"), dict):
        texts.append(str(state["error"].get("message", "")))
    for text in texts:  # the warning says "driver too old" before init repeats it
        cause = classify_text(text)
        if cause is not None:
            return cause
    torch = run.torch
    if torch.get("version") and not torch.get("cuda") and not torch.get("hip"):
        return Cause("torch-cpu-only", "torch-cpu-only", {"version": str(torch["version"])})
    hidden = run.env.get("CUDA_VISIBLE_DEVICES")
    if hidden is not None and hidden.strip() in ("", "-1", "none", "NoDevFiles"):
        return Cause("cuda-hidden", None, {"value": hidden.strip() or '""'})
    error = first_line(" ".join(texts)) if texts else ""
    return Cause("no-cuda-device", None, {"error": error or "torch.cuda.is_available() is False"})


def classify_abort(aborted: Aborted, stderr: str = "") -> Cause:
    """A payload that did not finish; stderr's last line says why one that exited on its own did."""
    step = aborted.step or "start-up"
    if aborted.how == "timeout":
        return Cause("timeout", None, {"step": step, "seconds": f"{aborted.seconds:.0f}"})
    if aborted.how == "crash":
        return Cause("crash", None, {"step": step, **known_params(signal=aborted.signal)})
    if aborted.how == "not-started":
        return Cause("not-started", None, known_params(error=aborted.reason))
    return Cause("no-output", None, known_params(code=aborted.returncode, error=last_line(stderr)))


# ------------------------------------------------------------------------------------------------------------
# Numbers out of the words


_FOUND = re.compile(r"found version (\d+)")
_TRIED = re.compile(r"Tried to allocate ([\d.]+ ?[KMGT]i?B)", re.IGNORECASE)
_FREE = re.compile(r"([\d.]+ ?(?:[KMGT]i?B|bytes)) (?:is )?free", re.IGNORECASE)
_CPU_TRIED = re.compile(r"tried to allocate (\d+) bytes", re.IGNORECASE)


def _params_from_text(kind: str, text: str) -> dict[str, str]:
    if kind == "driver-too-old":
        m = _FOUND.search(text)
        if m:  # cudaDriverGetVersion: 12040 means CUDA 12.4
            found = int(m.group(1))
            return {"driver_cuda": f"{found // 1000}.{found % 1000 // 10}"}
        return {}
    if kind == "out-of-memory":
        params = {}
        tried, free, cpu = _TRIED.search(text), _FREE.search(text), _CPU_TRIED.search(text)
        if tried:
            params["asked"] = tried.group(1)
        elif cpu:
            params["asked"] = gib(int(cpu.group(1)))
        if free:
            params["free"] = free.group(1)
        return params
    if kind == "module-missing":
        m = re.search(r"No module named '?([A-Za-z0-9_.]+)", text)
        return {"module": m.group(1).split(".")[0]} if m else {}
    if kind == "cudnn-error":
        m = re.search(r"CUDNN_STATUS_\w+", text)
        return {"status": m.group(0)} if m else {}
    return {}


def _memory_params(data: dict[str, object], params: dict[str, str]) -> dict[str, str]:
    """What the memory test asked for and what was free, in its own figures when it recorded them."""
    asked, free = data.get("asked_bytes"), data.get("free_bytes")
    return known_params(
        asked=gib(asked) if isinstance(asked, int) else params.get("asked"),
        free=gib(free) if isinstance(free, int) else params.get("free"),
    )


def gib(n: int) -> str:
    return f"{n / GIB:.2f} GiB"


def error_text(error: RunError) -> str:
    """An exception as one line, `Type: message`, of whichever of the two the payload gave."""
    return ": ".join(part for part in (error.type.strip(), first_line(error.message)) if part)


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _num(value: object) -> Optional[str]:
    return f"{value:.4f}" if isinstance(value, (int, float)) else None
