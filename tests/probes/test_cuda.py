"""CUDA toolkits and system cuDNN, from fake install trees (and, where it is, this machine's CUDA 13.0)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from d2l_doctor.models import CudaToolkit, Cudnn
from d2l_doctor.probes import cuda

BANNER = "nvcc: NVIDIA (R) Cuda compiler driver\nCuda compilation tools, release {v}, V{v}.131\n"
CUDNN_9 = "#define CUDNN_MAJOR 9\n#define CUDNN_MINOR 1\n#define CUDNN_PATCHLEVEL 0\n"
CUDNN_8 = "#define CUDNN_MAJOR 8\n#define CUDNN_MINOR 9\n#define CUDNN_PATCHLEVEL 7\n"
CUDNN_7 = (
    "#define CUDNN_MAJOR 7\n#define CUDNN_MINOR 6\n#define CUDNN_PATCHLEVEL 5\n#define CUDNN_VERSION 7605\n"
)


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def toolkit(root: Path, version: str, nvcc_name: str = "nvcc") -> Path:
    executable(root / "bin" / nvcc_name, f"#!/bin/sh\nprintf '{BANNER.format(v=version)}'\n")
    write(root / "include" / "cuda.h", "")
    return root


@pytest.fixture
def linux_tree(tmp_path: Path) -> Path:
    local = tmp_path / "usr" / "local"
    cuda124 = toolkit(local / "cuda-12.4", "12.4")
    os.symlink(cuda124, local / "cuda")
    # A runtime-only install: no nvcc, a version.json
    write(
        local / "cuda-11.8" / "version.json", json.dumps({"cuda": {"name": "CUDA SDK", "version": "11.8.89"}})
    )
    # A wrapper script on PATH that runs the real nvcc (what this machine has in /usr/local/bin)
    executable(tmp_path / "bin" / "nvcc", f"#!/bin/sh\nexec '{cuda124 / 'bin' / 'nvcc'}' \"$@\"\n")
    write(cuda124 / "include" / "cudnn_version.h", CUDNN_9)
    write(cuda124 / "include" / "cudnn.h", '#include "cudnn_version.h"\n')
    write(local / "cuda-11.8" / "include" / "cudnn.h", CUDNN_7)
    debian = write(tmp_path / "usr" / "include" / "x86_64-linux-gnu" / "cudnn_version_v8.h", CUDNN_8)
    os.symlink(debian, tmp_path / "usr" / "include" / "cudnn_version.h")  # the alternatives link
    return tmp_path


def test_linux_toolkits_are_deduplicated_by_real_path(linux_tree: Path) -> None:
    env = {"PATH": f"{linux_tree / 'bin'}:{linux_tree / 'usr/local/cuda/bin'}"}
    facts = cuda.probe(env, system="linux", fs_root=str(linux_tree))
    local = linux_tree / "usr" / "local"
    assert facts.toolkits == (
        CudaToolkit("12.4", str(local / "cuda-12.4"), str(local / "cuda" / "bin" / "nvcc")),
        CudaToolkit("11.8", str(local / "cuda-11.8"), None),
    )


def test_linux_cudnn_headers(linux_tree: Path) -> None:
    facts = cuda.probe({"PATH": ""}, system="linux", fs_root=str(linux_tree))
    local = linux_tree / "usr" / "local"
    assert facts.cudnn == (
        Cudnn("9.1.0", str(local / "cuda-12.4" / "include" / "cudnn_version.h")),
        Cudnn("7.6.5", str(local / "cuda-11.8" / "include" / "cudnn.h")),
        Cudnn("8.9.7", str(linux_tree / "usr" / "include" / "x86_64-linux-gnu" / "cudnn_version_v8.h")),
    )


def test_a_wrapper_for_an_unknown_nvcc_still_counts(tmp_path: Path) -> None:
    executable(tmp_path / "opt" / "bin" / "nvcc", f"#!/bin/sh\nprintf '{BANNER.format(v='12.1')}'\n")
    facts = cuda.probe({"PATH": str(tmp_path / "opt" / "bin")}, system="linux", fs_root=str(tmp_path))
    assert facts.toolkits == (
        CudaToolkit("12.1", str(tmp_path / "opt"), str(tmp_path / "opt" / "bin" / "nvcc")),
    )


def test_cuda_home_is_searched(tmp_path: Path) -> None:
    root = toolkit(tmp_path / "opt" / "cuda", "12.6")
    facts = cuda.probe({"PATH": "", "CUDA_HOME": str(root)}, system="linux", fs_root=str(tmp_path))
    assert [(t.version, t.path) for t in facts.toolkits] == [("12.6", str(root))]


def test_windows_layout(tmp_path: Path) -> None:
    program_files = tmp_path / "Program Files"
    v124 = toolkit(program_files / "NVIDIA GPU Computing Toolkit" / "CUDA" / "v12.4", "12.4", "nvcc.exe")
    v118 = toolkit(program_files / "NVIDIA GPU Computing Toolkit" / "CUDA" / "v11.8", "11.8", "nvcc.exe")
    write(program_files / "NVIDIA" / "CUDNN" / "v9.1" / "include" / "12.4" / "cudnn_version.h", CUDNN_9)
    env = {
        "ProgramFiles": str(program_files),
        "CUDA_PATH": str(v124),
        "CUDA_PATH_V12_4": str(v124),
        "CUDA_PATH_V11_8": str(v118),
        "PATH": f"{v124 / 'bin'};C:\\Windows",
    }
    facts = cuda.probe(env, system="windows")
    assert [(t.version, t.path) for t in facts.toolkits] == [("12.4", str(v124)), ("11.8", str(v118))]
    assert [c.version for c in facts.cudnn] == ["9.1.0"]


def test_version_txt_of_old_toolkits(tmp_path: Path) -> None:
    write(tmp_path / "usr" / "local" / "cuda-10.2" / "version.txt", "CUDA Version 10.2.89\n")
    facts = cuda.probe({"PATH": ""}, system="linux", fs_root=str(tmp_path))
    assert facts.toolkits == (CudaToolkit("10.2", str(tmp_path / "usr" / "local" / "cuda-10.2"), None),)


def test_nothing_installed(tmp_path: Path) -> None:
    assert cuda.probe({"PATH": ""}, system="linux", fs_root=str(tmp_path)) == cuda.CudaFacts((), ())


@pytest.mark.skipif(
    not Path("/usr/local/cuda-13.0/bin/nvcc").exists(), reason="this machine's CUDA 13.0 only"
)
def test_this_machine_has_one_cuda_13_toolkit() -> None:
    facts = cuda.probe(dict(os.environ))
    assert [(t.version, t.path) for t in facts.toolkits] == [("13.0", "/usr/local/cuda-13.0")]
