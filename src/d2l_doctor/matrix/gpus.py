"""GPU model names as NVML, nvidia-smi, Windows and collect_env print them, matched to the matrix's models.

"NVIDIA GeForce RTX 3060 Laptop GPU", "Tesla V100-SXM2-16GB", "NVIDIA A100 80GB PCIe", "NVIDIA H100 80GB HBM3"
all name a model the matrix knows under a shorter name: normalise, try exact matches (with and without the
memory size and form factor), then the longest known name contained in the given one, on word boundaries.
"""

from __future__ import annotations

import re
from typing import Optional

from d2l_doctor.matrix.tables import GpuModel

# Brand words that some drivers print and others leave out ("Tesla T4" / "NVIDIA T4").
_PREFIXES = ("nvidia ", "tesla ")
_MEMORY = re.compile(r"(?:\s+(?:\d+\s?gb|hbm\d*e?))+$")
_FORM = re.compile(r"(?:\s+(?:sxm\d*|pcie|nvl|smx\d*))+$")


def normalize(name: str) -> str:
    text = re.sub(r"[\s_\-]+", " ", name.strip().lower())
    text = text.replace("(tm)", "").replace("(r)", "")
    text = re.sub(r"\s+", " ", text).strip()
    changed = True
    while changed:  # "NVIDIA Tesla V100" has both
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix):
                text = text[len(prefix) :]
                changed = True
    return text


def _variants(normalized: str) -> list[str]:
    """The name, then without its memory size, then without its form factor: "a100 sxm4 80gb" -> "a100"."""
    out = [normalized]
    no_memory = _MEMORY.sub("", normalized).strip()
    if no_memory not in out:
        out.append(no_memory)
    bare = _MEMORY.sub("", _FORM.sub("", no_memory)).strip()
    bare = _FORM.sub("", bare).strip()
    if bare and bare not in out:
        out.append(bare)
    return out


class GpuIndex:
    """Lookup of GPU models by any spelling of their name."""

    def __init__(self, models: tuple[GpuModel, ...]) -> None:
        self._by_name: dict[str, GpuModel] = {}
        for model in models:
            self._by_name.setdefault(normalize(model.name), model)  # first entry wins on duplicates
        # Longest first, so "geforce rtx 3060 laptop gpu" is tried before "geforce rtx 3060".
        self._longest_first = sorted(self._by_name, key=len, reverse=True)

    def __len__(self) -> int:
        return len(self._by_name)

    def find(self, name: Optional[str]) -> Optional[GpuModel]:
        if not name or not name.strip():
            return None
        normalized = normalize(name)
        candidates = _variants(normalized)
        for candidate in candidates:
            if candidate in self._by_name:
                return self._by_name[candidate]
        for candidate in candidates:
            padded = f" {candidate} "
            for known in self._longest_first:
                if f" {known} " in padded:
                    return self._by_name[known]
        return None
