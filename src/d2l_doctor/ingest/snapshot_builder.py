"""A segmented collect_env report -> the Snapshot the live probes would have produced, as far as it tells.

What the report does not say stays unknown: its section goes into `Snapshot.unknown` ("imports", "jupyter"),
or one key of a section when the rest is known ("packages.pillow": collect_env's pip list names only packages
matching torch/numpy; "python.bits": reports before torch 1.7 did not print it), and the field is None.
"Could not collect" is unknown too, never "absent", and its reason (a message id) goes into
`Snapshot.problems`. Every fact read from a line records that line in `Snapshot.evidence`.
"""

from __future__ import annotations

import re
from typing import Optional

from d2l_doctor.ingest import torch_warnings
from d2l_doctor.ingest import values as V
from d2l_doctor.ingest.collect_env import RawReport
from d2l_doctor.ingest.headings import HEADINGS
from d2l_doctor.models import (
    CondaInfo,
    CudaToolkit,
    Cudnn,
    Driver,
    Evidence,
    Gpu,
    Host,
    ImportResult,
    Problem,
    PythonInfo,
    Snapshot,
    Source,
    TorchInfo,
)

SOURCE = "collect_env"

# Sections no collect_env report covers.
NEVER_IN_REPORT = ("pci_gpus", "jupyter", "shell")
# The packages the doctor looks at; every collect_env since 1.0 lists pip/conda packages whose names contain
# "torch" or "numpy", so only these four are known to be absent when they are not listed.
DOCTOR_PACKAGES = (
    "torch", "torchvision", "torchaudio", "pillow", "numpy", "d2l", "jupyter", "notebook", "jupyterlab",
    "ipykernel", "nbconvert", "jinja2", "matplotlib", "pandas", "nb-conda-kernels", "scipy", "requests",
    "matplotlib-inline",
)  # fmt: skip
LISTED_WHEN_INSTALLED = ("torch", "torchvision", "torchaudio", "numpy")
IMPORT_NAMES = ("torch", "torchvision", "torchaudio", "PIL", "numpy", "nbconvert")
NOT_COLLECTED = Problem("ui.why.not_collected")
_WHY = {"not_collected": NOT_COLLECTED, "no_cuda": Problem("ui.why.no_cuda")}


class _Gaps:
    """Collects `unknown` entries, `problems` and the evidence of each fact while the sections are built."""

    def __init__(self, raw: Optional[RawReport] = None) -> None:
        self.unknown: list[str] = []
        self.problems: dict[str, Problem] = {}
        self.evidence: dict[str, Evidence] = {}
        self.raw = raw

    def unknown_section(self, section: str, why: Optional[Problem] = None) -> None:
        if section not in self.unknown:
            self.unknown.append(section)
        if why:
            self.problems.setdefault(section.split(".")[0], why)

    def saw(self, path: str, field_name: str, value: Optional[str] = None) -> None:
        """The fact at `path` was read from collect_env's field `field_name`."""
        found = self.raw.evidence(field_name, value) if self.raw is not None else None
        if found is not None:
            self.evidence.setdefault(path, found)


def build(raw: RawReport) -> Snapshot:
    gaps = _Gaps(raw)
    warnings = torch_warnings.find(raw.text)
    host = _host(raw, gaps)
    packages, conda_packages, listed = _packages(raw, gaps)
    torch = _torch(raw, warnings, packages, gaps)
    if torch is not None and "torch" not in packages:
        # the version torch itself reported (the package list may be cut off, or made by another pip)
        packages["torch"] = torch.version
    python = _python(raw, host, gaps)
    for name in DOCTOR_PACKAGES:
        if name not in packages and not (listed and name in LISTED_WHEN_INSTALLED):
            gaps.unknown_section(f"packages.{name}")
    if raw.cut_field is not None:
        heading = HEADINGS[raw.cut_field][0]
        gaps.problems["report"] = Problem("ui.why.cut_at", {"heading": heading})
    elif "libraries" not in raw.fields and not raw.packages:
        gaps.problems["report"] = Problem("ui.why.cut_before", {"heading": "Versions of relevant libraries"})
    apple = _apple_silicon(host)
    for section in NEVER_IN_REPORT:
        if not (apple and section == "pci_gpus"):
            gaps.unknown_section(section)
    snapshot = Snapshot(
        source=SOURCE,
        host=host,
        driver=None if apple else _driver(raw, warnings, gaps, host),
        gpus=() if apple else _gpus(raw, torch, gaps),
        cuda_toolkits=_toolkits(raw, gaps),
        cudnn_system=_cudnn(raw, gaps),
        python=python,
        conda=_conda(raw, python, conda_packages, gaps),
        packages=packages,
        torch=torch,
        imports=_imports(raw, torch, packages, gaps),
        problems=gaps.problems,
        unknown=tuple(gaps.unknown),
        evidence=gaps.evidence,
    )
    return snapshot


def _apple_silicon(host: Optional[Host]) -> bool:
    """An Apple Silicon Mac: no NVIDIA GPU or driver can exist there; their absence is a fact, not a gap."""
    return host is not None and host.os == "darwin" and (host.machine or "").lower() in ("arm64", "aarch64")


def _host(raw: RawReport, gaps: _Gaps) -> Optional[Host]:
    facts = V.host_facts(raw.value("os"), raw.value("python_platform"))
    if facts.os is None:
        gaps.unknown_section("host", NOT_COLLECTED if V.status(raw.value("os")) == "not_collected" else None)
        return None
    cpu, cpu_count = V.cpu_facts(raw.block("cpu"))
    gaps.saw("host", "os", facts.os_release)
    machine = facts.machine
    if facts.os == "darwin" and cpu and re.match(r"^Apple M\d", cpu):
        # Apple silicon: platform.machine() says x86_64 under Rosetta, the CPU's name says what it is
        machine = "arm64"
        gaps.saw("host.machine", "cpu", machine)
    return Host(
        os=facts.os,
        os_release=facts.os_release,
        kernel=facts.kernel,
        machine=machine,
        wsl=facts.wsl,
        cpu=cpu,
        cpu_count=cpu_count,
    )


def _python(raw: RawReport, host: Optional[Host], gaps: _Gaps) -> Optional[PythonInfo]:
    facts = V.python_facts(raw.value("python_version"))
    if facts.version is None:
        gaps.unknown_section("python")
        return None
    gaps.unknown_section("python.executable")
    gaps.saw("python", "python_version", facts.version)
    if facts.bits is None:
        gaps.unknown_section("python.bits")  # before torch 1.7 the report did not say
    # the machine Python itself reported (OS suffix, platform string), else the host's
    seen = V.host_facts(raw.value("os"), raw.value("python_platform")).machine
    machine = seen or facts.machine or (host.machine if host is not None else None)
    if not machine:
        gaps.unknown_section("python.machine")
    platform = {"linux": "linux", "windows": "win32", "darwin": "darwin"}.get(host.os if host else "")
    if platform is None:
        gaps.unknown_section("python.platform")
    return PythonInfo(
        executable=None,
        version=facts.version,
        bits=facts.bits,
        machine=machine,
        implementation=facts.implementation,
        platform=platform,
        chosen_by="report",
    )


def _driver(
    raw: RawReport, warnings: torch_warnings.TorchWarnings, gaps: _Gaps, host: Optional[Host]
) -> Optional[Driver]:
    value = raw.value("driver")
    if host is not None and host.os == "darwin" and V.status(value) == "value":
        # macOS's CUDA driver numbers itself (410.130, 418.105): not an NVIDIA Linux/Windows driver version, so
        # never compared with the driver table
        gaps.unknown_section("driver", Problem("ui.why.macos_driver", {"version": (value or "").strip()}))
        return None
    version = V.leading_version(value) if V.status(value) == "value" else None
    if version is None:
        why = _WHY.get(V.status(value))
        if warnings.driver_cuda:
            inner = why.message if why else "ui.why.not_in_report"
            why = Problem("ui.why.torch_says_driver_cuda", {"why": inner, "cuda": warnings.driver_cuda})
        gaps.unknown_section("driver", why)
        return None
    gaps.saw("driver", "driver", version)
    return Driver(version=version, cuda_version=warnings.driver_cuda, source="report")


def _gpus(raw: RawReport, torch: Optional[TorchInfo], gaps: _Gaps) -> tuple[Gpu, ...]:
    value = raw.value("gpu_models")
    state = V.status(value)
    names = V.gpu_names(value or "", raw.block("gpu_models")) if state in ("value", "empty") else []
    if torch is not None and torch.hip:
        names = []  # a ROCm build names AMD GPUs through torch; NVIDIA GPUs are not in this report
    if not names:
        gaps.unknown_section("gpus", _WHY.get(state))
        return ()
    gaps.saw("gpus", "gpu_models", names[0])
    return tuple(Gpu(name=name, compute_capability=None, index=i) for i, name in enumerate(names))


def _toolkits(raw: RawReport, gaps: _Gaps) -> tuple[CudaToolkit, ...]:
    # "CUDA runtime version" is `nvcc --version` on the PATH: a toolkit on the machine, not torch's CUDA.
    value = raw.value("cuda_runtime")
    version = V.major_minor(value) if V.status(value) == "value" else None
    if version is None:
        gaps.unknown_section("cuda_toolkits", _WHY.get(V.status(value)))
        return ()
    gaps.saw("cuda_toolkits", "cuda_runtime", version)
    return (CudaToolkit(version=version, path=None, nvcc="nvcc"),)


def _cudnn(raw: RawReport, gaps: _Gaps) -> tuple[Cudnn, ...]:
    value = raw.value("cudnn")
    state = V.status(value)
    found: list[tuple[str, Optional[str]]] = (
        list(V.system_cudnn(V.cudnn_files(value or "", raw.block("cudnn"))))
        if state in ("value", "empty")
        else []
    )
    if not found and state == "value":
        bare = V.leading_version(value, parts=1)
        if bare and bare == (value or "").strip():
            found = [(bare, None)]  # a bare version, as some hand-copied reports have it
    if not found:
        gaps.unknown_section("cudnn_system", _WHY.get(state))
        return ()
    gaps.saw("cudnn_system", "cudnn", found[0][0])
    return tuple(Cudnn(version=version, path=path) for version, path in found)


def _packages(raw: RawReport, gaps: _Gaps) -> tuple[dict[str, str], list[V.CondaPackage], bool]:
    """(pip and conda packages by canonical name, the conda rows, whether a package list was collected)."""
    packages: dict[str, str] = {}
    conda: list[V.CondaPackage] = []
    complete: dict[str, bool] = {}  # tool -> its list was collected and is whole
    for number, line in enumerate(raw.packages):
        if V.status(line.text) == "not_collected":
            continue
        # a list was made (one that says "No relevant packages" too): absence in it means something
        complete.setdefault(line.tool, True)
        pip = V.pip_package(line.text) if line.tool == "pip" else None
        row = V.conda_package(line.text) if line.tool == "conda" else None
        if pip is not None:
            packages.setdefault(*pip)
            gaps.evidence.setdefault(
                f"packages.{pip[0]}",
                Evidence(Source.REPORT, f"[{line.tool}] {line.text}", line.line_no, pip[1]),
            )
        if row is not None:
            conda.append(row)
            gaps.evidence.setdefault(
                f"packages.{row.name}",
                Evidence(Source.REPORT, f"[conda] {line.text}", line.line_no, row.version),
            )
        last = number == len(raw.packages) - 1 and raw.ends_with_package
        if last and _cut_short(line.tool, line.text, pip, row):
            complete[line.tool] = False  # the paste ends inside this line ("[pip3] to"): the list was cut off
            gaps.problems["report"] = Problem("ui.why.cut_in_packages")
    for row in conda:  # pip's line wins: it is what that interpreter imports
        packages.setdefault(row.name, row.version)
    if not complete:
        gaps.unknown_section("packages", NOT_COLLECTED if raw.packages else None)
    return packages, conda, any(complete.values())


def _cut_short(tool: str, text: str, pip: Optional[tuple[str, str]], row: Optional[V.CondaPackage]) -> bool:
    if not text.strip():
        return True  # only the tag survived ("[cond")
    if V.status(text) != "value" or text.lower().startswith("no relevant packages"):
        return False
    if tool == "pip":
        return pip is None
    return row is None or row.build is None  # conda list always prints a build column


def _torch(
    raw: RawReport, warnings: torch_warnings.TorchWarnings, packages: dict[str, str], gaps: _Gaps
) -> Optional[TorchInfo]:
    value = raw.value("torch_version")
    version = V.leading_version(value)
    if version is None:
        if V.status(value) != "na":  # "N/A": collect_env ran where torch does not import: known, not unknown
            gaps.unknown_section("torch")
        return None
    cuda = raw.value("cuda_build")
    hip = raw.value("rocm_build")
    cuda_version = V.leading_version(cuda) if V.status(cuda) == "value" else None
    gaps.saw("torch.version", "torch_version", version)
    gaps.saw("torch.cuda", "cuda_build", cuda_version or (cuda or "").strip() or None)
    gaps.saw("torch.cuda_available", "cuda_available", (raw.value("cuda_available") or "").strip() or None)
    if warnings.evidence is not None:
        gaps.evidence.setdefault("torch.init_warning", warnings.evidence)
    return TorchInfo(
        version=version,
        # "None" / "Could not collect" here is torch.version.cuda = None: a CPU (or ROCm) build
        cuda=cuda_version,
        hip=V.leading_version(hip, parts=1) if V.status(hip) == "value" else None,
        cudnn=_torch_cudnn(packages, cuda_version),
        arch_list=warnings.arch_list,
        cuda_available=V.parse_bool(raw.value("cuda_available")),
        device_capabilities=warnings.device_capabilities,
        init_warning=warnings.init_warning,
    )


def _torch_cudnn(packages: dict[str, str], cuda: Optional[str]) -> Optional[int]:
    """The cuDNN a pip torch loads: the nvidia-cudnn-cuXX wheel it depends on (torch >= 1.13), when listed."""
    wheels = {name: version for name, version in packages.items() if name.startswith("nvidia-cudnn-cu")}
    if not wheels:
        return None
    major = (cuda or "").split(".")[0]
    version = wheels.get(f"nvidia-cudnn-cu{major}") or (
        next(iter(wheels.values())) if len(wheels) == 1 else None
    )
    return V.cudnn_int(version) if version else None


def _conda(
    raw: RawReport, python: Optional[PythonInfo], rows: list[V.CondaPackage], gaps: _Gaps
) -> Optional[CondaInfo]:
    built_by_conda = V.python_facts(raw.value("python_version")).from_conda
    if not rows and not built_by_conda:
        not_collected = any(p.tool == "conda" and V.status(p.text) == "not_collected" for p in raw.packages)
        gaps.unknown_section("conda", NOT_COLLECTED if not_collected else None)
        return None
    # `conda list` showed packages (or conda built this Python): there is a conda environment; which one,
    # and its platform, the report does not say.
    gaps.unknown_section("conda.prefix")
    gaps.unknown_section("conda.platform")
    managed = tuple(sorted({row.conda_name for row in rows if not row.by_pip}))
    return CondaInfo(env_name=None, prefix=None, managed=managed)


def _imports(
    raw: RawReport, torch: Optional[TorchInfo], packages: dict[str, str], gaps: _Gaps
) -> dict[str, ImportResult]:
    """collect_env imports torch and nothing else: "PyTorch version: N/A" with torch installed: it failed."""
    imports: dict[str, ImportResult] = {}
    value = raw.value("torch_version")
    if torch is not None:
        imports["torch"] = ImportResult(module="torch", ok=True)
    elif V.status(value) == "na" and "torch" in packages:
        imports["torch"] = ImportResult(
            module="torch",
            ok=False,
            error="collect_env could not import torch (it printed 'PyTorch version: N/A')",
        )
    if not imports:
        gaps.unknown_section("imports")
    else:
        for name in IMPORT_NAMES:
            if name not in imports:
                gaps.unknown_section(f"imports.{name}")
    return imports
