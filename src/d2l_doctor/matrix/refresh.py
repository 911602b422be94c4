"""`python -m d2l_doctor.matrix refresh`: what the packages themselves declare, read from a package index, held
against compat_matrix.yaml. It derives
  - each torch release's Requires-Python and its CPython wheel tags per OS (Linux x86_64 range, the first torch of
    each Python on Windows, the last torch on macOS x86_64), from the index's file list;
  - which torch each torchvision/torchaudio release admits (`Requires-Dist: torch==X` or `torch>=X`), from its
    core metadata;
and prints the differences as a reviewable diff. It never writes the matrix: its facts carry hand-checked sources.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Optional

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import InvalidWheelFilename, parse_wheel_filename
from packaging.version import Version

from d2l_doctor.matrix import pkgindex
from d2l_doctor.matrix.model import Matrix
from d2l_doctor.matrix.tables import TorchRelease

COMPANIONS = ("torchvision", "torchaudio")


@dataclass(frozen=True)
class Difference:
    subject: str  # "torch 2.9.0"
    field: str  # "requires_python"
    matrix: Optional[str]  # what the matrix says (None: nothing)
    index: Optional[str]  # what the packages declare (None: nothing)
    evidence: str  # where the index's value comes from

    @property
    def contradicts(self) -> bool:
        """The index contradicts a fact of the matrix; else it only knows more (a release the matrix lacks)."""
        return self.field != "release"


@dataclass(frozen=True)
class Wheel:
    version: Version
    pythons: frozenset[str]  # "3.10" for each CPython (cpXY, not free-threaded) tag
    oses: frozenset[str]  # linux-x86_64 | windows-x86_64 | macos-x86_64 | macos-arm64 | other
    requires_python: Optional[str]
    file: pkgindex.IndexFile


@dataclass
class Derived:
    """What the index says of torch releases and of the companions' torch requirement."""

    torch: dict[Version, list[Wheel]] = field(default_factory=dict)
    admits: dict[tuple[str, Version], tuple[Optional[SpecifierSet], str]] = field(default_factory=dict)


def _os_of(platform: str) -> str:
    if platform.endswith("x86_64") and ("linux" in platform):
        return "linux-x86_64"
    if platform == "win_amd64":
        return "windows-x86_64"
    if platform.startswith("macosx") and platform.endswith("x86_64"):
        return "macos-x86_64"
    if platform.startswith("macosx") and platform.endswith("arm64"):
        return "macos-arm64"
    return "other"


def wheels(files: Iterable[pkgindex.IndexFile]) -> list[Wheel]:
    """The public release wheels among files (sdists, pre-releases and local versions such as +cu126 left out:
    those are not what `pip install torch` gets from this index)."""
    out = []
    for f in files:
        if not f.filename.endswith(".whl"):
            continue
        try:
            _, version, _, tags = parse_wheel_filename(f.filename)
        except InvalidWheelFilename:
            continue
        if version.is_prerelease or version.local:
            continue
        pythons = frozenset(py for py in (_cpython(t.interpreter, t.abi) for t in tags) if py)
        out.append(Wheel(version, pythons, frozenset(_os_of(t.platform) for t in tags), f.requires_python, f))
    return out


def _cpython(interpreter: str, abi: str) -> Optional[str]:
    """ "3.10" for a tag pip installs on CPython 3.10: Python 3 only (the doctor's payload needs 3.6), not the
    free-threaded ABI, and an ABI that exists for that Python (torch 1.7.0's win_amd64 "cp38-cp38m" wheel, an
    ABI 3.8 does not have, installs nowhere)."""
    if not (interpreter.startswith("cp3") and interpreter[3:].isdigit()):
        return None
    minor = int(interpreter[3:])
    if abi not in ("none", "abi3", interpreter) and not (minor < 8 and abi == interpreter + "m"):
        return None
    return f"3.{minor}"


def _public(spec: SpecifierSet) -> SpecifierSet:
    """The specifier on public versions: `==1.10.0+cu102` (torchvision 0.11.0 pins a build) speaks of 1.10.0."""
    return SpecifierSet(",".join(f"{s.operator}{s.version.split('+')[0]}" for s in spec))


def _torch_requirement(meta: pkgindex.CoreMetadata) -> tuple[Optional[SpecifierSet], str]:
    for line in meta.requires_dist:
        try:
            req = Requirement(line)
        except InvalidRequirement:
            continue
        if req.name.lower() == "torch" and (req.marker is None or "extra" not in str(req.marker)):
            return (_public(req.specifier) or None), line  # a bare "torch" says nothing about which one
    return None, "(no torch requirement)"


def derive(m: Matrix, index_url: str, timeout: float = 30.0, workers: int = 8) -> Derived:
    """Read the index: torch's files, and one wheel's metadata per companion release the matrix could name."""
    out = Derived()
    oldest = min(Version(r.version) for r in m.torch_releases)
    for w in wheels(pkgindex.project_files(index_url, "torch", timeout)):
        if w.version >= oldest:
            out.torch.setdefault(w.version, []).append(w)
    jobs: list[tuple[str, Version, pkgindex.IndexFile]] = []
    for name in COMPANIONS:
        known = [Version(v) for r in m.torch_releases for v in _companions(r, name)]
        floor = min(known) if known else None
        chosen: dict[Version, tuple[tuple[bool, bool], pkgindex.IndexFile]] = {}
        for w in wheels(pkgindex.project_files(index_url, name, timeout)):
            if floor is not None and w.version < floor:
                continue
            # Wheels of one release may declare differently (old macOS wheels leave torch unpinned): the Linux
            # x86_64 wheel speaks for the release, as the matrix does; one with a .metadata file first.
            rank = ("linux-x86_64" in w.oses, w.file.metadata_url is not None)
            if w.version not in chosen or rank > chosen[w.version][0]:
                chosen[w.version] = (rank, w.file)
        jobs += [(name, v, f) for v, (_, f) in chosen.items()]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        metas = list(pool.map(lambda job: pkgindex.core_metadata(job[2], timeout), jobs))
    for (name, version, _), meta in zip(jobs, metas):
        out.admits[(name, version)] = _torch_requirement(meta)
    return out


def _companions(release: TorchRelease, name: str) -> tuple[str, ...]:
    return release.torchvisions if name == "torchvision" else release.torchaudios


def _spec_equal(a: Optional[str], b: Optional[str]) -> bool:
    if a is None or b is None:
        return a == b
    try:
        return SpecifierSet(a) == SpecifierSet(b)
    except InvalidSpecifier:
        return a == b


def compare(m: Matrix, derived: Derived) -> list[Difference]:
    """Every fact the index and the matrix both speak of and disagree on, and the releases only the index has."""
    diffs: list[Difference] = []
    releases = {Version(r.version): r for r in m.torch_releases}
    for version in sorted(derived.torch, reverse=True):
        found = derived.torch[version]
        name = f"torch {version}"
        linux = sorted({p for w in found if "linux-x86_64" in w.oses for p in w.pythons}, key=Version)
        rp = Counter(w.requires_python for w in found if w.requires_python).most_common(1)
        requires_python = rp[0][0] if rp else None
        release = releases.get(version)
        if release is None:
            span = f"{linux[0]}-{linux[-1]}" if linux else "none"
            diffs.append(
                Difference(
                    name,
                    "release",
                    None,
                    f"Requires-Python {requires_python}; Linux x86_64 CPython {span}",
                    f"{len(found)} wheels on the index",
                )
            )
            continue
        if requires_python and not _spec_equal(release.requires_python, requires_python):
            diffs.append(
                Difference(
                    name,
                    "requires_python",
                    release.requires_python,
                    requires_python,
                    "the index's requires-python of its wheels",
                )
            )
        if linux and [release.python_min, release.python_max] != [linux[0], linux[-1]]:
            diffs.append(
                Difference(
                    name,
                    "python",
                    f"{release.python_min}-{release.python_max}",
                    f"{linux[0]}-{linux[-1]}",
                    "cpXY tags of its Linux x86_64 wheels",
                )
            )
    diffs += _platform_diffs(m, derived)
    diffs += _companion_diffs(m, derived, releases)
    return diffs


def _platform_diffs(m: Matrix, derived: Derived) -> list[Difference]:
    diffs = []
    versions = sorted(derived.torch)
    for platform in m.platforms:
        if platform.name == "windows-x86_64":
            firsts: dict[str, Version] = {}
            for version in versions:  # oldest first
                for w in derived.torch[version]:
                    if "windows-x86_64" in w.oses:
                        for py in w.pythons:
                            firsts.setdefault(py, version)
            for py, first in sorted(platform.first_torch.items()):
                seen = firsts.get(py)
                if seen is not None and seen != Version(first):
                    diffs.append(
                        Difference(
                            f"{platform.name} Python {py}",
                            "first_torch",
                            first,
                            str(seen),
                            f"the oldest torch with a win_amd64 cp{py.replace('.', '')} wheel",
                        )
                    )
        if platform.name == "macos-x86_64" and platform.last_torch:
            last = [v for v in versions if any("macos-x86_64" in w.oses for w in derived.torch[v])]
            if last and last[-1] != Version(platform.last_torch):
                diffs.append(
                    Difference(
                        platform.name,
                        "last_torch",
                        platform.last_torch,
                        str(last[-1]),
                        "the newest torch with a macosx x86_64 wheel",
                    )
                )
    return diffs


def _companion_diffs(m: Matrix, derived: Derived, releases: dict[Version, TorchRelease]) -> list[Difference]:
    diffs = []
    listed: dict[tuple[str, Version], set[Version]] = defaultdict(set)
    for version, release in releases.items():
        for name in COMPANIONS:
            for listed_version in _companions(release, name):
                listed[(name, Version(listed_version))].add(version)
    for (name, companion), (spec, line) in sorted(derived.admits.items(), key=lambda item: item[0]):
        if spec is None:
            continue
        subject = f"{name} {companion}"
        evidence = f"its METADATA: Requires-Dist: {line}"
        paired = listed.get((name, companion), set())
        admitted = {v for v in releases if spec.contains(v, prereleases=True)}
        for torch in sorted(paired - admitted, reverse=True):
            diffs.append(
                Difference(subject, f"pairs with torch {torch}", "yes", f"no (torch{spec})", evidence)
            )
        for torch in sorted(admitted - paired, reverse=True):
            diffs.append(
                Difference(subject, f"pairs with torch {torch}", "no", f"yes (torch{spec})", evidence)
            )
        if not admitted and not paired:
            diffs.append(
                Difference(
                    subject, "release", None, f"needs torch{spec}, which the matrix does not list", evidence
                )
            )
    return diffs


def render(diffs: list[Difference], m: Matrix, index_url: str, lang: str = "en") -> str:
    """A unified-diff-like text: `-` what the matrix says, `+` what the packages declare."""
    from d2l_doctor.i18n import t

    lines = [
        f"--- {m.path.name} ({t('matrix.refresh.reviewed', lang, date=m.reviewed)})",
        f"+++ {index_url} ({t('matrix.refresh.declared', lang)})",
    ]
    none = t("matrix.refresh.none", lang)
    for d in diffs:
        lines += [
            f"@@ {d.subject}: {d.field} @@",
            f"-{d.matrix if d.matrix is not None else none}",
            f"+{d.index if d.index is not None else none}",
            f"  # {t('matrix.refresh.from', lang)}: {d.evidence}",
        ]
    contradictions = sum(d.contradicts for d in diffs)
    if contradictions:
        lines.append(t("matrix.refresh.differences", lang, count=len(diffs), contradictions=contradictions))
    elif diffs:
        lines.append(t("matrix.refresh.only_new", lang, count=len(diffs)))
    else:
        lines.append(t("matrix.refresh.agrees", lang))
    return "\n".join(lines) + "\n"
