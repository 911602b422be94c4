"""Any paste is a report (issue 12): one test per class of evidence, through the real CLI, in English and
Chinese. The pastes are written here in the shapes people paste (none comes from the corpus's threads)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from d2l_doctor.cli import app
from d2l_doctor.ingest import read_report
from d2l_doctor.matrix import load_matrix
from d2l_doctor.models import Certainty, Severity, Source
from d2l_doctor.rules import evaluate

runner = CliRunner()

DRIVER_WARNING = (
    "/opt/venv/lib/python3.10/site-packages/torch/cuda/__init__.py:118: UserWarning: CUDA initialization: The\n"
    "NVIDIA driver on your system is too old (found version 11020). Please update your GPU driver by\n"
    "downloading and installing a new version from the URL: http://www.nvidia.com/Download/index.aspx\n"
)
COLLECT_ENV_HEAD = """Collecting environment information...
PyTorch version: {torch}
Is debug build: False
CUDA used to build PyTorch: {cuda}
ROCM used to build PyTorch: N/A

OS: Ubuntu 22.04.3 LTS (x86_64)
GCC version: (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0
Python version: 3.10.12 (main, Nov 20 2023, 15:14:05) [GCC 11.4.0] (64-bit runtime)
Python platform: Linux-6.5.0-14-generic-x86_64-with-glibc2.35
Is CUDA available: {available}
CUDA runtime version: {runtime}
GPU models and configuration: {gpus}
Nvidia driver version: {driver}
cuDNN version: Could not collect
"""


def check(tmp_path: Path, text: str, *args: str) -> Any:
    path = tmp_path / "paste.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", "--from-report", str(path), *args], env={"NO_COLOR": "1"})
    return result


def findings(tmp_path: Path, text: str) -> dict[str, Any]:
    result = check(tmp_path, text, "--json")
    assert result.exit_code in (0, 1), result.output
    return {f["id"]: f for f in json.loads(result.stdout)["findings"]}


# ---- class 1: torch's own words decide alone --------------------------------------------------------------


def test_one_warning_line_decides_and_is_quoted(tmp_path: Path) -> None:
    found = findings(tmp_path, "> " + DRIVER_WARNING.replace("\n", "\n> "))
    f = found["driver-too-old"]
    assert f["severity"] == "error" and f["certainty"] == "observed"
    # the line where torch's words start, with the lines they were wrapped over
    assert f["quotes"][0]["line"] == 2 and "found version 11020" in f["quotes"][0]["text"]
    assert f["params"]["driver_cuda"] == "11.2"


def test_a_report_cut_right_after_the_warning_keeps_the_finding(tmp_path: Path) -> None:
    text = "Collecting environment information...\n" + DRIVER_WARNING + "PyTorch version: 2.1.0+cu121\n"
    assert findings(tmp_path, text)["driver-too-old"]["severity"] == "error"


@pytest.mark.parametrize(
    ("words", "fid"),
    [
        (
            "RuntimeError: CUDA error: no kernel image is available for execution on the device",
            "gpu-arch-unsupported",
        ),
        (
            "NVIDIA GeForce RTX 4070 with CUDA capability sm_89 is not compatible with the current PyTorch "
            "installation.\nThe current PyTorch install supports CUDA capabilities sm_37 sm_50 sm_60 sm_70.",
            "gpu-arch-unsupported",
        ),
        ("RuntimeError: CUDA driver version is insufficient for CUDA runtime version", "driver-too-old"),
        ("AssertionError: Torch not compiled with CUDA enabled", "torch-cpu-only"),
        ("RuntimeError: operator torchvision::nms does not exist", "torchvision-mismatch"),
        ("ImportError: cannot import name 'contextfilter' from 'jinja2'", "nbconvert-jinja2-contextfilter"),
        ("UserWarning: Failed to initialize NumPy: _ARRAY_API not found", "numpy-abi-mismatch"),
        (
            "OSError: libcublas.so.11: cannot open shared object file: No such file or directory",
            "torch-import-failed",
        ),
        (
            "ImportError: DLL load failed while importing _C: The specified module could not be found.",
            "torch-import-failed",
        ),
    ],
)
def test_each_tool_message_gives_its_finding(tmp_path: Path, words: str, fid: str) -> None:
    f = findings(tmp_path, "I get this:\n```\n" + words + "\n```\nplease help\n")[fid]
    assert f["certainty"] == "observed" and f["quotes"]


def test_the_gpu_and_its_capability_come_from_the_warning(tmp_path: Path) -> None:
    text = (
        "NVIDIA GeForce RTX 5090 with CUDA capability sm_120 is not compatible with the current PyTorch "
        "installation.\nThe current PyTorch install supports CUDA capabilities sm_50 sm_60 sm_70 sm_75 sm_80 "
        "sm_86 sm_90."
    )
    f = findings(tmp_path, text)["gpu-arch-unsupported"]
    assert (f["params"]["gpu"], f["params"]["cc"]) == ("NVIDIA GeForce RTX 5090", "12.0")


# ---- class 2: "Could not collect" and "No CUDA" are facts ----------------------------------------------------


def test_found_no_driver_says_what_the_paste_cannot_tell(tmp_path: Path) -> None:
    text = "UserWarning: CUDA initialization: Found no NVIDIA driver on your system.\n"
    f = findings(tmp_path, text)["nvidia-driver-missing"]
    for lang, words in (("en", "docker run --gpus all"), ("zh", "docker run --gpus all")):
        shown = check(tmp_path, text, "--lang", lang, "-v").output
        assert words in shown
    assert "cannot tell" in f["detail"] and "nvidia-smi" in f["detail"] and "WSL" in f["detail"]


def test_nvidia_smi_that_cannot_reach_the_driver(tmp_path: Path) -> None:
    text = "$ nvidia-smi\nNVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n"
    assert "nvidia-driver-missing" in findings(tmp_path, text)


def test_could_not_collect_under_a_cuda_build_is_a_fact(tmp_path: Path) -> None:
    text = COLLECT_ENV_HEAD.format(
        torch="2.2.0+cu121", cuda="12.1", available="False", runtime="Could not collect",
        gpus="Could not collect", driver="Could not collect",
    )  # fmt: skip
    f = findings(tmp_path, text)["nvidia-driver-missing"]
    assert f["severity"] == "warning" and f["undecided"] and f["certainty"] == "inferred"
    assert "Could not collect" in f["detail"] and "cannot tell" in f["detail"]
    zh = check(tmp_path, text, "--lang", "zh", "-v").output
    assert "无法判断" in zh and "nvidia-smi" in zh


# ---- class 3: a CPU-only torch is a finding even without the GPU -------------------------------------------


def test_a_cpu_torch_in_an_app_log_warns_and_says_how_to_check(tmp_path: Path) -> None:
    f = findings(tmp_path, "12:00:01 INFO Torch 2.1.2+cpu\n12:00:02 INFO Loading model...\n")[
        "torch-cpu-only"
    ]
    assert f["severity"] == "warning" and f["undecided"] and "nvidia-smi" in f["detail"]
    zh = check(tmp_path, "Torch 2.1.2+cpu\n", "--lang", "zh", "-v").output
    assert "CPU 版" in zh and "nvidia-smi" in zh


def test_a_cpu_torch_with_a_gpu_in_the_paste_is_an_error(tmp_path: Path) -> None:
    text = (
        "torch 2.3.1+cpu\n+---\n| NVIDIA-SMI 550.54.14   Driver Version: 550.54.14   CUDA Version: 12.4 |\n"
    )
    text += "|   0  NVIDIA GeForce RTX 3060        Off |\n"
    assert findings(tmp_path, text)["torch-cpu-only"]["severity"] == "error"


def test_conda_cpu_build_is_a_cpu_torch(tmp_path: Path) -> None:
    text = "conda list | grep torch\npytorch                   1.12.1          py3.9_cpu_0    pytorch\n"
    assert "torch-cpu-only" in findings(tmp_path, text)


# ---- class 4: what was observed beats what is inferred -------------------------------------------------------


def test_cuda_available_true_rules_out_the_driver_findings(tmp_path: Path) -> None:
    text = COLLECT_ENV_HEAD.format(
        torch="2.4.0+cu124", cuda="12.4", available="True", runtime="Could not collect",
        gpus="GPU 0: NVIDIA GeForce RTX 3090", driver="470.82.01",
    )  # fmt: skip
    found = findings(tmp_path, text)
    assert not {"driver-too-old", "nvidia-driver-missing", "torch-cpu-only"} & set(found)


def test_a_macos_driver_string_is_never_compared(tmp_path: Path) -> None:
    text = COLLECT_ENV_HEAD.format(
        torch="1.1.0",
        cuda="10.0.130",
        available="False",
        runtime="10.0.130",
        gpus="GeForce GT 750M",
        driver="410.130",
    ).replace("OS: Ubuntu 22.04.3 LTS (x86_64)", "OS: Mac OSX 10.13.6")
    text = text.replace("Linux-6.5.0-14-generic-x86_64-with-glibc2.35", "Darwin-17.7.0-x86_64-i386-64bit")
    assert "driver-too-old" not in findings(tmp_path, text)
    s = read_report(str(_write(tmp_path, text)))
    assert (
        s.driver is None and not s.known("driver") and s.problems["driver"].message == "ui.why.macos_driver"
    )


# ---- class 5: never guess a build from a missing local tag ------------------------------------------------


def test_a_version_without_local_tag_is_no_build(tmp_path: Path) -> None:
    text = COLLECT_ENV_HEAD.format(
        torch="2.0.1", cuda="11.8", available="True", runtime="11.8.89", gpus="GPU 0: NVIDIA A10G",
        driver="535.104.05",
    ) + "\nVersions of relevant libraries:\n[pip3] torch==2.0.1\n[pip3] torchvision==0.15.2\n"  # fmt: skip
    found = findings(tmp_path, text)
    assert "torchvision-mismatch" not in found


@pytest.mark.parametrize(
    "text",
    [
        "torch 2.1.0a0+git7bcf7da\ntorchvision 0.15.2\n",  # a source build pairs by its base version
        "Name: torch\nVersion: 2.2.1\n---\nName: torchvision\nVersion: 0.16.1\n",  # pip show
        "Package     Version\n----------- -------\ntorch       2.2.1\ntorchvision 0.16.1\n",  # pip list
    ],
)
def test_versions_that_do_not_pair_are_an_error_whatever_the_builds(tmp_path: Path, text: str) -> None:
    assert findings(tmp_path, text)["torchvision-mismatch"]["severity"] == "error"


# ---- class 6: any paste is a report ---------------------------------------------------------------------


def test_hand_written_chinese_post(tmp_path: Path) -> None:
    text = (
        "环境：Windows 11，Python 3.12，torch 版本 2.3.1，torchvision 0.19.0。\n运行 d2l 代码报错，求助！\n"
    )
    found = findings(tmp_path, text)
    assert found["torchvision-mismatch"]["severity"] == "error"
    zh = check(tmp_path, text, "--lang", "zh").output
    assert "torchvision 0.19.0" in zh and "不匹配" in zh


def test_nvidia_smi_and_a_python_c_answer(tmp_path: Path) -> None:
    text = (
        "| NVIDIA-SMI 470.182.03   Driver Version: 470.182.03   CUDA Version: 11.4     |\n"
        '$ python -c "import torch; print(torch.__version__, torch.cuda.is_available())"\n'
        "2.4.0+cu124 False\n"
    )
    f = findings(tmp_path, text)["driver-too-old"]
    assert f["severity"] == "error" and f["certainty"] == "observed"
    assert [q["line"] for q in f["quotes"]] == [1, 3]
    s = read_report(str(_write(tmp_path, text)))
    assert s.torch is not None and s.torch.cuda_available is False and s.evidence["packages.torch"].line == 3


def test_d2l_pins_named_in_a_post(tmp_path: Path) -> None:
    text = "pip install d2l==1.0.3 fails on my machine (Python 3.12.1): numpy 1.23.5 does not build.\n"
    f = findings(tmp_path, text)["d2l-pins-unsatisfiable"]
    assert f["severity"] == "error" and "numpy==1.23.5" in f["params"]["pins"]


def test_every_fact_keeps_its_line(tmp_path: Path) -> None:
    path = tmp_path / "paste.md"
    path.write_text(
        "<details>\n<summary>env</summary>\n\n> ```\n> torch==2.0.1+cu118\n> ```\n</details>\n"
        "Python 3.9.13 (tags/v3.9.13:6de2ca5, May 17 2022) [MSC v.1929 32 bit (Intel)] on win32\n",
        encoding="utf-8",
    )
    s = read_report(str(path))
    assert s.packages["torch"] == "2.0.1+cu118"
    assert s.evidence["packages.torch"].line == 5 and s.evidence["packages.torch"].source is Source.REPORT
    assert s.python is not None and s.python.bits == 32 and s.evidence["python.bits"].line == 8
    found = {f.id: f for f in evaluate(s, load_matrix())}
    assert found["python-32bit"].severity is Severity.ERROR
    assert found["python-32bit"].certainty is Certainty.OBSERVED
    assert found["python-32bit"].quotes[0].line == 8


def test_a_path_hint_is_an_inference(tmp_path: Path) -> None:
    text = r"C:\Users\me\AppData\Local\Programs\Python\Python38-32\Scripts>pip install torch" + "\n"
    text += "ERROR: Could not find a version that satisfies the requirement torch (from versions: none)\n"
    s = read_report(str(_write(tmp_path, text)))
    assert s.evidence["python.bits"].source is Source.INFERENCE
    found = {f.id: f for f in evaluate(s, load_matrix())}
    assert found["python-32bit"].certainty is Certainty.INFERRED
    assert "python-unsupported" not in found  # the 32-bit Python explains "from versions: none"


def test_nothing_recognisable_is_exit_2_and_says_what_is_read(tmp_path: Path) -> None:
    for lang, word in (("en", "pip list"), ("zh", "pip list")):
        result = check(tmp_path, "my code does not run, what should I do?\n", "--lang", lang)
        assert result.exit_code == 2 and word in result.output
        assert "most recent call last" not in result.output and result.output.count("\n") == 1


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "paste.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text",
    [
        "My laptop has no NVIDIA card, only Intel UHD Graphics 620. torch.cuda.is_available() returns False.",
        "我的电脑没有N卡，只有集显，装了 torch 2.1.0，怎么跑 d2l？",
        "Only integrated graphics here (Intel Iris Xe). Can I still follow the book?",
    ],
)
def test_prose_that_says_there_is_no_nvidia_gpu(tmp_path: Path, text: str) -> None:
    found = findings(tmp_path, text)
    assert "no-nvidia-gpu" in found, found
    assert not {"nvidia-driver-missing", "torch-cpu-only", "cuda-not-available"} & set(found), found


@pytest.mark.parametrize(
    "text",
    [
        "I don't have an NVIDIA GPU driver installed yet, nvidia-smi is not found.",
        "There is no nvidia-smi on this box.",
    ],
)
def test_prose_about_a_missing_driver_is_no_claim_that_there_is_no_gpu(tmp_path: Path, text: str) -> None:
    result = check(tmp_path, text, "--json")
    if result.exit_code == 2:  # nothing recognisable in it: no claim either
        return
    ids = [f["id"] for f in json.loads(result.stdout)["findings"]]
    assert "no-nvidia-gpu" not in ids, ids


def test_cuda_not_available_with_a_gpu_and_an_unknown_build_says_how_to_tell(tmp_path: Path) -> None:
    text = "I installed torch 2.1.0 with CUDA 12.1 but torch.cuda.is_available() returns False. I have an RTX 3060."
    found = findings(tmp_path, text)
    finding = found["cuda-not-available"]
    assert finding["severity"] == "warning" and finding["certainty"] == "inferred"
    assert "print(torch.version.cuda or " in finding["detail"] and "RTX 3060" in finding["title"]
    assert "torch-cpu-only" not in found  # the build is not known: never guessed
