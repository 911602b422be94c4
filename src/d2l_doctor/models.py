"""The data that flows through the doctor: the Snapshot (facts), Findings (judgements) and their fix actions.

Everything here is a frozen dataclass or a str Enum and round-trips through plain JSON (to_dict / from_dict), so a
live machine and a pasted report meet in the same Snapshot.

The evidence model (docs/contracts.md, "Evidence"):
- a fact that is not known is `None` (never a placeholder such as "" / 0 / "unknown") and its path is listed in
  `Snapshot.unknown` ("driver", "python.bits", "packages.pillow"); why it is not known is a `Problem` (a message
  id and its params, never an English sentence) in `Snapshot.problems` under the probe's or section's name;
- where a fact came from is an `Evidence` in `Snapshot.evidence` under the fact's path (a live probe, a line of
  the report, a warning or an error text the tools printed, or an inference), with the line quoted;
- what torch, torchvision, pip, conda, Jupyter and NumPy printed is kept whole in `Snapshot.messages`: rules
  match it against the matrix's `messages` table, and a message that proves a finding decides alone;
- every Finding carries its `certainty` (observed | inferred) and the `quotes` (lines of the paste) it rests on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from typing import Any, Optional

SCHEMA_VERSION = 2
# Older documents that from_dict still reads (json_report upgrades them: placeholders -> None, problems -> Problem).
READABLE_SCHEMA_VERSIONS = (1, 2)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    CRASH = "crash"  # a rule raised: reported, never fatal

    @property
    def rank(self) -> int:
        return {"crash": 0, "error": 1, "warning": 2, "info": 3}[self.value]


class Area(str, Enum):
    """The checklist sections of the console report, in display order."""

    GPU = "gpu"  # GPU & driver
    CUDA = "cuda"  # CUDA & cuDNN
    PYTHON = "python"  # Python & conda
    TORCH = "torch"  # PyTorch stack
    JUPYTER = "jupyter"
    D2L = "d2l"


# ---------------------------------------------------------------------------------------------------------------
# Evidence: where a fact came from, why one is missing


class Source(str, Enum):
    """Where a fact came from, strongest first (an observation beats an inference)."""

    PROBE = "probe"  # a live probe measured it on this machine
    REPORT = "report"  # a line of a pasted report states it (collect_env, pip list, nvidia-smi, prose)
    WARNING = "warning"  # a warning that torch / torchvision / NumPy printed
    ERROR = "error"  # an error text (a traceback, pip's or conda's error)
    INFERENCE = "inference"  # derived from other facts (a version's local tag, a GPU name in the matrix)

    @property
    def certainty(self) -> Certainty:
        return Certainty.INFERRED if self is Source.INFERENCE else Certainty.OBSERVED


class Certainty(str, Enum):
    OBSERVED = "observed"  # a probe, a report line or the tool's own words say so
    INFERRED = "inferred"  # the doctor concluded it from other facts


@dataclass(frozen=True)
class Evidence:
    """One fact's origin: its source and, for a paste, the line that states it (quoted, 1-based number)."""

    source: Source
    text: Optional[str] = None  # the line as pasted (cleaned of quote marks and fences)
    line: Optional[int] = None
    value: Optional[str] = None  # the fact as read from the line ("418.87"), to tie findings to their lines

    @property
    def certainty(self) -> Certainty:
        return self.source.certainty


@dataclass(frozen=True)
class Message:
    """A line that a tool printed (a warning, an error, a traceback's last line), kept as evidence."""

    text: str
    source: Source = Source.REPORT  # WARNING or ERROR when the reader knew which; PROBE for a live import
    line: Optional[int] = None
    module: Optional[str] = None  # the import that printed it, when known ("torch", "torchvision")


@dataclass(frozen=True)
class Problem:
    """Why a fact is missing or a probe failed: a message id of the i18n catalogue (`ui.why.*`) and its params.
    Text quoted from the system (an NVML error) is the param `error` of `ui.why.error`."""

    message: str
    params: dict[str, str] = field(default_factory=dict)

    @classmethod
    def error(cls, text: str) -> Problem:
        return cls("ui.why.error", {"error": str(text)})

    def __str__(self) -> str:  # English words, for logs and tests; renderers use render.view.problem_text
        from d2l_doctor.i18n import t

        params = {k: str(v) for k, v in self.params.items()}
        if (
            "why" in params
            and isinstance(self.params.get("why"), str)
            and params["why"].startswith("ui.why.")
        ):
            params["why"] = t(params["why"], "en")
        return t(self.message, "en", **params)


# ---------------------------------------------------------------------------------------------------------------
# Facts


@dataclass(frozen=True)
class Driver:
    version: str  # "550.54.14" (Linux) or "551.61" (Windows)
    cuda_version: Optional[str]  # the newest CUDA the driver supports, "12.4"; None when unknown
    source: str = "nvml"  # nvml | proc | nvidia-smi | report


@dataclass(frozen=True)
class Gpu:
    name: str
    compute_capability: Optional[str]  # "8.6"; None when unknown (e.g. a report that only names the card)
    memory_total_mib: Optional[int] = None
    pci_bus_id: Optional[str] = None
    index: int = 0


@dataclass(frozen=True)
class PciGpu:
    """An NVIDIA display device seen on the bus, whether or not a driver runs it."""

    pci_bus_id: str
    device_id: Optional[str] = None  # "0x2684"
    name: Optional[str] = None  # Windows reports a name; Linux sysfs does not
    driver_bound: Optional[bool] = None  # Linux: a kernel driver is bound (nvidia, nouveau, vfio-pci…)
    kernel_driver: Optional[str] = None


@dataclass(frozen=True)
class CudaToolkit:
    version: str  # "13.0" (from nvcc, or version.json)
    path: Optional[str]  # the toolkit root; None when a report does not say
    nvcc: Optional[str] = None


@dataclass(frozen=True)
class Cudnn:
    version: str  # "9.1.0"
    path: Optional[str]  # None when a report gives the version alone


@dataclass(frozen=True)
class Host:
    os: str  # linux | windows | darwin
    os_release: Optional[str] = None  # "Debian GNU/Linux 12 (bookworm)", "Windows 11 (10.0.22631)"
    kernel: Optional[str] = None
    machine: Optional[str] = None  # x86_64 / AMD64 / arm64
    wsl: bool = False
    cpu: Optional[str] = None
    cpu_count: Optional[int] = None
    ram_mib: Optional[int] = None
    disk_free_mib: Optional[int] = None  # on the target's prefix


@dataclass(frozen=True)
class PythonInfo:
    executable: Optional[str]  # None: a report that does not name the interpreter
    version: str  # "3.11.7"
    bits: Optional[int]  # 32 or 64 (struct.calcsize("P") * 8); None when not known
    machine: Optional[str]  # platform.machine() as the target sees it; None when not known
    implementation: str = "cpython"
    platform: Optional[str] = "linux"  # sys.platform; None when not known
    prefix: Optional[str] = None
    base_prefix: Optional[str] = None
    is_venv: bool = False
    chosen_by: str = "self"  # how the doctor picked it: --python | conda | venv | path | self


@dataclass(frozen=True)
class CondaInfo:
    env_name: Optional[str]
    prefix: Optional[str]  # None: a report shows conda packages but not the environment's folder
    is_base: bool = False
    platform: Optional[str] = None  # conda's subdir: win-32, linux-64, osx-arm64…
    conda_version: Optional[str] = None
    conda_exe: Optional[str] = None
    channels: tuple[str, ...] = ()
    managed: tuple[str, ...] = ()  # packages in the env that conda installed (not pip), lower-case names


@dataclass(frozen=True)
class TorchInfo:
    version: str  # "2.13.0+cpu"
    cuda: Optional[str] = None  # torch.version.cuda
    hip: Optional[str] = None  # torch.version.hip
    cudnn: Optional[int] = None  # torch.backends.cudnn.version()
    arch_list: tuple[str, ...] = ()  # torch.cuda.get_arch_list()
    cuda_available: Optional[bool] = None
    device_count: Optional[int] = None
    device_capabilities: tuple[str, ...] = ()  # "8.6" per visible device
    init_warning: Optional[str] = (
        None  # e.g. "The NVIDIA driver on your system is too old (found version 11040)"
    )


@dataclass(frozen=True)
class ImportResult:
    module: str
    ok: bool
    error_type: Optional[str] = None  # "ImportError", "OSError", "RuntimeError"…
    error: Optional[str] = None  # the exception text, first lines only
    signal: Optional[str] = None  # "SIGSEGV" when the interpreter died in this import
    timed_out: bool = False
    seconds: Optional[float] = None
    skipped: Optional[str] = None  # why it was not attempted
    # Python warnings and stderr text printed during the import, first few distinct (e.g. "_ARRAY_API not found")
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kernelspec:
    name: str
    display_name: str
    resource_dir: str
    argv0: Optional[str]  # the interpreter the kernel starts
    interpreter_exists: Optional[bool]
    language: Optional[str] = None
    # What it really starts: argv[0] resolved (a bare "python" is the Python of the Jupyter that starts it:
    # the env's own for a kernelspec in an env's share/jupyter); None when that cannot be known.
    python: Optional[str] = None
    scope: Optional[str] = None  # env (seen only by that env's Jupyter) | user | system | path (JUPYTER_PATH)
    python_version: Optional[str] = None  # of the interpreter it starts, when probed
    packages: dict[str, str] = field(default_factory=dict)  # torch, torchvision, d2l, ipykernel… there
    probe_problem: Optional[str] = None  # why that interpreter could not be probed


@dataclass(frozen=True)
class JupyterInfo:
    data_paths: tuple[str, ...] = ()
    kernelspecs: tuple[Kernelspec, ...] = ()
    # The interpreters Jupyter itself runs from, as far as they can be found (`jupyter` on PATH, conda base).
    frontends: tuple[str, ...] = ()


@dataclass(frozen=True)
class BookStep:
    """One step of the book's first cell run in the target (payload/book_cell.py)."""

    name: str  # "import d2l" | "tensor" | "optimizer step" | "plot"
    ok: bool
    error_type: Optional[str] = None
    error: Optional[str] = None
    skipped: Optional[str] = None  # why it was not attempted ("after import d2l")
    seconds: Optional[float] = None
    device: Optional[str] = None  # the tensor step: what d2l.try_gpu() gave
    signal: Optional[str] = None  # the interpreter died in this step
    timed_out: bool = False


@dataclass(frozen=True)
class UnmetRequirement:
    """A Requires-Dist of an installed distribution that the environment does not satisfy (as `pip check`)."""

    package: str  # the distribution that requires it, as its metadata spells it
    version: str
    requirement: str  # "sympy>=1.13.3"
    name: str  # canonical name of what is required
    installed: Optional[str] = None  # the version found (a conflict); None: missing


@dataclass(frozen=True)
class Snapshot:
    """One machine and one Python environment, as far as the probes (or a report) could tell."""

    schema_version: int = SCHEMA_VERSION
    source: str = "live"  # live | d2l-doctor-report | collect_env | paste (any other text: ingest/paste.py)
    host: Optional[Host] = None
    driver: Optional[Driver] = None
    gpus: tuple[Gpu, ...] = ()
    pci_gpus: tuple[PciGpu, ...] = ()
    cuda_toolkits: tuple[CudaToolkit, ...] = ()
    cudnn_system: tuple[Cudnn, ...] = ()
    python: Optional[PythonInfo] = None
    conda: Optional[CondaInfo] = None
    packages: dict[str, str] = field(default_factory=dict)  # canonical (lower-case, dashes) name -> version
    # name -> the Requires-Dist lines of its installed metadata (torch, torchvision, torchaudio): what the package
    # itself declares, e.g. torchvision's "torch==2.13.0". Read from the distributions, not from the matrix.
    requires: dict[str, tuple[str, ...]] = field(default_factory=dict)
    torch: Optional[TorchInfo] = None
    imports: dict[str, ImportResult] = field(
        default_factory=dict
    )  # "torch", "torchvision", "PIL", "numpy", "nbconvert"
    jupyter: Optional[JupyterInfo] = None
    shell: Optional[str] = None  # bash | zsh | fish | powershell | cmd
    # probe or section name -> why it could not collect, as a message id with params (never English words).
    problems: dict[str, Problem] = field(default_factory=dict)
    # the facts that are not known, by path ("driver", "python.bits", "packages.pillow"): rules must not guess.
    unknown: tuple[str, ...] = ()
    # fact path -> where it came from; a fact without an entry came from `source` (a live probe, a report).
    evidence: dict[str, Evidence] = field(default_factory=dict)
    # what the tools printed (warnings, errors), whole, in the order seen: matched against matrix `messages`.
    messages: tuple[Message, ...] = ()
    # The book's first cell in the target; () when it did not run (no d2l, or a report without it).
    book: tuple[BookStep, ...] = ()
    # Unmet requirements of the installed distributions; None when not checked.
    requirements: Optional[tuple[UnmetRequirement, ...]] = None

    def known(self, section: str) -> bool:
        return section not in self.unknown

    def origin(self, path: str) -> Evidence:
        """Where the fact at `path` came from: its own entry, its section's, else the snapshot's source."""
        parts = path.split(".")
        for n in range(len(parts), 0, -1):
            found = self.evidence.get(".".join(parts[:n]))
            if found is not None:
                return found
        return Evidence(Source.PROBE if self.source == "live" else Source.REPORT)

    def to_dict(self) -> dict[str, Any]:
        return _to_jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Snapshot:
        return _from_dict(cls, data)


# ---------------------------------------------------------------------------------------------------------------
# Judgements


class FixKind(str, Enum):
    PIP_INSTALL = "pip-install"  # <python> -m pip install [flags] packages (through the index/mirror)
    PIP_UNINSTALL = "pip-uninstall"  # <python> -m pip uninstall -y packages
    CONDA_INSTALL = "conda-install"  # conda install -p PREFIX -y packages (conda-managed envs)
    KERNEL_INSTALL = (
        "kernel-install"  # <python> -m ipykernel install --user --name NAME --display-name DISPLAY
    )
    KERNEL_REMOVE = "kernel-remove"  # remove a stale kernelspec directory: jupyter kernelspec remove -y NAME
    RUN = "run"  # an exact argv
    MANUAL = "manual"  # a step a person must do (install a driver, download 64-bit Miniconda): has a url


@dataclass(frozen=True)
class FixAction:
    """A fix as data. The renderer turns it into argv for the target interpreter, mirror and shell."""

    kind: FixKind
    packages: tuple[str, ...] = ()  # requirement strings: "pillow", "torchvision==0.28.0", "nbconvert>=6.2"
    flags: tuple[str, ...] = ()  # extra pip/conda flags: "--force-reinstall", "--no-deps", "--upgrade"
    index_url: Optional[str] = None  # a PyTorch wheel index, "https://download.pytorch.org/whl/cu126"
    torch_variant: Optional[str] = None  # "cu126" / "cpu": lets the planner swap in a mirror of that index
    name: Optional[str] = None  # kernel name
    display_name: Optional[str] = None
    argv: tuple[str, ...] = ()  # RUN: the exact command
    url: Optional[str] = None  # MANUAL: where to go
    message: Optional[str] = None  # MANUAL: message id in the i18n catalogue
    reason: Optional[str] = None  # short, for plan output: "match torch 2.13.0+cpu"

    def to_dict(self) -> dict[str, Any]:
        return _to_jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FixAction:
        return _from_dict(cls, data)


@dataclass(frozen=True)
class Finding:
    """A problem (or a note) with a stable id. Title and detail come from the i18n catalogue, filled with params."""

    id: str
    severity: Severity
    area: Area
    params: dict[str, Any] = field(default_factory=dict)  # values for the message templates
    evidence: dict[str, Any] = field(
        default_factory=dict
    )  # the facts used, e.g. {"import torchvision": "..."}
    fixes: tuple[FixAction, ...] = ()
    undecided: bool = False  # the facts were not enough to decide (reports): says what is unknown
    # observed: the facts it rests on were seen (or the tool said so itself); inferred: the doctor concluded it.
    certainty: Certainty = Certainty.OBSERVED
    quotes: tuple[Quote, ...] = ()  # the lines of the paste it rests on (none for a live check)

    def to_dict(self) -> dict[str, Any]:
        return _to_jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return _from_dict(cls, data)


@dataclass(frozen=True)
class Quote:
    """A line of the paste that a finding rests on."""

    text: str
    line: Optional[int] = None
    source: Source = Source.REPORT

    def to_dict(self) -> dict[str, Any]:
        return _to_jsonable(asdict(self))


@dataclass(frozen=True)
class PlanStep:
    action: FixAction
    argv: tuple[str, ...]  # what will run, exactly (empty for MANUAL)
    fixes: tuple[str, ...]  # finding ids this step addresses
    optional: bool = False  # e.g. conda channel configuration: the user may skip it


@dataclass(frozen=True)
class Plan:
    python: str
    mirror: Optional[str]  # mirror name or URL
    shell: str
    steps: tuple[PlanStep, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return _to_jsonable(asdict(self))


def exit_code_for(findings: list[Finding] | tuple[Finding, ...]) -> int:
    """0 healthy (warnings allowed), 1 when any error (or a crashed rule) stands."""
    return 1 if any(f.severity in (Severity.ERROR, Severity.CRASH) for f in findings) else 0


# ---------------------------------------------------------------------------------------------------------------
# JSON plumbing: tuples become lists, Enums their values; from_dict rebuilds nested dataclasses from type hints.


def _to_jsonable(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {str(k): _to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_jsonable(v) for v in value]
    return value


class SchemaError(ValueError):
    """A serialized value does not fit the schema (a garbled or foreign report)."""


def _from_dict(cls: Any, data: Any) -> Any:
    import typing

    if not isinstance(data, dict):
        raise SchemaError(f"{cls.__name__}: expected an object, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    kwargs: dict[str, Any] = {}
    for f in fields(cls):
        if f.name in data:
            kwargs[f.name] = _coerce(hints[f.name], data[f.name], f"{cls.__name__}.{f.name}")
    try:
        return cls(**kwargs)
    except TypeError as exc:  # a required field is missing
        raise SchemaError(f"{cls.__name__}: {exc}") from None


def _coerce(tp: Any, value: Any, where: str) -> Any:
    import typing

    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union:
        if value is None:
            return None
        inner = [a for a in args if a is not type(None)]
        return _coerce(inner[0], value, where)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise SchemaError(f"{where}: expected a list")
        return tuple(_coerce(args[0], v, where) for v in value)
    if origin is dict:
        if not isinstance(value, dict):
            raise SchemaError(f"{where}: expected an object")
        return {k: _coerce(args[1], v, where) for k, v in value.items()}
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(value)
        except ValueError:
            raise SchemaError(f"{where}: unknown value {value!r}") from None
    if isinstance(tp, type) and hasattr(tp, "__dataclass_fields__"):
        return _from_dict(tp, value)
    if tp is Any:
        return value
    if tp is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(tp, type) and not isinstance(value, tp):
        raise SchemaError(f"{where}: expected {tp.__name__}, got {type(value).__name__}")
    return value
