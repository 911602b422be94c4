"""Judging a run: what counts as a failure, and which findings of `check` explain a machine with no device."""

from __future__ import annotations

import json

from d2l_doctor.models import Area, Finding, PythonInfo, Severity, Snapshot
from d2l_doctor.smoke.outcome import parse
from d2l_doctor.smoke.report import SmokeReport, judge, with_findings
from tests.smoke.support import cmd_result, payload_report, record_of

SNAPSHOT = Snapshot(python=PythonInfo("/usr/bin/python3", "3.11.7", 64, "x86_64"))


def judged(**fields: object) -> SmokeReport:
    run = parse(cmd_result(json.dumps(payload_report(**fields)) + "\n"), "python")
    return judge(run, "python", "path", "all")


def cpu(*tests: dict[str, object]) -> list[dict[str, object]]:
    return [{"device": "cpu", "kind": "cpu", "name": "CPU", "tests": list(tests)}]


def test_skipped_tests_and_figures_do_not_fail_the_run() -> None:
    report = judged(
        devices=cpu(
            record_of("ones_add"),
            record_of("autocast_bf16", "skipped", data={"reason": "no-autocast"}),
            record_of("copy_bandwidth", "info", data={"gbps": 5.0}),
        )
    )
    assert (report.ok, report.exit_code, report.failures) == (True, 0, ())


def test_a_failed_all_reduce_fails_the_run() -> None:
    broken = record_of(
        "allreduce", "failed", error={"kind": "mismatch", "type": "Failed", "message": "rank 1 got 2"}
    )
    report = judged(devices=cpu(record_of("ones_add")), multi=[broken])
    assert report.exit_code == 1
    assert [(f.device, f.test, f.cause.kind) for f in report.failures] == [
        ("multi", "allreduce", "wrong-result")
    ]


def test_tf32_forced_by_the_environment_is_named_instead_of_the_hardware() -> None:
    bad = record_of(
        "matmul_fp32",
        "failed",
        data={"rel_err": 4e-4, "tolerance": 1e-4},
        error={"kind": "mismatch", "type": "Failed", "message": "rel_err: relative error 0.0004"},
    )
    report = judged(devices=cpu(record_of("ones_add"), bad), env={"NVIDIA_TF32_OVERRIDE": "1"})
    (failure,) = report.failures
    assert (failure.cause.kind, failure.cause.params["value"]) == ("tf32-override", "1")


def no_cuda_report() -> SmokeReport:
    state = {"available": False, "warnings": [], "error": {"message": "Torch not compiled with CUDA enabled"}}
    return judged(
        torch={"version": "2.13.0+cpu", "cuda": None, "hip": None},
        unavailable={"device": "all", "reason": "no-cuda"},
        cuda_state=state,
    )


def test_a_machine_without_a_gpu_is_explained_by_the_machine_first() -> None:
    report = no_cuda_report()
    assert report.no_device is not None and report.no_device.kind == "torch-cpu-only"
    findings = (
        Finding("no-nvidia-gpu", Severity.INFO, Area.GPU),
        Finding("torchvision-missing", Severity.ERROR, Area.TORCH),  # true, but not why no GPU can be used
        Finding("cuda-toolkit-newer-than-driver", Severity.WARNING, Area.CUDA),
    )
    explained = with_findings(report, findings, SNAPSHOT)
    assert explained.no_device is not None and explained.no_device.kind == "no-nvidia-gpu"
    assert [f.id for f in explained.findings] == ["no-nvidia-gpu", "cuda-toolkit-newer-than-driver"]
    assert explained.exit_code == 1


def test_the_payload_reason_stands_when_check_finds_nothing_more_basic() -> None:
    explained = with_findings(
        no_cuda_report(), (Finding("torch-cpu-only", Severity.WARNING, Area.TORCH),), SNAPSHOT
    )
    assert explained.no_device is not None and explained.no_device.kind == "torch-cpu-only"
    assert [f.id for f in explained.findings] == ["torch-cpu-only"]
