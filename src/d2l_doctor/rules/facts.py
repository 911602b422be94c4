"""Questions about a Snapshot that several rules ask: which OS and platform the target is, which torch build
it has, which NVIDIA GPUs are usable. Unknown stays unknown (None, or UNKNOWN): rules decide what that means
for them.

A report from another machine knows less than the live probe, key by key: collect_env lists only packages
whose names contain torch or numpy ("packages.d2l" is in Snapshot.unknown), imports nothing but torch
("imports.PIL"), and before torch 1.7 printed no bitness ("python.bits"). So "package X is absent", "import Y
failed" and "Python is 32-bit" are read through `package_state`, `import_state` and `python_bits`, never
from a missing dict key."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from pathlib import PurePosixPath, PureWindowsPath
from typing import TYPE_CHECKING, Any, Optional, Union

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import Area, Finding, FixAction, Gpu, ImportResult, Severity, Snapshot

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix, Platform
    from d2l_doctor.matrix.messages import MessageTable


def finding(
    fid: str,
    severity: Severity,
    area: Area,
    params: Optional[dict[str, Any]] = None,
    evidence: Optional[dict[str, Any]] = None,
    fixes: tuple[FixAction, ...] = (),
    undecided: bool = False,
) -> Finding:
    return Finding(fid, severity, area, dict(params or {}), dict(evidence or {}), tuple(fixes), undecided)


def weaken(severity: Severity, verified: bool) -> Severity:
    """An unverified fact may warn, never fail: ERROR becomes WARNING."""
    return Severity.WARNING if severity is Severity.ERROR and not verified else severity


# ---- the target ----------------------------------------------------------------------------------


def target_known(s: Snapshot) -> bool:
    """The target interpreter answered: its packages and imports are facts (absence means absent)."""
    return s.python is not None and s.known("python") and s.known("packages") and "target" not in s.problems


def target_os(s: Snapshot) -> Optional[str]:
    """linux | windows | darwin, from the target's sys.platform, else the host."""
    raw = (s.python.platform if s.python and s.python.platform else None) or (s.host.os if s.host else None)
    if not raw:
        return None
    raw = raw.lower()
    if raw.startswith("win") or raw == "cygwin":
        return "windows"
    if raw in ("darwin", "macos"):
        return "darwin"
    return "linux" if raw.startswith("linux") else raw


def target_platform(s: Snapshot, m: Matrix) -> Optional[Platform]:
    machine = python_machine(s) or (s.host.machine if s.host else None)
    return m.platform_for(target_os(s), machine)


def python_mm(s: Snapshot) -> Optional[str]:
    return V.python_mm(s.python.version) if s.python else None


class Fact(Enum):
    """What a Snapshot says of a package or an import besides its value."""

    ABSENT = "absent"  # known not to be there (not installed; import not attempted)
    UNKNOWN = "unknown"  # the snapshot does not say (a report that cannot show it, a probe that failed)


ABSENT = Fact.ABSENT
UNKNOWN = Fact.UNKNOWN


def _target_failed(s: Snapshot) -> bool:
    return "target" in s.problems  # the live probe got no answer from the interpreter: it listed nothing


def package_state(s: Snapshot, name: str) -> Union[str, Fact]:
    """The installed version of package `name` (canonical name), ABSENT, or UNKNOWN when the snapshot cannot
    tell (no package list, a list cut off or limited to other names, a target that did not answer)."""
    version = s.packages.get(name)
    if version is not None:
        return version  # what is listed is there, however little else is known
    if _target_failed(s) or not s.known("packages") or not s.known(f"packages.{name}"):
        return UNKNOWN
    return ABSENT


def package_absent(s: Snapshot, name: str) -> bool:
    """Known not to be installed (False when installed or unknown)."""
    return package_state(s, name) is ABSENT


def package(s: Snapshot, name: str) -> Optional[str]:
    return s.packages.get(name)


def conda_managed(s: Snapshot, name: str) -> bool:
    return s.conda is not None and name in s.conda.managed


def import_state(s: Snapshot, module: str) -> Union[ImportResult, Fact]:
    """The result of importing `module` in the target, ABSENT (not attempted), or UNKNOWN (not said)."""
    result = s.imports.get(module)
    if result is not None:
        return result
    if _target_failed(s) or not s.known("imports") or not s.known(f"imports.{module}"):
        return UNKNOWN
    return ABSENT


def import_failure(s: Snapshot, module: str) -> Optional[ImportResult]:
    """The import's result when it was attempted and failed (not when skipped, absent or unknown)."""
    result = import_state(s, module)
    if not isinstance(result, ImportResult) or result.ok or result.skipped:
        return None
    return result


@dataclass(frozen=True)
class Words:
    """The words that prove a finding (or one row of the matrix's `messages` table): what rules look for in
    import errors and warnings. The same table is read by the report reader and smoke-gpu."""

    table: MessageTable
    finding: Optional[str] = None
    row: Optional[str] = None
    module: Optional[str] = None  # words said of another import's failure do not count

    def find(self, text: Optional[str]) -> Optional[str]:
        for hit in self.table.search(text or ""):
            p = hit.pattern
            if self.module is not None and p.module is not None and p.module != self.module:
                continue
            if self.row is not None and p.id != self.row:
                continue
            if self.finding is not None and p.finding != self.finding:
                continue
            if self.row is None and self.finding is None and p.finding is None:
                continue  # any finding's words: rows that prove none do not count
            return hit.text
        return None


def words(
    m: Matrix, finding: Optional[str] = None, row: Optional[str] = None, module: Optional[str] = None
) -> Words:
    """Words(m.messages, finding, row, module): for `matches` and `import_warnings`."""
    return Words(m.messages, finding, row, module)


def import_warnings(s: Snapshot, module: str, markers: Union[tuple[str, ...], Words]) -> Optional[str]:
    """The first warning printed while importing module that shows one of markers, else None."""
    result = s.imports.get(module)
    return next((w for w in result.warnings if matches(w, markers)), None) if result else None


def known_path(path: Optional[str]) -> Optional[str]:
    """A path as given; None when not known (a report names no interpreter path)."""
    return path or None


def problem_words(s: Snapshot, key: str) -> Optional[str]:
    """Why `key` could not be collected, in English (the words quoted from the system, or our own message):
    for evidence and for the few rules that look at the words (a probe that timed out)."""
    why = s.problems.get(key)
    return None if why is None else str(why)


def python_executable(s: Snapshot) -> Optional[str]:
    """The target interpreter's path; None when a report does not give it."""
    if s.python is None or not s.known("python.executable"):
        return None
    return known_path(s.python.executable)


def python_bits(s: Snapshot) -> Optional[int]:
    """32 or 64; None when unknown (None, or listed in Snapshot.unknown as "python.bits")."""
    if s.python is None or not s.known("python") or not s.known("python.bits"):
        return None
    return s.python.bits if s.python.bits in (32, 64) else None


def python_machine(s: Snapshot) -> Optional[str]:
    """platform.machine() of the target; None when unknown."""
    if s.python is None or not s.known("python") or not s.known("python.machine"):
        return None
    return s.python.machine or None


def conda_platform(s: Snapshot) -> Optional[str]:
    """conda's subdir (win-32, linux-64…); None when unknown or not a conda environment."""
    if s.conda is None or not s.known("conda") or not s.known("conda.platform"):
        return None
    return s.conda.platform or None


def error_text(result: Optional[ImportResult]) -> str:
    if result is None:
        return ""
    return " ".join(x for x in (result.error_type, result.error) if x)


def matches(text: Optional[str], markers: Union[tuple[str, ...], Words]) -> Optional[str]:
    """The first marker found in text (case-insensitive), else None; for Words, the words of the table."""
    if isinstance(markers, Words):
        return markers.find(text)
    low = (text or "").lower()
    return next((mk for mk in markers if mk.lower() in low), None)


# ---- torch ---------------------------------------------------------------------------------------


def torch_version(s: Snapshot) -> Optional[str]:
    return s.torch.version if s.torch else s.packages.get("torch")


def release_version(version: Optional[str]) -> Optional[str]:
    """The release a torch build belongs to: a source build "2.1.0a0+git1234abc" pairs as 2.1.0."""
    match = re.match(r"^(\d+\.\d+\.\d+)a0\+", version or "")
    return match.group(1) if match else version


def torch_variant(s: Snapshot, m: Matrix) -> Optional[str]:
    """The build of the installed torch: 'cpu', 'cu126', 'rocm6.2'… From its local version, else from what the
    imported torch says, else (PyPI wheel, not importable) the platform's PyPI default."""
    version = torch_version(s)
    local = V.local_variant(version)
    if local:
        return local
    if s.torch is not None and not s.known("torch.cuda"):
        return None  # a paste that names the version only: the build is not known, never guessed
    if s.torch is not None:
        if s.torch.hip:
            mm = V.major_minor(s.torch.hip)
            return f"rocm{mm[0]}.{mm[1]}" if mm else "rocm"
        if s.torch.cuda:
            return V.cuda_variant(s.torch.cuda)
        return "cpu"
    if s.source in PASTED:
        return None  # no local tag in a paste: not proof of PyPI's default build (conda, another index)
    return pypi_variant(s, m, version)


# Snapshots read from a paste: what they do not say is not guessed (a missing local tag is no build).
PASTED = ("collect_env", "paste")


def pypi_variant(s: Snapshot, m: Matrix, version: Optional[str]) -> Optional[str]:
    """The variant of a wheel from PyPI (no local version) for this torch release on this platform."""
    platform = target_platform(s, m)
    release = m.torch_release(version)
    if platform is None or release is None:
        return None
    return platform.pypi_variant or release.pypi_variant


def is_cuda_variant(variant: Optional[str]) -> bool:
    return bool(variant and variant.startswith("cu"))


# ---- GPUs ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GpuFacts:
    gpu: Gpu
    cc: Optional[str]
    cc_source: str  # "probe" | "matrix" | "unknown"


def nvidia_gpus(s: Snapshot, m: Matrix) -> list[GpuFacts]:
    out = []
    for gpu in s.gpus:
        if gpu.compute_capability:
            out.append(GpuFacts(gpu, gpu.compute_capability, "probe"))
            continue
        cc = m.gpu_capability(gpu.name)
        out.append(GpuFacts(gpu, cc, "matrix" if cc else "unknown"))
    return out


def usable_nvidia(s: Snapshot) -> bool:
    """A driver answered and it runs at least one GPU."""
    return s.driver is not None and len(s.gpus) > 0


def gpus_older_than_any_torch(s: Snapshot, m: Matrix) -> bool:
    """Every NVIDIA GPU is known to be older than any torch build has code for (a GeForce 210, cc 1.2): no
    CUDA torch can use this machine's GPUs, so the CPU build is the right one."""
    gpus = nvidia_gpus(s, m)
    return bool(gpus) and all(m.below_every_arch_list(g.cc) for g in gpus)


# ---- interpreters --------------------------------------------------------------------------------


def _pure(path: str) -> Any:
    windows = "\\" in path or re.match(r"^[A-Za-z]:", path) is not None
    return PureWindowsPath(path) if windows else PurePosixPath(path)


def same_interpreter(argv0: Optional[str], executable: str, prefix: Optional[str]) -> bool:
    """Whether a kernel's argv[0] starts the target: the same file, or a python* in the target's bin folder.
    Pure path logic: a report from another OS is compared with that OS's path rules."""
    if not argv0:
        return False
    kernel = _pure(argv0)
    if not kernel.is_absolute():
        return False  # a bare "python" depends on the PATH of whoever starts Jupyter
    target = _pure(executable)
    if type(kernel) is not type(target):
        return False
    if kernel == target:
        return True
    if not kernel.name.lower().startswith("python"):
        return False
    folders = {target.parent}
    if prefix:
        root = _pure(prefix)
        folders |= {root, root / "bin", root / "Scripts"}
    return kernel.parent in folders
