"""The pieces: heading recognition, value readers and torch's warnings."""

from __future__ import annotations

from typing import Optional

import pytest

from d2l_doctor.driver_api import cuda_from_driver_api
from d2l_doctor.ingest import collect_env, torch_warnings
from d2l_doctor.ingest import values as V
from d2l_doctor.ingest.headings import HEADINGS


@pytest.mark.parametrize("variant", sorted({(n, v) for n, vs in HEADINGS.items() for v in vs}), ids=str)
def test_every_heading_spelling_is_recognised_in_every_layout(variant: tuple[str, str]) -> None:
    name, text = variant
    for line in (
        f"{text}: 1.2.3",
        f"{text.upper()}: 1.2.3",
        f"{text}          : 1.2.3",
        f"{text}\uff1a 1.2.3",
    ):
        assert collect_env.match_heading(collect_env.clean_line(line.replace("\uff1a", ":"))) == (
            name,
            "1.2.3",
        )


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("PyTorch version 1.5.0", ("torch_version", "1.5.0")),  # hand-copied, no colon
        ("> > Python version: 3.7", ("python_version", "3.7")),  # quoted twice in a forum reply
        ("`Nvidia driver version: 440.64`", ("driver", "440.64")),
        ("CPU Info", ("cpu", "")),  # vLLM's banner title
        ("Python platform: Linux-5.4", ("python_platform", "Linux-5.4")),  # not "Python version"
        ("OS is Windows 10", None),  # chatter: one-word heading without a colon
        ("PyTorch version is broken", None),  # no digit after a colon-less heading
        ("CPU(s):                  8", None),  # lscpu, not the CPU heading
        ("CPU op-mode(s): 32-bit, 64-bit", None),
        ("- PyTorch Version (e.g., 1.0): 1.3", None),  # the old issue template, typed by hand
        ("GPU 0: NVIDIA GeForce RTX 3090", None),
    ],
)
def test_heading_recognition(line: str, expected: object) -> None:
    assert collect_env.match_heading(collect_env.clean_line(line)) == expected


def test_a_gpu_list_a_cudnn_list_and_package_lines_are_kept_apart() -> None:
    raw = collect_env.segment(
        "GPU models and configuration:\nGPU 0: A\nGPU 1: B\n\nNvidia driver version: 1.2\n"
        "cuDNN version: Probably one of the following:\n"
        "/x/libcudnn.so.8.9.2\n/x/libcudnn_ops_infer.so.8.9.2\n"
        "Versions of relevant libraries:\n[pip3] torch==2.0\n"
        "    [conda] pytorch 2.0 py3.9_cuda11.7_cudnn8_0 pytorch\n"
    )
    assert raw.block("gpu_models") == ("GPU 0: A", "GPU 1: B")
    assert raw.block("cudnn") == ("/x/libcudnn.so.8.9.2", "/x/libcudnn_ops_infer.so.8.9.2")
    assert [(p.tool, p.text) for p in raw.packages] == [
        ("pip", "torch==2.0"),
        ("conda", "pytorch 2.0 py3.9_cuda11.7_cudnn8_0 pytorch"),
    ]
    assert raw.cut_field is None


def test_a_report_cut_on_a_heading_or_inside_a_block_drops_the_half_line() -> None:
    raw = collect_env.segment("PyTorch version: 2.1.0\nOS: Ubuntu\nNvidia driver version: 53")
    assert raw.cut_field == "driver" and raw.value("driver") is None and raw.value("os") == "Ubuntu"
    raw = collect_env.segment("PyTorch version: 2.1.0\nGPU models and configuration:\nGPU 0: A100\nGPU 1: A1")
    assert raw.block("gpu_models") == ("GPU 0: A100",)


def test_a_repeated_heading_keeps_the_first() -> None:
    raw = collect_env.segment("PyTorch version: 2.1.0\nPython version: 3.10\nPyTorch version: 9.9\n")
    assert raw.value("torch_version") == "2.1.0"


@pytest.mark.parametrize(
    ("number", "cuda"), [(11040, "11.4"), (9010, "9.1"), (10020, "10.2"), (12080, "12.8"), (13000, "13.0")]
)
def test_driver_version_numbers_become_cuda_versions(number: int, cuda: str) -> None:
    assert cuda_from_driver_api(number) == cuda
    found = torch_warnings.find(
        f"UserWarning: CUDA initialization: The NVIDIA driver on your system is too old "
        f"(found version {number}). Please update (Triggered internally at x.cpp:1.)"
    )
    assert found.driver_cuda == cuda
    assert found.init_warning is not None and "Triggered" not in found.init_warning


def test_the_old_assertion_form_of_the_driver_warning_spans_lines() -> None:
    found = torch_warnings.find(
        "AssertionError: \nThe NVIDIA driver on your system is too old (found version 9000).\n"
        "Please update your GPU driver"
    )
    assert found.driver_cuda == "9.0"
    assert found.init_warning == "The NVIDIA driver on your system is too old (found version 9000)."


def test_the_capability_warning_gives_the_arch_list_and_the_gpu_capability() -> None:
    found = torch_warnings.find(
        "/x/torch/cuda/__init__.py:209: UserWarning: NVIDIA GeForce RTX 5090 with CUDA capability sm_120 "
        "is not compatible with the current PyTorch installation.\n"
        "The current PyTorch install supports CUDA capabilities "
        "sm_50 sm_60 sm_61 sm_70 sm_75 sm_80 sm_86 sm_90.\nIf you want to use ..."
    )
    assert found.arch_list == ("sm_50", "sm_60", "sm_61", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90")
    assert found.device_capabilities == ("12.0",)
    assert found.init_warning is not None and found.init_warning.startswith("NVIDIA GeForce RTX 5090 with")


def test_older_torch_names_a_gpu_that_is_too_old() -> None:
    found = torch_warnings.find(
        "Found GPU0 GeForce GT 750M which is of cuda capability 3.0.\n    PyTorch no longer "
        "supports this GPU because it is too old."
    )
    assert found.device_capabilities == ("3.0",)


def test_no_warning_gives_nothing() -> None:
    assert torch_warnings.find("PyTorch version: 2.0.1\n") == torch_warnings.TorchWarnings()


@pytest.mark.parametrize(
    ("value", "version", "bits", "machine", "conda"),
    [
        ("3.7", "3.7", None, None, False),
        ("3.8 (64-bit runtime)", "3.8", 64, None, False),
        (
            "3.12.3 | packaged by Anaconda, Inc. | (main, May  6 2024) [GCC 11.2.0] (64-bit runtime)",
            "3.12.3",
            64,
            None,
            True,
        ),
        (
            "3.9.13 (tags/v3.9.13:6de2ca5, May 17 2022) [MSC v.1929 32 bit (Intel)] (32-bit runtime)",
            "3.9.13",
            32,
            None,
            False,
        ),
        ("3.9.16 (main, May 17 2023) [MSC v.1916 64 bit (AMD64)]", "3.9.16", 64, "AMD64", False),
        ("3.13.0rc1 (main) [GCC 13]", "3.13.0rc1", None, None, False),
        ("Could not collect", None, None, None, False),
    ],
)
def test_python_version_values(
    value: str, version: object, bits: object, machine: object, conda: bool
) -> None:
    facts = V.python_facts(value)
    assert (facts.version, facts.bits, facts.machine, facts.from_conda) == (version, bits, machine, conda)


@pytest.mark.parametrize(
    ("os_value", "platform", "expected"),
    [
        (
            "Ubuntu 22.04.4 LTS (x86_64)",
            "Linux-5.15.0-107-generic-x86_64-with-glibc2.35",
            ("linux", "Ubuntu 22.04.4 LTS", "x86_64", "5.15.0-107-generic", False),
        ),
        (
            "Debian GNU/Linux 12 (bookworm) (aarch64)",
            None,
            ("linux", "Debian GNU/Linux 12 (bookworm)", "aarch64", None, False),
        ),
        (
            "Ubuntu 22.04.2 LTS (x86_64)",
            "Linux-5.15.153.1-microsoft-standard-WSL2-x86_64-with-glibc2.35",
            ("linux", "Ubuntu 22.04.2 LTS", "x86_64", "5.15.153.1-microsoft-standard-WSL2", True),
        ),
        (
            "Microsoft Windows 10 Pro",
            "Windows-10-10.0.19045-SP0",
            ("windows", "Microsoft Windows 10 Pro (10.0.19045)", None, None, False),
        ),
        (
            "Microsoft Windows 7 Professional",
            None,
            ("windows", "Microsoft Windows 7 Professional", None, None, False),
        ),
        ("macOS 14.1 (arm64)", "macOS-14.1-arm64-arm-64bit", ("darwin", "macOS 14.1", "arm64", None, False)),
        ("Mac OSX 10.13.6", None, ("darwin", "Mac OSX 10.13.6", None, None, False)),
        (
            "Could not collect",
            "Linux-4.15.0-x86_64-with-Ubuntu-18.04-bionic",
            ("linux", None, "x86_64", "4.15.0", False),
        ),
        ("Could not collect", None, (None, None, None, None, False)),
    ],
)
def test_host_values(os_value: str, platform: Optional[str], expected: tuple[object, ...]) -> None:
    facts = V.host_facts(os_value, platform)
    assert (facts.os, facts.os_release, facts.machine, facts.kernel, facts.wsl) == expected


def test_gpu_names_lose_uuids_and_non_nvidia_devices() -> None:
    block = (
        "GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-1234abcd-0000)",
        "  MIG 3g.20gb Device 0: (UUID: MIG-x)",
        "GPU 1: NVIDIA A100-SXM4-40GB (UUID: GPU-5678)",
    )
    assert V.gpu_names("", block) == ["NVIDIA A100-SXM4-40GB", "NVIDIA A100-SXM4-40GB"]
    assert V.gpu_names("GeForce GTX 1080 Ti", ()) == ["GeForce GTX 1080 Ti"]
    assert V.gpu_names("AMD Radeon Graphics (gfx906:sramecc+:xnack-)", ()) == []
    assert V.gpu_names("Device 66a1", ()) == []


def test_cudnn_files_per_folder_and_wrapped_windows_paths() -> None:
    files = V.cudnn_files(
        "Probably one of the following:",
        (
            "/usr/lib/x86_64-linux-gnu/libcudnn.so.8.0.5",
            "/usr/lib/x86_64-linux-gnu/libcudnn_adv_infer.so.8.0.5",
            "/usr/local/cuda-11.0/targets/x86_64-linux/lib/libcudnn.so.8",
            "/usr/local/cuda-11.0/targets/x86_64-linux/lib/libcudnn_ops_train.so.8",
        ),
    )
    assert V.system_cudnn(files) == [
        ("8.0.5", "/usr/lib/x86_64-linux-gnu/libcudnn.so.8.0.5"),
        ("8", "/usr/local/cuda-11.0/targets/x86_64-linux/lib/libcudnn.so.8"),
    ]
    wrapped = V.cudnn_files(
        "C:\\Program Files\\NVIDIA GPU Computing Toolkit\\CUDA\\v10.0\\bin\\cudn", ("n64_7.dll",)
    )
    assert [(f.version, f.main) for f in wrapped] == [("7", True)]
    split = V.cudnn_files("C:\\CUDA\\v11.7\\bin\\cudnn_ops_train64_8.dll", ())
    assert [(f.version, f.main) for f in split] == [("8", False)]
    assert V.cudnn_files("/usr/local/cuda/lib/libcudnn.7.dylib", ())[0].version == "7"


@pytest.mark.parametrize(
    ("release", "number"),
    [("8.9.2.26", 8902), ("9.1.0.70", 90100), ("7.6.5", 7605), ("9.10.2.21", 91002), ("8.5.0.96", 8500)],
)
def test_cudnn_releases_as_torch_reports_them(release: str, number: int) -> None:
    assert V.cudnn_int(release) == number


def test_package_lines() -> None:
    assert V.pip_package("torch==2.0.1+cu117") == ("torch", "2.0.1+cu117")
    assert V.pip_package("nb_conda_kernels==2.5.1") == ("nb-conda-kernels", "2.5.1")
    assert V.pip_package("torch @ file:///home/x/torch.whl") is None
    assert V.pip_package("No relevant packages") is None
    row = V.conda_package("pytorch                   1.13.1          py3.9_cuda11.7_cudnn8_0    pytorch")
    assert row is not None and (row.name, row.conda_name, row.version, row.channel, row.by_pip) == (
        "torch",
        "pytorch",
        "1.13.1",
        "pytorch",
        False,
    )
    row = V.conda_package("torch 2.7.0 pypi_0 pypi")
    assert row is not None and row.by_pip
    assert V.conda_package("mkl_fft 1.0.14 py37h14836fe_0") is not None
    assert V.conda_package("Could not collect") is None


@pytest.mark.parametrize(
    ("value", "state"),
    [
        (None, "missing"),
        ("", "empty"),
        ("Could not collect", "not_collected"),
        ("N/A", "na"),
        ("No CUDA", "no_cuda"),
        ("None", "none"),
        ("12.1", "value"),
    ],
)
def test_status_words(value: Optional[str], state: str) -> None:
    assert V.status(value) == state


def test_cpu_sections() -> None:
    assert V.cpu_facts(("Architecture: x86_64", "CPU(s): 8", "Model name: Intel(R) Xeon(R)")) == (
        "Intel(R) Xeon(R)",
        8,
    )
    assert V.cpu_facts(("Architecture=9", "Name=Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz")) == (
        "Intel(R) Core(TM) i7-10700 CPU @ 2.90GHz",
        None,
    )
    assert V.cpu_facts(("Apple M1",)) == ("Apple M1", None)
