"""Failures mapped to causes, on the exact words torch and CUDA print (compat-facts.md §7)."""

from __future__ import annotations

import pytest

from d2l_doctor.smoke.classify import classify_test, classify_text, classify_unavailable
from d2l_doctor.smoke.outcome import Outcome, RunError, SmokeRun

NO_KERNEL = (
    "CUDA error: no kernel image is available for execution on the device\n"
    "CUDA kernel errors might be asynchronously reported at some other API call, "
    "so the stacktrace below might be incorrect.\n"
    "For debugging consider passing CUDA_LAUNCH_BLOCKING=1"
)
ARCH_WARNING = (
    "NVIDIA GeForce RTX 3090 with CUDA capability sm_86 is not compatible with the current PyTorch "
    "installation.\nThe current PyTorch install supports CUDA capabilities sm_37 sm_50 sm_60 sm_70 sm_75."
)
DRIVER_WARNING = (
    "CUDA initialization: The NVIDIA driver on your system is too old (found version 12040). "
    "Please update your GPU driver by downloading and installing a new version from the URL: "
    "http://www.nvidia.com/Download/index.aspx Alternatively, go to: https://pytorch.org to install a "
    "PyTorch version that has been compiled with your version of the CUDA driver. "
    "(Triggered internally at /pytorch/c10/cuda/CUDAFunctions.cpp:119.)"
)
NO_DRIVER = (
    "Found no NVIDIA driver on your system. Please check that you have an NVIDIA GPU and installed a driver "
    "from http://www.nvidia.com/Download/index.aspx"
)
OOM_NEW = (
    "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 7.79 GiB of which "
    "1.20 GiB is free. Including non-PyTorch memory, this process has 6.55 GiB memory in use."
)
OOM_OLD = (
    "CUDA out of memory. Tried to allocate 20.00 MiB (GPU 0; 2.00 GiB total capacity; 1.65 GiB already "
    "allocated; 0 bytes free; 1.70 GiB reserved in total by PyTorch)"
)
OOM_CPU = (
    "[enforce fail at alloc_cpu.cpp:83] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to "
    "allocate 1099511627776 bytes. Error code 12 (Cannot allocate memory)"
)


@pytest.mark.parametrize(
    ("text", "kind", "finding"),
    [
        (NO_KERNEL, "gpu-arch-unsupported", "gpu-arch-unsupported"),
        ("torch.AcceleratorError: " + NO_KERNEL, "gpu-arch-unsupported", "gpu-arch-unsupported"),
        (ARCH_WARNING, "gpu-arch-unsupported", "gpu-arch-unsupported"),
        (DRIVER_WARNING, "driver-too-old", "driver-too-old"),
        ("CUDA driver version is insufficient for CUDA runtime version", "driver-too-old", "driver-too-old"),
        ("Torch not compiled with CUDA enabled", "torch-cpu-only", "torch-cpu-only"),
        (NO_DRIVER, "nvidia-driver-missing", "nvidia-driver-missing"),
        ("CUDA error: no CUDA-capable device is detected", "no-nvidia-gpu", "no-nvidia-gpu"),
        ("No module named 'torch'", "torch-missing", "torch-missing"),
        (OOM_NEW, "out-of-memory", None),
        (OOM_CPU, "out-of-memory", None),
        ("CUDA error: an illegal memory access was encountered", "device-fault", None),
        ("CUDA error: unspecified launch failure", "device-fault", None),
        ("cuDNN error: CUDNN_STATUS_NOT_INITIALIZED", "cudnn-error", None),
        (
            "NCCL error in: ../torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp:1275, unhandled system "
            "error, "
            "NCCL version 2.14.3",
            "collective-error",
            None,
        ),
        (
            "The operator 'aten::_linalg_solve_ex.result' is not currently implemented for the MPS device.",
            "mps-op-missing",
            None,
        ),
    ],
)
def test_recorded_errors_map_to_their_cause_and_finding(text: str, kind: str, finding: str | None) -> None:
    cause = classify_text(text)
    assert cause is not None
    assert (cause.kind, cause.finding) == (kind, finding)


@pytest.mark.parametrize("text", ["No module named 'torch._C'", "RuntimeError: shape mismatch", ""])
def test_words_we_do_not_know_name_no_cause(text: str) -> None:
    assert classify_text(text) is None


def test_driver_too_old_reads_the_cuda_version_the_driver_supports() -> None:
    cause = classify_text(DRIVER_WARNING)
    assert cause is not None and cause.params == {"driver_cuda": "12.4"}


@pytest.mark.parametrize(
    ("text", "asked", "free"),
    [(OOM_NEW, "2.00 GiB", "1.20 GiB"), (OOM_OLD, "20.00 MiB", "0 bytes"), (OOM_CPU, "1024.00 GiB", None)],
)
def test_out_of_memory_says_how_much_was_asked_and_free(text: str, asked: str, free: str | None) -> None:
    cause = classify_text(text)
    assert cause is not None
    assert cause.params.get("asked") == asked
    assert cause.params.get("free") == free


def failed(name: str, kind: str, message: str, **data: object) -> Outcome:
    return Outcome(name, "failed", 0.5, dict(data), RunError(kind, "RuntimeError", message))


def test_the_memory_test_reports_its_own_figures_when_out_of_memory() -> None:
    test = failed("memory", "exception", "CUDA out of memory.", asked_bytes=2 << 30, free_bytes=1 << 29)
    cause = classify_test(test, "cuda:0")
    assert cause is not None and cause.kind == "out-of-memory"
    assert (cause.params["asked"], cause.params["free"], cause.params["device"]) == (
        "2.00 GiB",
        "0.50 GiB",
        "cuda:0",
    )


def test_wrong_numbers_say_which_test_and_by_how_much() -> None:
    test = failed(
        "matmul_fp32", "mismatch", "rel_err: relative error 0.03 exceeds", rel_err=0.031, tolerance=1e-4
    )
    cause = classify_test(test, "cuda:1")
    assert cause is not None and cause.kind == "wrong-numbers" and cause.finding is None
    assert (cause.params["test"], cause.params["device"]) == ("matmul_fp32", "cuda:1")
    assert (cause.params["error"], cause.params["tolerance"]) == ("0.031", "1e-04")


def test_training_that_does_not_learn_gives_the_losses() -> None:
    test = failed("train", "no-learning", "the loss did not go down", loss_first=2.3, loss_last=2.31)
    cause = classify_test(test, "cuda:0")
    assert cause is not None and cause.kind == "no-learning"
    assert (cause.params["first"], cause.params["last"]) == ("2.3000", "2.3100")


def test_a_crash_names_the_signal_and_a_timeout_the_seconds() -> None:
    crash = Outcome("conv", "failed", 0.2, {}, RunError("crash", "SIGSEGV", ""))
    hang = Outcome("train", "failed", 30.0, {}, RunError("timeout", "timeout", ""))
    crash_cause, hang_cause = classify_test(crash, "cuda:0"), classify_test(hang, "cpu")
    assert crash_cause is not None and (crash_cause.kind, crash_cause.params["signal"]) == (
        "crash",
        "SIGSEGV",
    )
    assert hang_cause is not None and (hang_cause.kind, hang_cause.params["seconds"]) == ("timeout", "30")


def test_an_unknown_exception_keeps_its_words() -> None:
    cause = classify_test(failed("conv", "exception", "weird failure\nsecond line"), "cpu")
    assert (
        cause is not None
        and cause.kind == "unknown"
        and cause.params["error"] == "RuntimeError: weird failure"
    )


def test_passed_and_skipped_tests_have_no_cause() -> None:
    assert classify_test(Outcome("conv", "passed", 0.1), "cpu") is None
    assert (
        classify_test(Outcome("autocast_bf16", "skipped", 0.0, {"reason": "bf16-unsupported"}), "cpu") is None
    )


def run_with(**fields: object) -> SmokeRun:
    base: dict[str, object] = dict(
        python="python",
        torch={},
        devices=(),
        unavailable={"device": "all", "reason": "no-cuda"},
        cuda_state=None,
        error=None,
        aborted=None,
        stderr="",
    )
    base.update(fields)
    return SmokeRun(**base)  # type: ignore[arg-type]


def test_no_cuda_device_is_explained_by_torch_own_warning() -> None:
    state = {"available": False, "warnings": [DRIVER_WARNING], "error": None}
    cause = classify_unavailable(
        run_with(torch={"version": "2.13.0+cu130", "cuda": "13.0"}, cuda_state=state)
    )
    assert (cause.kind, cause.finding, cause.params["driver_cuda"]) == (
        "driver-too-old",
        "driver-too-old",
        "12.4",
    )


def test_no_cuda_device_with_a_cpu_only_build() -> None:
    state = {"available": False, "warnings": [], "error": {"message": "Torch not compiled with CUDA enabled"}}
    cause = classify_unavailable(run_with(torch={"version": "2.13.0+cpu", "cuda": None}, cuda_state=state))
    assert (cause.kind, cause.finding) == ("torch-cpu-only", "torch-cpu-only")


def test_an_empty_cuda_visible_devices_is_named() -> None:
    run = run_with(
        torch={"version": "2.13.0+cu126", "cuda": "12.6"},
        cuda_state={"warnings": []},
        env={"CUDA_VISIBLE_DEVICES": ""},
    )
    assert classify_unavailable(run).kind == "cuda-hidden"


def test_a_missing_torch_is_explained() -> None:
    run = run_with(
        unavailable=None, error=RunError("exception", "ModuleNotFoundError", "No module named 'torch'")
    )
    cause = classify_unavailable(run)
    assert (cause.kind, cause.finding) == ("torch-missing", "torch-missing")


def test_a_cuda_index_beyond_the_devices_is_explained() -> None:
    run = run_with(unavailable={"device": "cuda:3", "reason": "no-such-device", "count": 2})
    cause = classify_unavailable(run)
    assert (cause.kind, cause.params) == ("no-such-device", {"device": "cuda:3", "count": "2"})
