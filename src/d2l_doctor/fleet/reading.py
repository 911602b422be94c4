"""One report file -> one machine row (or the reason it could not be read).

A `check --json` document written by this version of d2l-doctor already holds the findings its rules gave on
that machine, so its findings are taken as they are: reading 10,000 of them must take seconds, and the same
rules on the same snapshot give the same findings. Anything else (a report of another version, a pasted
collect_env, a fenced forum post, a UTF-16 PowerShell file) goes through `ingest.read_report` and the rules,
as `check --from-report` does.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Optional, Union

from d2l_doctor.fleet.failure import failure_of
from d2l_doctor.models import SCHEMA_VERSION
from d2l_doctor.version import __version__

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix

SEVERITIES = frozenset({"error", "warning", "info", "crash"})
BAD = frozenset({"error", "crash"})
STACK_KEYS = ("driver", "gpu", "torch", "python", "os")
NONE = "none"  # a stack value that was looked for and is absent (no NVIDIA GPU, so no driver)
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")  # a finding id is a slug: safe in every format as it is
_FAST_LIMIT = 8 * 1024 * 1024  # the report reader's own limit: a bigger file goes there and is refused


@dataclass(frozen=True)
class FindingInfo:
    """What a group shows of a finding: its words are made again in the report's language from params."""

    id: str
    severity: str
    title: str  # the words the machine's report used (a fallback for an id this version does not know)
    params: dict[str, Any]


@dataclass(frozen=True)
class Machine:
    """One row of the table: small, so that 10,000 of them stay small."""

    __slots__ = ("name", "source", "ok", "findings", "stack")
    name: str
    source: str
    ok: bool
    findings: tuple[str, ...]  # finding ids in the report's order
    stack: tuple[Optional[str], ...]  # values for STACK_KEYS; None when not known


@dataclass(frozen=True)
class Detail:
    """What only the first machine of a group needs to keep: the findings' words and the fix commands."""

    findings: tuple[FindingInfo, ...]
    fix: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Unreadable:
    name: str
    source: str
    why: str


DetailFn = Callable[[], Detail]
Read = Union[tuple[Machine, DetailFn], Unreadable]


class Reader:
    """Reads report files; loads the matrix and the rules only when a file needs them."""

    def __init__(self, lang: str, matrix_path: Optional[Path] = None) -> None:
        self.lang = lang
        self.matrix_path = matrix_path
        self._matrix: Optional[Matrix] = None

    def read(self, path: Path, name: str) -> Read:
        source = str(path)
        try:
            with path.open("rb") as handle:
                # read() sizes its buffer from the file: no 8 MiB buffer for each 8 KiB report
                too_big = os.fstat(handle.fileno()).st_size > _FAST_LIMIT
                data = b"" if too_big else handle.read()
        except OSError as exc:
            return Unreadable(name, source, f"{source}: {exc.strerror or exc}")
        doc = _fast_document(data)
        if doc is not None:
            failed = failure_of(doc)
            if failed is not None:
                return Unreadable(failed[0] or name, source, failed[1] or source)
            row = from_document(doc, name, source)
            if row is not None:
                return row
        return self._slow(path, name, source)

    def _slow(self, path: Path, name: str, source: str) -> Read:
        from d2l_doctor.errors import UsageError
        from d2l_doctor.ingest import read_report
        from d2l_doctor.render.json_out import document

        try:
            snapshot = read_report(str(path), lang=self.lang)
        except UsageError as exc:
            return Unreadable(name, source, " ".join(str(exc).split()))
        from d2l_doctor.diagnose import Diagnosis
        from d2l_doctor.rules import evaluate

        matrix = self.matrix()
        doc = document(Diagnosis(snapshot, tuple(evaluate(snapshot, matrix)), matrix), self.lang, "bash")
        row = from_document(doc, name, source, trust=True)
        assert row is not None  # our own document always fits
        return row

    def matrix(self) -> Matrix:
        if self._matrix is None:
            from d2l_doctor.matrix import load_matrix

            self._matrix = load_matrix(self.matrix_path)
        return self._matrix


def _fast_document(data: bytes) -> Optional[Any]:
    """The JSON value of a plain UTF-8 JSON file; None for anything the report reader should look at."""
    if len(data) > _FAST_LIMIT or data.lstrip()[:1] != b"{":
        return None
    try:
        return json.loads(data)
    except (ValueError, RecursionError):  # the report reader refuses it with the reason (bounded_json)
        return None


def from_document(doc: Any, name: str, source: str, trust: bool = False) -> Optional[tuple[Machine, DetailFn]]:
    """A row from a `check --json` document of this version; None when it must go through the report reader
    (another version, or a shape this version would not write)."""
    if not isinstance(doc, dict):
        return None
    if not trust and (doc.get("tool_version") != __version__ or doc.get("schema_version") != SCHEMA_VERSION):
        return None
    snapshot = doc.get("snapshot")
    findings = doc.get("findings")
    if not isinstance(snapshot, dict) or not isinstance(findings, list):
        return None
    ids: list[str] = []
    ok = True
    for item in findings:  # the hot loop of 10,000 reports: ids and severities only, the words later
        if not isinstance(item, dict):
            return None
        fid, severity = item.get("id"), item.get("severity")
        if severity not in SEVERITIES or not _valid_id(fid):
            return None
        ok = ok and severity not in BAD
        ids.append(str(fid))
    machine = Machine(name, source, ok, tuple(ids), stack_of(snapshot))
    return machine, lambda: detail_of(findings, snapshot)


def detail_of(findings: list[Any], snapshot: dict[str, Any]) -> Detail:
    """The words and fix of a group's first machine (its findings were checked by from_document)."""
    infos: list[FindingInfo] = []
    fix: list[tuple[str, ...]] = []
    python = _get(snapshot, "python", "executable")
    for item in findings:
        info = _finding(item)
        if info is None:
            continue
        infos.append(info)
        if info.severity == "info":
            continue  # a group's fix is for its problems; notes keep their fixes in each machine's report
        for action in item.get("fixes") or ():
            argv = _argv(action, python)
            if argv and argv not in fix:
                fix.append(argv)
    return Detail(tuple(infos), tuple(fix))


_VALID_IDS: set[str] = set()


def _valid_id(fid: Any) -> bool:
    if fid in _VALID_IDS:
        return True
    if not isinstance(fid, str) or not _ID.match(fid):
        return False
    if len(_VALID_IDS) < 4096:  # interned once: every machine's tuple then shares the same strings
        _VALID_IDS.add(sys.intern(fid))
    return True


def _finding(item: Any) -> Optional[FindingInfo]:
    if not isinstance(item, dict):
        return None
    fid, severity = item.get("id"), item.get("severity")
    if not isinstance(fid, str) or not _ID.match(fid) or severity not in SEVERITIES:
        return None
    params = item.get("params")
    title = item.get("title")
    return FindingInfo(
        fid, str(severity), title if isinstance(title, str) else fid, params if isinstance(params, dict) else {}
    )


def _argv(action: Any, python: Optional[str]) -> tuple[str, ...]:
    """A fix's argv with the machine's own interpreter written `python`: one command for a whole group."""
    if not isinstance(action, dict):
        return ()
    argv = action.get("argv")
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        return ()
    return tuple("python" if python and a == python else a for a in argv)


def _interned(value: Any) -> Optional[str]:
    if value is None or value == "":
        return None
    return sys.intern(str(value))


def stack_of(snapshot: dict[str, Any]) -> tuple[Optional[str], ...]:
    """driver, GPU, torch build, Python, OS: the facts that decide which fix a machine needs."""
    torch = _get(snapshot, "torch", "version")
    if torch is None:
        packages = snapshot.get("packages")
        torch = packages.get("torch") if isinstance(packages, dict) else None
        unread = isinstance(snapshot.get("unknown"), list) and "packages" in snapshot["unknown"]
        if torch is None and isinstance(packages, dict) and packages and not unread:
            torch = NONE  # the package list was read and torch is not in it
    os_name = _get(snapshot, "host", "os_release") or _get(snapshot, "host", "os")
    gpu = _gpus(snapshot.get("gpus"))
    driver = _get(snapshot, "driver", "version")
    unknown = snapshot.get("unknown")
    looked = not (isinstance(unknown, list) and "gpus" in unknown)
    if gpu is None and snapshot.get("gpus") == [] and not snapshot.get("pci_gpus") and looked:
        gpu = NONE  # the probes looked and found no NVIDIA GPU: a fact, not a gap
        driver = driver or NONE
    return (
        _interned(driver),
        _interned(gpu),
        _interned(torch),
        _interned(_get(snapshot, "python", "version")),
        _interned(os_name),
    )


def _get(snapshot: dict[str, Any], section: str, key: str) -> Optional[str]:
    part = snapshot.get(section)
    value = part.get(key) if isinstance(part, dict) else None
    return value if isinstance(value, str) and value else None


def _gpus(gpus: Any) -> Optional[str]:
    if not isinstance(gpus, list):
        return None
    names = [str(g.get("name")) for g in gpus if isinstance(g, dict) and g.get("name")]
    if not names:
        return None
    if len(set(names)) == 1:
        return names[0] if len(names) == 1 else f"{len(names)} x {names[0]}"
    return " + ".join(names)
