"""NVIDIA display devices on the PCI bus, whether or not a driver runs them.

This tells "a GPU is there but no driver answers" (nvidia-driver-missing) apart from "no NVIDIA GPU"
(no-nvidia-gpu). Linux reads sysfs; Windows asks WMI (Win32_VideoController) through PowerShell; other systems
have none to report.
"""

from __future__ import annotations

import json
import platform
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Optional

from d2l_doctor import runner
from d2l_doctor.models import PciGpu

NVIDIA_VENDOR = "0x10de"
_DISPLAY_CLASS = "0x03"  # 0x0300 VGA, 0x0302 3D controller (data-centre and laptop dGPUs)
_PNP = re.compile(r"^PCI\\VEN_10DE&DEV_([0-9A-F]{4})", re.IGNORECASE)
# The Windows query: plain fields, as JSON. A single device comes back as an object, several as a list.
_WMI_QUERY = (
    "Get-CimInstance -ClassName Win32_VideoController | "
    "Select-Object Name,PNPDeviceID,AdapterCompatibility,DriverVersion,ConfigManagerErrorCode | "
    "ConvertTo-Json -Compress"
)


def probe(
    env: Mapping[str, str], *, system: Optional[str] = None, sys_root: str = "/", timeout: float = 10.0
) -> tuple[PciGpu, ...]:
    system = (system or platform.system()).lower()
    if system == "linux":
        return read_sysfs(sys_root)
    if system == "windows":
        return read_wmi(env, timeout)
    return ()


def _read(path: Path) -> Optional[str]:
    try:
        return path.read_text().strip().lower()
    except OSError:
        return None


def read_sysfs(sys_root: str = "/") -> tuple[PciGpu, ...]:
    devices = Path(sys_root) / "sys" / "bus" / "pci" / "devices"
    if not devices.is_dir():
        raise OSError(f"{devices}: not there (no sysfs)")
    found: list[PciGpu] = []
    for device in sorted(devices.iterdir()):
        if _read(device / "vendor") != NVIDIA_VENDOR:
            continue
        if not (_read(device / "class") or "").startswith(_DISPLAY_CLASS):
            continue  # the GPU's HDMI audio and USB-C controllers share the vendor id
        driver_link = device / "driver"
        kernel_driver = Path(driver_link.resolve()).name if driver_link.exists() else None
        found.append(
            PciGpu(
                pci_bus_id=device.name.lower(),
                device_id=_read(device / "device"),
                driver_bound=kernel_driver is not None,
                kernel_driver=kernel_driver,
            )
        )
    return tuple(found)


def parse_wmi(text: str) -> tuple[PciGpu, ...]:
    """Win32_VideoController records (ConvertTo-Json output) -> the NVIDIA ones."""
    text = text.strip()
    if not text:
        return ()
    data: Any = json.loads(text)
    records = data if isinstance(data, list) else [data]
    found: list[PciGpu] = []
    for record in records:
        if not isinstance(record, dict):
            continue
        pnp = str(record.get("PNPDeviceID") or "")
        match = _PNP.match(pnp)
        if not match:
            continue
        vendor = str(record.get("AdapterCompatibility") or "")
        # Without NVIDIA's driver Windows runs the card as "Microsoft Basic Display Adapter" (error code 0),
        # or leaves it unconfigured (code 28: drivers not installed).
        nvidia_driver = vendor.lower().startswith("nvidia") and record.get("ConfigManagerErrorCode") in (
            0,
            None,
        )
        found.append(
            PciGpu(
                # The instance path names the unit, not the model: keep only "PCI\VEN_…&DEV_…&SUBSYS_…".
                pci_bus_id="\\".join(pnp.split("\\")[:2]),
                device_id="0x" + match.group(1).lower(),
                name=str(record.get("Name") or "") or None,
                driver_bound=nvidia_driver,
                kernel_driver="nvidia" if nvidia_driver else (vendor or None),
            )
        )
    return tuple(found)


def read_wmi(env: Mapping[str, str], timeout: float) -> tuple[PciGpu, ...]:
    argv = ["powershell", "-NoProfile", "-NonInteractive", "-Command", _WMI_QUERY]
    result = runner.run(argv, timeout, env)
    if not result.ok:
        raise RuntimeError(
            f"Win32_VideoController query failed: {(result.stderr or result.error or '').strip()}"
        )
    return parse_wmi(result.stdout)
