"""Every report fixture parses to the facts written down for it in expected.py."""

from __future__ import annotations

import pytest

from d2l_doctor.ingest import read_report
from d2l_doctor.models import Snapshot
from tests.ingest.expected import ALWAYS_UNKNOWN, EXPECTED, FIXTURES, Expected


def test_every_fixture_has_expectations_and_a_source() -> None:
    files = {p.name for p in FIXTURES.iterdir() if p.name != "SOURCES.md"}
    assert files == set(EXPECTED)
    sources = (FIXTURES / "SOURCES.md").read_text(encoding="utf-8")
    assert [name for name in files if f"`{name}`" not in sources] == []


@pytest.fixture(params=sorted(EXPECTED), ids=str)
def case(request: pytest.FixtureRequest) -> tuple[Snapshot, Expected]:
    return read_report(str(FIXTURES / request.param)), EXPECTED[request.param]


def test_torch(case: tuple[Snapshot, Expected]) -> None:
    s, e = case
    if e.torch is None:
        assert s.torch is None
        return
    assert s.torch is not None
    assert (s.torch.version, s.torch.cuda, s.torch.hip) == (e.torch, e.torch_cuda, e.torch_hip)
    assert s.torch.cuda_available == e.cuda_available
    assert s.torch.cudnn == e.torch_cudnn
    assert s.torch.arch_list == e.arch_list
    if e.warning:
        assert e.warning in (s.torch.init_warning or "")
    else:
        assert s.torch.init_warning is None


def test_driver_and_gpus(case: tuple[Snapshot, Expected]) -> None:
    s, e = case
    if e.driver is None:
        assert s.driver is None
    else:
        assert s.driver is not None
        assert (s.driver.version, s.driver.cuda_version, s.driver.source) == (
            e.driver,
            e.driver_cuda,
            "report",
        )
    assert tuple(g.name for g in s.gpus) == e.gpus
    assert [g.index for g in s.gpus] == list(range(len(e.gpus)))
    assert all(
        g.compute_capability is None for g in s.gpus
    )  # a report names cards; the matrix knows their cc


def test_host_and_python(case: tuple[Snapshot, Expected]) -> None:
    s, e = case
    assert (s.host.os if s.host else None) == e.os
    if e.os_release:
        assert s.host is not None and s.host.os_release == e.os_release
    assert bool(s.host and s.host.wsl) == e.wsl
    if e.python is None:
        assert s.python is None
        return
    assert s.python is not None
    # no placeholders: what the report does not say is None (and listed in Snapshot.unknown)
    assert (s.python.version, s.python.bits, s.python.machine) == (
        e.python,
        e.bits or None,
        e.machine or None,
    )
    assert s.python.executable is None
    assert s.python.platform == {"linux": "linux", "windows": "win32", "darwin": "darwin"}.get(e.os or "")
    assert ("python.bits" in s.unknown) == (e.bits == 0)


def test_cuda_toolkits_and_system_cudnn(case: tuple[Snapshot, Expected]) -> None:
    s, e = case
    assert tuple(k.version for k in s.cuda_toolkits) == e.toolkits
    assert tuple(c.version for c in s.cudnn_system) == e.cudnn_system
    assert ("cuda_toolkits" in s.unknown) == (not e.toolkits)
    assert ("cudnn_system" in s.unknown) == (not e.cudnn_system)


def test_packages_and_conda(case: tuple[Snapshot, Expected]) -> None:
    s, e = case
    assert {name: s.packages.get(name) for name in e.packages} == e.packages
    assert [name for name in e.not_packages if name in s.packages] == []
    if e.conda is not None:
        assert (s.conda is not None) == e.conda
    if e.conda_managed:
        assert s.conda is not None
        assert set(e.conda_managed) <= set(s.conda.managed)
    assert all(key == key.lower() and "_" not in key and "." not in key for key in s.packages)


def test_unknown_sections_and_problems(case: tuple[Snapshot, Expected]) -> None:
    s, e = case
    assert s.source == "collect_env"
    missing = [u for u in (*ALWAYS_UNKNOWN, *e.unknown) if not unknown(s, u)]
    assert missing == []
    wrongly_unknown = [k for k in e.known if unknown(s, k)]
    assert wrongly_unknown == []
    assert ("report" in s.problems) == e.cut
    # "Could not collect" is a reason, never an absence: each such section is unknown, with the reason kept
    for section, why in s.problems.items():
        if why.message == "ui.why.not_collected":
            assert not s.known(section)


def unknown(s: Snapshot, key: str) -> bool:
    """A section ("driver") or one key of it ("packages.pillow"); a whole unknown section covers its keys."""
    return not s.known(key) or not s.known(key.split(".")[0])


def test_a_snapshot_read_from_a_report_survives_json() -> None:
    for name in EXPECTED:
        s = read_report(str(FIXTURES / name))
        assert Snapshot.from_dict(s.to_dict()) == s


_HEAD = (
    "PyTorch version: 2.3.1+cu121\nCUDA used to build PyTorch: 12.1\n"
    "Python version: 3.11.9 (64-bit runtime)\n"
)


@pytest.mark.parametrize(
    ("lines", "listed", "conda"),
    [
        ("[pip3] numpy==1.26.4\n[conda] No relevant packages\n", True, False),
        ("[pip3] Could not collect\n[conda] Could not collect\n", False, False),
        ("[pip3] No relevant packages\n[conda] Could not collect\n", True, False),
        ("[pip3] Could not collect\n[conda] numpy 1.26.4 py311h08b1b3b_0\n", True, True),
        ("[pip3] numpy==1.26.4\n[pip3] tor", False, False),  # the paste ends inside a line
    ],
)
def test_what_a_package_list_says_about_absent_packages(lines: str, listed: bool, conda: bool) -> None:
    from d2l_doctor.ingest.detect import snapshot_from_text

    s = snapshot_from_text(_HEAD + "Versions of relevant libraries:\n" + lines, "report.txt")
    assert s.known("packages") == (listed or "numpy" in s.packages)
    assert s.known("packages.torchvision") == listed  # collect_env lists every package named *torch*
    assert not s.known("packages.pillow")  # ...and never Pillow
    assert (s.conda is not None) == conda
    assert s.packages["torch"] == "2.3.1+cu121"  # from the heading: the list does not name it
