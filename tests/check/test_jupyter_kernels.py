"""End to end: ipykernel installed but the env not registered as a kernel, and a kernelspec whose interpreter
is gone. Jupyter's folders are redirected to temporary ones (JUPYTER_DATA_DIR, JUPYTER_PATH)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.check.support import check, fix_of
from tests.support.venvs import Venv, index_unreachable, make_venv

pytestmark = pytest.mark.venv


@pytest.fixture(scope="module")
def ipykernel_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    try:
        return make_venv(tmp_path_factory.mktemp("ipykernel") / "venv", "ipykernel")
    except RuntimeError as exc:
        index_unreachable(f"could not install ipykernel: {str(exc).splitlines()[-1]}")


@pytest.fixture
def jupyter_dirs(tmp_path: Path) -> dict[str, str]:
    """Empty Jupyter folders, plus one kernelspec for an environment that was deleted."""
    data, path = tmp_path / "jupyter-data", tmp_path / "jupyter-path"
    stale = data / "kernels" / "old-env"
    stale.mkdir(parents=True)
    gone = tmp_path / "deleted-env" / "bin" / "python"
    spec = {"argv": [str(gone), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "display_name": "Python (old-env)", "language": "python"}  # fmt: skip
    (stale / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    path.mkdir()
    return {
        "JUPYTER_DATA_DIR": str(data),
        "JUPYTER_PATH": str(path),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        # A user base of its own, so kernels registered with --user elsewhere on this machine do not count.
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / ".local" / "share"),
    }


def test_unregistered_env_and_stale_kernel(ipykernel_venv: Venv, jupyter_dirs: dict[str, str]) -> None:
    run = check("--python", str(ipykernel_venv.python), "--json", env=jupyter_dirs)
    assert run.returncode in (0, 1), run.stderr
    findings = run.findings()
    kernels = run.doc["snapshot"]["jupyter"]["kernelspecs"]
    stale_specs = [k for k in kernels if k["name"] == "old-env"]
    assert stale_specs and stale_specs[0]["interpreter_exists"] is False

    missing = findings["jupyter-kernel-missing"]
    install = fix_of(missing, "kernel-install")
    assert install, missing["fixes"]
    argv = install[0]["argv"]
    assert argv[:5] == [str(ipykernel_venv.python), "-m", "ipykernel", "install", "--user"]
    assert "--name" in argv and argv[argv.index("--name") + 1]

    stale = findings["jupyter-kernel-stale"]
    assert "old-env" in json.dumps(stale, ensure_ascii=False)
    removals = [f for f in stale["fixes"] if f["kind"] == "kernel-remove"]
    assert any(f["name"] == "old-env" for f in removals), stale["fixes"]
    assert run.returncode == run.doc["exit_code"]
