"""Words a learner understands (issue 11, point 7): no internal source tags in the evidence, a Pillow finding
that does not blame a torchvision that is not installed."""

from __future__ import annotations

from d2l_doctor.render.view import finding_view
from tests.rules.snap import cpu_machine, gpu_machine, with_imports, with_packages
from tests.rules.test_scenarios import SCENARIOS
from tests.support.snapshots import failed


def _words(view) -> str:  # type: ignore[no-untyped-def]
    return " ".join([view.title, view.detail, *(f"{e.label}: {e.text}" for e in view.evidence)])


def test_a_pillow_finding_without_torchvision_does_not_blame_it(check) -> None:  # type: ignore[no-untyped-def]
    snap = with_packages(with_imports(cpu_machine(), failed("PIL", "DLL load failed while importing _imaging")),
                         torchvision=None)  # fmt: skip
    [f] = check(snap)["pillow-broken"]
    for lang in ("en", "zh"):
        assert "torchvision" not in _words(finding_view(f, snap, lang, "bash"))
    [with_it] = check(with_packages(snap, torchvision="0.28.0"))["pillow-broken"]
    assert "torchvision 0.28.0" in finding_view(with_it, snap, "en", "bash").title


def test_evidence_names_its_sources_in_words(check) -> None:  # type: ignore[no-untyped-def]
    snap = SCENARIOS["blackwell-on-cu126"][0]
    shown = " ".join(_words(finding_view(f, snap, lang, "bash")) for fs in check(snap).values() for f in fs
                     for lang in ("en", "zh"))  # fmt: skip
    assert "arch list" in shown.lower() or "GPU" in shown
    for tag in ("[PyPI-arch]", "[builder]", "[RELEASE.md]", "[test-infra]", "[prev-versions]"):
        assert tag not in shown


def test_evidence_does_not_contradict_the_cause(check) -> None:  # type: ignore[no-untyped-def]
    """A driver whose max CUDA was not read (only its version): the cause names the CUDA known from the
    version, and the evidence says the same, not "not known"."""
    snap = gpu_machine(driver="535.104.05", driver_cuda=None, torch="2.13.0", torch_cuda="13.0")
    [f] = check(snap)["driver-too-old"]
    assert f.params["driver_cuda"] is not None
    assert f.evidence["driver max CUDA"] == f.params["driver_cuda"]
