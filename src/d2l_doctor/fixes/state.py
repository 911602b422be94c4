"""Snapshots of an environment taken before `fix --apply` changes it, so that `fix --undo` can put it back.

One JSON file per applied plan in the user state directory (platformdirs; `D2L_DOCTOR_STATE_DIR` overrides
it): the exact package set (`pip freeze --all`), conda's explicit list and revision for conda envs, the conda
configuration file the plan may rewrite, the kernelspecs the plan adds, the indexes used, the plan, a
timestamp.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Optional

from d2l_doctor import runner
from d2l_doctor.mirrors import PipIndex
from d2l_doctor.models import FixKind, Plan, Snapshot
from d2l_doctor.probes.resolve import same_python

STATE_ENV = "D2L_DOCTOR_STATE_DIR"
FORMAT = 1
# What a PyTorch wheel's local version label looks like (2.13.0+cu126): such a pin only exists on that
# variant's index.
TORCH_LABEL = re.compile(r"^(cpu|cu\d+|rocm\d+(\.\d+)*|xpu)$")
PIP_ENV = {"PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1"}


class StateError(Exception):
    """The snapshot could not be taken or read (the caller says so and changes nothing)."""


@dataclass(frozen=True)
class CondaState:
    prefix: str
    conda_exe: str
    explicit: str  # `conda list --explicit`
    revision: Optional[
        int
    ]  # the env's revision before the plan (`conda install --revision N` goes back to it)
    managed: tuple[str, ...] = ()  # canonical names conda owns: pip's undo leaves them to conda


@dataclass(frozen=True)
class FileState:
    path: str
    content: Optional[str]  # None: the file did not exist


@dataclass(frozen=True)
class EnvSnapshot:
    id: str
    created: str  # ISO 8601, UTC
    python: str
    freeze: tuple[str, ...]
    pypi_index: Optional[PipIndex]  # None: the user's own pip configuration
    torch_indexes: Mapping[str, PipIndex] = field(
        default_factory=dict
    )  # variant -> index, for pins like +cu126
    mirror: Optional[str] = None
    conda: Optional[CondaState] = None
    condarc: Optional[FileState] = None
    kernels_added: tuple[str, ...] = ()  # kernelspecs the plan registers that did not exist before
    findings: tuple[str, ...] = ()
    plan: Mapping[str, Any] = field(default_factory=dict)
    undone: Optional[str] = None  # when `fix --undo` restored it

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = FORMAT
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EnvSnapshot:
        try:

            def index(d: Optional[Mapping[str, Any]]) -> Optional[PipIndex]:
                return PipIndex(**d) if d else None

            return cls(
                id=str(data["id"]),
                created=str(data["created"]),
                python=str(data["python"]),
                freeze=tuple(data["freeze"]),
                pypi_index=index(data.get("pypi_index")),
                torch_indexes={k: PipIndex(**v) for k, v in (data.get("torch_indexes") or {}).items()},
                mirror=data.get("mirror"),
                conda=CondaState(**{**data["conda"], "managed": tuple(data["conda"].get("managed", ()))})
                if data.get("conda")
                else None,
                condarc=FileState(**data["condarc"]) if data.get("condarc") else None,
                kernels_added=tuple(data.get("kernels_added", ())),
                findings=tuple(data.get("findings", ())),
                plan=data.get("plan") or {},
                undone=data.get("undone"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise StateError(f"not a d2l-doctor snapshot ({exc})") from None


def state_dir(environ: Optional[Mapping[str, str]] = None) -> Path:
    env = os.environ if environ is None else environ
    if env.get(STATE_ENV):
        return Path(env[STATE_ENV])
    import platformdirs

    return Path(platformdirs.user_state_dir("d2l-doctor", appauthor=False))


def snapshots_dir() -> Path:
    return state_dir() / "snapshots"


def freeze(python: str, timeout: float = 300.0) -> tuple[str, ...]:
    """`pip freeze --all` of the target: every installed distribution with its exact version (or URL)."""
    result = runner.run([python, "-m", "pip", "freeze", "--all"], timeout, env={**os.environ, **PIP_ENV})
    if not result.ok:
        why = (result.stderr or result.stdout or result.error or "").strip().splitlines()
        raise StateError(f"{python} -m pip freeze --all: {why[-1] if why else result.returncode}")
    return tuple(sorted(line.strip() for line in result.stdout.splitlines() if line.strip()))


def capture(
    plan: Plan,
    snapshot: Snapshot,
    *,
    pypi_index: Optional[PipIndex],
    torch_index_for: Callable[[str], Optional[PipIndex]],  # a variant's index, for pins like +cu126
    condarc_path: Optional[str] = None,
    findings: Sequence[str] = (),
    timeout: float = 300.0,
) -> EnvSnapshot:
    """Read the target's state now (before the first change)."""
    lines = freeze(plan.python, timeout)
    torch_indexes: dict[str, PipIndex] = {}
    for line in lines:
        label = local_label(line)
        if label and TORCH_LABEL.match(label) and label not in torch_indexes:
            index = torch_index_for(label)
            if index is not None:
                torch_indexes[label] = index
    conda_state = _conda_state(snapshot, timeout) if snapshot.conda is not None else None
    rc = None
    if condarc_path and any(s.argv[1:3] == ("config", "--file") for s in plan.steps if s.argv):
        path = Path(condarc_path)
        rc = FileState(str(path), path.read_text(encoding="utf-8") if path.is_file() else None)
    before = {k.name for k in (snapshot.jupyter.kernelspecs if snapshot.jupyter else ())}
    added = tuple(
        dict.fromkeys(
            s.action.name or "python3"
            for s in plan.steps
            if s.action.kind is FixKind.KERNEL_INSTALL and (s.action.name or "python3") not in before
        )
    )
    now = datetime.now(timezone.utc)
    return EnvSnapshot(
        id=now.strftime("%Y%m%dT%H%M%S%fZ"),
        created=now.isoformat(timespec="seconds"),
        python=plan.python,
        freeze=lines,
        pypi_index=pypi_index,
        torch_indexes=torch_indexes,
        mirror=plan.mirror,
        conda=conda_state,
        condarc=rc,
        kernels_added=added,
        findings=tuple(findings),
        plan=plan.to_dict(),
    )


def save(snap: EnvSnapshot, directory: Optional[Path] = None) -> Path:
    directory = directory or snapshots_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{snap.id}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(snap.to_dict(), indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)  # never a half-written snapshot
    return path


def list_snapshots(directory: Optional[Path] = None) -> list[EnvSnapshot]:
    """Every readable snapshot, newest first (an unreadable file is skipped, not fatal)."""
    directory = directory or snapshots_dir()
    out: list[EnvSnapshot] = []
    for path in sorted(directory.glob("*.json")) if directory.is_dir() else []:
        try:
            out.append(EnvSnapshot.from_dict(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, StateError):
            continue
    return sorted(out, key=lambda s: s.id, reverse=True)


def latest(python: Optional[str] = None, directory: Optional[Path] = None) -> Optional[EnvSnapshot]:
    """The newest snapshot not undone yet (for `python` when given)."""
    for snap in list_snapshots(directory):
        if snap.undone is None and (python is None or same_python(snap.python, python)):
            return snap
    return None


def mark_undone(snap: EnvSnapshot, directory: Optional[Path] = None) -> EnvSnapshot:
    done = replace(snap, undone=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    save(done, directory)
    return done


def local_label(freeze_line: str) -> Optional[str]:
    match = re.match(r"^[A-Za-z0-9._-]+==[^+\s]+\+([A-Za-z0-9.]+)\s*$", freeze_line)
    return match.group(1) if match else None


def _conda_state(snapshot: Snapshot, timeout: float) -> CondaState:
    assert snapshot.conda is not None
    exe = snapshot.conda.conda_exe or "conda"
    prefix = snapshot.conda.prefix
    if prefix is None:  # a report's conda environment: nothing on this machine to snapshot
        raise StateError("the conda environment's folder is not known")
    explicit = runner.run([exe, "list", "-p", prefix, "--explicit"], timeout)
    if not explicit.ok:
        raise StateError(
            f"{exe} list -p {prefix} --explicit: {(explicit.stderr or explicit.error or '').strip()}"
        )
    revisions = runner.run([exe, "list", "-p", prefix, "--revisions"], timeout)
    numbers = [int(n) for n in re.findall(r"\(rev (\d+)\)", revisions.stdout)] if revisions.ok else []
    from d2l_doctor.fixes.conda_steps import canonical

    return CondaState(
        prefix=prefix,
        conda_exe=exe,
        explicit=explicit.stdout,
        revision=max(numbers) if numbers else None,
        managed=tuple(sorted(canonical(n) for n in snapshot.conda.managed)),
    )
