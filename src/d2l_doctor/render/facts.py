"""The facts of a Snapshot in words, by checklist area: which areas a snapshot covers, and one summary line
per area (every fact, for -v, is details.py).

Renderers only: `None` in the Snapshot means "could not collect"; an unknown fact is left out of the words
(known.py, wording.py), never shown as "?". Labels and words come from the ui catalogue, so the console and
the Markdown report say the same thing in the same language.
"""

from __future__ import annotations

from d2l_doctor.i18n import t
from d2l_doctor.models import Area, Snapshot
from d2l_doctor.render import known
from d2l_doctor.render.wording import say
from d2l_doctor.rules.facts import ABSENT, UNKNOWN, package_state

Fact = tuple[str, str]  # (label, value)

# Which Snapshot sections and packages belong to which area (the facts shown under it with -v).
AREA_SECTIONS: dict[Area, tuple[str, ...]] = {
    Area.GPU: ("driver", "gpus", "pci_gpus"),
    Area.CUDA: ("cuda_toolkits", "cudnn_system"),
    Area.PYTHON: ("python", "conda", "host"),
    Area.TORCH: ("torch", "imports", "packages"),
    Area.JUPYTER: ("jupyter", "packages"),
    Area.D2L: ("packages",),
}
AREA_PACKAGES: dict[Area, tuple[str, ...]] = {
    Area.TORCH: ("torch", "torchvision", "torchaudio", "pillow", "numpy"),
    Area.JUPYTER: (
        "jupyter",
        "notebook",
        "jupyterlab",
        "ipykernel",
        "nbconvert",
        "jinja2",
        "nb-conda-kernels",
    ),
    Area.D2L: ("d2l", "matplotlib", "matplotlib-inline", "pandas", "scipy", "requests"),
}
AREA_IMPORTS: dict[Area, tuple[str, ...]] = {
    Area.TORCH: ("torch", "torchvision", "torchaudio", "PIL", "numpy"),
    Area.JUPYTER: ("nbconvert",),
}
_SUMMARY_PACKAGES: dict[Area, tuple[str, ...]] = {
    Area.TORCH: ("torch", "torchvision", "torchaudio", "pillow", "numpy"),
    Area.JUPYTER: ("jupyter", "notebook", "jupyterlab", "ipykernel", "nbconvert"),
}


# Areas whose facts come from running the target interpreter.
_TARGET_AREAS = (Area.PYTHON, Area.TORCH, Area.JUPYTER, Area.D2L)


def area_unknown(snapshot: Snapshot, area: Area) -> bool:
    """Nothing is known about the area: a report did not cover it, or the target could not be run."""
    if area in _TARGET_AREAS and not _target_examined(snapshot):
        return True
    return not_covered(snapshot, area)


def not_covered(snapshot: Snapshot, area: Area) -> bool:
    return not any(_section_known(snapshot, area, section) for section in AREA_SECTIONS[area])


def _target_examined(s: Snapshot) -> bool:
    tried = any(not r.skipped for r in s.imports.values())
    return s.python is not None or bool(s.packages) or tried or s.torch is not None


def _section_known(s: Snapshot, area: Area, section: str) -> bool:
    if section == "packages":
        # A partial list (collect_env) tells about an area only through the packages whose state it settles.
        return any(package_state(s, name) is not UNKNOWN for name in AREA_PACKAGES.get(area, ()))
    return s.known(section)


def format_cudnn(version: int | None) -> str | None:
    """torch.backends.cudnn.version() as text: 90501 -> 9.5.1 (cuDNN 9 encoding), 8902 -> 8.9.2 (cuDNN 8)."""
    if version is None:
        return None
    if version >= 10000:
        return f"{version // 10000}.{version % 10000 // 100}.{version % 100}"
    return f"{version // 1000}.{version % 1000 // 100}.{version % 100}"


def format_mib(mib: int | None) -> str | None:
    if mib is None:
        return None
    return f"{mib / 1024:.1f} GiB" if mib >= 1024 else f"{mib} MiB"


# ----------------------------------------------------------------------------------------------------
# One line per area


def summary(snapshot: Snapshot, area: Area, lang: str) -> str:
    if area in _TARGET_AREAS and not _target_examined(snapshot) and snapshot.source == "live":
        return t("ui.sum.python.unknown", lang)
    if area_unknown(snapshot, area):
        return t(unknown_key(snapshot, "ui.sum.unknown"), lang)
    return _SUMMARIES[area](snapshot, lang)


# A live check never speaks of "the report": what it could not examine has its own words.
_LIVE_WORDS = {
    "ui.sum.unknown": "ui.sum.unknown_live",
    "ui.sum.torch.not_listed": "ui.sum.torch.not_listed_live",
    "ui.sum.jupyter.not_listed": "ui.sum.jupyter.not_listed_live",
    "ui.sum.d2l.not_listed": "ui.sum.d2l.not_listed_live",
    "ui.val.not_listed": "ui.val.not_listed_live",
}


def unknown_key(s: Snapshot, key: str) -> str:
    """The message for a fact not known: a report's words, or a live check's."""
    return _LIVE_WORDS.get(key, key) if s.source == "live" else key


def _sum_gpu(s: Snapshot, lang: str) -> str:
    if s.driver is not None:
        gpus = t("ui.list_sep", lang).join(
            say("ui.sum.gpu.item", lang, name=g.name, cc=g.compute_capability)
            if g.compute_capability
            else g.name
            for g in s.gpus
        ) or t("ui.sum.gpu.no_gpu", lang)
        return say("ui.sum.gpu.driver", lang, version=s.driver.version, cuda=s.driver.cuda_version, gpus=gpus)
    if s.pci_gpus:
        return say("ui.sum.gpu.no_driver", lang, n=len(s.pci_gpus))
    if not s.known("driver"):
        return t(unknown_key(s, "ui.sum.unknown"), lang)
    return t("ui.sum.gpu.none", lang)


def _sum_cuda(s: Snapshot, lang: str) -> str:
    parts = []
    if s.cuda_toolkits:
        parts.append(say("ui.sum.cuda.toolkits", lang, versions=[k.version for k in s.cuda_toolkits]))
    elif s.known("cuda_toolkits"):
        parts.append(t("ui.sum.cuda.no_toolkit", lang))
    if s.cudnn_system:
        parts.append(say("ui.sum.cuda.cudnn_system", lang, versions=[c.version for c in s.cudnn_system]))
    if s.torch is not None:
        if s.torch.cuda:
            cudnn = format_cudnn(s.torch.cudnn)
            parts.append(say("ui.sum.cuda.torch", lang, cuda=s.torch.cuda, cudnn=cudnn))
        elif s.torch.hip:
            parts.append(say("ui.sum.cuda.torch_rocm", lang, hip=s.torch.hip))
        else:
            parts.append(t("ui.sum.cuda.torch_cpu", lang))
    return t("ui.sep", lang).join(parts) or t(unknown_key(s, "ui.sum.unknown"), lang)


def _sum_python(s: Snapshot, lang: str) -> str:
    p = s.python
    if p is None:
        return t("ui.sum.python.unknown", lang)
    venv = known.is_venv(s)
    env: str | None = None
    if s.conda is not None:
        name = s.conda.env_name or known.conda_prefix(s)
        env = say("ui.env.conda", lang, name=name, platform=known.conda_platform(s))
    elif venv is not None:
        env = t("ui.env.venv" if venv else "ui.env.system", lang)
    bits, machine = known.python_bits(s), known.python_machine(s)
    return say("ui.sum.python", lang, version=p.version, bits=bits, machine=machine, env=env)


def _installed(s: Snapshot, area: Area) -> list[str]:
    """ "torch 2.13.0+cpu" for each package of the area's summary that is installed."""
    return [f"{name} {s.packages[name]}" for name in _SUMMARY_PACKAGES[area] if name in s.packages]


def _sum_torch(s: Snapshot, lang: str) -> str:
    if s.python is None and not s.packages:
        return t("ui.sum.python.unknown", lang)
    parts = _installed(s, Area.TORCH)
    if "torch" not in s.packages:
        parts.insert(
            0,
            t(
                "ui.sum.torch.missing"
                if listed_absent(s, "torch")
                else unknown_key(s, "ui.sum.torch.not_listed"),
                lang,
            ),
        )
    return t("ui.list_sep", lang).join(parts)


def _sum_jupyter(s: Snapshot, lang: str) -> str:
    # Jupyter itself (what the summary names), not its dependencies: jinja2 alone is no Jupyter
    known_absent = all(listed_absent(s, name) for name in _SUMMARY_PACKAGES[Area.JUPYTER])
    missing = "ui.sum.jupyter.missing" if known_absent else unknown_key(s, "ui.sum.jupyter.not_listed")
    text = t("ui.list_sep", lang).join(_installed(s, Area.JUPYTER)) or t(missing, lang)
    if s.jupyter is not None and s.jupyter.kernelspecs:
        text += t("ui.sep", lang) + say("ui.sum.jupyter.kernels", lang, n=len(s.jupyter.kernelspecs))
    return text


def _sum_d2l(s: Snapshot, lang: str) -> str:
    if "d2l" in s.packages:
        return f"d2l {s.packages['d2l']}"
    return t(
        "ui.sum.d2l.missing" if listed_absent(s, "d2l") else unknown_key(s, "ui.sum.d2l.not_listed"), lang
    )


_SUMMARIES = {
    Area.GPU: _sum_gpu,
    Area.CUDA: _sum_cuda,
    Area.PYTHON: _sum_python,
    Area.TORCH: _sum_torch,
    Area.JUPYTER: _sum_jupyter,
    Area.D2L: _sum_d2l,
}


def listed_absent(s: Snapshot, name: str) -> bool:
    """Known not to be installed. collect_env names only some packages: one it does not name is unknown (the rules
    read the same `Snapshot.unknown` entries, so words and findings agree, also after a JSON round trip)."""
    return s.known("packages") and package_state(s, name) is ABSENT


def first_line(text: str, limit: int = 200) -> str:
    """The first non-empty line of text, cut at limit characters (evidence in the short report)."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def chosen_by_text(chosen_by: str, lang: str) -> str:
    key = "ui.chosen_by." + chosen_by.lstrip("-")
    text = t(key, lang)
    return chosen_by if text == key else text
