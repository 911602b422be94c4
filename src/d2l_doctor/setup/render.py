"""How `setup` shows itself: the choice and its reasons, the steps (done or to run, each with the host it
downloads from), the run, the verdict; and the same as one JSON document. Outside text (paths, pip's words)
goes through `visible`, as text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from d2l_doctor.fixes.run import DONE
from d2l_doctor.fixes.shell import quote_argv
from d2l_doctor.i18n import t
from d2l_doctor.models import Snapshot
from d2l_doctor.setup.plan import python_commands, uv_mirror_command
from d2l_doctor.textsafe import visible

if TYPE_CHECKING:
    from rich.console import Console

    from d2l_doctor.diagnose import Diagnosis
    from d2l_doctor.fixes.preflight import Preflight
    from d2l_doctor.matrix import Matrix
    from d2l_doctor.mirrors import MirrorChoice
    from d2l_doctor.notebook.report import NotebookRun
    from d2l_doctor.setup.build import BuildReport
    from d2l_doctor.setup.plan import SetupPlan
    from d2l_doctor.setup.target import Target
    from d2l_doctor.setup.undo import Removal


def show_plan(
    con: Console, plan: SetupPlan, m: Matrix, host: Snapshot, mirror: MirrorChoice, shell: str, lang: str
) -> None:
    from rich.text import Text

    from d2l_doctor.fixes.render_run import source_notes

    target, choice = plan.target, plan.choice
    con.print(
        Text(t("setup.plan.title", lang, book=choice.book, path=visible(str(target.prefix))), style="bold")
    )
    for line in reasons(plan, host, lang):
        con.print(Text(f"  {line}"))
    for py, why in choice.unusable:
        con.print(Text("  " + t(why, lang, python=visible(py.executable), version=py.minor), style="yellow"))
    if plan.blocked:
        con.print(Text("  " + t("setup.plan.get_python", lang, python=choice.python), style="bold yellow"))
        for argv in python_commands(choice, m, target.name):
            con.print(Text(f"     {quote_argv(argv, shell)}", style="cyan"))
        note = uv_mirror_command(m, shell)
        if note:
            con.print(Text("     " + t("setup.plan.uv_mirror", lang, setting=note), style="dim"))
    con.print(Text(t("setup.plan.steps", lang), style="bold"))
    for number, step in enumerate(plan.steps, start=1):
        label = t(f"setup.step.{step.id}", lang)
        state = t("setup.step.done" if step.done else "setup.step.todo", lang)
        con.print(
            Text(f"  {number}. {label} ", style="bold")
            + Text(f"[{state}]", style="green" if step.done else "yellow")
        )
        if step.step.argv and not step.done:
            con.print(Text(f"     {visible(quote_argv(step.step.argv, shell))}", style="cyan"))
            for note in source_notes(step.step, mirror, None, lang):
                con.print(Text(f"     {note}", style="dim"))
    con.print(Text("  " + t("setup.step.verify", lang), style="dim"))


def reasons(plan: SetupPlan, host: Snapshot, lang: str) -> list[str]:
    """Why this Python and this torch, in words."""
    choice = plan.choice
    from d2l_doctor.setup.choose import span

    out = [t("setup.why.python_pins", lang, book=choice.book, pythons=span(choice.d2l_pythons) or "-")]
    fits = ", ".join(f"{f.python} ({f.torch.label})" for f in choice.fits)
    out.append(t("setup.why.fits", lang, fits=fits))
    if choice.base is not None:
        out.append(
            t(
                "setup.why.base",
                lang,
                python=choice.python,
                path=visible(choice.base.executable),
                how=choice.base.how,
            )
        )
    else:
        out.append(t("setup.why.no_base", lang, python=choice.python))
    gpu = _gpu_words(host, lang)
    out.append(
        t("setup.why.torch", lang, torch=choice.torch.label, gpu=gpu, index=choice.torch.index_url or "PyPI")
    )
    if choice.torch.variant == "cpu" and host.pci_gpus and host.driver is None:
        out.append(t("setup.why.cpu_driver", lang))
    return out


def _gpu_words(host: Snapshot, lang: str) -> str:
    if host.driver is not None and host.gpus:
        names = ", ".join(visible(g.name or "?") for g in host.gpus)
        return t("setup.why.gpu", lang, gpus=names, driver=host.driver.version or "?")
    return t("setup.why.no_gpu", lang)


def show_build(con: Console, report: BuildReport, lang: str) -> None:
    from rich.text import Text

    from d2l_doctor.fixes.render_run import reason_words

    for result in report.results:
        ok = result.status == DONE
        words = t(f"setup.status.{result.status}", lang)
        why = "" if ok else reason_words(result.reason, lang)
        con.print(
            Text(f"  {t(f'setup.step.{result.tx.id}', lang)}: ")
            + Text(words, style="green" if ok else "red")
            + Text(f": {why}" if why else "")
        )


def show_blocked(con: Console, pre: Preflight, lang: str) -> None:
    """Each step a dead host blocks, with the way round the preflight found (another mirror, PyPI)."""
    from rich.text import Text

    from d2l_doctor.fixes.render_run import reason_words

    for step_id, reason in pre.blocked.items():
        line = f"  {t(f'setup.step.{step_id}', lang)}: {reason_words(reason, lang)}"
        con.print(Text(line, style="yellow"))


def show_verdict(
    con: Console, plan: SetupPlan, diagnosis: Diagnosis, run: NotebookRun, shell: str, lang: str
) -> None:
    from rich.text import Text

    from d2l_doctor.render.view import finding_title

    errors = [f for f in diagnosis.findings if f.severity.value in ("error", "crash")]
    for finding in errors:
        con.print(Text(f"  [✗] {finding.id}: {finding_title(finding, lang)}", style="red"))
    cells = [c for c in run.cells if isinstance(c, dict)]
    ran = sum(1 for c in cells if c.get("ok"))
    con.print(t("setup.verify.cells", lang, ran=ran, total=len(cells) or "?", kernel=plan.target.kernel))
    if errors or run.exit_code:
        con.print(
            Text(t("setup.verify.bad", lang, python=visible(str(plan.target.python))), style="bold red")
        )
        return
    activate = _activate(plan.target, shell)
    con.print(
        Text(
            t("setup.verify.good", lang, kernel=plan.target.kernel, display=plan.target.display_name),
            style="bold green",
        )
    )
    con.print(Text(f"  {activate}", style="cyan"))


def _activate(target: Target, shell: str) -> str:
    """How to activate the environment in this shell."""
    if target.kind == "conda":
        return f"conda activate {quote_argv([target.name], shell)}"
    if shell == "powershell":
        return quote_argv([str(target.prefix / "Scripts" / "Activate.ps1")], shell)
    if shell == "cmd":
        return quote_argv([str(target.prefix / "Scripts" / "activate.bat")], shell)
    scripts = "Scripts" if target.python.parent.name == "Scripts" else "bin"
    return f"source {quote_argv([str(target.prefix / scripts / 'activate')], shell)}"


def show_removals(con: Console, target: Target, items: list[Removal], lang: str) -> None:
    from rich.text import Text

    if not items:
        con.print(t("setup.undo.nothing", lang, path=visible(str(target.prefix))))
        return
    con.print(Text(t("setup.undo.title", lang), style="bold"))
    for item in items:
        con.print(Text(f"  - {t(f'setup.undo.{item.what}', lang)}: {visible(item.path)}"))


def removal_line(item: Removal, error: Optional[str], lang: str) -> str:
    what = t(f"setup.undo.{item.what}", lang)
    if error:
        return t("setup.undo.failed", lang, what=what, path=visible(item.path), error=visible(error))
    return t("setup.undo.removed", lang, what=what, path=visible(item.path))


def document(
    plan: SetupPlan,
    m: Matrix,
    *,
    preflight: Optional[Preflight] = None,
    report: Optional[BuildReport] = None,
    diagnosis: Optional[Diagnosis] = None,
    notebook: Optional[NotebookRun] = None,
    lang: str = "en",
) -> dict[str, Any]:
    target, choice = plan.target, plan.choice
    doc: dict[str, Any] = {
        "command": "setup",
        "target": {
            "kind": target.kind, "prefix": str(target.prefix), "python": str(target.python),
            "kernel": target.kernel, "display_name": target.display_name,
        },
        "choice": {
            "book": choice.book,
            "python": choice.python,
            "base": choice.base.executable if choice.base else None,
            "d2l_pythons": list(choice.d2l_pythons),
            "fits": [{"python": f.python, "torch": f.torch.torch, "variant": f.torch.variant} for f in choice.fits],
            "torch": {
                "torch": choice.torch.torch, "torchvision": choice.torch.torchvision,
                "variant": choice.torch.variant, "index_url": choice.torch.index_url,
            },
            "get_python": [list(a) for a in python_commands(choice, m, target.name)] if plan.blocked else [],
        },
        "steps": [
            {"id": s.id, "done": s.done, "argv": list(s.step.argv), "wants": list(s.wants)} for s in plan.steps
        ],
    }  # fmt: skip
    if preflight is not None:
        doc["blocked"] = {step: reason.params.get("host") for step, reason in preflight.blocked.items()}
        doc["preflight"] = [
            {"url": c.url, "host": c.host, "seconds": c.seconds, "error": c.error} for c in preflight.checks
        ]
    if report is not None:
        doc["applied"] = [
            {"id": r.tx.id, "status": r.status, "reason": r.reason.key if r.reason else None,
             "changed": list(r.changed), "left": list(r.left)}
            for r in report.results
        ]  # fmt: skip
    if diagnosis is not None:
        doc["check"] = {
            "exit_code": diagnosis.exit_code,
            "findings": [{"id": f.id, "severity": f.severity.value} for f in diagnosis.findings],
        }
    if notebook is not None:
        from d2l_doctor.notebook.report import document as notebook_document

        doc["notebook"] = notebook_document(notebook, lang)
    return doc
