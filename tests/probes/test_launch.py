"""`check`'s head start: the target payload starts before the command line is parsed, is adopted by the
target probe when it is the run asked for, and is killed when nobody adopts it. Seen from outside through an
interpreter that logs each start (a shell script named `python` that execs the real one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer

from d2l_doctor.cli import app
from d2l_doctor.probes import launch
from tests.support.doctor import Run, doctor, user_env


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check"], (True, None)),
        (["check", "--python", "/x/bin/python", "--json"], (True, "/x/bin/python")),
        (["check", "--python=/a/python", "-v", "--python", "/b/python"], (True, "/b/python")),
        (["check", "--timeout", "30", "--lang", "zh", "--shell=cmd", "--markdown"], (True, None)),
        (["check", "--python"], (False, None)),  # the parser will say what is missing
        (["check", "--python", "--json"], (False, None)),
        (["check", "--matrix", "m.yaml"], (False, None)),  # a user's matrix is validated before any probe
        (["check", "--from-report", "r.json"], (False, None)),
        (["check", "--help"], (False, None)),
        (["check", "--pyhton", "/x/python"], (False, None)),  # unknown: the parser has the last word
        (["check", "stray"], (False, None)),
        (["fix", "--python", "/x/python"], (False, None)),
        (["--version"], (False, None)),
        ([], (False, None)),
    ],
)
def test_which_command_lines_start_early(argv: list[str], expected: tuple[bool, object]) -> None:
    assert launch.check_python(argv) == expected


def test_the_reading_knows_every_option_of_check() -> None:
    """A new option of `check` must be named here too, as a flag, an option with a value, or one that starts
    no probe: otherwise the head start silently stops (correct, only slower)."""
    command = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    for param in command.params:
        for opt in (*param.opts, *param.secondary_opts):
            if opt in launch.CHECK_NO_PROBE:
                continue
            kind = launch.CHECK_FLAGS if param.is_flag else launch.CHECK_VALUED
            assert opt in kind, f"{opt} of `check` is unknown to probes/launch.py"
    assert "--help" in launch.CHECK_NO_PROBE


def _logging_python(folder: Path) -> tuple[Path, Path]:
    """A venv at folder whose bin/python appends "PID ARGS" to folder/starts.log, then execs the venv's real
    interpreter (so the payload still finds itself in that venv)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120)
    log = folder / "starts.log"
    python = folder / "bin" / "python"
    real = python.with_name("python-real")
    python.rename(real)
    python.write_text(f'#!/bin/sh\necho "$$ $*" >> "{log}"\nexec "{real}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    return python, log


def _starts(log: Path) -> list[tuple[int, str]]:
    if not log.exists():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()
    return [(int(pid), rest) for pid, _, rest in (line.partition(" ") for line in lines)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _env(tmp_path: Path) -> dict[str, str]:
    data = tmp_path / "jupyter-data"
    data.mkdir()
    return user_env({"JUPYTER_DATA_DIR": str(data), "JUPYTER_PATH": "", "HOME": str(tmp_path / "home")})


@pytest.mark.skipif(os.name != "posix", reason="the logging interpreter is a shell script")
def test_check_adopts_the_head_start_and_answers_its_own_kernel_from_it(tmp_path: Path) -> None:
    """One start of the target for the whole check: the head start's run is the one probed, and the kernel
    the environment registered for itself (share/jupyter/kernels/python3, a bare `python`) is answered from
    that run instead of starting the same interpreter a second time beside it."""
    python, log = _logging_python(tmp_path / "env")
    spec = tmp_path / "env" / "share" / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps({"argv": ["python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                    "display_name": "Python 3", "language": "python"}),
        encoding="utf-8",
    )  # fmt: skip
    run = doctor("check", "--python", str(python), "--json", env=_env(tmp_path))
    assert run.returncode in (0, 1), run.output
    starts = _starts(log)
    assert len(starts) == 1 and "--book" in starts[0][1], starts
    (kernel,) = run.doc["snapshot"]["jupyter"]["kernelspecs"]
    assert kernel["python"] == str(python)
    assert kernel["python_version"] == run.doc["snapshot"]["python"]["version"]
    assert kernel["packages"] == run.doc["snapshot"]["packages"] and kernel["probe_problem"] is None


def _ended(run: Run, log: Path) -> list[int]:
    """The pids of the starts in the log, once none of them is alive any more (a few seconds at most)."""
    pids = [pid for pid, _ in _starts(log)]
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in pids), (pids, run.output)
    return pids


@pytest.mark.skipif(os.name != "posix", reason="the logging interpreter is a shell script")
def test_a_head_start_nobody_adopts_is_killed(tmp_path: Path) -> None:
    """`--lang xx` is refused by the parser, after the head start began: the run is killed, not left behind,
    even when the interpreter would have gone on for minutes."""
    slow = tmp_path / "slow.py"
    slow.write_text("import time\ntime.sleep(300)\n", encoding="utf-8")
    python, log = _logging_python(tmp_path / "env")
    # Whatever it is asked to run, this interpreter sleeps: the head start's run cannot end by itself.
    python.write_text(python.read_text(encoding="utf-8").replace('"$@"', f'"{slow}"'), encoding="utf-8")
    run = doctor("check", "--python", str(python), "--lang", "xx", env=_env(tmp_path))
    assert run.returncode == 2 and "--lang" in run.stderr, run.output
    assert len(_ended(run, log)) == 1  # it was started early, and it is gone


@pytest.mark.skipif(os.name != "posix", reason="the logging interpreter is a shell script")
def test_a_broken_matrix_fails_before_any_probe_starts(tmp_path: Path) -> None:
    python, log = _logging_python(tmp_path / "env")
    matrix = tmp_path / "matrix.yaml"
    matrix.write_text("schema_version: [\n", encoding="utf-8")
    run = doctor("check", "--python", str(python), "--matrix", str(matrix), env=_env(tmp_path))
    assert run.returncode == 2, run.output
    assert _starts(log) == []


def test_adopt_takes_only_the_run_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another interpreter, another environment or no book cell: the head start is killed, nothing adopted."""
    env = {k: v for k, v in os.environ.items()}
    sleeper = tmp_path / "sleep.py"
    sleeper.write_text("import time\ntime.sleep(300)\n", encoding="utf-8")
    for n, other in enumerate(
        ({"python": "/elsewhere/bin/python"}, {"env": {**env, "EXTRA": "1"}}, {"book": False})
    ):
        cwd = tmp_path / f"cwd-{n}"
        cwd.mkdir()
        monkeypatch.setattr(launch, "PAYLOAD", sleeper)
        run = launch.start(sys.executable, env, str(cwd), book=True)
        assert isinstance(run.launched, launch.runner.Launched)
        monkeypatch.setattr(launch, "_head", run)
        asked = {"python": sys.executable, "env": env, "book": True, **other}
        assert launch.adopt(str(asked["python"]), asked["env"], bool(asked["book"])) is None  # type: ignore[arg-type]
        assert run.launched.proc.poll() is not None and not cwd.exists()
        assert launch._head is None
    adopted = tmp_path / "adopted"
    adopted.mkdir()
    run = launch.start(sys.executable, env, str(adopted), book=True)
    monkeypatch.setattr(launch, "_head", run)
    assert launch.adopt(sys.executable, env, True) is run and launch._head is None
    launch.end(run)
    assert not adopted.exists()
