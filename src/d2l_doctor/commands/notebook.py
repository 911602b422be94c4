"""`d2l-doctor smoke-notebook`: the book's installation checks as a notebook, run through a real kernel.

This is the one check that proves kernel -> interpreter -> imports -> device, the chain learners break. The
notebook ships in the notebook folder (book_check.ipynb); its run.py executes it with nbclient in a subprocess (the
doctor's own interpreter when it has nbclient, else the kernel's), one cell at a time, each with its own
timeout, and streams progress. A cell that fails is mapped to the `check` finding whose fix applies.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Optional, TextIO

from d2l_doctor import runner
from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.notebook import report
from d2l_doctor.notebook.report import NotebookRun

HERE = Path(report.__file__).resolve().parent  # the notebook and its runner ship beside the report
NOTEBOOK = HERE / "book_check.ipynb"
RUNNER = HERE / "run.py"
MARK = "@@d2l-notebook "
TEMP_KERNEL = "d2l-doctor-check"
STARTUP_S = 60.0


def run_notebook(
    python: Optional[str], kernel: Optional[str], timeout: float, as_json: bool, lang: str, err: TextIO
) -> int:
    run = notebook_run(python, kernel, timeout, lang, err)
    out = sys.stdout
    if as_json:
        report.write_json(run, lang, out)
    else:
        report.write_console(run, lang, out)
    return run.exit_code


def notebook_run(
    python: Optional[str], kernel: Optional[str], timeout: float, lang: str, err: TextIO
) -> NotebookRun:
    """Execute the notebook on a registered kernel (by name) or a temporary one for an interpreter, judged:
    its findings are set. Progress goes to err."""
    if python and kernel:
        raise UsageError(t("error.notebook_python_and_kernel", lang))
    env = dict(os.environ)
    temp = tempfile.mkdtemp(prefix="d2l-doctor-nb-")
    try:
        name, kernel_python = _kernel(python, kernel, env, temp, lang)
        host = sys.executable if importlib.util.find_spec("nbclient") else (kernel_python or sys.executable)
        run = NotebookRun(name, kernel_python, host)
        _execute(run, timeout, env, temp, lang, err)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    report.judge(run)
    return run


def _kernel(
    python: Optional[str], kernel: Optional[str], env: dict[str, str], temp: str, lang: str
) -> tuple[str, Optional[str]]:
    """(kernel name, its interpreter): a registered kernel by name, or a temporary one for an interpreter."""
    if kernel:
        from d2l_doctor.probes import jupyter, kernels

        specs = jupyter.probe(env, None).kernelspecs
        found = next((k for k in specs if k.name == kernel.lower()), None)
        if found is None:
            names = ", ".join(k.name for k in specs) or t("ui.val.none", lang)
            raise UsageError(t("error.notebook_no_kernel", lang, kernel=kernel, kernels=names))
        front = kernels.frontends(env)
        resolved = kernels.resolve(found, front[0] if front else None, found.scope or "user")
        return found.name, resolved.python
    from d2l_doctor.probes.resolve import resolve_target

    interpreter, _ = resolve_target(python, env, lang=lang)
    folder = Path(temp) / "kernels" / TEMP_KERNEL
    folder.mkdir(parents=True)
    spec = {
        "argv": [interpreter, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": f"d2l-doctor: {interpreter}",
        "language": "python",
    }
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (temp, env.get("JUPYTER_PATH", "")) if p)
    return TEMP_KERNEL, interpreter


def _execute(run: NotebookRun, timeout: float, env: dict[str, str], cwd: str, lang: str, err: TextIO) -> None:
    cells = len(json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"])
    progress = report.Progress(err, lang, cells)
    progress.starting(run.kernel)
    argv = [run.host, str(RUNNER), str(NOTEBOOK), run.kernel, f"{timeout:g}", f"{STARTUP_S:g}"]
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        if line.startswith(MARK):
            try:
                progress.event(json.loads(line[len(MARK) :]))
            except ValueError:
                pass

    overall = STARTUP_S + timeout * (cells + 1) + 30.0  # a guard: each cell has its own timeout inside
    env = {**env, "PYTHONUNBUFFERED": "1", "MPLBACKEND": "Agg"}
    result = runner.stream(argv, on_line, timeout=overall, env=env)
    from d2l_doctor.probes.book import last_json

    final = last_json(lines, "cells")
    if final is None:
        run.kernel_error = _why(result, lines)
        return
    run.kernel_ok = bool(final.get("kernel", {}).get("ok"))
    run.kernel_error = final.get("kernel", {}).get("error")
    run.cells = [c for c in final.get("cells", []) if isinstance(c, dict)]
    if not run.kernel_ok:
        # The kernel's own words (it writes to our stream): "No module named ipykernel_launcher".
        said = [ln for ln in lines if "No module named" in ln and not ln.startswith(MARK)]
        if said:
            run.kernel_error = said[-1].strip()


def _why(result: runner.CmdResult, lines: list[str]) -> str:
    if result.not_found:
        return f"{result.argv[0]}: not found"
    if result.timed_out:
        return "no answer before the deadline"
    tail = [ln for ln in lines if ln.strip() and not ln.startswith(MARK)][-3:]
    return " | ".join(tail)[:600] or f"exit code {result.returncode}"
