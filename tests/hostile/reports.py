"""Hostile reports, generated: a report from a stranger whose every free-text field carries one payload.

Two machines, a Windows conda env (PowerShell) and a Linux venv, with what makes the doctor print commands built
from the report's own strings: a conda env / venv whose name becomes a kernel name, a stale kernelspec to
remove, an interpreter path in every pip command. The payload goes into the env name, the paths, the kernel
names, the OS release, an import error, a probe problem and a GPU name.
"""

from __future__ import annotations

import json
from typing import Any

# Payloads against the terminal (escapes), each shell's grammar, rich's markup, and plain weirdness.
PAYLOADS: dict[str, str] = {
    "csi-clear-screen": "\x1b[2J\x1b[H",
    "osc0-window-title": "\x1b]0;pwned\x07",
    "osc8-hyperlink": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "cr-overwrite": "ok\rEVIL",
    "crlf-second-line": "d2l\r\ncalc.exe",
    "bidi-override": "\u202egnp.exe",
    "bidi-isolate": "\u2067x\u2069",
    "c1-csi": "\x9b2J",
    "cmd-breakout": 'x" & calc.exe & "',
    "cmd-percent": "%PATH%",
    "cmd-caret-pipe": "a^|b",
    "ps-subexpression": "$(calc.exe)",
    "ps-smart-quote": "x\u2019; calc.exe; \u2018",
    "bash-substitution": "$(touch /tmp/d2l-doctor-canary)",
    "bash-quote": "it's",
    "rich-markup": "[/x][bold]b[/bold]",
    "nul": "a\x00b",
    "long": "x" * 5000,
}


def _windows(p: str) -> dict[str, Any]:
    home = "C:\\Users\\ada\\miniconda3"
    prefix = f"{home}\\envs\\{p}"
    return {
        "schema_version": 1,
        "source": "live",
        "host": {"os": "windows", "os_release": f"Windows 11 {p}", "machine": "AMD64", "cpu": p},
        "driver": {"version": "472.12", "cuda_version": "11.4", "source": "nvml"},
        "gpus": [
            {"name": f"NVIDIA GeForce RTX 3060 {p}", "compute_capability": "8.6", "memory_total_mib": 6144}
        ],
        "python": {
            "executable": f"{prefix}\\python.exe",
            "version": "3.11.9",
            "bits": 64,
            "machine": "AMD64",
            "platform": "win32",
            "prefix": prefix,
            "chosen_by": "conda",
        },
        "conda": {
            "env_name": p,
            "prefix": prefix,
            "platform": "win-64",
            "conda_version": "24.9.2",
            "conda_exe": f"{home}\\Scripts\\conda.exe",
            "channels": ["defaults"],
        },
        "packages": {"torch": "2.13.0+cu130", "ipykernel": "6.29.5", "jupyter": "1.1.1", "pillow": "11.3.0"},
        "torch": {"version": "2.13.0+cu130", "cuda": "13.0", "cuda_available": False, "init_warning": p},
        "imports": {
            "torch": {"module": "torch", "ok": True},
            "torchvision": {"module": "torchvision", "ok": False, "error_type": "ImportError", "error": p},
        },
        "jupyter": {
            "data_paths": [f"C:\\Users\\ada\\AppData\\Roaming\\jupyter{p}"],
            "kernelspecs": [
                {
                    "name": p,
                    "display_name": p,
                    "resource_dir": f"C:\\Users\\ada\\AppData\\Roaming\\jupyter\\kernels\\{p}",
                    "argv0": f"C:\\gone\\{p}\\python.exe",
                    "interpreter_exists": False,
                }
            ],
        },
        "shell": "powershell",
        "problems": {"nvml": p},
    }


def _linux(p: str) -> dict[str, Any]:
    prefix = f"/home/ada/{p}/.venv"
    return {
        "schema_version": 1,
        "source": "live",
        "host": {"os": "linux", "os_release": f"Ubuntu {p}", "machine": "x86_64"},
        "python": {
            "executable": f"{prefix}/bin/python",
            "version": "3.11.9",
            "bits": 64,
            "machine": "x86_64",
            "platform": "linux",
            "prefix": prefix,
            "base_prefix": "/usr",
            "is_venv": True,
            "chosen_by": "venv",
        },
        "packages": {"torch": "2.13.0+cpu", "ipykernel": "6.29.5", "pillow": "11.3.0"},
        "torch": {"version": "2.13.0+cpu", "cuda_available": False},
        "imports": {
            "torch": {"module": "torch", "ok": True},
            "PIL": {"module": "PIL", "ok": False, "error_type": "ImportError", "error": p},
        },
        "jupyter": {
            "data_paths": ["/home/ada/.local/share/jupyter"],
            "kernelspecs": [
                {
                    "name": p,
                    "display_name": p,
                    "resource_dir": f"/x/{p}",
                    "argv0": f"/gone/{p}",
                    "interpreter_exists": False,
                }
            ],
        },
        "shell": "bash",
        "problems": {"pci": p},
    }


MACHINES = {"windows-conda": _windows, "linux-venv": _linux}


def report_text(machine: str, payload: str) -> str:
    """A d2l-doctor --json document whose snapshot carries payload."""
    doc = {
        "schema_version": 1,
        "tool_version": "0.1.0",
        "snapshot": MACHINES[machine](payload),
        "findings": [],
    }
    return json.dumps(doc, ensure_ascii=False)


# Homes of every OS, for redaction: (path, the user name in it that must not survive).
HOMES = [
    ("/home/xiaoming/d2l/.venv/bin/python", "xiaoming"),
    ("/Users/lilei/miniforge3/envs/d2l/bin/python", "lilei"),
    ("C:\\Users\\hanmeimei\\miniconda3\\python.exe", "hanmeimei"),
    ("c:/users/zhaoliu/AppData/Local/Programs/Python/Python311/python.exe", "zhaoliu"),
    ('"C:\\Users\\Zhang San\\anaconda3\\python.exe"', "Zhang San"),
    ("D:\\Documents and Settings\\wangwu\\py\\python.exe", "wangwu"),
    ("/mnt/c/Users/sunqi/miniconda3/python.exe", "sunqi"),
    ("/public/home/zhouba/envs/zhouba-d2l/bin/python", "zhouba"),
    ("/data/home/wujiu/.conda/envs/wujiu/bin/python", "wujiu"),
    ("\\\\wsl$\\Ubuntu\\home\\zhengshi\\venv\\bin\\python", "zhengshi"),
    ("\\\\wsl.localhost\\Ubuntu-22.04\\home\\qianyi\\venv\\bin\\python", "qianyi"),
    ("/home/learner-01/miniconda3/envs/learner-01-d2l/bin/python", "learner-01"),
]
