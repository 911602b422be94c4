"""The Snapshot of this machine and one Python environment: every probe run, each in its own thread.

The target payload starts first (it imports torch: the slow part); the other probes run beside it, each in its
own thread with its own time limit. A probe that raises or runs out of time becomes an entry in
`Snapshot.problems`, never a crash. The threads are daemons rather than a ThreadPoolExecutor's workers: a
probe stuck inside a driver call (NVML on a GPU that fell off the bus) must not keep the doctor from exiting
once its answer has been given up on.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Mapping
from typing import Any, Callable, Optional

from d2l_doctor.errors import UsageError
from d2l_doctor.models import Problem, Snapshot
from d2l_doctor.probes.resolve import guess_prefix, resolve_target

PROBE_LIMIT_S = 10.0  # each probe of the machine; the target interpreter gets the whole --timeout
CONDA_INFO_LIMIT_S = 5.0  # `conda info --json`, which only adds the channels
# The order of Snapshot.problems (a probe's sub-problems, like "nvml.gpu1", follow it).
PROBE_ORDER = ("target", "book", "nvml", "pci", "cuda", "host", "conda", "jupyter")


class _Job:
    def __init__(self, name: str, fn: Callable[[], Any], limit: float) -> None:
        self.name, self.fn, self.limit = name, fn, limit
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self.thread = threading.Thread(target=self._run, name=f"d2l-doctor-{name}", daemon=True)

    def _run(self) -> None:
        try:
            self.result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - any failure is a fact about this probe
            self.error = exc

    def wait(self, started: float) -> Optional[Problem]:
        """None when the probe answered, else why not."""
        self.thread.join(max(0.0, self.limit - (time.monotonic() - started)))
        if self.thread.is_alive():
            return Problem("ui.why.timed_out", {"seconds": f"{self.limit:g}"})
        if self.error is not None:
            return Problem.error(f"{type(self.error).__name__}: {self.error}".strip().rstrip(":"))
        return None


def collect(
    python: Optional[str],
    timeout: float = 60,
    env: Optional[Mapping[str, str]] = None,
    lang: str = "en",
    progress: Any = None,
) -> Snapshot:
    """The Snapshot of this machine and the target interpreter (`--python`, or the one the shell would run).

    Raises UsageError for a `--python` that is not there or not a Python interpreter.
    """
    from d2l_doctor.probes import target

    environ = dict(os.environ if env is None else env)
    interpreter, chosen_by = resolve_target(python, environ, lang=lang)
    started = time.monotonic()
    # The target first: its interpreter starts importing torch while the other probes are imported and set up.
    # The same process then runs the book's first cell and the requirements check (probe_env.py --book).
    target_job = _Job(
        "target", lambda: target.probe(interpreter, chosen_by, timeout, environ, book=True), timeout + 2.0
    )
    target_job.thread.start()
    from d2l_doctor.probes import book, conda, cuda, host, jupyter, kernels, nvml, pci
    from d2l_doctor.probes.shell import detect_shell

    prefix = guess_prefix(interpreter)
    limit = min(PROBE_LIMIT_S, timeout)
    others = [
        _Job("nvml", lambda: nvml.probe(environ, timeout=limit), limit),
        _Job("pci", lambda: pci.probe(environ, timeout=limit), limit),
        _Job("cuda", lambda: cuda.probe(environ, timeout=limit), limit),
        _Job("host", lambda: host.probe(prefix), limit),
        _Job("conda", lambda: conda.probe(prefix, environ, timeout=min(CONDA_INFO_LIMIT_S, limit)), limit),
        _Job(
            "jupyter",
            lambda: kernels.enrich(jupyter.probe(environ, prefix), environ, limit / 2, prefix, interpreter),
            limit,
        ),
    ]
    for job in others:
        job.thread.start()
    jobs = [target_job, *others]
    if progress is not None:  # a probes.progress.ProbeProgress: says which probes are still running
        progress.start(lambda: [job.name for job in jobs if job.thread.is_alive()])
    try:
        failures = {job.name: job.wait(started) for job in jobs}
    finally:
        if progress is not None:
            progress.stop()
    results = {job.name: job.result for job in jobs if failures[job.name] is None}

    target_facts: Optional[target.TargetFacts] = results.get("target")
    if chosen_by == "--python" and target_facts is not None and not target_facts.answered:
        # It ran (or failed to start) without a word from the payload: whatever it is, it is no working Python.
        why = str(target_facts.problems.get("target", "no answer"))
        from d2l_doctor.i18n import t

        raise UsageError(t("error.python_broken", lang, python=python, why=why))
    book_facts = book.from_target(interpreter, target_facts, timeout) if target_facts is not None else None
    nvidia: Optional[nvml.NvidiaFacts] = results.get("nvml")
    cuda_facts: Optional[cuda.CudaFacts] = results.get("cuda")
    conda_facts: Optional[conda.CondaFacts] = results.get("conda")
    real_prefix = target_facts.python.prefix if target_facts and target_facts.python else None
    if real_prefix and os.path.realpath(real_prefix) != os.path.realpath(prefix):
        # The interpreter was a shim or a link (pyenv, ~/bin/python -> ...): look again where it really lives.
        if (conda_facts is None or conda_facts.info is None) and conda.is_conda_env(real_prefix):
            conda_facts = conda.probe(real_prefix, environ, run_info=False)
            failures["conda"] = None
        if failures["jupyter"] is None:
            results["jupyter"] = kernels.enrich(
                jupyter.probe(environ, real_prefix), environ, limit / 2, real_prefix, interpreter
            )
    if results.get("jupyter") is not None:
        python_info = target_facts.python if target_facts else None
        results["jupyter"] = kernels.with_target_answer(
            results["jupyter"],
            interpreter,
            python_info.version if python_info and python_info.version else None,
            target_facts.packages if target_facts else {},
        )

    sub_problems: dict[str, dict[str, Problem]] = {
        "target": target_facts.problems if target_facts else {},
        "book": book_facts.problems if book_facts else {},
        "nvml": nvidia.problems if nvidia else {},
        "conda": {"conda-info": Problem.error(conda_facts.problem)}
        if conda_facts and conda_facts.problem
        else {},
    }
    problems: dict[str, Problem] = {}
    for name in PROBE_ORDER:
        failure = failures.get(name)
        if failure is not None:
            problems[name] = failure
        problems.update(sub_problems.get(name, {}))
    return Snapshot(
        host=results.get("host"),
        driver=nvidia.driver if nvidia else None,
        gpus=nvidia.gpus if nvidia else (),
        pci_gpus=results.get("pci") or (),
        cuda_toolkits=cuda_facts.toolkits if cuda_facts else (),
        cudnn_system=cuda_facts.cudnn if cuda_facts else (),
        python=target_facts.python if target_facts else None,
        conda=conda_facts.info if conda_facts else None,
        packages=dict(target_facts.packages) if target_facts else {},
        requires=dict(target_facts.requires) if target_facts else {},
        torch=target_facts.torch if target_facts else None,
        imports=dict(target_facts.imports) if target_facts else {},
        jupyter=results.get("jupyter"),
        shell=detect_shell(environ),
        problems=problems,
        book=book_facts.steps if book_facts else (),
        requirements=book_facts.requirements if book_facts else None,
    )
