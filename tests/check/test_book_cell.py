"""Can this Python run the book? Two environments that pass `import torch` and fail the book's first cell:
d2l installed without torchvision, and torch installed without its dependencies (no sympy: the first
optimizer step fails). `check` must say so (exit 1), and `smoke-gpu --device cpu` must point at what it says."""

from __future__ import annotations

import pytest

from tests.check.support import check, evidence_text, fix_of, requirement_names
from tests.smoke.support import smoke
from tests.support.venvs import Venv, index_unreachable, make_venv

pytestmark = pytest.mark.venv

# torch's own dependencies, less sympy (what `pip install --no-deps torch` and a half-finished install leave).
TORCH_DEPS_BUT_SYMPY = ("typing-extensions", "filelock", "networkx", "jinja2", "fsspec", "numpy")


@pytest.fixture(scope="module")
def broken_book(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """torch without sympy, and d2l 1.0.3 without torchvision (nor its pins)."""
    try:
        return make_venv(
            tmp_path_factory.mktemp("broken-book") / "venv",
            *TORCH_DEPS_BUT_SYMPY,
            no_deps=("torch==2.13.0", "d2l==1.0.3"),
        )
    except RuntimeError as exc:
        index_unreachable(f"could not build the venv: {str(exc).splitlines()[-1]}")


def test_d2l_without_torchvision_is_an_error(broken_book: Venv) -> None:
    run = check("--python", str(broken_book.python), "--json")
    assert run.returncode == 1, run.output
    findings = run.findings()
    missing = findings["torchvision-missing"]
    assert missing["severity"] == "error"
    cell = findings["book-cell-failed"]
    assert cell["severity"] == "error"
    assert cell["params"]["step"] == "import d2l"
    assert cell["params"]["see"] == "torchvision-missing"
    assert "No module named 'torchvision'" in evidence_text(cell)
    steps = {s["name"]: s for s in run.doc["snapshot"]["book"]}
    assert steps["tensor"]["skipped"] and steps["optimizer step"]["skipped"]


def test_torch_without_sympy_is_an_error(broken_book: Venv) -> None:
    run = check("--python", str(broken_book.python), "--json")
    missing = run.findings()["requirements-missing"]
    assert missing["severity"] == "error"
    assert "torch 2.13.0+cpu: sympy>=1.13.3" in missing["evidence"]["missing requirements"]
    (install,) = fix_of(missing, "pip-install")
    assert "sympy" in requirement_names(install)
    # d2l's own pins (installed --no-deps) are missing too: what d2l needs stops the book.
    assert "matplotlib" in requirement_names(install)
    unmet = {(r["package"], r["name"]) for r in run.doc["snapshot"]["requirements"]}
    assert ("torch", "sympy") in unmet and ("d2l", "pandas") in unmet


def test_smoke_points_at_the_finding_check_reports(broken_book: Venv) -> None:
    run = smoke("--python", str(broken_book.python), "--device", "cpu", "--json")
    assert run.returncode == 1, run.output
    causes = [t["cause"] for d in run.doc["devices"] for t in d["tests"] if t.get("cause")]
    sympy = [c for c in causes if c["kind"] == "module-missing"]
    assert sympy and sympy[0]["finding"] == "requirements-missing", causes
    assert "sympy" in sympy[0]["message"]
    assert "requirements-missing" in {f["id"] for f in run.doc["findings"]}
