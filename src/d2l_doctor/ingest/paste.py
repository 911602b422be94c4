"""Any paste -> the Snapshot it describes: every fact it states, each with its line, diagnosed from the union.

Three readers look at the same cleaned lines (lines.py): collect_env's headings (collect_env.py and
snapshot_builder.py, whatever wraps the report), the matrix's `messages` table (what torch, torchvision, NumPy,
pip, conda, Jupyter and nvidia-smi print: searched in the folded text, so a warning wrapped over lines is
found), and loose.py (pip/conda lists, nvidia-smi, logs, prompts, prose). A collect_env report is the base; the
other facts fill what it leaves unknown. A text where none of them finds anything is no report (exit 2).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Optional

from d2l_doctor.ingest import collect_env, loose, snapshot_builder, torch_warnings
from d2l_doctor.ingest.lines import Folded, fold, split
from d2l_doctor.matrix import versions as MV
from d2l_doctor.models import (
    Driver,
    Evidence,
    Gpu,
    Host,
    ImportResult,
    Message,
    PythonInfo,
    Snapshot,
    Source,
    TorchInfo,
)

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix

SOURCE = "paste"
# Every section a paste may leave out; what it states is taken out of this list.
SECTIONS = (
    "host", "driver", "gpus", "pci_gpus", "cuda_toolkits", "cudnn_system", "python", "conda", "packages", "torch",
    "imports", "jupyter", "shell",
)  # fmt: skip
_PLATFORM = {"linux": "linux", "windows": "win32", "darwin": "darwin"}


class NothingRead(Exception):
    """The text holds nothing the readers recognise."""


def read(text: str, matrix: Optional[Matrix] = None) -> Snapshot:
    from d2l_doctor.matrix import load_matrix

    m = matrix or load_matrix(None)
    lines = split(text)
    folded = fold(lines)
    messages = tuple(_messages(folded, m))
    raw = collect_env.segment(text)
    facts = loose.read(lines)
    is_env = raw.looks_like_report()
    if not (is_env or messages or facts.values or facts.gpus or facts.conda_cpu or facts.no_nvidia):
        raise NothingRead()
    base = snapshot_builder.build(raw) if is_env else Snapshot(source=SOURCE, unknown=SECTIONS)
    warnings = torch_warnings.find("\n".join(line.text for line in lines))
    return _merge(base, facts, messages, warnings, m)


def _messages(folded: Folded, m: Matrix) -> list[Message]:
    out: list[Message] = []
    for hit in m.messages.search(folded.text):
        quote, line = folded.quote(hit.start, hit.start + len(hit.text))
        source = Source.WARNING if re.search(r"warn", quote, re.IGNORECASE) else Source.ERROR
        if all(msg.text != quote for msg in out):
            out.append(Message(quote, source, line, hit.pattern.module))
    return out


class _Merge:
    """The base snapshot's fields, filled from the loose facts where it does not know them."""

    def __init__(self, base: Snapshot) -> None:
        self.unknown = list(base.unknown)
        self.evidence = dict(base.evidence)

    def known(self, path: str) -> bool:
        return path not in self.unknown and path.split(".")[0] not in self.unknown

    def learn(self, path: str, evidence: Optional[Evidence]) -> None:
        if path in self.unknown:
            self.unknown.remove(path)
        if evidence is not None:
            self.evidence.setdefault(path, evidence)

    def still_unknown(self, path: str) -> None:
        if path not in self.unknown:
            self.unknown.append(path)


def _merge(
    base: Snapshot,
    facts: loose.Facts,
    messages: tuple[Message, ...],
    warnings: torch_warnings.TorchWarnings,
    m: Matrix,
) -> Snapshot:
    k = _Merge(base)
    packages = dict(base.packages)
    for path, (value, ev) in facts.values.items():
        if path.startswith("packages."):
            name = path.split(".", 1)[1]
            if name not in packages:
                packages[name] = str(value)
                k.learn(path, ev)
    host = base.host
    if host is None and facts.get("host.os"):
        host = Host(os=str(facts.get("host.os")))
        k.learn("host", facts.evidence("host.os"))
    python = _python(base, facts, host, k)
    driver = base.driver
    if driver is None and facts.get("driver.version") and not k.known("driver"):
        driver = Driver(str(facts.get("driver.version")), _str(facts.get("driver.cuda_version")), "report")
        k.learn("driver", facts.evidence("driver.version"))
    gpus = base.gpus
    if not gpus and facts.gpus and not k.known("gpus"):
        gpus = tuple(
            Gpu(name, _capability(name, warnings), index=i) for i, (name, _) in enumerate(facts.gpus)
        )
        k.learn("gpus", facts.gpus[0][1])
    elif not gpus and facts.no_nvidia is not None and driver is None and not k.known("gpus"):
        # "no NVIDIA GPU, only Intel graphics": no GPU and no driver to run one, as the writer says
        k.learn("gpus", facts.no_nvidia)
        k.learn("driver", facts.no_nvidia)
    torch = _torch(base, facts, packages, messages, warnings, k)
    imports = dict(base.imports)
    for msg in messages:
        if msg.module and msg.module not in imports:
            imports[msg.module] = ImportResult(msg.module, ok=False, error=msg.text)
            k.learn(f"imports.{msg.module}", Evidence(msg.source, msg.text, msg.line, msg.text))
    if imports and "imports" in k.unknown and base.source == SOURCE:
        # the paste shows some imports failing; the others are not known one by one
        k.unknown.remove("imports")
        for name in snapshot_builder.IMPORT_NAMES:
            if name not in imports:
                k.still_unknown(f"imports.{name}")
    if packages and "packages" in k.unknown and base.source == SOURCE:
        k.unknown.remove("packages")
        for name in snapshot_builder.DOCTOR_PACKAGES:
            if name not in packages:
                k.still_unknown(f"packages.{name}")
    return dataclasses.replace(
        base,
        host=host,
        python=python,
        driver=driver,
        gpus=gpus,
        torch=torch,
        packages=packages,
        imports=imports,
        unknown=tuple(k.unknown),
        evidence=k.evidence,
        messages=base.messages + messages,
    )


def _str(value: object) -> Optional[str]:
    return None if value is None else str(value)


def _capability(name: str, warnings: torch_warnings.TorchWarnings) -> Optional[str]:
    """The capability torch's own warning gives for this GPU (one GPU named, one capability)."""
    caps = warnings.device_capabilities
    return (
        caps[0]
        if len(caps) == 1 and warnings.init_warning and name.lower() in warnings.init_warning.lower()
        else None
    )


def _python(base: Snapshot, facts: loose.Facts, host: Optional[Host], k: _Merge) -> Optional[PythonInfo]:
    python = base.python
    bits = facts.get("python.bits")
    if python is not None:
        if python.bits is None and isinstance(bits, int):
            k.learn("python.bits", facts.evidence("python.bits"))
            return dataclasses.replace(python, bits=bits)
        return python
    version = facts.get("python.version")
    if version is None:
        return None
    machine = _str(facts.get("python.machine"))
    os_name = host.os if host else None
    k.learn("python", facts.evidence("python.version"))
    for path, value in (
        ("python.executable", None),
        ("python.bits", bits),
        ("python.machine", machine),
        ("python.platform", os_name),
    ):
        if value is None:
            k.still_unknown(path)
        else:
            k.learn(path, facts.evidence(path))
    return PythonInfo(
        executable=None,
        version=str(version),
        bits=bits if isinstance(bits, int) else None,
        machine=machine,
        platform=_PLATFORM.get(os_name or ""),
        chosen_by="report",
    )


def _torch(
    base: Snapshot,
    facts: loose.Facts,
    packages: dict[str, str],
    messages: tuple[Message, ...],
    warnings: torch_warnings.TorchWarnings,
    k: _Merge,
) -> Optional[TorchInfo]:
    torch_said = "\n".join(msg.text for msg in messages if msg.module is None) or None
    available = facts.get("torch.cuda_available")
    torch = base.torch
    if torch is not None:
        changes: dict[str, object] = {}
        if torch.init_warning is None and torch_said:
            changes["init_warning"] = torch_said
        if torch.cuda_available is None and isinstance(available, bool):
            changes["cuda_available"] = available
            k.learn("torch.cuda_available", facts.evidence("torch.cuda_available"))
        return dataclasses.replace(torch, **changes) if changes else torch  # type: ignore[arg-type]
    if base.source != SOURCE:
        return None  # collect_env said N/A (torch did not import) or did not say: it stands
    version = packages.get("torch")
    if version is None:
        return None
    local = MV.local_variant(version)
    cuda = MV.variant_cuda(local) if local else None
    if local is None and facts.conda_cpu is None and not _conda_cuda(facts):
        # no local tag, no conda build string: the build is not known (never guessed from the missing tag)
        k.learn("torch", facts.evidence("packages.torch"))
        k.still_unknown("torch.cuda")
        return TorchInfo(
            version=version,
            cuda=None,
            cuda_available=available if isinstance(available, bool) else None,
            arch_list=warnings.arch_list,
            device_capabilities=warnings.device_capabilities,
            init_warning=torch_said,
        )
    if facts.conda_cpu is not None:
        k.learn("torch.cuda", facts.conda_cpu)
    elif local is None:
        cuda = _conda_cuda(facts)
    k.learn("torch", facts.evidence("packages.torch"))
    return TorchInfo(
        version=version,
        cuda=cuda,
        cuda_available=available if isinstance(available, bool) else None,
        arch_list=warnings.arch_list,
        device_capabilities=warnings.device_capabilities,
        init_warning=torch_said,
    )


def _conda_cuda(facts: loose.Facts) -> Optional[str]:
    ev = facts.evidence("packages.torch")
    match = re.search(r"cuda(\d+)\.(\d+)", ev.text or "") if ev else None
    return f"{match.group(1)}.{match.group(2)}" if match else None
