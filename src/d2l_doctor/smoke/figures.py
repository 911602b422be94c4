"""The figure of each test in words and numbers: what the table shows and what `--json` gives as `value`.

Throughput figures sit beside the card's nominal peak when the matrix knows the card (as a fraction:
information, never pass/fail). The payload measures strict float32 (TF32 off) and plain float16 GEMMs, and
copy bandwidth as bytes read plus bytes written, so each compares with the matching peak.

Every text is filled through render/wording.py: a fact the payload did not report is left out of the words
(the catalogue's [[clauses]]), never shown as "?".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from d2l_doctor.i18n import has, t
from d2l_doctor.render.wording import say
from d2l_doctor.smoke.classify import Cause, first_line, gib
from d2l_doctor.smoke.outcome import FAILED, SKIPPED, Outcome

if TYPE_CHECKING:
    from d2l_doctor.matrix import GpuPeak


@dataclass(frozen=True)
class Figure:
    text: str
    value: Optional[float] = None
    unit: Optional[str] = None
    nominal: Optional[float] = None  # the card's peak in the same unit
    fraction: Optional[float] = None  # value / nominal


def test_name(name: str, lang: str) -> str:
    if name.startswith("p2p "):
        return say("smoke.test.p2p", lang, pair=name[4:])
    key = f"smoke.test.{name}"
    return t(key, lang) if has(key) else name


def figure(test: Outcome, peak: Optional[GpuPeak], lang: str) -> Figure:
    if test.status == FAILED:
        error = test.error
        if error is not None and error.kind == "crash":
            return Figure(say("smoke.fig.crash", lang, signal=error.type))
        if error is not None and error.kind == "timeout":
            seconds = seconds_text(test.seconds, lang) if test.seconds is not None else None
            return Figure(say("smoke.fig.timeout", lang, seconds=seconds))
        return Figure(_short(first_line(error.message) if error else ""))
    if test.status == SKIPPED:
        return Figure(skip_reason(test.data, lang))
    d = test.data
    name = test.name
    if name == "ones_add":
        return Figure(str(d.get("repr", "")))
    if name in ("matmul_fp32", "autocast_fp16", "autocast_bf16", "conv") and _num(d.get("rel_err")):
        tolerance = d.get("tolerance")
        params = {"err": f"{d['rel_err']:.2g}", "tol": f"{tolerance:.0e}" if _num(tolerance) else None}
        if name == "conv":
            text = say("smoke.fig.conv", lang, backend=d.get("backend"), **params)
        else:
            text = say("smoke.fig.rel_err", lang, **params)
        return Figure(text, float(d["rel_err"]), "relative error")
    if name == "train" and _num(d.get("loss_last")):
        first = f"{d['loss_first']:.3f}" if _num(d.get("loss_first")) else None
        steps = len(d.get("losses") or []) or None
        text = say("smoke.fig.loss", lang, first=first, last=f"{d['loss_last']:.3f}", steps=steps)
        return Figure(text, float(d["loss_last"]), "loss")
    if name == "memory":
        return _memory(d, lang)
    if name.startswith("matmul_tflops") and _num(d.get("tflops")):
        nominal = _peak(peak, "fp16_tflops" if d.get("dtype") == "float16" else "fp32_tflops")
        text = say("smoke.fig.tflops", lang, value=_rate(d["tflops"]), size=d.get("size"))
        return _with_peak(text, float(d["tflops"]), "TFLOP/s", nominal, lang)
    if name == "copy_bandwidth" and _num(d.get("gbps")):
        text = say("smoke.fig.gbps", lang, value=_rate(d["gbps"]))
        return _with_peak(text, float(d["gbps"]), "GB/s", _peak(peak, "memory_bandwidth_gbs"), lang)
    if name.startswith("p2p ") and _num(d.get("gbps")):
        access = t("smoke.yes" if d.get("peer_access") else "smoke.no", lang)
        return Figure(
            say("smoke.fig.p2p", lang, value=_rate(d["gbps"]), access=access), float(d["gbps"]), "GB/s"
        )
    if name == "allreduce" and _num(d.get("bus_gbps")):
        text = say(
            "smoke.fig.allreduce",
            lang,
            backend=d.get("backend"),
            world=d.get("world_size"),
            value=_rate(d["bus_gbps"]),
        )
        return Figure(text, float(d["bus_gbps"]), "GB/s")
    return Figure("")


def cause_text(cause: Cause, lang: str) -> str:
    """A cause in words; a test's internal name becomes its title, and the step that crashed is named."""
    params = dict(cause.params)
    if "test" in params:
        params["test"] = test_name(params["test"], lang)
        if "device" in params:
            params.setdefault(
                "step", say("smoke.failure", lang, test=params["test"], device=params["device"])
            )
    return say(f"smoke.cause.{cause.kind}", lang, **params)


def skip_reason(data: dict[str, Any], lang: str) -> str:
    code = str(data.get("reason", ""))
    key = f"smoke.skip.{code}"
    if not has(key):
        return code
    facts = {k: v for k, v in data.items() if k != "reason"}
    return say(key, lang, **facts)


def seconds_text(seconds: Optional[float], lang: str) -> str:
    if seconds is None:
        return "-"
    return t("smoke.seconds", lang, s=f"{seconds:.2f}" if seconds < 10 else f"{seconds:.1f}")


def _memory(d: dict[str, Any], lang: str) -> Figure:
    total, free, asked = d.get("total_bytes"), d.get("free_bytes"), d.get("asked_bytes")
    if not isinstance(asked, int):
        return Figure("")
    if isinstance(total, int) and isinstance(free, int):
        text = say("smoke.fig.memory", lang, free=gib(free), total=gib(total), asked=gib(asked))
        return Figure(text, float(free), "bytes free")
    if isinstance(total, int):
        return Figure(
            say("smoke.fig.memory_total", lang, total=gib(total), asked=gib(asked)), float(total), "bytes"
        )
    return Figure("")


def _with_peak(text: str, value: float, unit: str, nominal: Optional[float], lang: str) -> Figure:
    if not nominal:
        return Figure(text, value, unit)
    fraction = value / nominal
    shown = say("smoke.fig.peak", lang, figure=text, pct=f"{fraction:.0%}", peak=f"{_rate(nominal)} {unit}")
    return Figure(shown, value, unit, nominal, fraction)


def _peak(peak: Optional[GpuPeak], attr: str) -> Optional[float]:
    value = getattr(peak, attr, None) if peak is not None else None
    return float(value) if isinstance(value, (int, float)) and value > 0 else None


def _rate(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _num(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
