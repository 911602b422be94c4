"""Pieces of a Snapshot that the rule, renderer, fixer and ingest tests all build: an import that worked or
failed, a kernelspec, a Jupyter with the d2l kernel registered. Each folder's own machines are made of these."""

from __future__ import annotations

from typing import Optional

from d2l_doctor.models import ImportResult, JupyterInfo, Kernelspec

JUPYTER_DATA = "/home/ada/.local/share/jupyter"


def imported(module: str, seconds: float = 0.1) -> ImportResult:
    """`import module` worked, in seconds."""
    return ImportResult(module, ok=True, seconds=seconds)


def failed(
    module: str, error: Optional[str], error_type: str = "ImportError", seconds: Optional[float] = None
) -> ImportResult:
    """`import module` raised error_type(error)."""
    return ImportResult(module, ok=False, error_type=error_type, error=error, seconds=seconds)


def kernelspec(
    name: str,
    argv0: Optional[str],
    exists: Optional[bool] = True,
    *,
    display_name: Optional[str] = None,
    language: Optional[str] = None,
) -> Kernelspec:
    """A kernel in the user's Jupyter data folder that starts argv0 (exists: whether that interpreter is
    there)."""
    return Kernelspec(name, display_name or name, f"{JUPYTER_DATA}/kernels/{name}", argv0, exists, language)


def d2l_kernel(python: str) -> JupyterInfo:
    """The user's Jupyter with one kernel, "Python (d2l)", that starts python."""
    spec = kernelspec("d2l", python, display_name="Python (d2l)", language="python")
    return JupyterInfo(data_paths=(JUPYTER_DATA,), kernelspecs=(spec,))
