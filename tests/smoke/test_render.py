"""A two-GPU machine on paper: one card works, one has no kernels in this torch build. The console table and
the JSON document say which, why, and what fixes it; throughput sits beside the card's nominal peak."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

import pytest

from d2l_doctor.matrix import GpuPeak
from d2l_doctor.models import Area, Finding, FixAction, FixKind, PythonInfo, Severity, Snapshot
from d2l_doctor.options import CommonOptions
from d2l_doctor.smoke import render_console, render_json
from d2l_doctor.smoke.outcome import parse
from d2l_doctor.smoke.report import SmokeReport, judge, with_findings
from tests.smoke.support import cmd_result, payload_report, record_of

NO_KERNEL = "CUDA error: no kernel image is available for execution on the device"
PEAK = GpuPeak(
    fp32_tflops=12.7, fp16_tflops=101.6, bf16_tflops=101.6, memory_bandwidth_gbs=360.0, source="test"
)
FIX = FixAction(
    FixKind.PIP_INSTALL, packages=("torch==2.13.0",), index_url="https://download.pytorch.org/whl/cu128"
)


def two_gpus() -> dict[str, Any]:
    good = [
        record_of("ones_add", data={"repr": "tensor([[2.],[2.],[2.]], device='cuda:0')"}),
        record_of("matmul_fp32", data={"rel_err": 3.1e-7, "tolerance": 1e-4, "size": 2048}),
        record_of("autocast_bf16", "skipped", data={"reason": "bf16-unsupported", "capability": "7.5"}),
        record_of("matmul_tflops_fp32", "info", data={"tflops": 10.16, "size": 4096, "dtype": "float32"}),
        record_of("copy_bandwidth", "info", data={"gbps": 288.0, "bytes": 1 << 28}),
    ]
    bad = [
        record_of(
            "ones_add",
            "failed",
            error={
                "kind": "exception",
                "type": "AcceleratorError",
                "message": NO_KERNEL,
                "traceback": "Traceback (most recent call last): ...",
            },
        ),
        record_of("matmul_fp32", "skipped", data={"reason": "basic-check-failed"}),
    ]
    return payload_report(
        devices=[
            {
                "device": "cuda:0",
                "kind": "cuda",
                "name": "NVIDIA GeForce RTX 3060",
                "capability": "8.6",
                "tests": good,
            },
            {
                "device": "cuda:1",
                "kind": "cuda",
                "name": "NVIDIA GeForce RTX 5090",
                "capability": "12.0",
                "tests": bad,
            },
        ],
        multi=[record_of("p2p cuda:0->cuda:1", "info", data={"gbps": 11.5, "peer_access": False})],
    )


@pytest.fixture
def report() -> SmokeReport:
    run = parse(cmd_result(json.dumps(two_gpus()) + "\n"), "/envs/d2l/bin/python")
    judged = judge(run, "/envs/d2l/bin/python", "conda", "all")
    finding = Finding("gpu-arch-unsupported", Severity.ERROR, Area.GPU, fixes=(FIX,))
    unrelated = Finding("jupyter-kernel-missing", Severity.WARNING, Area.JUPYTER)
    snapshot = Snapshot(python=PythonInfo("/envs/d2l/bin/python", "3.11.7", 64, "x86_64"))
    return replace(with_findings(judged, (finding, unrelated), snapshot), peaks={"cuda:0": PEAK})


def options(**kw: Any) -> CommonOptions:
    base: dict[str, Any] = dict(
        python=None,
        timeout=60.0,
        matrix=None,
        lang="en",
        verbose=False,
        json=False,
        shell=None,
        from_report=None,
    )
    base.update(kw)
    return CommonOptions(**base)


def console_text(report: SmokeReport, encoding: str, **kw: Any) -> str:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="\n")
    render_console.write(report, options(**kw), stream)
    stream.flush()
    return raw.getvalue().decode(encoding)


def test_the_failure_names_its_cause_and_the_fix_of_check(report: SmokeReport) -> None:
    assert report.exit_code == 1 and not report.ok
    (failure,) = report.failures
    assert (failure.device, failure.test, failure.cause.kind) == (
        "cuda:1",
        "ones_add",
        "gpu-arch-unsupported",
    )
    assert [f.id for f in report.findings] == ["gpu-arch-unsupported"]  # not the unrelated Jupyter one
    text = console_text(report, "utf-8")
    assert "NVIDIA GeForce RTX 5090 (compute capability 12.0)" in text
    assert "✗ FAILED" in text and "✓ passed" in text
    assert "no GPU code for this card's compute capability (it was built for: sm_50 sm_90)" in text
    assert "-i https://download.pytorch.org/whl/cu128 torch==2.13.0" in text
    assert (
        "not run: the first check failed" in text and "no native bfloat16 on compute capability 7.5" in text
    )
    assert "Traceback" not in text  # traces only with -v
    assert "Traceback (most recent call last)" in console_text(report, "utf-8", verbose=True)


def test_throughput_sits_beside_the_nominal_peak(report: SmokeReport) -> None:
    text = console_text(report, "utf-8")
    assert "10.2 TFLOP/s (n=4096), 80% of the nominal 12.7 TFLOP/s" in text
    assert "288 GB/s, 80% of the nominal 360 GB/s" in text
    assert "11.5 GB/s, peer access: no (through the host)" in text


def test_an_ascii_console_gets_ascii_marks_and_no_colour(
    report: SmokeReport, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    text = console_text(report, "ascii")  # errors="strict": any character it cannot encode would raise
    assert "X FAILED" in text and "OK passed" in text and "\x1b[" not in text


def test_chinese_words_where_the_stream_can_show_them(report: SmokeReport) -> None:
    assert "失败项及原因" in console_text(report, "utf-8", lang="zh")
    assert "What failed, and why" in console_text(report, "ascii", lang="zh")


def test_the_json_document(report: SmokeReport) -> None:
    stream = io.StringIO()
    render_json.write(report, options(json=True), stream)
    doc = json.loads(stream.getvalue())
    assert {"schema_version", "ok", "devices", "findings", "exit_code"} <= set(doc)
    assert (doc["ok"], doc["exit_code"]) == (False, 1)
    assert [d["device"] for d in doc["devices"]] == ["cuda:0", "cuda:1", "multi"]
    tests = {t["name"]: t for t in doc["devices"][0]["tests"]}
    for test in tests.values():
        assert {"name", "ok", "seconds", "detail"} <= set(test)
    tflops = tests["matmul_tflops_fp32"]
    assert (tflops["value"], tflops["unit"], tflops["nominal"]) == (10.16, "TFLOP/s", 12.7)
    assert tflops["fraction"] == pytest.approx(0.8)
    assert doc["devices"][0]["nominal"]["memory_bandwidth_gbs"] == 360.0
    failed = doc["devices"][1]["tests"][0]
    assert (failed["ok"], failed["cause"]["finding"]) == (False, "gpu-arch-unsupported")
    assert "traceback" not in failed["error"]
    assert [f["id"] for f in doc["findings"]] == ["gpu-arch-unsupported"]
    assert doc["findings"][0]["fixes"][0]["argv"][-1] == "torch==2.13.0"
