"""No holes in what smoke-gpu says where the payload left a fact out: a device without its compute capability,
a torch that did not say its version or CUDA, a crash without a signal, a timeout without seconds, an
out-of-memory without sizes, a figure without its tolerance or backend, a run that ended without a word.

Each case goes through the real judge and both renderers (console short and -v; every detail text of --json),
in English and in Chinese, and is read by the checker of `check`'s no-holes test (tests/support/holes.py).
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from d2l_doctor import i18n
from d2l_doctor.options import CommonOptions
from d2l_doctor.smoke import render_console, render_json
from d2l_doctor.smoke.outcome import Aborted, RunError, SmokeRun, parse
from d2l_doctor.smoke.report import SmokeReport, judge
from tests.smoke.support import cmd_result, payload_report, record_of
from tests.support.holes import holes

PYTHON = "/envs/d2l/bin/python"
LANGS = ("en", "zh")


def failed(name: str, message: str, kind: str = "exception", **fields: Any) -> dict[str, Any]:
    error = {"kind": kind, "type": "RuntimeError" if kind == "exception" else "", "message": message}
    return record_of(name, "failed", error=error, **fields)


def sparse_tests() -> SmokeReport:
    """Every kind of failed test, and figures, with the facts a payload may leave out left out; a torch that
    named nothing about itself; an error between the tests."""
    first = [
        failed("ones_add", "CUDA error: no kernel image is available for execution on the device"),
        failed("matmul_fp32", "", kind="mismatch"),
        record_of("conv", data={"rel_err": 1e-6}),
        failed("train", "", kind="no-learning"),
        failed("memory", "CUDA out of memory."),
        failed("autocast_fp16", "", kind="crash", seconds=None),
        failed("autocast_bf16", "", kind="timeout", seconds=None),
        record_of("matmul_tflops_fp32", "info", data={"tflops": 5.0}),
        record_of("matmul_tflops_fp16", "skipped", data={"reason": "fp16-unsupported"}),
        record_of("copy_bandwidth", "skipped", data={"reason": "autocast-unsupported"}),
    ]
    second = [
        failed("ones_add", "CUDA error: an illegal memory access was encountered"),
        failed("matmul_fp32", "cuDNN error"),
        failed("conv", "", kind="leak"),
        record_of("train", data={"loss_last": 0.5}),
        failed("memory", "CUDA driver version is insufficient for CUDA runtime version"),
        failed("autocast_fp16", "Torch not compiled with CUDA enabled"),
        failed("autocast_bf16", ""),
        record_of("matmul_tflops_fp16", "skipped", data={"reason": "bf16-unsupported"}),
    ]
    third = [
        failed("ones_add", "no CUDA-capable device is detected"),
        failed("matmul_fp32", "mismatch", kind="mismatch", data={"rel_err": 0.03, "tolerance": 1e-4}),
        failed("conv", "", kind="cudnn-unavailable"),
        failed("train", "Found no NVIDIA driver on your system"),
        failed("memory", "No module named 'torch'"),
        failed("copy_bandwidth", "No module named 'sympy'"),
        failed("autocast_fp16", "The operator 'aten::x' is not currently implemented for the MPS device."),
    ]
    multi = [failed("allreduce", "", kind="world-size"), failed("p2p cuda:0->cuda:1", "NCCL error")]
    payload = payload_report(
        torch={},
        devices=[
            {"device": "cuda:0", "kind": "cuda", "name": "NVIDIA GeForce GTX 1080", "tests": first},
            {"device": "cuda:1", "kind": "cuda", "name": "NVIDIA GeForce GTX 1080", "tests": second},
            {"device": "cuda:2", "kind": "cuda", "name": "NVIDIA GeForce GTX 1080", "tests": third},
        ],
        multi=multi,
        error={
            "kind": "exception",
            "type": "OutOfMemoryError",
            "message": "CUDA out of memory.",
            "stage": "tests",
        },
    )
    return judge(parse(cmd_result(json.dumps(payload) + "\n"), PYTHON), PYTHON, "path", "all")


def tf32_override() -> SmokeReport:
    """NVIDIA_TF32_OVERRIDE set: the float32 matmul misses its tolerance for that reason."""
    tests = [failed("matmul_fp32", "mismatch", kind="mismatch", data={"rel_err": 2e-3, "tolerance": 1e-4})]
    payload = payload_report(
        torch={},
        devices=[{"device": "cuda:0", "kind": "cuda", "name": "NVIDIA GeForce GTX 1080", "tests": tests}],
        env={"NVIDIA_TF32_OVERRIDE": "1"},
    )
    return judge(parse(cmd_result(json.dumps(payload) + "\n"), PYTHON), PYTHON, "path", "all")


def sparse_figures() -> SmokeReport:
    tests = [
        record_of("train", data={"loss_first": 2.3, "loss_last": 0.5}),
        record_of("matmul_fp32", data={"rel_err": 1e-7, "tolerance": 1e-4}),
        record_of("conv", data={"rel_err": 1e-6, "tolerance": 1e-3}),
    ]
    payload = payload_report(
        devices=[{"device": "cpu", "kind": "cpu", "name": "CPU", "tests": tests}],
        multi=[record_of("allreduce", "info", data={"bus_gbps": 3.0})],
    )
    return judge(parse(cmd_result(json.dumps(payload) + "\n"), PYTHON), PYTHON, "path", "cpu")


def nothing_tested(**fields: Any) -> Callable[[], SmokeReport]:
    """A run in which no device could be tested, for the reason fields give."""

    def build() -> SmokeReport:
        run: dict[str, Any] = dict(
            python=PYTHON,
            torch={},
            devices=(),
            unavailable=None,
            cuda_state=None,
            error=None,
            aborted=None,
            stderr="",
        )
        run.update(fields)
        return judge(SmokeRun(**run), PYTHON, "path", "all")

    return build


CASES: dict[str, Callable[[], SmokeReport]] = {
    "sparse-tests": sparse_tests,
    "sparse-figures": sparse_figures,
    "tf32-override": tf32_override,
    "no-such-device": nothing_tested(unavailable={"reason": "no-such-device"}),
    "crash-without-signal": nothing_tested(aborted=Aborted("crash", None)),
    "not-started": nothing_tested(aborted=Aborted("not-started", None)),
    "no-output": nothing_tested(aborted=Aborted("no-output", "cuda init")),
    "payload-error": nothing_tested(error=RunError("exception", "", "", stage="cuda init")),
    "import-error": nothing_tested(error=RunError("exception", "", "")),
    "mps-not-built": nothing_tested(unavailable={"device": "mps", "reason": "not-built"}),
    "mps-not-available": nothing_tested(unavailable={"device": "mps", "reason": "not-available"}),
    "no-cuda-device": nothing_tested(unavailable={"reason": "no-cuda"}, torch={"cuda": "12.6"}),
    "cuda-hidden": nothing_tested(unavailable={"reason": "no-cuda"}, env={"CUDA_VISIBLE_DEVICES": ""}),
    "cpu-only-unnamed": nothing_tested(
        unavailable={"reason": "no-cuda"},
        cuda_state={"error": {"message": "Torch not compiled with CUDA enabled"}},
    ),
    "arch-unnamed": nothing_tested(
        unavailable={"reason": "no-cuda"},
        cuda_state={"warnings": ["PyTorch no longer supports this GPU because it is too old."]},
    ),
    "driver-unnamed": nothing_tested(
        unavailable={"reason": "no-cuda"},
        cuda_state={"warnings": ["The NVIDIA driver on your system is too old"]},
    ),
}


def options(lang: str, verbose: bool) -> CommonOptions:
    return CommonOptions(None, 60.0, None, lang, verbose, False, None, None)


def renders(report: SmokeReport, lang: str) -> dict[str, str]:
    """What a user reads of the report, by renderer: the console, and the words of the JSON document."""
    out = {}
    for verbose in (False, True):
        stream = io.StringIO()
        render_console.write(report, options(lang, verbose), stream)
        out["console -v" if verbose else "console"] = cells(stream.getvalue())
    doc = render_json.document(report, options(lang, False))
    texts = [t["detail"] for d in doc["devices"] for t in d["tests"]]
    texts += [f["cause"]["message"] for f in doc["failures"]]
    if doc["no_device"] is not None:
        texts.append(doc["no_device"]["message"])
    out["json"] = "\n".join(texts)
    return out


_RULE = re.compile(r"^[─-]+$")


def cells(console: str) -> str:
    """The console's text with each table row cut into its cells, one a line: the tables pad their columns
    with spaces, which are no doubled spaces in the words."""
    lines = console.splitlines()
    out: list[str] = []
    in_table = False
    for i, line in enumerate(lines):
        if _RULE.match(line.strip()):
            in_table = True
            continue
        if not line.strip():
            in_table = False
        heading = i + 1 < len(lines) and bool(_RULE.match(lines[i + 1].strip()))
        out += re.split(r" {2,}", line.strip()) if in_table or heading else [line]
    return "\n".join(out)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CASES)
def test_no_holes_in_any_renderer(name: str, lang: str) -> None:
    found = {kind: holes(text) for kind, text in renders(CASES[name](), lang).items()}
    assert {kind: h for kind, h in found.items() if h} == {}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CASES)
def test_no_sentence_says_not_known(name: str, lang: str) -> None:
    """A fact outside every [[clause]] with no value would read as "not known" mid-sentence."""
    unknown = i18n.t("ui.val.unknown", lang)
    said = {kind: text for kind, text in renders(CASES[name](), lang).items() if unknown in text}
    assert said == {}


def test_the_sparse_cases_cover_every_cause() -> None:
    """Each cause a failure or an empty run can have is among the cases: a new cause brings its sparse case."""
    kinds = set()
    for build in CASES.values():
        report = build()
        kinds |= {f.cause.kind for f in report.failures}
        if report.no_device is not None:
            kinds.add(report.no_device.kind)
    causes = {k.removeprefix("smoke.cause.") for k in i18n.catalogue() if k.startswith("smoke.cause.")}
    assert causes - kinds == set()


def test_what_is_known_is_still_said() -> None:
    """The clauses leave out only what is missing."""
    text = renders(sparse_figures(), "en")["console"]
    assert "loss 2.300 -> 0.500" in text and "rel. error 1e-07 (tolerance 1e-04)" in text
    assert "bus 3.00 GB/s" in text and "processes," not in text
    sparse = renders(sparse_tests(), "en")
    assert "out of memory on cuda:0; close other programs" in sparse["console"]
    assert "this torch build has no GPU code for this card's compute capability; install" in sparse["console"]
    assert "the NVIDIA driver is too old for this torch build; update the driver" in sparse["json"]
