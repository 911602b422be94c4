"""Programs posing as Python: none may pass for a healthy interpreter, none may leave a process behind.

Each is a `python` script given with --python: it prints something JSON-shaped, floods, hangs, forges the
payload's markers, or plants a grandchild in a session of its own (setsid). Each must end in exit 2 and the one
line "this is not a Python the doctor could examine", in bounded time and memory, with nothing left running.
"""

from __future__ import annotations

import json
import os
import random
import stat
import sys
from pathlib import Path

import pytest

from tests.hostile.harness import assert_refused, processes_with, run_doctor

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the fakes are POSIX shell scripts")

PLAUSIBLE = {
    "protocol": 1,
    "python": {
        "executable": "/usr/bin/python3",
        "version": "3.11.7",
        "bits": 64,
        "implementation": "cpython",
    },
    "packages": {"torch": "2.5.1+cu124", "torchvision": "0.20.1"},
    "phases": {
        "torch": {"import": {"module": "torch", "ok": True}, "torch": {"version": "2.5.1", "cuda": "12.4"}}
    },
    "errors": [],
}
MARKERS = "\n".join(
    [
        "@@d2l-doctor:facts - "
        + json.dumps({"python": PLAUSIBLE["python"], "packages": PLAUSIBLE["packages"]}),
        "@@d2l-doctor:begin torch 0.1",
    ]
)


def _sh(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


# name -> shell body; {grandchild} is replaced by a command that plants a process in a new session.
FAKES = {
    "python-1": "echo '{\"python\":1}'",
    "plausible-without-nonce": f"echo {_sh(json.dumps(PLAUSIBLE))}",
    "plausible-with-wrong-nonce": f"echo {_sh(json.dumps({**PLAUSIBLE, 'nonce': '00' * 12}))}",
    "echoes-its-nonce-in-a-wrong-shape": 'echo "{\\"protocol\\": 1, \\"nonce\\": \\"$3\\", \\"python\\": 1}"',
    "forged-markers": f"echo {_sh(MARKERS)} >&2; exit 0",
    "forged-markers-then-dies": f"echo {_sh(MARKERS)} >&2; kill -SEGV $$",
    "silent": "exit 0",
    "flood-stdout-lines": "exec yes",
    "flood-stderr-lines": "exec yes >&2",
    "flood-one-endless-line": "exec cat /dev/zero",
    "flood-long-lines": "exec yes \"$(head -c 65536 /dev/zero | tr '\\0' x)\"",
    "deep-json": "head -c 2000000 /dev/zero | tr '\\0' '['",
    "terminal-escapes": "printf '\\033]0;pwned\\007\\033[2J\\r\\u202e boom' >&2; exit 3",
    "setsid-grandchild-holding-pipes": "{grandchild} ; echo '{\"python\":1}'",
    "setsid-grandchild-detached": "{grandchild} >/dev/null 2>&1 </dev/null; echo '{\"python\":1}'",
    "setsid-grandchild-then-plausible": "{grandchild} ; echo " + _sh(json.dumps(PLAUSIBLE)),
    "hangs": "exec sleep 600",
}


def _fake(tmp_path: Path, body: str, marker: str) -> Path:
    grandchild = f"setsid sleep {marker} &"
    script = tmp_path / "bin" / "python"
    script.parent.mkdir()
    script.write_text("#!/bin/sh\n" + body.replace("{grandchild}", grandchild) + "\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


CASES = [("check", name) for name in sorted(FAKES)] + [
    ("fix", name) for name in ("python-1", "flood-stdout-lines", "setsid-grandchild-holding-pipes")
] + [("smoke-gpu", name) for name in ("python-1", "flood-stdout-lines", "terminal-escapes")]


@pytest.mark.parametrize(("command", "name"), CASES)
def test_a_fake_interpreter_is_refused(tmp_path: Path, command: str, name: str) -> None:
    marker = f"{86000 + random.randrange(399)}.{random.randrange(10**6):06d}"
    fake = _fake(tmp_path, FAKES[name], marker)
    extra = ["--timeout", "5"] if name == "hangs" else []
    outcome = run_doctor([command, "--python", str(fake), "--lang", "en", *extra])
    try:
        assert_refused(outcome, "not a Python the doctor could examine")
        assert "\x1b" not in outcome.stdout
        assert processes_with(marker) == [], "a grandchild outlived the doctor"
    finally:
        for proc in processes_with(marker):
            proc.kill()


def test_the_real_interpreter_still_passes(tmp_path: Path) -> None:
    outcome = run_doctor(["check", "--python", sys.executable, "--lang", "en", "--json"])
    assert outcome.code in (0, 1), outcome
    assert json.loads(outcome.stdout)["snapshot"]["python"]["version"]
