"""The payload reads what installed distributions declare (Requires-Dist) from their own metadata."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from d2l_doctor.payload import probe_env

PAYLOAD_DIR = Path(probe_env.__file__).parent


def _dist_info(site: Path, name: str, version: str, requires: list[str]) -> None:
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_requires_come_from_the_installed_metadata(tmp_path: Path) -> None:
    _dist_info(tmp_path, "torchvision", "0.99.0", ["numpy", "torch==2.99.0", "pillow!=8.3.*,>=5.3.0"])
    _dist_info(tmp_path, "torchaudio", "2.11.1", ["torch>=2.11"])
    code = (
        f"import json, sys; sys.path[:0] = [{str(tmp_path)!r}, {str(PAYLOAD_DIR)!r}]; import probe_env; "
        "print(json.dumps(probe_env.package_requires(('torchvision', 'torchaudio', 'no-such-dist'))))"
    )
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True, check=True)
    found = json.loads(out.stdout)
    assert found["torchvision"] == ["numpy", "torch==2.99.0", "pillow!=8.3.*,>=5.3.0"]
    assert found["torchaudio"] == ["torch>=2.11"]
    assert "no-such-dist" not in found  # not installed: absent, not an empty list


def test_a_requirement_only_for_an_extra_is_passed_over_without_parsing() -> None:
    from d2l_doctor.payload import dist_requirements as D

    assert D.only_in_an_extra('pytest; extra == "test"')
    assert D.only_in_an_extra("rich; python_version >= '3.11' and extra == 'tests'")
    assert not D.only_in_an_extra('sympy>=1.13.3')
    assert not D.only_in_an_extra('colorama; sys_platform == "win32"')
    assert not D.only_in_an_extra('x; extra == "a" or python_version < "4"')  # true outside the extra
    installed = {"torch": ("torch", "2.13.0", [])}
    requirement = D._requirement_class()
    assert D._check(requirement, 'missing; extra == "test"', installed) is None
    assert D._check(requirement, 'missing; extra == "a" or python_version < "4"', installed) == (
        "missing",
        None,
        "missing",
    )
