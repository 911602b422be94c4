"""End to end: a Pillow whose C extension is damaged; nbconvert 6.1.0 beside Jinja2 3.1 (`contextfilter`); matplotlib
3.7.2 beside IPython 9.16+ (`backend2gui`)."""

from __future__ import annotations

import pytest
from packaging.requirements import Requirement

from tests.check.support import check, evidence_text, fix_of, requirement_names
from tests.support.venvs import Venv, damage_pillow, index_unreachable, make_venv

pytestmark = pytest.mark.venv


def built(root_factory: pytest.TempPathFactory, name: str, *packages: str) -> Venv:
    """A venv with packages from the package index; skipped (not failed) when the index cannot be reached."""
    try:
        return make_venv(root_factory.mktemp(name) / "venv", *packages)
    except RuntimeError as exc:
        index_unreachable(f"could not install {' '.join(packages)}: {str(exc).splitlines()[-1]}")


@pytest.fixture(scope="module")
def damaged_pillow_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return damage_pillow(built(tmp_path_factory, "pillow", "pillow"))


def test_damaged_pillow(damaged_pillow_venv: Venv) -> None:
    run = check("--python", str(damaged_pillow_venv.python), "--json")
    assert run.returncode == 1, run.stderr
    assert run.doc["snapshot"]["imports"]["PIL"]["ok"] is False
    finding = run.findings()["pillow-broken"]
    assert finding["severity"] == "error"
    assert "_imaging" in evidence_text(finding)
    # Reinstalled: an uninstall of Pillow, then an install of it.
    kinds = [(f["kind"], requirement_names(f)) for f in finding["fixes"] if f["kind"].startswith("pip-")]
    uninstalls = [i for i, (kind, names) in enumerate(kinds) if kind == "pip-uninstall" and "pillow" in names]
    installs = [i for i, (kind, names) in enumerate(kinds) if kind == "pip-install" and "pillow" in names]
    assert uninstalls and installs and uninstalls[0] < installs[-1], finding["fixes"]
    python = str(damaged_pillow_venv.python)
    assert all(f["argv"][0] == python for f in finding["fixes"] if f["kind"].startswith("pip-"))


@pytest.fixture(scope="module")
def old_nbconvert_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    return built(tmp_path_factory, "nbconvert", "nbconvert==6.1.0", "jinja2>=3.1")


def test_nbconvert_without_contextfilter(old_nbconvert_venv: Venv) -> None:
    run = check("--python", str(old_nbconvert_venv.python), "--json")
    snapshot = run.doc["snapshot"]
    assert snapshot["packages"]["nbconvert"] == "6.1.0"
    assert snapshot["imports"]["nbconvert"]["ok"] is False
    assert "contextfilter" in snapshot["imports"]["nbconvert"]["error"]
    finding = run.findings()["nbconvert-jinja2-contextfilter"]
    assert "contextfilter" in evidence_text(finding) or "6.1.0" in evidence_text(finding)
    installs = fix_of(finding, "pip-install") + fix_of(finding, "conda-install")
    upgrades = [f for f in installs if "nbconvert" in requirement_names(f)]
    assert upgrades, finding["fixes"]
    fix = upgrades[0]
    requirement = next(Requirement(p) for p in fix["packages"] if Requirement(p).name.lower() == "nbconvert")
    # An upgrade: either --upgrade/-U, or a requirement that 6.1.0 does not meet (and 6.2.0, the fix, does).
    upgraded = {"--upgrade", "-U"} & set(fix["flags"]) or (
        "6.1.0" not in requirement.specifier and requirement.specifier.contains("7.0.0")
    )
    assert upgraded, fix
    assert finding["severity"] in ("error", "warning")
    assert run.returncode == run.doc["exit_code"]


@pytest.fixture(scope="module")
def book_plot_venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """d2l 1.0.3's matplotlib pin beside today's IPython (what `pip install d2l==1.0.3` gives now)."""
    return built(tmp_path_factory, "plot", "matplotlib==3.7.2", "numpy<2", "ipython>=9.16")


def test_matplotlib_before_3_9_with_ipython_9_16(book_plot_venv: Venv) -> None:
    run = check("--python", str(book_plot_venv.python), "--json")
    assert run.returncode == 1, run.stderr
    finding = run.findings()["matplotlib-ipython-backend2gui"]
    assert finding["severity"] == "error" and "3.7.2" in evidence_text(finding)
    [fix] = fix_of(finding, "pip-install")
    assert fix["packages"] == ["ipython<9.16"] and fix["argv"][0] == str(book_plot_venv.python)
