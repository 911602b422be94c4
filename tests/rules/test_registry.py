"""evaluate(): crashes become findings, order is stable, every id has words, healthy machines stay quiet and
unknown facts raise no alarm."""

from __future__ import annotations

from dataclasses import replace

import pytest

from d2l_doctor.i18n import catalogue, t
from d2l_doctor.matrix import Matrix
from d2l_doctor.models import Area, Driver, Gpu, Severity, Snapshot, TorchInfo, exit_code_for
from d2l_doctor.rules import RULES, all_finding_ids, evaluate, sort_findings
from d2l_doctor.rules.registry import Rule, run_rule
from tests.rules.snap import cpu_machine, gpu_machine, with_packages

REQUIRED = {
    "nvidia-driver-missing",
    "no-nvidia-gpu",
    "driver-too-old",
    "gpu-arch-unsupported",
    "torch-missing",
    "torch-cpu-only",
    "torch-import-failed",
    "torchvision-mismatch",
    "torchaudio-mismatch",
    "pillow-broken",
    "numpy-abi-mismatch",
    "python-32bit",
    "conda-32bit",
    "python-unsupported",
    "cuda-toolkit-newer-than-driver",
    "cudnn-mismatch",
    "jupyter-kernel-missing",
    "jupyter-kernel-stale",
    "nbconvert-jinja2-contextfilter",
    "d2l-pins-unsatisfiable",
}


def test_required_ids_exist() -> None:
    assert set(all_finding_ids()) >= REQUIRED


@pytest.mark.parametrize("fid", all_finding_ids())
@pytest.mark.parametrize("part", ["title", "detail"])
def test_every_finding_has_english_and_chinese(fid: str, part: str) -> None:
    texts = catalogue()[f"finding.{fid}.{part}"]
    assert texts["en"].strip() and texts["zh"].strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in texts["zh"])  # real Chinese, not a copy of the English


def test_messages_use_only_params_the_rules_give(matrix: Matrix) -> None:
    """Render every finding that the scenario machines produce: no template field is left as '?'."""
    import string

    from tests.rules import test_scenarios

    for snap in test_scenarios.all_scenarios():
        for f in evaluate(snap, matrix):
            for part in ("title", "detail"):
                for lang in ("en", "zh"):
                    template = catalogue()[f"finding.{f.id}.{part}"][lang]
                    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
                    assert fields <= set(f.params), (f.id, part, fields - set(f.params))
                    assert t(f"finding.{f.id}.{part}", lang, **f.params)


def test_manual_fix_messages_exist(matrix: Matrix) -> None:
    from tests.rules import test_scenarios

    for snap in test_scenarios.all_scenarios():
        for f in evaluate(snap, matrix):
            for fix in f.fixes:
                if fix.message:
                    texts = catalogue()[fix.message]
                    assert texts["en"] and texts["zh"]


def test_a_crashing_rule_becomes_a_crash_finding(matrix: Matrix) -> None:
    def broken(s: Snapshot, m: Matrix) -> None:
        raise ValueError("boom")

    [f] = run_rule(Rule("broken-rule", Area.GPU, ("broken-rule",), broken), cpu_machine(), matrix)
    assert f.id == "rule-crashed" and f.severity is Severity.CRASH
    assert f.params == {"rule": "broken-rule", "error": "ValueError: boom"}
    assert "ValueError: boom" in f.evidence["traceback"]
    assert exit_code_for([f]) == 1


def test_crash_inside_evaluate_does_not_propagate(matrix: Matrix, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(s: Snapshot, m: Matrix) -> None:
        raise KeyError("x")

    evaluate(cpu_machine(), matrix)  # registers the rules
    patched = [replace(r, fn=broken) if r.id == "no-nvidia-gpu" else r for r in RULES]
    monkeypatch.setattr("d2l_doctor.rules.registry.RULES", patched)
    findings = evaluate(cpu_machine(), matrix)
    [crash] = [f for f in findings if f.id == "rule-crashed"]
    assert crash.params["rule"] == "no-nvidia-gpu" and crash.area is Area.GPU


def test_findings_are_sorted_by_area_then_severity(matrix: Matrix) -> None:
    snap = with_packages(
        gpu_machine(torch="2.2.2", torch_cuda="12.1", arch_list=("sm_86",), py="3.12.1"),
        numpy="2.0.1",
        d2l=None,
        nbconvert="6.1.0",
        jinja2="3.1.4",
    )
    findings = evaluate(snap, matrix)
    keys = [(list(Area).index(f.area), f.severity.rank) for f in findings]
    assert keys == sorted(keys) and len(findings) >= 3
    resorted = sort_findings(list(reversed(findings)))
    assert [(f.area, f.severity) for f in resorted] == [(f.area, f.severity) for f in findings]
    [only] = evaluate(snap, matrix, only=["numpy-abi-mismatch"])
    assert only.id == "numpy-abi-mismatch"


def test_healthy_machines_have_no_errors(matrix: Matrix) -> None:
    for snap in (
        gpu_machine(),
        cpu_machine(),
        gpu_machine(
            os="windows",
            torch="2.13.0+cu126",
            torch_cuda="12.6",
            driver="560.94",
            driver_cuda="12.6",
            arch_list=("sm_50", "sm_86"),
        ),
    ):
        findings = evaluate(snap, matrix)
        assert exit_code_for(findings) == 0, [f.id for f in findings]


def test_a_bare_report_raises_no_alarm(matrix: Matrix) -> None:
    """A collect_env report: GPU names only, no target interpreter facts. Nothing may be guessed."""
    snap = Snapshot(
        source="collect_env",
        driver=Driver("550.54.14", None, "report"),
        gpus=(Gpu("NVIDIA GeForce RTX 3060", None),),
        torch=TorchInfo(version="2.6.0+cu124", cuda="12.4"),
        packages={"torch": "2.6.0+cu124", "numpy": "1.26.4"},
        unknown=(
            "host",
            "pci_gpus",
            "python",
            "conda",
            "imports",
            "jupyter",
            "cuda_toolkits",
            "cudnn_system",
        ),
    )
    assert evaluate(snap, matrix) == []


def test_an_empty_snapshot_raises_no_alarm(matrix: Matrix) -> None:
    unknown = (
        "host",
        "driver",
        "gpus",
        "pci_gpus",
        "cuda_toolkits",
        "cudnn_system",
        "python",
        "conda",
        "packages",
        "torch",
        "imports",
        "jupyter",
    )
    assert evaluate(Snapshot(unknown=unknown), matrix) == []
