"""The machine: /etc and /proc trees in tmp_path; Windows and macOS names from injected values."""

from __future__ import annotations

from pathlib import Path

import pytest

from d2l_doctor.probes import host

WSL_VERSION = "Linux version 5.15.153.1-microsoft-standard-WSL2 (root@1234) (gcc (GCC) 11.2.0) #1 SMP\n"
CPUINFO = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: 13th Gen Intel(R) Core(TM) i7-13700H\n"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_linux_release_wsl_and_cpu(tmp_path: Path) -> None:
    write(tmp_path / "etc" / "os-release", 'NAME="Ubuntu"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\nID=ubuntu\n')
    write(tmp_path / "proc" / "version", WSL_VERSION)
    write(tmp_path / "proc" / "cpuinfo", CPUINFO)
    facts = host.probe(str(tmp_path), system="linux", fs_root=str(tmp_path))
    assert (facts.os, facts.os_release, facts.wsl) == ("linux", "Ubuntu 22.04.4 LTS", True)
    assert facts.cpu == "13th Gen Intel(R) Core(TM) i7-13700H"
    assert facts.ram_mib and facts.ram_mib > 0
    assert facts.disk_free_mib is not None and facts.cpu_count


def test_not_wsl_and_usr_lib_os_release(tmp_path: Path) -> None:
    write(tmp_path / "usr" / "lib" / "os-release", "NAME=Arch Linux\n")
    write(tmp_path / "proc" / "version", "Linux version 6.8.0-arch1-1 (linux@archlinux)\n")
    assert host.os_release("linux", str(tmp_path)) == "Arch Linux"
    assert host.is_wsl(str(tmp_path)) is False


@pytest.mark.parametrize(
    ("release", "version", "text"),
    [
        ("10", "10.0.22631", "Windows 11 (10.0.22631)"),  # Windows 11 that older Pythons call 10
        ("10", "10.0.19045", "Windows 10 (10.0.19045)"),
        ("11", "10.0.26100", "Windows 11 (10.0.26100)"),
    ],
)
def test_windows_release(release: str, version: str, text: str) -> None:
    assert host.os_release("windows", win_ver=(release, version)) == text


def test_disk_free_of_a_prefix_that_is_gone(tmp_path: Path) -> None:
    facts = host.probe(str(tmp_path / "deleted" / "venv"), system="linux", fs_root=str(tmp_path))
    assert facts.disk_free_mib is not None and facts.disk_free_mib > 0


def test_macos_release(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host.platform, "mac_ver", lambda: ("14.4.1", ("", "", ""), "arm64"))
    assert host.os_release("darwin") == "macOS 14.4.1"
