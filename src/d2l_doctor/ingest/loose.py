"""Facts stated anywhere in a paste, line by line: `pip show` / `pip list` / `pip freeze` / `conda list` rows,
nvidia-smi's header and GPU rows, `python -c "print(torch.__version__)"` answers, app start-up logs ("Torch
2.1.2+cpu", "Ultralytics ... torch-2.0.0+cpu CUDA:0 (Tesla T4, ...)"), the Python banner, hand-written version
lists ("torch 2.3.1, torchvision 0.19.0, Python 3.12, Windows 11") in English or Chinese prose.

Each fact keeps the line it came from (an Evidence). What a line states is `report`; what the doctor concludes
from a hint (a Windows path says Windows, "Python37-32" says 32-bit) is `inference`. The first observation of a
fact stands; an inference never replaces an observation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from d2l_doctor.ingest.lines import Line
from d2l_doctor.models import Evidence, Source

# The packages whose versions the rules read, by every name people write them with.
PACKAGES = {
    "torch": "torch", "pytorch": "torch", "torchvision": "torchvision", "torchaudio": "torchaudio",
    "numpy": "numpy", "pillow": "pillow", "d2l": "d2l", "jinja2": "jinja2", "nbconvert": "nbconvert",
    "notebook": "notebook", "jupyterlab": "jupyterlab", "ipykernel": "ipykernel", "jupyter": "jupyter",
    "matplotlib": "matplotlib", "pandas": "pandas", "scipy": "scipy",
}  # fmt: skip
_VERSION = r"v?(\d+(?:\.\d+){1,3}(?:(?:a|b|rc|\.dev|\.post)\d*)?(?:\+[A-Za-z0-9_.]+)?)"
_NAME = r"(pytorch|torchvision|torchaudio|torch|numpy|pillow|d2l|jinja2|nbconvert|jupyterlab|ipykernel)"
# "torch==2.0.1", "torch 2.0.1+cu118" (pip list), "torch-2.1.0+cpu" (Ultralytics), "Torch 2.1.2+cpu" (a log),
# "pytorch version: 2.7.0+cu128", "PyTorch Version: 2.4.1+cu124", "pytorch1.3.0", "torch: 2.3.1"
_INLINE = re.compile(
    r"(?<![\w/\\.\-])"
    + _NAME
    + r"(?:[ \t]*(?:version|版本))?[ \t]*(?:===?|[:：=\-]|is|为|是)?[ \t]*"
    + _VERSION
    + r"(?![\w.]*[/\\])(?!\.[a-z])",
    re.IGNORECASE,
)
_PIP_SHOW_NAME = re.compile(r"^Name:\s*([\w.\-]+)\s*$", re.IGNORECASE)
_PIP_SHOW_VERSION = re.compile(r"^Version:\s*(\S+)\s*$", re.IGNORECASE)
# conda list: name, version, build, channel; also "pytorch=1.9.0=py3.8_cpu_0" (conda's spec form)
_CONDA_ROW = re.compile(
    r"^(pytorch|torchvision|torchaudio|cpuonly|pytorch-mutex|cudatoolkit|pytorch-cuda)\s+(\d[\w.]*)\s+(\S+)(?:\s+(\S+))?\s*$",
    re.IGNORECASE,
)  # noqa: E501
_CONDA_SPEC = re.compile(r"\b(pytorch|torchvision|torchaudio)=(\d[\w.]*)=(\w[\w.]*?)(?=[^\w.]|\.?$)")
# a bare version with a PyTorch build tag, in a hand-written list ("- 2.8.0+cu128"): torch's, inferred
_BARE_TORCH = re.compile(r"(?<![\w.=\-])([1-9]\d*\.\d+\.\d+\+(?:cu\d{2,3}|cpu|rocm[\d.]+))(?![\w.])")
_PY_BANNER = re.compile(
    r"\bPython[ \-]?(\d\.\d{1,2}(?:\.\d{1,2})?)(?![\d.])"
    r"(?:[^\n]*?\[(?:MSC v\.\d+ (32|64) bit \((Intel|AMD64|ARM64)\)))?",
    re.IGNORECASE,
)
_PY_PATH = re.compile(r"[/\\]python(3\.\d{1,2})[/\\](?:site|dist)-packages", re.IGNORECASE)
_PY_USER_PATH = re.compile(
    r"[/\\]Python[/\\](3\.\d{1,2})[/\\]lib[/\\]python[/\\]site-packages"
)  # macOS --user
_D2L = re.compile(r"\bd2l(?:\s+package)?(?:\s+version)?\s*(?:==|=|:)?\s*v?(\d+\.\d+\.\d+)\b", re.IGNORECASE)
_PY_32_PATH = re.compile(r"\\Python3(\d{1,2})-32\\", re.IGNORECASE)
_RUNTIME_BITS = re.compile(r"\((32|64)-bit runtime\)")
_PY_AMD64 = re.compile(r"\bPython\s+3\.\d+(?:\.\d+)?\s+(amd64|x86_64|arm64|win32|x86)\b", re.IGNORECASE)
_SMI = re.compile(
    r"NVIDIA-SMI\s+([\d.]+)\s+Driver Version:\s*([\d.]+)\s+CUDA Version:\s*([\d.]+)", re.IGNORECASE
)
_SMI_GPU = re.compile(
    r"^\|?\s*\d+\s+((?:NVIDIA|GeForce|Tesla|Quadro|TITAN|RTX|GTX)[\w \-]*?)\s+(?:On|Off|WDDM|TCC)\s+\|",
    re.IGNORECASE,
)
_DEVICE = re.compile(r"\bDevice:\s*cuda:\d+\s+(.+?)(?:\s*:\s*\S+)?$", re.IGNORECASE)  # ComfyUI
_ULTRA_CUDA = re.compile(r"\bCUDA:\d+\s*\(([^,()]+),\s*\d+\s*MiB\)")  # Ultralytics
_ULTRA_CPU = re.compile(r"\btorch-\S+\s+CPU\b")
_IS_AVAILABLE = re.compile(
    r"torch\.cuda\.is_available\(\)\s*\)?\s*(?:[:=]|->|returns?|gives?|is)?\s*(True|False)\b", re.IGNORECASE
)  # noqa: E501
_ANSWER = re.compile(r"^(?:Out\[\d+\]:\s*)?(True|False|\d+\.\d+(?:\.\d+)?(?:[a-z]+\d*)?(?:\+\w+)?)\s*$")
_GPU_NAME = re.compile(
    r"\b((?:NVIDIA\s+)?(?:GeForce\s+)?(?:RTX\s*\d{4}(?:\s*(?:Ti|SUPER|Laptop(?:\s+GPU)?))*|GTX\s*\d{3,4}(?:\s*Ti)?"
    r"|RTX\s+A\d{4}|Tesla\s+[A-Z]\d+\w*|A100|H100|V100|Quadro\s+\w+|TITAN\s+\w+|GeForce\s+\d{3}\w*))\b",
    re.IGNORECASE,
)
# "no NVIDIA GPU", "only Intel UHD Graphics", "没有N卡", "只有集显": the writer says there is no NVIDIA GPU.
_NO_NVIDIA = re.compile(
    r"\b(?:no|without|(?:do not|don'?t|doesn'?t|does not) have(?: an?)?|not an?)\s+(?:an?\s+)?"
    r"(?:nvidia|nvdia|nvida)\b(?![-_.])"
    r"(?!\s+(?:(?:gpu|graphics)\s+)?(?:drivers?|cuda|toolkit|smi|control|container|docker)\b)"
    r"(?:\s+(?:gpu|card|graphics(?: card)?|video card))?"
    r"|\bonly (?:an? |the )?(?:integrated|intel(?:\(r\))?\s+(?:uhd|hd|iris)\w*|amd radeon)\b"
    r"|没有\s*(?:n卡|nvidia|英伟达|独立显卡|独显)|只有\s*(?:集成显卡|集显|核显)",
    re.IGNORECASE,
)
_WINDOWS = re.compile(
    r"\bWindows\s*(?:10|11|7|8(?:\.1)?|Server)\b|\bwin_amd64\b|\bwin32\b|\bWin(?:10|11)\b", re.IGNORECASE
)  # noqa: E501
_WIN_PATH = re.compile(r"(?<![\w])[A-Z]:\\\\?[\w$ .\-]+\\")
_LINUX = re.compile(
    r"\b(?:Ubuntu|Debian|CentOS|Fedora|Arch Linux|Linux-\d|manylinux|glibc|WSL2?)\b|/home/|/usr/(?:local/)?lib/python",
    re.IGNORECASE,
)  # noqa: E501
_MAC = re.compile(r"\b(?:macOS|Mac OS X|OS X|Darwin|macosx_\d+)\b|/Users/\w+", re.IGNORECASE)
_MAC_MACHINE = re.compile(r"\bmacosx_\d+_\d+_(x86_64|arm64)\b|\bmacOS[^\n]*\((x86_64|arm64)\)")
_CPU_BUILD = re.compile(r"(?:^|_)cpu(?:_\d+)?$|^cpu$")


@dataclass
class Facts:
    """What the paste states, path -> (value, evidence); the first observation of a path stands."""

    values: dict[str, tuple[object, Evidence]] = field(default_factory=dict)
    gpus: list[tuple[str, Evidence]] = field(default_factory=list)
    conda_cpu: Optional[Evidence] = (
        None  # conda's CPU build of pytorch (cpuonly, py3.8_cpu_0, pytorch-mutex cpu)
    )
    conda_names: set[str] = field(default_factory=set)
    no_nvidia: Optional[Evidence] = None  # the writer says the machine has no NVIDIA GPU

    def put(self, path: str, value: object, line: Line, source: Source = Source.REPORT) -> None:
        old = self.values.get(path)
        if old is not None and not (old[1].source is Source.INFERENCE and source is not Source.INFERENCE):
            return
        self.values[path] = (value, Evidence(source, line.text[:300], line.no, str(value)))

    def get(self, path: str) -> Optional[object]:
        found = self.values.get(path)
        return found[0] if found else None

    def evidence(self, path: str) -> Optional[Evidence]:
        found = self.values.get(path)
        return found[1] if found else None

    def gpu(self, name: str, line: Line, source: Source = Source.REPORT) -> None:
        name = " ".join(name.split())
        if re.match(r"^(?:RTX|GTX)\s*\d", name, re.IGNORECASE):
            name = "NVIDIA GeForce " + name  # "RTX 3090" as written by hand: the name NVIDIA gives it
        elif re.match(r"^GeForce\b", name, re.IGNORECASE):
            name = "NVIDIA " + name
        if name and all(name.lower() != g.lower() for g, _ in self.gpus):
            self.gpus.append((name, Evidence(source, line.text[:300], line.no, name)))


def read(lines: list[Line]) -> Facts:
    facts = Facts()
    pip_show: Optional[str] = None
    previous = ""
    for line in lines:
        text = line.text
        if not text:
            continue
        _versions(facts, line)
        _python(facts, line)
        _host(facts, line)
        _nvidia(facts, line)
        # pip show: "Name: torch" then "Version: 2.4.0+cu121"
        name = _PIP_SHOW_NAME.match(text)
        if name:
            pip_show = PACKAGES.get(name.group(1).lower())
        version = _PIP_SHOW_VERSION.match(text)
        if version and pip_show:
            facts.put(f"packages.{pip_show}", version.group(1), line)
            pip_show = None
        # a Python prompt's answer: ">>> print(torch.__version__)" / "2.0.0+cu118"
        answer = _ANSWER.match(text)
        if answer and "torch" in previous:
            value = answer.group(1)
            if value in ("True", "False"):
                if "is_available" in previous:
                    facts.put("torch.cuda_available", value == "True", line)
            elif "__version__" in previous and "torchvision" not in previous:
                facts.put("packages.torch", value, line)
            elif "torchvision.__version__" in previous:
                facts.put("packages.torchvision", value, line)
        _printed(facts, line, previous)
        available = _IS_AVAILABLE.search(text)
        if available:
            facts.put("torch.cuda_available", available.group(1).lower() == "true", line)
        previous = text
    return facts


_PRINT = re.compile(r"print\((.+)\)")


def _printed(facts: Facts, line: Line, previous: str) -> None:
    """`python -c "import torch; print(torch.__version__, torch.cuda.is_available())"` and its answer line
    "2.4.0+cu124 False": each printed value is the fact its expression names."""
    call = _PRINT.search(previous)
    if call is None or "torch" not in call.group(1):
        return
    args = [a.strip() for a in call.group(1).split(",")]
    values = line.text.strip("'\"").split()
    if len(args) < 2 or len(args) != len(values):
        return  # a single value is read by the prompt's answer above
    for arg, value in zip(args, values):
        value = value.strip("'\",")
        if arg.endswith("torch.__version__"):
            facts.put("packages.torch", value, line)
        elif arg.endswith("torchvision.__version__"):
            facts.put("packages.torchvision", value, line)
        elif "is_available" in arg and value in ("True", "False"):
            facts.put("torch.cuda_available", value == "True", line)


def _versions(facts: Facts, line: Line) -> None:
    text = line.text
    conda = _CONDA_ROW.match(text)
    if conda:
        name, version, build = conda.group(1).lower(), conda.group(2), conda.group(3)
        facts.conda_names.add(name)
        if name in ("cpuonly",) or (name == "pytorch-mutex" and build == "cpu"):
            facts.conda_cpu = facts.conda_cpu or Evidence(Source.REPORT, text[:300], line.no, name)
        elif name in ("pytorch", "torchvision", "torchaudio"):
            facts.put(f"packages.{PACKAGES[name]}", version, line)
            if _CPU_BUILD.search(build.lower()) and name == "pytorch":
                facts.conda_cpu = Evidence(Source.REPORT, text[:300], line.no, build)
        return
    for spec in _CONDA_SPEC.finditer(text):
        name = spec.group(1).lower()
        facts.put(f"packages.{PACKAGES[name]}", spec.group(2), line)
        if name == "pytorch" and _CPU_BUILD.search(spec.group(3).lower()):
            facts.conda_cpu = Evidence(Source.REPORT, text[:300], line.no, spec.group(3))
    d2l = _D2L.search(text)
    if d2l:
        facts.put("packages.d2l", d2l.group(1), line)
    bare = _BARE_TORCH.search(text)
    if bare and not _INLINE.search(text):
        facts.put("packages.torch", bare.group(1), line, Source.INFERENCE)
    for match in _INLINE.finditer(text):
        name = PACKAGES[match.group(1).lower()]
        version = match.group(2)
        if name == "torch" and re.match(r"^\d\.\d$", version) and "python" in text.lower()[: match.start()]:
            continue
        facts.put(f"packages.{name}", version, line)


def _python(facts: Facts, line: Line) -> None:
    text = line.text
    for banner in _PY_BANNER.finditer(text):
        before = text[max(0, banner.start() - 12) : banner.start()].lower()
        if "cpython" in before or "cp3" in before:
            continue
        facts.put("python.version", banner.group(1), line)
        if banner.group(2):
            facts.put("python.bits", int(banner.group(2)), line)
            facts.put("python.machine", banner.group(3), line)
            facts.put("host.os", "windows", line)
    bits = _RUNTIME_BITS.search(text)
    if bits:
        facts.put("python.bits", int(bits.group(1)), line)
    arch = _PY_AMD64.search(text)
    if arch:
        word = arch.group(1).lower()
        facts.put("python.bits", 32 if word in ("win32", "x86") else 64, line)
    path = _PY_PATH.search(text) or _PY_USER_PATH.search(text)
    if path:
        facts.put("python.version", path.group(1), line)
    legacy = _PY_32_PATH.search(text)
    if legacy:  # the default folder of python.org's 32-bit installer
        facts.put("python.bits", 32, line, Source.INFERENCE)
        facts.put("python.version", f"3.{legacy.group(1)}", line, Source.INFERENCE)


def _host(facts: Facts, line: Line) -> None:
    text = line.text
    if _WINDOWS.search(text):
        facts.put("host.os", "windows", line)
    elif _WIN_PATH.search(text):
        facts.put("host.os", "windows", line, Source.INFERENCE)
    elif _MAC.search(text):
        facts.put("host.os", "darwin", line, Source.INFERENCE if "/Users/" in text else Source.REPORT)
    elif _LINUX.search(text):
        facts.put("host.os", "linux", line, Source.INFERENCE)
    machine = _MAC_MACHINE.search(text)
    if machine:
        facts.put("python.machine", machine.group(1) or machine.group(2), line)


def _nvidia(facts: Facts, line: Line) -> None:
    text = line.text
    smi = _SMI.search(text)
    if smi:
        facts.put("driver.version", smi.group(2), line)
        facts.put("driver.cuda_version", smi.group(3), line)
    row = _SMI_GPU.match(text)
    if row:
        facts.gpu(row.group(1), line)
    device = _DEVICE.search(text)
    if device:
        facts.gpu(device.group(1), line)
        facts.put("torch.cuda_available", True, line)
    ultra = _ULTRA_CUDA.search(text)
    if ultra:
        facts.gpu(ultra.group(1), line)
        facts.put("torch.cuda_available", True, line)
    if _ULTRA_CPU.search(text):
        facts.put("torch.cuda_available", False, line, Source.INFERENCE)
    if not (row or device or ultra):
        for gpu in _GPU_NAME.finditer(text):
            facts.gpu(gpu.group(1), line, Source.REPORT)
    said = _NO_NVIDIA.search(text)
    if said and facts.no_nvidia is None:
        facts.no_nvidia = Evidence(Source.REPORT, text[:300], line.no, said.group(0))
