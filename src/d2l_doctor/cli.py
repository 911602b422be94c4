"""The command line: parse, call the core, render, exit. No logic lives here.

Heavy modules (yaml, pynvml, the probes, rich's console) are imported inside the commands, so `--help` stays instant.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, NoReturn, Optional

import typer

from d2l_doctor import __version__
from d2l_doctor.errors import UsageError
from d2l_doctor.options import MAX_TIMEOUT_S, CommonOptions

app = typer.Typer(
    name="d2l-doctor",
    help="Diagnose and repair a PyTorch set-up for Dive into Deep Learning (d2l).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: rich's help formatting doubles the start-up time of --help
)

PythonOpt = typer.Option(
    None, "--python", help="The interpreter to examine (default: the active conda env/venv)."
)
TimeoutOpt = typer.Option(
    60.0, "--timeout", help="Seconds the target interpreter may take.", min=1.0, max=MAX_TIMEOUT_S
)
MatrixOpt = typer.Option(None, "--matrix", help="Use this compat_matrix.yaml instead of the bundled one.")
LangOpt = typer.Option(None, "--lang", help="Language of the messages: zh or en (default: from the locale).")
VerboseOpt = typer.Option(False, "--verbose", "-v", help="Show the facts, and traces of crashes.")
JsonOpt = typer.Option(False, "--json", help="Print one JSON document instead of the report.")
ShellOpt = typer.Option(
    None, "--shell", help="Render commands for bash, powershell or cmd (default: detected)."
)
ReportOpt = typer.Option(
    None, "--from-report", help="Diagnose a d2l-doctor JSON report or collect_env text ('-' for stdin)."
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"d2l-doctor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """Diagnose and repair a PyTorch set-up for Dive into Deep Learning (d2l)."""


def _common(
    python: Optional[str],
    timeout: float,
    matrix: Optional[Path],
    lang: Optional[str],
    verbose: bool,
    json_out: bool,
    shell: Optional[str],
    from_report: Optional[str],
) -> CommonOptions:
    return CommonOptions.build(
        python=python,
        timeout=timeout,
        matrix=matrix,
        lang=lang,
        verbose=verbose,
        json=json_out,
        shell=shell,
        from_report=from_report,
    )


@app.command(short_help="Diagnose this machine and Python environment.")
def check(
    python: Optional[str] = PythonOpt,
    timeout: float = TimeoutOpt,
    matrix: Optional[Path] = MatrixOpt,
    lang: Optional[str] = LangOpt,
    verbose: bool = VerboseOpt,
    json_out: bool = JsonOpt,
    markdown: bool = typer.Option(
        False, "--markdown", help="Print a Markdown report to paste into a forum post."
    ),
    shell: Optional[str] = ShellOpt,
    from_report: Optional[str] = ReportOpt,
) -> None:
    """Probe the machine and the Python environment, and print each problem with the command that fixes it."""
    from d2l_doctor.commands.check import run_check

    _finish(
        lambda: run_check(
            _common(python, timeout, matrix, lang, verbose, json_out, shell, from_report), markdown=markdown
        )
    )


@app.command(short_help="Plan the fixes; --apply runs them, --undo goes back.")
def fix(
    python: Optional[str] = PythonOpt,
    timeout: float = TimeoutOpt,
    matrix: Optional[Path] = MatrixOpt,
    lang: Optional[str] = LangOpt,
    verbose: bool = VerboseOpt,
    json_out: bool = JsonOpt,
    shell: Optional[str] = ShellOpt,
    from_report: Optional[str] = ReportOpt,
    mirror: str = typer.Option(
        "pypi", "--mirror", help="tuna, aliyun, ustc, …, auto, or an https://…/simple URL."
    ),
    apply: bool = typer.Option(False, "--apply", help="Run the plan (after showing it and asking)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before applying or undoing."),
    undo: bool = typer.Option(
        False, "--undo", help="Restore the environment saved before the last applied fix."
    ),
    list_snapshots: bool = typer.Option(False, "--list", help="With --undo: list the saved snapshots."),
    only: Optional[str] = typer.Option(
        None, "--only", help="With --apply: run only these fixes (finding ids, comma-separated)."
    ),
    skip: Optional[str] = typer.Option(
        None, "--skip", help="With --apply: leave out these fixes (finding ids, comma-separated)."
    ),
) -> None:
    """Turn the findings into a plan of commands; show it, and with --apply run it, with a way back (--undo)."""
    from d2l_doctor.commands.fix import run_fix

    _finish(
        lambda: run_fix(
            _common(python, timeout, matrix, lang, verbose, json_out, shell, from_report),
            mirror=mirror,
            apply=apply,
            yes=yes,
            undo=undo,
            list_snapshots=list_snapshots,
            only=_ids(only),
            skip=_ids(skip),
        )
    )


@app.command("smoke-gpu", short_help="Run real tensor work on every GPU against the CPU.")
def smoke_gpu(
    python: Optional[str] = PythonOpt,
    timeout: float = typer.Option(
        300.0, "--timeout", help="Seconds the whole smoke test may take.", min=1.0, max=MAX_TIMEOUT_S
    ),
    matrix: Optional[Path] = MatrixOpt,
    lang: Optional[str] = LangOpt,
    verbose: bool = VerboseOpt,
    json_out: bool = JsonOpt,
    device: str = typer.Option("all", "--device", help="all (every CUDA device), cuda:N, cpu or mps."),
    size: Optional[int] = typer.Option(None, "--size", help="Matrix size for the matmul tests (16 to 8192)."),
    world_size: Optional[int] = typer.Option(
        None, "--world-size", help="Processes for the all-reduce test (CPU: gloo)."
    ),
) -> None:
    """Run real tensor work on each GPU, compare it with the CPU, and explain any failure."""
    from d2l_doctor.commands.smoke import run_smoke

    _finish(
        lambda: run_smoke(
            _common(python, timeout, matrix, lang, verbose, json_out, None, None),
            device=device,
            size=size,
            world_size=world_size,
        )
    )


fleet_app = typer.Typer(
    help="Check many machines (Slurm, Ansible, a folder of reports) and see them in one report.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(fleet_app, name="fleet")
FleetOutOpt = typer.Option(..., "--out", help="The folder that gets one report file per machine.")
FleetAnsibleOpt = typer.Option(None, "--ansible", help="Every host of this Ansible inventory.")
FleetPathsArg = typer.Argument(None, help="Report files, or folders of them.")
FleetHtmlOpt = typer.Option(None, "--html", help="Write one self-contained HTML page to FILE.")


@fleet_app.command(
    "run",
    short_help="Collect one check --json report per machine through srun or ansible.",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": False},
)
def fleet_run(
    ctx: typer.Context,
    out: Path = FleetOutOpt,
    slurm: bool = typer.Option(
        False, "--slurm", help="One task per node through srun (srun options after --)."
    ),
    ansible: Optional[Path] = FleetAnsibleOpt,
    limit: Optional[str] = typer.Option(
        None, "--limit", help="With --ansible: only the hosts matching PATTERN."
    ),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds each machine's check may take.", min=1.0),
    lang: Optional[str] = LangOpt,
) -> None:
    """Run `check --json` on many machines through Slurm or Ansible; write one report per machine into --out."""
    from d2l_doctor.commands.fleet import run_collect

    _finish(
        lambda: run_collect(
            slurm=slurm,
            srun_args=list(ctx.args),
            inventory=ansible,
            limit=limit,
            out_dir=out,
            timeout=timeout,
            lang=_lang(lang),
        )
    )


@fleet_app.command(
    "report", short_help="Group many machines' reports by findings and stack, one fix per group."
)
def fleet_report(
    paths: Optional[list[Path]] = FleetPathsArg,
    json_out: bool = JsonOpt,
    markdown: bool = typer.Option(False, "--markdown", help="Print Markdown tables."),
    html: Optional[Path] = FleetHtmlOpt,
    matrix: Optional[Path] = MatrixOpt,
    lang: Optional[str] = LangOpt,
) -> None:
    """One view of all machines: groups largest first with one fix each, a table, counts, unchecked machines."""
    from d2l_doctor.commands.fleet import run_report

    _finish(
        lambda: run_report(
            list(paths or []), _lang(lang), json_out=json_out, markdown=markdown, html=html, matrix=matrix
        )
    )


def _lang(lang: Optional[str]) -> str:
    """--lang validated as the other commands do (inside _finish: a bad one is a usage error)."""
    return _common(None, 60.0, None, lang, False, False, None, None).lang


@app.command("smoke-notebook", short_help="Run the book's checks as a notebook through a real kernel.")
def smoke_notebook(
    python: Optional[str] = typer.Option(
        None, "--python", help="Run it on a temporary kernel for this interpreter (default: the active env)."
    ),
    kernel: Optional[str] = typer.Option(None, "--kernel", help="Run it on this registered Jupyter kernel."),
    timeout: float = typer.Option(120.0, "--timeout", help="Seconds each cell may take.", min=1.0),
    lang: Optional[str] = LangOpt,
    json_out: bool = JsonOpt,
) -> None:
    """Execute a small notebook (torch, a tensor on the GPU or CPU, d2l, linear regression, a plot) with nbclient."""
    from d2l_doctor.commands.notebook import run_notebook

    def body() -> int:
        opts = _common(python, timeout, None, lang, False, json_out, None, None)
        return run_notebook(opts.python, kernel, opts.timeout, opts.json, opts.lang, sys.stderr)

    _finish(body)


@app.command(short_help="Build a d2l environment from nothing: Python, torch for this GPU, d2l, Jupyter.")
def setup(
    path: Optional[str] = typer.Argument(None, help="The venv folder to build (default: ./d2l-env)."),
    conda: Optional[str] = typer.Option(None, "--conda", help="Build a conda environment of this name instead."),
    python_version: Optional[str] = typer.Option(
        None, "--python-version", help="The Python X.Y (default: the newest that fits the book and this GPU)."
    ),
    book_version: Optional[str] = typer.Option(
        None, "--book-version", help="The d2l release (default: the newest the matrix knows)."
    ),
    mirror: str = typer.Option(
        "pypi", "--mirror", help="tuna, aliyun, ustc, …, or an https://…/simple URL."
    ),
    apply: bool = typer.Option(False, "--apply", help="Build it (after showing the plan and asking)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before building or removing."),
    undo: bool = typer.Option(False, "--undo", help="Remove the environment and kernel setup made."),
    json_out: bool = JsonOpt,
    lang: Optional[str] = LangOpt,
    matrix: Optional[Path] = MatrixOpt,
    timeout: float = TimeoutOpt,
) -> None:
    """Plan, and with --apply build, a d2l environment: a fitting Python, torch for this GPU and driver,
    d2l with its pins, Jupyter and its kernel; then check it and run the book's notebook in it."""
    from d2l_doctor.commands.setup import SetupOptions, run_setup

    def body() -> int:
        common = _common(None, timeout, matrix, lang, False, json_out, None, None)
        return run_setup(
            SetupOptions(
                path=path, conda=conda, python_version=python_version, book_version=book_version,
                mirror=mirror, apply=apply, yes=yes, undo=undo, json=json_out, lang=common.lang,
                matrix=matrix, timeout=common.timeout,
            )
        )  # fmt: skip

    _finish(body)


def _ids(value: Optional[str]) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def _finish(body: Callable[[], int]) -> NoReturn:
    """Run a command body that returns an exit code; bad input becomes one line and exit 2."""
    try:
        code = body()
    except UsageError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        typer.echo("d2l-doctor: interrupted", err=True)
        raise typer.Exit(130) from None
    raise typer.Exit(int(code))


def _fail(message: str) -> NoReturn:
    # One line, whatever the message carried; outside text in it (a path, a tool's words) shown, never obeyed.
    from d2l_doctor.textsafe import mask_secrets, visible

    line = mask_secrets(visible(" ".join(message.split())))
    try:
        typer.echo(f"d2l-doctor: error: {line}", err=True)
    except UnicodeEncodeError:
        sys.stderr.write(f"d2l-doctor: error: {line}".encode("ascii", "replace").decode() + "\n")
    raise typer.Exit(2)


def main() -> None:
    # Non-standalone, so that usage errors come back to us and print as one line (exit 2) like any bad input.
    try:
        result = app(standalone_mode=False)
    except typer.Abort:
        typer.echo("d2l-doctor: aborted", err=True)
        sys.exit(1)
    except Exception as exc:  # the usage errors of the click that typer carries (vendored or not)
        message = getattr(exc, "format_message", None)
        if message is None or not hasattr(exc, "exit_code"):
            raise
        if type(exc).__name__ == "NoArgsIsHelpError":  # typer has printed the help already
            sys.exit(0)
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "d2l-doctor"
        _usage_error(f"{message()} (see '{where} --help')")
    sys.exit(result if isinstance(result, int) else 0)


def _usage_error(message: str) -> NoReturn:
    try:
        _fail(message)
    except typer.Exit as done:
        sys.exit(done.exit_code)
