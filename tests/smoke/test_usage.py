"""Bad usage: one line on stderr, exit 2, before anything runs."""

from __future__ import annotations

import io

import pytest

from d2l_doctor.commands import smoke as command
from d2l_doctor.commands.smoke import parse_request
from d2l_doctor.errors import UsageError
from d2l_doctor.options import CommonOptions
from tests.smoke.support import smoke


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--device", "gpu7"), "--device gpu7"),
        (("--device", "cuda:x"), "--device cuda:x"),
        (("--size", "0"), "--size 0"),
        (("--size", "100000"), "--size 100000"),
        (("--world-size", "0"), "--world-size 0"),
        (("--device", "cuda:0", "--world-size", "2"), "--world-size needs --device all"),
        (("--python", "/no/such/python"), "/no/such/python"),
    ],
)
def test_bad_usage_is_one_line_and_exit_2(args: tuple[str, ...], words: str) -> None:
    run = smoke(*args)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("d2l-doctor: error: ") and words in lines[0]
    assert "Traceback" not in run.stdout + run.stderr


def test_device_names_are_normalised() -> None:
    assert parse_request("CUDA", None, None, "en").device == "cuda:0"
    assert parse_request(" cpu ", 64, 2, "en") == parse_request("cpu", 64, 2, "en")


def test_usage_errors_speak_chinese() -> None:
    with pytest.raises(UsageError, match="请使用"):
        parse_request("gpu7", None, None, "zh")


def test_an_internal_error_is_one_line_and_exit_1(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise KeyError("nobody expected this")

    monkeypatch.setattr(command, "build_report", broken)
    opts = CommonOptions(None, 60.0, None, "en", False, False, None, None)
    stream = io.StringIO()
    assert command.run_smoke(opts, device="cpu", stream=stream) == 1
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1 and "KeyError" in lines[0] and "-v" in lines[0]
