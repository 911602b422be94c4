"""The whole suite for real on the CPU, in a venv with torch 2.13.0 (CPU build); the all-reduce with gloo in
two processes; and `--device all` on a machine where torch sees no GPU."""

from __future__ import annotations

import pytest

from tests.smoke.support import Run, device_tests, smoke
from tests.support.venvs import Venv

pytestmark = pytest.mark.venv

DEVICE_TESTS = {
    "ones_add",
    "matmul_fp32",
    "autocast_fp16",
    "autocast_bf16",
    "conv",
    "train",
    "memory",
    "matmul_tflops_fp32",
    "copy_bandwidth",
}


@pytest.fixture(scope="module")
def cpu_run(torch_venv: Venv) -> Run:
    return smoke("--python", str(torch_venv.python), "--device", "cpu", "--world-size", "2", "--json")


def test_every_test_passes_on_the_cpu(cpu_run: Run) -> None:
    assert cpu_run.returncode == 0, cpu_run.stdout + cpu_run.stderr
    doc = cpu_run.doc
    assert (doc["ok"], doc["exit_code"], doc["findings"]) == (True, 0, [])
    tests = device_tests(cpu_run, "cpu")
    assert set(tests) == DEVICE_TESTS
    assert all(t["ok"] and t["status"] in ("passed", "info") for t in tests.values())
    assert tests["ones_add"]["detail"] == "tensor([[2.],[2.],[2.]])"
    for name in ("matmul_fp32", "autocast_fp16", "autocast_bf16", "conv"):
        assert 0 <= tests[name]["value"] <= tests[name]["data"]["tolerance"]
    assert tests["train"]["data"]["loss_last"] < tests["train"]["data"]["loss_first"]
    assert tests["memory"]["data"]["asked_bytes"] > 0 and tests["memory"]["data"]["total_bytes"] > 0


def test_the_json_document_has_the_promised_shape(cpu_run: Run) -> None:
    doc = cpu_run.doc
    assert {"schema_version", "ok", "devices", "findings", "exit_code"} <= set(doc)
    for device in doc["devices"]:
        assert {"device", "name", "tests"} <= set(device)
        for test in device["tests"]:
            assert {"name", "ok", "seconds", "detail"} <= set(test)
            assert isinstance(test["ok"], bool) and test["seconds"] >= 0 and test["detail"]
    figures = device_tests(cpu_run, "cpu")
    assert figures["matmul_tflops_fp32"]["unit"] == "TFLOP/s" and figures["matmul_tflops_fp32"]["value"] > 0
    assert figures["copy_bandwidth"]["unit"] == "GB/s" and figures["copy_bandwidth"]["value"] > 0


def test_the_gloo_all_reduce_runs_in_two_processes(cpu_run: Run) -> None:
    allreduce = device_tests(cpu_run, "multi")["allreduce"]
    assert allreduce["ok"] and allreduce["status"] == "passed"
    data = allreduce["data"]
    assert (data["world_size"], data["backend"]) == (2, "gloo")
    assert [(r["rank"], r["got"], r["expected"]) for r in data["ranks"]] == [(0, 3.0, 3.0), (1, 3.0, 3.0)]


def test_the_console_shows_a_table_and_passes(torch_venv: Venv) -> None:
    run = smoke("--python", str(torch_venv.python), "--device", "cpu", "--size", "64")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ones + ones (the notes' check)" in run.stdout and "tensor([[2.],[2.],[2.]])" in run.stdout
    assert "Every test passed." in run.stdout and "Traceback" not in run.stdout + run.stderr


def test_no_usable_gpu_says_why_and_exits_1(torch_venv: Venv) -> None:
    run = smoke("--python", str(torch_venv.python), "--json")
    assert run.returncode == 1, run.stdout + run.stderr
    doc = run.doc
    assert (doc["ok"], doc["exit_code"], doc["devices"]) == (False, 1, [])
    # A CPU-only torch on a machine without an NVIDIA GPU: either is the reason, `check` decides which first.
    assert doc["no_device"]["kind"] in ("torch-cpu-only", "no-nvidia-gpu")
    assert doc["no_device"]["finding"] == doc["no_device"]["kind"] and doc["no_device"]["message"]
    console = smoke("--python", str(torch_venv.python))
    assert console.returncode == 1
    assert "No device could be tested (all)." in console.stdout
    assert "d2l-doctor smoke-gpu --device cpu" in console.stdout
    assert "Traceback" not in console.stdout + console.stderr
