"""What the tools said decides: the findings that torch's (torchvision's, NumPy's, pip's...) own words prove,
and what an observation rules out. Runs after every rule (rules.registry.evaluate).

- A message in the snapshot that the matrix's `messages` table says proves a finding (`decides: true`) gives
  that finding even when nothing else is known (a paste of one warning line, a report cut right after it); a
  rule's weaker finding of the same id is raised to the words' severity.
- A row with `decides: false` points to a finding that other facts must confirm: it is given as a warning,
  inferred, when no rule gave it or a finding that explains the same words better (its `unless`).
- "Could not collect" / "No CUDA" are facts: a CUDA build of torch that says CUDA is not available, where
  collect_env found no driver and no GPU, cannot see an NVIDIA driver (nvidia-driver-missing, a warning that
  says it cannot tell that from no NVIDIA GPU at all, and what to check).
- `torch.cuda.is_available() == True`, observed, rules out the findings in `cuda_available_rules_out` (the driver
  is new enough, a driver and a GPU are there, the build has CUDA) unless torch's own words say otherwise.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any, Optional

from d2l_doctor.driver_api import cuda_from_driver_api
from d2l_doctor.models import Area, Certainty, Finding, Message, Quote, Severity, Snapshot
from d2l_doctor.rules import facts as F

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix
    from d2l_doctor.matrix.messages import MessagePattern

_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2, Severity.CRASH: 3}
# Findings that explain "pip finds no torch for this Python" better than python-unsupported does.
_PYTHON_CAUSES = ("python-32bit", "conda-32bit", "python-x86-on-arm64", "python-unsupported")


def said(s: Snapshot, m: Matrix) -> dict[str, tuple[MessagePattern, Message]]:
    """finding id -> the first table row and message that name it, in paste order."""
    out: dict[str, tuple[MessagePattern, Message]] = {}
    for message in s.messages:
        for hit in m.messages.search(message.text):
            fid = hit.pattern.finding
            if fid and (fid not in out or (hit.pattern.decides and not out[fid][0].decides)):
                out[fid] = (hit.pattern, message)  # the tool's own words beat a pointer to them
    return out


def complete(findings: list[Finding], s: Snapshot, m: Matrix, areas: dict[str, Area]) -> list[Finding]:
    words = said(s, m)
    proven = {fid for fid, (p, _) in words.items() if p.decides}
    if s.torch is not None and s.torch.cuda_available is True:
        ruled_out = set(m.messages.cuda_available_rules_out) - proven
        findings = [f for f in findings if f.id not in ruled_out]
    present = {f.id: i for i, f in enumerate(findings)}
    out = list(findings)
    unseen = _driver_unseen(s, present)
    if unseen is not None:
        out.append(unseen)
        present[unseen.id] = len(out) - 1
    for fid, (pattern, message) in words.items():
        quote = Quote(message.text, message.line, message.source)
        if fid in present:
            i = present[fid]
            if pattern.decides:
                out[i] = _raise(out[i], Severity(pattern.severity), quote)
            continue
        if pattern.decides:
            severity, certainty = Severity(pattern.severity), Certainty.OBSERVED
        else:
            if any(other in present for other in _PYTHON_CAUSES) and fid in _PYTHON_CAUSES:
                continue
            severity, certainty = Severity.WARNING, Certainty.INFERRED
        out.append(
            Finding(
                fid,
                severity,
                areas.get(fid, Area.TORCH),
                params=_params(fid, s, message),
                evidence={},  # the words are its quote (Finding.quotes), shown with their line
                certainty=certainty,
                quotes=(quote,),
                undecided=certainty is Certainty.INFERRED,
            )
        )
    return out


_NOT_SEEN = ("ui.why.not_collected", "ui.why.no_cuda")
_GPU_FINDINGS = ("driver-too-old", "nvidia-driver-missing", "no-nvidia-gpu", "gpu-arch-unsupported")


def _driver_unseen(s: Snapshot, present: dict[str, int]) -> Optional[Finding]:
    """collect_env: a CUDA torch, CUDA not available, and no driver or GPU found ("Could not collect" / "No
    CUDA"): torch cannot see an NVIDIA driver. A warning: a CUDA wheel on a machine without an NVIDIA GPU is
    common (Linux's default pip torch) and fine for d2l on the CPU."""
    if s.source not in F.PASTED or s.torch is None or not s.torch.cuda or s.torch.cuda_available is not False:
        return None
    if any(fid in present for fid in _GPU_FINDINGS) or s.driver is not None or s.gpus:
        return None
    why = s.problems.get("driver")
    if why is None or why.message not in _NOT_SEEN:
        return None
    params = {"seen": "collect_env", "gpus": None, "kernel_driver": None, "torch": s.torch.version}
    evidence = {"torch.version.cuda": s.torch.cuda, "torch.cuda.is_available()": False, "driver": str(why)}
    return Finding(
        "nvidia-driver-missing", Severity.WARNING, Area.GPU, params, evidence, undecided=True,
        certainty=Certainty.INFERRED,
    )  # fmt: skip


def _raise(f: Finding, severity: Severity, quote: Quote) -> Finding:
    stronger = severity if _RANK[severity] > _RANK[f.severity] else f.severity
    quotes = f.quotes if any(q.text == quote.text for q in f.quotes) else (*f.quotes, quote)
    return dataclasses.replace(
        f, severity=stronger, certainty=Certainty.OBSERVED, undecided=False, quotes=quotes
    )


def _params(fid: str, s: Snapshot, message: Message) -> dict[str, Any]:
    """What the words and the snapshot tell for the finding's message templates (unknown: None)."""
    text = message.text
    torch = F.torch_version(s)
    params: dict[str, Any] = {"torch": torch, "error": _short(text), "said": _short(text)}
    if fid == "driver-too-old":
        found = re.search(r"found version (\d{4,6})", text)
        params.update(
            driver=s.driver.version if s.driver else None,
            driver_cuda=cuda_from_driver_api(int(found.group(1))) if found else None,
            torch_cuda=s.torch.cuda if s.torch else None,
        )
    elif fid == "gpu-arch-unsupported":
        sm = re.search(r"(\S.*?) with CUDA capability sm_(\d+)", text)
        archs = re.search(r"supports CUDA capabilities ((?:sm_\d+\w*\s*|compute_\d+\s*)+)", text)
        gpu = re.sub(r"^.*?Warning:\s*", "", sm.group(1)).strip() if sm else None
        params.update(
            gpu=gpu or (s.gpus[0].name if s.gpus else None),
            cc=f"{sm.group(2)[:-1]}.{sm.group(2)[-1]}" if sm else None,
            archs=" ".join(archs.group(1).split()) if archs else None,
        )
    elif fid in ("nvidia-driver-missing", "no-nvidia-gpu"):
        params.update(seen="smi" if "nvidia-smi" in text.lower() else "torch", gpus=None)
    elif fid in ("torchvision-mismatch", "torchaudio-mismatch"):
        name = fid.split("-")[0]
        params.update(name=name, version=s.packages.get(name))
    elif fid == "python-32bit":
        params.update(python=s.python.version if s.python else None)
    return params


def _short(text: Optional[str], limit: int = 300) -> Optional[str]:
    if not text:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"
