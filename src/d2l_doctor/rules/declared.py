"""What installed packages declare about each other in their own metadata (Snapshot.requires): an installed
torchvision names the torch it was built for (`Requires-Dist: torch==2.13.0`). These are observations of the
package, good for releases newer than the matrix too; the matrix's pairings are knowledge compiled earlier."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import Snapshot


@dataclass(frozen=True)
class Declared:
    line: str  # the Requires-Dist line as the metadata has it: "torch==2.13.0", "torch (>=2.14.0)"
    specifier: str  # on public versions: "==2.13.0" ("==2.13.0+cu126" pins a build; its release is 2.13.0)
    pinned: Optional[str]  # the one release an "==" names, else None

    def admits(self, version: Optional[str]) -> Optional[bool]:
        """Whether this torch release satisfies the declaration (None: the version cannot be read)."""
        base = V.base_version(version)
        return V.specifier_contains(self.specifier, base) if base else None


def declared_torch(s: Snapshot, name: str) -> Optional[Declared]:
    """The torch requirement that the installed `name` declares, when its metadata names one with a version."""
    from packaging.requirements import InvalidRequirement, Requirement

    for line in s.requires.get(name, ()):
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.name.lower() != "torch" or not req.specifier:
            continue
        if req.marker is not None and "extra" in str(req.marker):
            continue
        specs = [(spec.operator, spec.version.split("+")[0]) for spec in req.specifier]
        pinned = next((v for op, v in specs if op in ("==", "===") and "*" not in v), None)
        return Declared(line, ",".join(op + v for op, v in specs), pinned)
    return None
