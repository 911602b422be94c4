"""NVIDIA GPUs on the bus: a sysfs tree in tmp_path, and recorded Win32_VideoController answers."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from d2l_doctor.models import PciGpu
from d2l_doctor.probes import pci


def add_device(
    root: Path, address: str, vendor: str, cls: str, device: str, driver: str | None = None
) -> None:
    folder = root / "sys" / "bus" / "pci" / "devices" / address
    folder.mkdir(parents=True)
    (folder / "vendor").write_text(vendor + "\n")
    (folder / "class").write_text(cls + "\n")
    (folder / "device").write_text(device + "\n")
    if driver:
        target = root / "sys" / "bus" / "pci" / "drivers" / driver
        target.mkdir(parents=True, exist_ok=True)
        os.symlink(target, folder / "driver")


def test_sysfs(tmp_path: Path) -> None:
    add_device(tmp_path, "0000:00:02.0", "0x8086", "0x030000", "0x9a49", "i915")  # Intel iGPU
    add_device(tmp_path, "0000:01:00.0", "0x10de", "0x030000", "0x2520", "nvidia")
    add_device(tmp_path, "0000:01:00.1", "0x10de", "0x040300", "0x228e", "snd_hda_intel")  # its HDMI audio
    add_device(tmp_path, "0000:65:00.0", "0x10DE", "0x030200", "0x20B0")  # a 3D controller, no driver
    assert pci.probe({}, system="linux", sys_root=str(tmp_path)) == (
        PciGpu("0000:01:00.0", "0x2520", None, True, "nvidia"),
        PciGpu("0000:65:00.0", "0x20b0", None, False, None),
    )


def test_sysfs_missing_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="no sysfs"):
        pci.read_sysfs(str(tmp_path))


def test_macos_has_nothing_to_report() -> None:
    assert pci.probe({}, system="darwin") == ()


# Recorded from `Get-CimInstance Win32_VideoController | Select-Object ... | ConvertTo-Json -Compress`
WMI_TWO = json.dumps(
    [
        {
            "Name": "Intel(R) UHD Graphics",
            "PNPDeviceID": "PCI\\VEN_8086&DEV_9A68&SUBSYS_3F9B17AA&REV_04\\3&11583659&0&10",
            "AdapterCompatibility": "Intel Corporation",
            "DriverVersion": "31.0.101.4502",
            "ConfigManagerErrorCode": 0,
        },
        {
            "Name": "NVIDIA GeForce RTX 3060 Laptop GPU",
            "PNPDeviceID": "PCI\\VEN_10DE&DEV_2560&SUBSYS_3F9B17AA&REV_A1\\4&2D7E5B2F&0&0008",
            "AdapterCompatibility": "NVIDIA",
            "DriverVersion": "31.0.15.5161",
            "ConfigManagerErrorCode": 0,
        },
    ]
)
WMI_BASIC = json.dumps(
    {
        "Name": "Microsoft Basic Display Adapter",
        "PNPDeviceID": "PCI\\VEN_10DE&DEV_2684&SUBSYS_16F21043&REV_A1\\4&1A2B3C4D&0&0019",
        "AdapterCompatibility": "(Standard display types)",
        "DriverVersion": "10.0.22621.1",
        "ConfigManagerErrorCode": 0,
    }
)


def test_wmi_with_the_nvidia_driver() -> None:
    assert pci.parse_wmi(WMI_TWO) == (
        PciGpu(
            "PCI\\VEN_10DE&DEV_2560&SUBSYS_3F9B17AA&REV_A1",
            "0x2560",
            "NVIDIA GeForce RTX 3060 Laptop GPU",
            True,
            "nvidia",
        ),
    )


def test_wmi_basic_display_adapter_means_no_nvidia_driver() -> None:
    (gpu,) = pci.parse_wmi(WMI_BASIC)
    assert (gpu.device_id, gpu.driver_bound, gpu.kernel_driver) == (
        "0x2684",
        False,
        "(Standard display types)",
    )
    assert "4&1A2B3C4D" not in gpu.pci_bus_id  # the device instance part stays out of reports


def test_wmi_empty_answer() -> None:
    assert pci.parse_wmi("") == ()


def fake_powershell(tmp_path: Path, stdout: str, code: int = 0) -> dict[str, str]:
    answer = tmp_path / "answer.json"
    answer.write_text(stdout)
    exe = tmp_path / "bin" / "powershell"
    exe.parent.mkdir()
    exe.write_text(f"#!/bin/sh\ncat '{answer}'\nexit {code}\n")
    exe.chmod(0o755)
    return {"PATH": f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def test_windows_probe_runs_the_wmi_query(tmp_path: Path) -> None:
    gpus = pci.probe(fake_powershell(tmp_path, WMI_TWO), system="windows")
    assert [g.name for g in gpus] == ["NVIDIA GeForce RTX 3060 Laptop GPU"]


def test_windows_probe_failure_raises(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="Win32_VideoController query failed"):
        pci.probe(fake_powershell(tmp_path, "", code=1), system="windows")
