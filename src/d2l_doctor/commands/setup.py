"""`d2l-doctor setup`: build a d2l environment from nothing, with the machinery of `fix --apply`.

Plan (which Python and why, which torch build for this GPU and driver, each step and whether it is done
already) -> confirm -> hold the environment (one run at a time) -> ask every download host (preflight) ->
run the steps as transactions -> check the new environment, and run the book's notebook through the kernel it
registered. Without --apply it shows the plan and changes nothing. `--undo` removes what setup made.

Exit codes: 0 when the environment is built (or was already) and the book runs in it; 1 when a step failed,
a host did not answer, a Python must be installed first, or the check or the notebook found a problem; 2 for
bad usage; 130 after Ctrl-C.
"""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from d2l_doctor.envelope import envelope, write_json
from d2l_doctor.errors import UsageError
from d2l_doctor.i18n import t
from d2l_doctor.terminal import for_command, language, require_terminal

if TYPE_CHECKING:
    from rich.console import Console

    from d2l_doctor.matrix import Matrix
    from d2l_doctor.mirrors import MirrorChoice
    from d2l_doctor.setup.build import BuildReport
    from d2l_doctor.setup.plan import SetupPlan
    from d2l_doctor.setup.target import Target, TargetState

DEFAULT_PATH = "d2l-env"
INTERRUPTED_EXIT = 130
NOTEBOOK_TIMEOUT_S = 300.0


@dataclass(frozen=True)
class SetupOptions:
    path: Optional[str]
    conda: Optional[str]
    python_version: Optional[str]
    book_version: Optional[str]
    mirror: str
    apply: bool
    yes: bool
    undo: bool
    json: bool
    lang: str
    matrix: Optional[Path]
    timeout: float


def run_setup(opts: SetupOptions) -> int:
    lang = language(opts.lang)
    if opts.apply and opts.undo:
        raise UsageError(t("setup.error.undo_and_apply", lang))
    if opts.path and opts.conda:
        raise UsageError(t("setup.error.path_and_conda", lang))
    if (opts.apply or opts.undo) and not opts.yes:
        # Refuse now rather than after the probes: nobody could answer the question.
        require_terminal(lang, "--undo" if opts.undo else "--apply")
    from d2l_doctor.matrix import load_matrix
    from d2l_doctor.mirrors import resolve_mirror
    from d2l_doctor.setup import choose

    matrix = load_matrix(opts.matrix)
    system = platform.system().lower()
    target = _target(opts, system, lang)
    if opts.undo:
        return _undo(opts, lang, target)
    release = choose.book_release(matrix, opts.book_version, lang)
    choice_of_mirror = resolve_mirror(opts.mirror, matrix.mirrors, lang=lang)
    env = dict(os.environ)
    target = _free_kernel_name(target, env)
    state = _inspect(target, env)
    if state.foreign:
        raise UsageError(t("setup.error.foreign", lang, path=str(target.prefix)))
    from concurrent.futures import ThreadPoolExecutor

    from d2l_doctor.probes.shell import detect_shell
    from d2l_doctor.setup import pythons
    from d2l_doctor.terminal import isatty

    shell = detect_shell(env)
    if isatty(sys.stderr):  # a few seconds of probing: say what for
        sys.stderr.write(t("setup.progress.looking", lang) + "\n")
    with ThreadPoolExecutor(max_workers=1) as pool:
        # conda brings its own Python: only a venv needs one found on the machine.
        found_later = pool.submit(pythons.discover, env, system) if target.kind == "venv" else None
        host = _host_facts(env)
        found = found_later.result() if found_later is not None else []
    choice = choose.choose(matrix, release, host, found, opts.python_version, lang)
    from d2l_doctor.setup.plan import build

    plan = build(target, state, choice, release, matrix, choice_of_mirror)
    term = for_command(opts.json)
    con = term.console
    from d2l_doctor.setup import render

    render.show_plan(con, plan, matrix, host, choice_of_mirror, shell, lang)
    run = _Run(opts, lang, con, term.progress, plan, matrix, choice_of_mirror, shell)
    if plan.blocked:
        return run.stop("setup.plan.blocked", 1)
    if not opts.apply:
        return run.stop("setup.plan.how_to_apply" if plan.pending else "setup.plan.all_done", 0)
    if plan.pending and not term.confirm(
        t("fix.apply.confirm", lang, n=len(plan.pending)), yes=opts.yes, lang=lang
    ):
        con.print(t("fix.apply.declined", lang))
        return 1
    return _apply(run)


@dataclass(frozen=True)
class _Run:
    """What an applied setup works with, from the plan to the verdict."""

    opts: SetupOptions
    lang: str
    con: Console
    progress: Any
    plan: SetupPlan
    matrix: Matrix
    mirror: MirrorChoice
    shell: str

    def stop(self, key: str, code: int, **parts: Any) -> int:
        """Say why the run ends here (and the JSON document so far): code."""
        from d2l_doctor.setup import render

        self.con.print(t(key, self.lang))
        if self.opts.json:
            write_json(envelope(render.document(self.plan, self.matrix, **parts), code))
        return code


def _apply(run: _Run) -> int:
    from d2l_doctor.fixes import lock

    # The lock only keeps a second run out: setup keeps no snapshot to go back to (its undo removes what it
    # made), so a killed run leaves nothing for the next one to take over.
    try:
        with lock.EnvLock(str(run.plan.target.python), allow_unfinished=True) as held:
            report = _build(run, held) if run.plan.pending else None
    except lock.Busy as busy:
        run.con.print(t("fix.lock.busy", run.lang, pid=busy.record.pid, python=str(run.plan.target.python)))
        return 1
    if isinstance(report, int):
        return report
    return _verify(run, report)


def _build(run: _Run, held: Any) -> BuildReport | int:
    """Build what the plan has still to do: the report, or the exit code of a run that ends here."""
    from d2l_doctor.fixes import render_run, state
    from d2l_doctor.fixes.executor import Executor
    from d2l_doctor.fixes.preflight import run_preflight
    from d2l_doctor.fixes.progress import make_display
    from d2l_doctor.mirrors import torch_wheel_index
    from d2l_doctor.setup import build, render
    from d2l_doctor.setup.target import write_mark

    plan, lang, con, mirror = run.plan, run.lang, run.con, run.mirror
    txs = build.transactions(plan)
    pre = run_preflight(
        txs,
        default_index=os.environ.get("PIP_INDEX_URL") or None,
        catalogue=run.matrix.mirrors,
        pypi_torch_variant=None,
        chosen_pypi=mirror.pypi.url if mirror.pypi else None,
    )
    render_run.show_preflight(con, pre, lang)
    if pre.blocked:
        render.show_blocked(con, pre, lang)
        return run.stop("setup.apply.blocked", 1, preflight=pre)
    target = plan.target
    if target.kind == "venv":  # the mark first: a run stopped at any point is recognised as setup's
        try:
            write_mark(target, book=plan.choice.book, kernel=target.kernel)
        except OSError as exc:
            error = exc.strerror or str(exc)
            raise UsageError(
                t("setup.error.cannot_create", lang, path=str(target.prefix), error=error)
            ) from None
    variant = plan.choice.torch.variant
    torch_index = torch_wheel_index(mirror, variant, run.matrix.pytorch_index_url(variant))
    display = make_display(run.progress, lang)
    executor = Executor(display, shell=run.shell, total=len(txs), on_child=lambda pid: held.update(child=pid))
    try:
        report = build.build(
            plan,
            executor,
            freeze=state.freeze,
            wheel_dir=str(state.snapshots_dir() / "setup.wheels"),
            pypi_index=mirror.pypi,
            torch_indexes={variant: torch_index} if torch_index else {},
            on_env=lambda: _mark(target, plan.choice.book),  # a conda env exists only now
        )
    finally:
        display.close()
    render.show_build(con, report, lang)
    if report.interrupted:
        return run.stop("setup.apply.interrupted", INTERRUPTED_EXIT, report=report)
    if not report.ok:
        return run.stop("setup.apply.failed", 1, report=report)
    return report


def _verify(run: _Run, report: Optional[BuildReport]) -> int:
    """The new environment as `check` sees it, and the book's notebook through the kernel setup registered."""
    from d2l_doctor.commands.notebook import notebook_run
    from d2l_doctor.diagnose import diagnose
    from d2l_doctor.options import CommonOptions
    from d2l_doctor.setup import render

    plan, lang, con = run.plan, run.lang, run.con
    check_opts = CommonOptions.build(
        python=str(plan.target.python), timeout=run.opts.timeout, matrix=run.opts.matrix, lang=lang,
        verbose=False, json=True, shell=None, from_report=None,
    )  # fmt: skip
    con.print(t("setup.verify.check", lang))
    diagnosis = diagnose(check_opts)
    con.print(t("setup.verify.notebook", lang, kernel=plan.target.kernel))
    notebook = notebook_run(None, plan.target.kernel, NOTEBOOK_TIMEOUT_S, lang, sys.stderr)
    code = 1 if diagnosis.exit_code or notebook.exit_code else 0
    render.show_verdict(con, plan, diagnosis, notebook, run.shell, lang)
    if run.opts.json:
        doc = render.document(
            plan, run.matrix, report=report, diagnosis=diagnosis, notebook=notebook, lang=lang
        )
        write_json(envelope(doc, code))
    return code


def _undo(opts: SetupOptions, lang: str, target: Target) -> int:
    from d2l_doctor.fixes import lock
    from d2l_doctor.setup import render
    from d2l_doctor.setup.undo import removals, remove

    state = _inspect(target, dict(os.environ))
    if state.foreign:
        raise UsageError(t("setup.error.undo_foreign", lang, path=str(target.prefix)))
    items = removals(target, state)
    term = for_command(opts.json)
    con = term.console
    render.show_removals(con, target, items, lang)
    if not items:
        if opts.json:
            write_json(envelope({"command": "setup-undo", "removed": [], "errors": []}, 0))
        return 0
    if not term.confirm(
        t("setup.undo.confirm", lang, n=len(items)), yes=opts.yes, lang=lang, option="--undo"
    ):
        con.print(t("fix.apply.declined", lang))
        return 1
    errors: list[dict[str, str]] = []
    try:
        with lock.EnvLock(str(target.python), allow_unfinished=True):
            for item in items:
                error = remove(item)
                con.print(render.removal_line(item, error, lang))
                if error:
                    errors.append({"what": item.what, "path": item.path, "error": error})
    except lock.Busy as busy:
        con.print(t("fix.lock.busy", lang, pid=busy.record.pid, python=str(target.python)))
        return 1
    code = 1 if errors else 0
    if opts.json:
        removed = [
            {"what": i.what, "path": i.path} for i in items if i.path not in {e["path"] for e in errors}
        ]
        write_json(envelope({"command": "setup-undo", "removed": removed, "errors": errors}, code))
    return code


def _target(opts: SetupOptions, system: str, lang: str) -> Target:
    from d2l_doctor.setup.target import conda_target, venv_target

    if opts.conda is None:
        return venv_target(Path(opts.path or DEFAULT_PATH), system)
    name = opts.conda.strip()
    if not name or any(c in name for c in "/\\:# ") or name.startswith("-"):
        raise UsageError(t("setup.error.conda_name", lang, name=opts.conda))
    conda_exe = _conda_exe(dict(os.environ))
    if conda_exe is None:
        raise UsageError(t("setup.error.no_conda", lang))
    return conda_target(name, conda_exe, Path(conda_exe).resolve().parent.parent, system)


def _mark(target: Target, book: str) -> None:
    """Record what setup made; a mark that cannot be written (a full disk) leaves --undo without it, not the
    run without its result."""
    from d2l_doctor.setup.target import write_mark

    try:
        write_mark(target, book=book, kernel=target.kernel)
    except OSError:
        pass


def _free_kernel_name(target: Target, env: dict[str, str]) -> Target:
    """The kernel name setup registers: the one its mark recorded, else the folder's name, else that name with
    -2, -3…: a kernel of that name that starts another interpreter is somebody's, and is never overwritten."""
    from dataclasses import replace

    from d2l_doctor.probes.jupyter import user_data_dir
    from d2l_doctor.probes.resolve import same_python
    from d2l_doctor.setup.target import kernel_owner, read_mark

    mark = read_mark(target.prefix) or {}
    if isinstance(mark.get("kernel"), str) and mark["kernel"]:
        return replace(target, kernel=mark["kernel"])
    kernels = user_data_dir(env, platform.system().lower()) / "kernels"
    for n in range(1, 100):
        name = target.kernel if n == 1 else f"{target.kernel}-{n}"
        owner = kernel_owner(kernels / name)
        if owner is None or same_python(owner, str(target.python)):
            return replace(target, kernel=name)
    return target


def _conda_exe(env: dict[str, str]) -> Optional[str]:
    import shutil

    if env.get("CONDA_EXE") and Path(env["CONDA_EXE"]).is_file():
        return env["CONDA_EXE"]
    return shutil.which("conda", path=env.get("PATH"))


def _inspect(target: Target, env: dict[str, str]) -> TargetState:
    from d2l_doctor.probes.jupyter import user_data_dir
    from d2l_doctor.setup.target import inspect

    return inspect(target, env, user_data_dir(env, platform.system().lower()) / "kernels")


def _host_facts(env: dict[str, str]) -> Any:
    """The machine's facts that choose the torch build: OS, GPUs and driver (no target interpreter)."""
    from concurrent.futures import ThreadPoolExecutor

    from d2l_doctor.models import Snapshot
    from d2l_doctor.probes import host, nvml, pci

    with ThreadPoolExecutor(max_workers=3) as pool:
        nv = pool.submit(nvml.probe, env, timeout=10.0)
        cards = pool.submit(pci.probe, env, timeout=10.0)
        machine = host.probe(None)
        nvidia = nv.result()
        return Snapshot(
            host=machine,
            driver=nvidia.driver if nvidia else None,
            gpus=nvidia.gpus if nvidia else (),
            pci_gpus=cards.result() or (),
        )
