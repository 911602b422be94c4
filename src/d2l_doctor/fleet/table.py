"""Machine rows -> the fleet's picture: groups (same findings, same stack), largest first, one fix each; counts per
finding; the machines that could not be checked.

Rows are added one at a time and only the row is kept (the report's document is dropped), so memory grows with
the table, not with the reports. Each group keeps the words and fix of its first machine.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, TextIO

from d2l_doctor.fleet.reading import STACK_KEYS, Detail, DetailFn, Machine, Reader, Unreadable
from d2l_doctor.models import SCHEMA_VERSION


@dataclass
class Group:
    findings: tuple[str, ...]  # sorted ids: the key with the stack
    stack: tuple[Optional[str], ...]
    detail: Detail
    machines: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.severity not in ("error", "crash") for f in self.detail.findings)


@dataclass
class FleetTable:
    machines: list[Machine] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)
    _groups: dict[tuple[tuple[str, ...], tuple[Optional[str], ...]], Group] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)  # finding id -> severity, first seen
    counts: Counter[str] = field(default_factory=Counter)  # finding id -> machines with it

    def add(self, machine: Machine, detail: DetailFn) -> None:
        """A row; the words and fix (detail) are made only for the first machine of a group."""
        self.machines.append(machine)
        ids = frozenset(machine.findings)
        key = (tuple(sorted(ids)), machine.stack)
        group = self._groups.get(key)
        if group is None:
            group = self._groups[key] = Group(key[0], key[1], detail())
            for info in group.detail.findings:
                self.severity.setdefault(info.id, info.severity)
        group.machines.append(machine.name)
        self.counts.update(ids)

    @property
    def groups(self) -> list[Group]:
        """Largest first; among equals, groups with errors first, then by their first machine."""
        return sorted(self._groups.values(), key=lambda g: (-len(g.machines), g.ok, g.machines[0]))

    @property
    def healthy(self) -> int:
        return sum(1 for m in self.machines if m.ok)

    @property
    def exit_code(self) -> int:
        """0 every machine healthy; 1 an error finding, or a machine that could not be checked."""
        return 0 if self.machines and self.healthy == len(self.machines) and not self.unreadable else 1

    def finding_counts(self) -> list[tuple[str, int]]:
        rank = {"crash": 0, "error": 1, "warning": 2, "info": 3}
        return sorted(self.counts.items(), key=lambda kv: (rank.get(self.severity.get(kv[0], ""), 4), -kv[1], kv[0]))


def report_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, and the files of each folder named (not hidden ones, not sub-folders), in name order."""
    for path in paths:
        if path.is_dir():
            with os.scandir(path) as entries:
                names = sorted(e.name for e in entries if not e.name.startswith(".") and e.is_file())
            for name in names:
                yield path / name
        else:
            yield path


def build(paths: Iterable[Path], reader: Reader) -> FleetTable:
    table = FleetTable()
    seen: set[str] = set()
    for path in report_files(paths):
        name = machine_name(path, seen)
        result = reader.read(path, name)
        if isinstance(result, Unreadable):
            table.unreadable.append(result)
        else:
            table.add(*result)
    return table


def machine_name(path: Path, seen: set[str]) -> str:
    """The file's stem ("alice" for alice.json); the whole name, then the path, when that is taken."""
    for candidate in (path.stem, path.name, str(path)):
        if candidate not in seen:
            seen.add(candidate)
            return candidate
    n = 2
    while f"{path}#{n}" in seen:
        n += 1
    seen.add(f"{path}#{n}")
    return f"{path}#{n}"


def to_json(table: FleetTable) -> dict[str, Any]:
    """The contract: {schema_version, machines, groups, unreadable}."""
    return {
        "schema_version": SCHEMA_VERSION,
        "machines": [
            {
                "name": m.name,
                "source": m.source,
                "ok": m.ok,
                "findings": list(m.findings),
                "stack": dict(zip(STACK_KEYS, m.stack)),
            }
            for m in table.machines
        ],
        "groups": [
            {
                "machines": list(g.machines),
                "findings": list(g.findings),
                "fix": [list(argv) for argv in g.detail.fix],
            }
            for g in table.groups
        ],
        "unreadable": [{"name": u.name, "why": u.why} for u in table.unreadable],
    }


def write_json(table: FleetTable, stream: TextIO) -> None:
    """The document as UTF-8, one machine or group a line: the C encoder (no indent) keeps 10,000 rows fast."""
    doc = to_json(table)
    sections = [f'  "schema_version": {json.dumps(doc["schema_version"])}']
    for key in ("machines", "groups", "unreadable"):
        body = ",\n    ".join(json.dumps(item, ensure_ascii=False) for item in doc[key])
        sections.append(f'  "{key}": [\n    {body}\n  ]' if body else f'  "{key}": []')
    from d2l_doctor.textsafe import json_visible

    text = json_visible("{\n" + ",\n".join(sections) + "\n}\n")  # nothing in it can steer a terminal
    binary = getattr(stream, "buffer", None)
    if binary is None:
        stream.write(text)
    else:
        stream.flush()
        binary.write(text.encode("utf-8"))
        binary.flush()
