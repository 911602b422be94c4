"""What each Jupyter kernel really starts, and what that interpreter has: kernel -> Python -> torch/CUDA/d2l.

jupyter_client replaces a bare `python` (or `python3`, `python3.X`) in a kernel's argv with the interpreter
Jupyter itself runs from. A kernelspec in an environment's `share/jupyter/kernels` (ipykernel puts
`python3` there when pip installs it) is seen only by the Jupyter of that environment, so it starts that
environment's Python; one in the user's or the system's folders starts the Python of whichever Jupyter runs,
which is the `jupyter` on PATH when there is one. Each resolved interpreter then answers probe_env.py with
every import skipped: its version and its packages from their metadata, in a fraction of a second, several at
once (bounded), beside the target's own probe.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Optional

from d2l_doctor import runner
from d2l_doctor.models import JupyterInfo, Kernelspec
from d2l_doctor.probes.resolve import env_python, same_python

MAX_PARALLEL = 4  # interpreters probed at once: enough for a laptop's kernels, gentle on a shared machine
_BARE = re.compile(r"^python(\d+(\.\d+)?)?(\.exe)?$", re.IGNORECASE)


def is_bare_python(argv0: Optional[str]) -> bool:
    return (
        bool(argv0)
        and _BARE.match(os.path.basename(argv0 or "")) is not None
        and argv0 == os.path.basename(argv0 or "")
    )


def env_prefix_of(resource_dir: str) -> Optional[str]:
    """PREFIX when the kernelspec lives in PREFIX/share/jupyter/kernels/NAME and PREFIX holds a Python."""
    path = Path(resource_dir)
    if path.parent.name != "kernels" or path.parent.parent.name != "jupyter":
        return None
    share = path.parent.parent.parent
    if share.name != "share":
        return None
    prefix = share.parent
    return str(prefix) if env_python(str(prefix)) else None


# The commands that start a Jupyter server (`jupyter` alone is jupyter_core's dispatcher, which ipykernel brings).
_SERVERS = ("jupyter-lab", "jupyter-notebook", "jupyter-server", "jupyter-nbclassic")


def _has_jupyter(prefix: Path) -> bool:
    return any(
        (prefix / d / (n + ext)).is_file()
        for d in ("bin", "Scripts")
        for n in _SERVERS
        for ext in ("", ".exe")
    )


def frontends(env: Mapping[str, str], prefix: Optional[str] = None) -> tuple[str, ...]:
    """The interpreters Jupyter runs from: the target env's own, the `jupyter` on PATH (its script's #!
    line), conda's base."""
    found: list[str] = []
    path = env.get("PATH", env.get("Path", ""))
    server = next((w for w in (shutil.which(n, path=path) for n in _SERVERS) if w), None)
    python = _script_python(server) if server else None
    if python:
        found.append(python)  # first: what `jupyter notebook` typed at the prompt starts
    own = env_python(prefix) if prefix and _has_jupyter(Path(prefix)) else None
    if own and own not in found:
        found.append(own)
    conda_exe = env.get("CONDA_EXE")  # set by `conda activate`; conda's base is two folders up
    if conda_exe:
        base = Path(conda_exe).resolve().parent.parent
        if _has_jupyter(base):
            python = env_python(str(base))
            if python and python not in found:
                found.append(python)
    return tuple(found)


def _script_python(script: str) -> Optional[str]:
    """The interpreter of a console script: its #! line (POSIX), or python.exe beside Scripts (Windows)."""
    path = Path(script)
    if path.suffix.lower() == ".exe":
        return env_python(str(path.parent.parent))
    try:
        with path.open("rb") as handle:
            first = handle.readline(1024).decode("utf-8", "replace").strip()
    except OSError:
        return None
    if not first.startswith("#!"):
        return None
    parts = first[2:].split()
    if not parts:
        return None
    if os.path.basename(parts[0]) == "env" and len(parts) > 1:
        return shutil.which(parts[1])
    return parts[0]


def resolve(spec: Kernelspec, jupyter_python: Optional[str], scope: str) -> Kernelspec:
    """spec with `python` (what it really starts) and `scope` filled in."""
    argv0 = spec.argv0
    python: Optional[str] = None
    prefix = env_prefix_of(spec.resource_dir)
    if prefix is not None:
        scope = "env"
    if argv0 and is_bare_python(argv0):
        if prefix is not None:
            python = env_python(prefix)
        elif jupyter_python:
            python = jupyter_python
    elif argv0 and os.path.isabs(argv0):
        python = argv0
    exists = spec.interpreter_exists
    if python is not None and exists is None:
        exists = Path(python).is_file()
    return replace(spec, python=python, scope=scope, interpreter_exists=exists)


def _scope(resource_dir: str, paths: tuple[str, ...], env: Mapping[str, str]) -> str:
    from d2l_doctor.probes.jupyter import user_data_dir

    folder = str(Path(resource_dir).parent.parent)
    extra = [p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if folder in extra:
        return "path"
    if folder == str(user_data_dir(env, _system())):
        return "user"
    return "system"


def _system() -> str:
    import platform

    return platform.system().lower()


def probe_interpreter(
    python: str, timeout: float, env: Mapping[str, str]
) -> tuple[Optional[str], dict[str, str], Optional[str]]:
    """(version, packages, problem) of an interpreter, from probe_env.py with every import skipped."""
    from d2l_doctor.probes.answer import new_nonce
    from d2l_doctor.probes.launch import payload_argv, payload_env
    from d2l_doctor.probes.target import PHASES, parse_result

    nonce = new_nonce()
    result = runner.run(payload_argv(python, nonce, PHASES), timeout=timeout, env=payload_env(env))
    final = parse_result(result.stdout, nonce) if result.ok else None
    if final is None:
        why = "not found" if result.not_found else "no answer in time" if result.timed_out else "no answer"
        return None, {}, why
    version = (final.get("python") or {}).get("version")
    packages = {str(k): str(v) for k, v in (final.get("packages") or {}).items()}
    return (str(version) if version else None), packages, None


def enrich(
    info: JupyterInfo,
    env: Mapping[str, str],
    timeout: float,
    prefix: Optional[str] = None,
    target: Optional[str] = None,
) -> JupyterInfo:
    """info with every kernelspec resolved and its interpreter probed (several at once), and the frontends
    (prefix: the target env's, whose own Jupyter counts). A kernel that starts `target` is left for
    with_target_answer(): the target's own probe answers for it, and running that interpreter twice at once
    would only slow both."""
    front = frontends(env, prefix)
    # A bare `python` in the user's folders: the Python of the Jupyter that starts it, the likeliest first.
    jupyter_python = front[0] if front else None
    specs = [
        resolve(k, jupyter_python, _scope(k.resource_dir, info.data_paths, env)) for k in info.kernelspecs
    ]
    wanted = sorted(
        {
            k.python
            for k in specs
            if k.python
            and k.interpreter_exists
            and (k.language or "python") == "python"
            and not (target and same_python(k.python, target))
        }
    )
    answers: dict[str, tuple[Optional[str], dict[str, str], Optional[str]]] = {}
    if wanted:
        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(wanted))) as pool:
            for python, answer in zip(wanted, pool.map(lambda p: probe_interpreter(p, timeout, env), wanted)):
                answers[python] = answer
    out = []
    for spec in specs:
        if spec.python in answers:
            version, packages, problem = answers[spec.python]
            spec = replace(spec, python_version=version, packages=packages, probe_problem=problem)
        out.append(spec)
    return replace(info, kernelspecs=tuple(out), frontends=front)


def with_target_answer(
    info: JupyterInfo, target: str, version: Optional[str], packages: Mapping[str, str]
) -> JupyterInfo:
    """info with the kernels that start `target` given the target probe's answer (enrich() skipped them):
    its version and packages, or, without a version, the problem that it did not answer."""
    out = []
    for spec in info.kernelspecs:
        if spec.python and spec.interpreter_exists and same_python(spec.python, target):
            spec = replace(
                spec,
                python_version=version,
                packages=dict(packages) if version else {},
                probe_problem=None if version else "no answer",
            )
        out.append(spec)
    return replace(info, kernelspecs=tuple(out))
