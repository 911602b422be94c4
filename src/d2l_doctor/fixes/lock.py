"""One `fix --apply` (or `--undo`) at a time per environment, and a trace of a run that never finished.

A run creates `runs/<key>.json` in the state directory with O_EXCL (the lock) and keeps in it its own pid, the
pid of the pip it is running and the snapshot taken before the first change. A clean end removes the file. A
file whose processes are all gone is a run that was killed: the next `fix --apply` or `check` says so and
offers `fix --undo`; `fix --undo` clears it once the environment is back.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Optional

from d2l_doctor.fixes.state import snapshots_dir, state_dir


@dataclass(frozen=True)
class RunRecord:
    python: str
    pid: int  # the doctor
    started: str
    snapshot: Optional[str] = None  # the id of the snapshot taken before the first change
    child: Optional[int] = None  # the pip (or conda) the run is waiting for

    def alive(self) -> bool:
        return _alive(self.pid) or (self.child is not None and _alive(self.child))


class Busy(Exception):
    """Another run holds the environment."""

    def __init__(self, record: RunRecord) -> None:
        super().__init__(f"pid {record.pid}")
        self.record = record


class Unfinished(Exception):
    """A run on this environment was killed before it ended."""

    def __init__(self, record: RunRecord) -> None:
        super().__init__(record.snapshot or "")
        self.record = record


def runs_dir() -> Path:
    return state_dir() / "runs"


def _path(python: str) -> Path:
    key = os.path.normcase(os.path.abspath(python))
    return runs_dir() / (hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:16] + ".json")


def read(python: str) -> Optional[RunRecord]:
    try:
        data = json.loads(_path(python).read_text(encoding="utf-8"))
        return RunRecord(**data)
    except (OSError, ValueError, TypeError):
        return None


def unfinished(python: str) -> Optional[RunRecord]:
    """The record of a killed run on this environment (None when there is none, or it is still running)."""
    record = read(python)
    return record if record is not None and not record.alive() else None


class EnvLock:
    """`with EnvLock(python) as lock:` holds the environment; raises Busy when a live run holds it, and
    Unfinished when a killed run left its record (nothing is taken then)."""

    def __init__(self, python: str, *, allow_unfinished: bool = False) -> None:
        self.python = python
        self.path = _path(python)
        self.allow_unfinished = allow_unfinished
        self.record = RunRecord(python, os.getpid(), datetime.now(timezone.utc).isoformat(timespec="seconds"))
        self.clean = False

    def __enter__(self) -> EnvLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
            except FileExistsError:
                held = read(self.python)
                if held is not None and held.alive():
                    raise Busy(held) from None
                if held is not None and not self.allow_unfinished:
                    raise Unfinished(held) from None
                self.path.unlink(missing_ok=True)  # a torn file, or the killed run that undo now takes over
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(asdict(self.record), out)
            return self
        raise Busy(read(self.python) or self.record)

    def update(self, *, snapshot: Optional[str] = None, child: Optional[int] = None) -> None:
        self.record = replace(self.record, snapshot=snapshot or self.record.snapshot, child=child)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self.record)), encoding="utf-8")
        os.replace(tmp, self.path)

    def finished(self) -> None:
        """The run ended (well or not, but it said so): the next run need not warn about it."""
        self.clean = True

    def __exit__(self, *exc: object) -> None:
        # Interrupted (Ctrl-C) or crashed after the snapshot: the record stays, so the next run offers
        # `fix --undo`. Before the snapshot nothing can have changed.
        if self.clean or self.record.snapshot is None:
            self.path.unlink(missing_ok=True)


def snapshot_path(snapshot_id: str) -> Path:
    return snapshots_dir() / f"{snapshot_id}.json"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        import psutil

        proc = psutil.Process(pid)
        return proc.status() != psutil.STATUS_ZOMBIE
    except Exception:  # noqa: BLE001 - no such process, or not ours to see
        return False
