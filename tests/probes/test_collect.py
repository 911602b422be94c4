"""collect(): all probes together, on this machine, with probes that fail or hang."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from d2l_doctor.errors import UsageError
from d2l_doctor.models import Snapshot
from d2l_doctor.probes import collect as probes
from d2l_doctor.probes import host, pci

NO_DRIVER = not Path("/proc/driver/nvidia/version").exists()


@pytest.mark.skipif(
    not (NO_DRIVER and Path("/usr/local/cuda-13.0/bin/nvcc").exists()), reason="this machine only"
)
def test_live_collect_on_this_machine() -> None:
    snapshot = probes.collect(None)
    assert [(t.version, t.path) for t in snapshot.cuda_toolkits] == [("13.0", "/usr/local/cuda-13.0")]
    assert snapshot.driver is None and snapshot.gpus == ()
    assert str(snapshot.problems["nvml"]) == "NVML Shared Library Not Found"
    assert snapshot.python is not None and snapshot.python.chosen_by in ("venv", "conda", "path", "self")
    assert snapshot.host is not None and snapshot.host.os == "linux"
    assert snapshot.shell == "bash"
    assert Snapshot.from_dict(snapshot.to_dict()) == snapshot  # JSON-safe


def test_a_failing_probe_is_a_problem_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise PermissionError("/sys/bus/pci/devices: permission denied")

    def stuck(*args: object, **kwargs: object) -> None:
        # Longer than the target's own import can take on a loaded machine: the host probe is still running
        # when collect() looks at it, so it must come back as timed out (a daemon thread, abandoned after).
        threading.Event().wait(120)

    monkeypatch.setattr(pci, "probe", broken)
    monkeypatch.setattr(host, "probe", stuck)
    monkeypatch.setattr(probes, "PROBE_LIMIT_S", 0.5)
    snapshot = probes.collect(sys.executable, timeout=60)
    assert str(snapshot.problems["pci"]) == "PermissionError: /sys/bus/pci/devices: permission denied"
    assert str(snapshot.problems["host"]) == "timed out after 0.5 s"
    assert snapshot.host is None and snapshot.pci_gpus == ()
    assert snapshot.python is not None and snapshot.python.chosen_by == "--python"
    # a fixed order, whatever finished first
    keys = [k for k in snapshot.problems if k in probes.PROBE_ORDER]
    assert keys == sorted(keys, key=probes.PROBE_ORDER.index)


def test_fake_nvml_through_collect(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakes.nvml import one_gpu_lost

    monkeypatch.setitem(sys.modules, "pynvml", one_gpu_lost())
    snapshot = probes.collect(sys.executable, timeout=60)
    assert snapshot.driver is not None and snapshot.driver.cuda_version == "12.4"
    assert [g.name for g in snapshot.gpus] == ["NVIDIA GeForce RTX 4090"]
    assert str(snapshot.problems.get("nvml.gpu1")) == "GPU is lost"
    assert "nvml" not in snapshot.problems


def test_a_segfaulting_torch_through_collect(tmp_path: Path) -> None:
    fake = tmp_path / "fakes" / "torch"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("import ctypes\nctypes.string_at(0)\n")
    env = {**os.environ, "PYTHONPATH": str(fake.parent)}
    snapshot = probes.collect(sys.executable, timeout=60, env=env)
    assert snapshot.imports["torch"].signal == "SIGSEGV"
    assert snapshot.torch is None and snapshot.python is not None
    assert "target" not in snapshot.problems


def test_bad_python_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no such file"):
        probes.collect(str(tmp_path / "nope"))


def test_nvml_module_is_not_imported_by_the_package() -> None:
    """`d2l-doctor --help` stays light: importing the probes package pulls in neither pynvml nor psutil."""
    import subprocess

    code = "import sys, d2l_doctor.probes; print('pynvml' in sys.modules, 'psutil' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_a_shim_is_followed_to_its_conda_env(tmp_path: Path) -> None:
    """`python` on PATH may be a wrapper (pyenv shims): the conda facts come from where it really runs."""
    import venv

    env_dir = tmp_path / "miniconda3" / "envs" / "d2l"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    meta = env_dir / "conda-meta"
    meta.mkdir()
    (meta / "python-3.11.7-h955ad1f_0.json").write_text('{"name": "python", "subdir": "linux-64"}')
    shim = tmp_path / "shims" / "python"
    shim.parent.mkdir()
    shim.write_text(f"#!/bin/sh\nexec '{env_dir / 'bin' / 'python'}' \"$@\"\n")
    shim.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CONDA_PREFIX")}
    snapshot = probes.collect(None, timeout=60, env={**env, "PATH": f"{shim.parent}:/usr/bin:/bin"})
    assert snapshot.python is not None and snapshot.python.chosen_by == "path"
    assert snapshot.python.prefix == str(env_dir)
    assert snapshot.conda is not None
    assert (snapshot.conda.env_name, snapshot.conda.platform) == ("d2l", "linux-64")
    assert snapshot.jupyter is not None and str(env_dir / "share" / "jupyter") in snapshot.jupyter.data_paths
