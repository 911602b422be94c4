"""The payload for real, in real interpreters: this one, the torch venv, ones whose imports crash or hang."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from d2l_doctor import runner
from d2l_doctor.probes import launch, target
from tests.fakes.torch_pkg import SEGFAULT, write_fake_torch
from tests.support.venvs import Venv


def fake_package(root: Path, name: str, body: str) -> Path:
    """A package `name` under root whose import runs body; root goes on PYTHONPATH ahead of site-packages."""
    (root / name).mkdir(parents=True)
    (root / name / "__init__.py").write_text(body)
    return root


def env_with_path(*folders: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(str(f) for f in folders)}


def test_payload_in_the_doctors_own_interpreter() -> None:
    facts = target.probe(sys.executable, "self", 60, dict(os.environ))
    assert facts.problems == {}
    assert facts.python is not None
    assert facts.python.version == "{}.{}.{}".format(*sys.version_info[:3])
    assert facts.python.bits == (64 if sys.maxsize > 2**32 else 32)
    assert facts.python.prefix == sys.prefix
    assert facts.python.is_venv == (sys.prefix != sys.base_prefix)
    assert facts.python.chosen_by == "self"
    assert list(facts.imports) == ["numpy", "PIL", "torch", "torchvision", "torchaudio", "nbconvert"]
    import importlib.metadata as md

    assert facts.packages.get("jinja2") == md.version("jinja2")


def old_pythons() -> list[str]:
    """Interpreters older than the doctor's own floor (3.9) that this machine happens to have (pyenv)."""
    found = {shutil.which(f"python3.{minor}") for minor in (6, 7, 8)}
    found |= {str(p) for p in Path.home().glob(".pyenv/versions/3.[678].*/bin/python")}
    return sorted(f for f in found if f and ".pyenv/shims" not in f)


@pytest.mark.skipif(not old_pythons(), reason="no Python 3.6-3.8 on this machine")
@pytest.mark.parametrize("python", old_pythons())
def test_payload_runs_on_old_pythons(python: str) -> None:
    facts = target.probe(python, "--python", 60, dict(os.environ))
    assert facts.problems == {}
    assert facts.python is not None and facts.python.version.startswith("3.")
    assert int(facts.python.version.split(".")[1]) <= 8
    assert set(facts.imports) == set(target.IMPORTS)


@pytest.mark.venv
def test_payload_in_the_torch_venv(torch_venv: Venv) -> None:
    facts = target.probe(str(torch_venv.python), "--python", 120, dict(os.environ))
    assert facts.problems == {}
    assert facts.packages["torch"] == "2.13.0+cpu"
    assert facts.python is not None and facts.python.is_venv
    assert facts.python.prefix == str(torch_venv.root)
    assert facts.imports["torch"].ok and facts.imports["torch"].seconds is not None
    assert facts.torch is not None
    assert facts.torch.version == "2.13.0+cpu"
    assert facts.torch.cuda is None
    assert facts.torch.cuda_available is False
    assert facts.torch.device_count == 0
    # torchvision is not in that venv: reported, not attempted
    assert facts.imports["torchvision"].skipped == "not installed"
    assert facts.imports["torchvision"].error_type == "ModuleNotFoundError"


def test_a_segfaulting_import_is_reported_and_the_others_still_run(tmp_path: Path) -> None:
    fakes = fake_package(tmp_path / "fakes", "PIL", SEGFAULT)
    facts = target.probe(sys.executable, "self", 60, env_with_path(fakes))
    pil = facts.imports["PIL"]
    assert not pil.ok and pil.signal == "SIGSEGV" and not pil.timed_out
    assert pil.error and "Segmentation fault" in pil.error  # faulthandler's report, as evidence
    # The imports after PIL ran in the second run of the payload: torch (real, in this venv) imported.
    assert facts.imports["torch"].ok
    assert facts.torch is not None and facts.torch.version.startswith("2.")
    assert facts.python is not None and facts.packages
    assert "target" not in facts.problems


def test_a_segfaulting_torch_skips_what_needs_torch(tmp_path: Path) -> None:
    fakes = write_fake_torch(tmp_path / "fakes", "segfault")
    fake_package(fakes, "nbconvert", "")
    facts = target.probe(sys.executable, "self", 60, env_with_path(fakes))
    assert facts.imports["torch"].signal == "SIGSEGV"
    assert facts.torch is None
    assert (
        facts.imports["torchvision"].skipped
        == "not attempted: importing torch crashed the interpreter (SIGSEGV)"
    )
    assert facts.imports["nbconvert"].ok  # ran before torch, kept from the first run
    assert facts.python is not None


def test_a_hanging_torch_is_reported_within_the_timeout(tmp_path: Path) -> None:
    fakes = write_fake_torch(tmp_path / "fakes", "hang")
    fake_package(fakes, "numpy", "")
    facts = target.probe(sys.executable, "self", 5, env_with_path(fakes))
    torch = facts.imports["torch"]
    assert torch.timed_out and not torch.ok and torch.signal is None
    assert torch.error == "no answer within 5 s"
    assert facts.imports["torchaudio"].skipped == "not attempted: importing torch hung"
    # What came before the hang was streamed, and kept.
    assert facts.python is not None and facts.python.version
    assert facts.imports["numpy"].ok


def test_a_cuda_build_on_an_old_driver(tmp_path: Path) -> None:
    fakes = write_fake_torch(tmp_path / "fakes", "old-driver")
    facts = target.probe(sys.executable, "self", 60, env_with_path(fakes))
    torch = facts.torch
    assert torch is not None and facts.imports["torch"].ok
    assert (torch.version, torch.cuda, torch.cudnn, torch.cuda_available) == (
        "2.5.1+cu124",
        "12.4",
        90100,
        False,
    )
    assert torch.arch_list == ("sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90")  # the build's
    assert torch.init_warning is not None
    assert "The NVIDIA driver on your system is too old (found version 11040)" in torch.init_warning


def test_cuda_init_that_kills_the_interpreter(tmp_path: Path) -> None:
    fakes = write_fake_torch(tmp_path / "fakes", "cuda-segfault")
    facts = target.probe(sys.executable, "self", 60, env_with_path(fakes))
    assert facts.imports["torch"].ok  # the import itself was fine, and is reported so
    assert facts.torch is not None and facts.torch.version == "2.5.1+cu124"
    assert facts.torch.cuda_available is None
    assert facts.torch.init_warning == "torch.cuda.is_available() crashed the interpreter (SIGSEGV)"


def test_chatty_imports_cannot_corrupt_the_answer(tmp_path: Path) -> None:
    body = "import os, sys\nprint('hello from numpy')\nos.write(1, b'raw bytes on fd 1\\n')\n"
    fakes = fake_package(tmp_path / "fakes", "numpy", body)
    facts = target.probe(sys.executable, "self", 60, env_with_path(fakes))
    assert facts.imports["numpy"].ok
    assert facts.problems == {}


def test_an_import_error_is_recorded_with_its_type_and_text(tmp_path: Path) -> None:
    body = "raise ImportError('libcudart.so.12: cannot open shared object file')\n"
    fakes = fake_package(tmp_path / "fakes", "torchvision", body)
    facts = target.probe(sys.executable, "self", 60, env_with_path(fakes))
    tv = facts.imports["torchvision"]
    assert (tv.ok, tv.error_type, tv.error) == (
        False,
        "ImportError",
        "libcudart.so.12: cannot open shared object file",
    )


def test_an_interpreter_that_cannot_run_the_payload_is_a_problem(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho 'not python' >&2\nexit 3\n")
    fake.chmod(0o755)
    facts = target.probe(str(fake), "--python", 10, dict(os.environ))
    assert facts.python is None and facts.torch is None
    assert str(facts.problems["target"]) == f"{fake}: the probe failed (exit code 3): not python"


def test_a_missing_interpreter_is_a_problem(tmp_path: Path) -> None:
    facts = target.probe(str(tmp_path / "gone" / "python"), "venv", 10, dict(os.environ))
    assert facts.python is None
    assert str(facts.problems["target"]).endswith("not found")


PY_FACTS = {"executable": "/x/bin/python", "version": "3.8.10", "bits": 64}


def test_parse_stream_finds_the_phase_that_never_ended() -> None:
    stderr = "\n".join(
        [
            "@@d2l-doctor:facts - " + json.dumps({"python": PY_FACTS, "packages": {}}),
            "@@d2l-doctor:begin numpy 0.010",
            'noise@@d2l-doctor:end numpy {"import": {"ok": true}}',  # not at line start: ignored
            '@@d2l-doctor:end numpy {"import": {"module": "numpy", "ok": true}}',
            "@@d2l-doctor:begin torch 0.250",
            "Fatal Python error: Segmentation fault",
            "",
            '  File "/x/torch/__init__.py", line 2 in <module>',
        ]
    )
    stream = target.parse_stream(stderr)
    assert stream.facts == {"python": PY_FACTS, "packages": {}}
    assert list(stream.ended) == ["numpy"]
    assert stream.open_phase == "torch" and stream.open_at == 0.25
    assert stream.after_open == [
        "Fatal Python error: Segmentation fault",
        '  File "/x/torch/__init__.py", line 2 in <module>',
    ]


@pytest.mark.parametrize(
    ("returncode", "expected"),
    [
        (-11, "SIGSEGV"),
        (3221225477, "STATUS_ACCESS_VIOLATION"),
        (0xC000001D, "STATUS_ILLEGAL_INSTRUCTION"),
        (3, "exit code 3"),
        (0, None),
    ],
)
def test_death_names(returncode: int, expected: str | None) -> None:
    result = runner.CmdResult(("python",), returncode, "", "", 0.1)
    assert target.death_name(result) == expected


def test_parse_result_takes_the_last_json_line() -> None:
    answer = {"protocol": 1, "nonce": "ab12", "python": PY_FACTS, "packages": {}, "phases": {}, "errors": []}
    assert target.parse_result("junk\n" + json.dumps(answer) + "\n", "ab12") == answer
    assert target.parse_result("{not json", "ab12") is None


def test_parse_result_refuses_another_shape_or_nonce() -> None:
    answer = {"protocol": 1, "nonce": "ab12", "python": PY_FACTS, "packages": {}, "phases": {}, "errors": []}
    assert target.parse_result(json.dumps(answer), "cd34") is None  # an old run's answer, or a forged one
    assert target.parse_result('{"python": 1}', "ab12") is None
    assert target.parse_result(json.dumps({**answer, "python": {**PY_FACTS, "bits": "64"}}), "ab12") is None


def test_parse_stream_reads_only_this_runs_markers() -> None:
    facts = json.dumps({"python": PY_FACTS, "packages": {}})
    stderr = f"@@d2l-doctor:facts - {facts}\n@@d2l-doctor:n1:begin torch 0.1"
    stream = target.parse_stream(stderr, "n1")
    assert stream.facts is None and stream.open_phase == "torch"


def test_payload_env_drops_the_macos_venv_launcher_variable() -> None:
    assert "__PYVENV_LAUNCHER__" not in launch.payload_env({"__PYVENV_LAUNCHER__": "/x/bin/python", "A": "1"})
