"""`d2l-doctor check` through the CLI, the diagnosis replaced by a scenario: output forms and exit code."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Optional

import pytest
from typer.testing import CliRunner

from d2l_doctor.cli import app
from d2l_doctor.commands import check as check_command
from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.options import CommonOptions
from tests.render.scenarios import LINUX_PY, broken_pillow, healthy_cpu

runner = CliRunner()


@dataclass
class Scenario:
    diagnosis: Diagnosis
    opts: Optional[CommonOptions] = None


@pytest.fixture
def scenario(monkeypatch: pytest.MonkeyPatch) -> Scenario:
    chosen = Scenario(healthy_cpu())

    def fake(opts: CommonOptions, prepare: object = None) -> Diagnosis:
        chosen.opts = opts
        return chosen.diagnosis

    monkeypatch.setattr(check_command, "diagnose", fake)
    monkeypatch.setenv("NO_COLOR", "1")
    return chosen


def test_healthy_exits_0(scenario: Scenario) -> None:
    result = runner.invoke(app, ["check", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "[✓] GPU & driver: no NVIDIA GPU" in result.stdout
    assert result.stdout.rstrip().splitlines()[-1] == "0 errors, 0 warnings, 1 note in 6 areas"


def test_an_error_exits_1_and_prints_the_fix_for_the_shell(scenario: Scenario) -> None:
    scenario.diagnosis = broken_pillow()
    result = runner.invoke(app, ["check", "--lang", "en", "--shell", "cmd"])
    assert result.exit_code == 1
    assert "[✗] PyTorch stack" in result.stdout
    assert f'{LINUX_PY} -m ipykernel install --user --name d2l --display-name "Python (d2l)"' in result.stdout


def test_json(scenario: Scenario) -> None:
    scenario.diagnosis = broken_pillow()
    result = runner.invoke(app, ["check", "--json", "--lang", "zh"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["exit_code"] == 1
    assert [f["id"] for f in doc["findings"]] == ["no-nvidia-gpu", "pillow-broken", "jupyter-kernel-missing"]
    assert doc["findings"][1]["title"] == "Pillow 已损坏"


def test_markdown(scenario: Scenario) -> None:
    result = runner.invoke(app, ["check", "--markdown", "--lang", "en"])
    assert result.exit_code == 0
    assert result.stdout.startswith("### d2l-doctor report\n")
    assert "<details>" in result.stdout


def test_verbose_shows_facts(scenario: Scenario) -> None:
    result = runner.invoke(app, ["check", "-v", "--lang", "en"])
    assert "    • import torch: ok in 1.42 s" in result.stdout
    assert scenario.opts is not None and scenario.opts.verbose


def test_json_and_markdown_together_is_bad_usage(scenario: Scenario) -> None:
    result = runner.invoke(app, ["check", "--json", "--markdown"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("d2l-doctor: error: ")
    assert result.stdout == ""
