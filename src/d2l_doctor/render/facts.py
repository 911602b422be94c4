"""The facts of a Snapshot in words, by checklist area: one summary line per area, and every fact (-v).

Renderers only: `None` in the Snapshot means "could not collect" and becomes words here. Labels and words come
from the ui catalogue, so the console and the Markdown report say the same thing in the same language.
"""

from __future__ import annotations

from d2l_doctor.i18n import t
from d2l_doctor.models import Area, ImportResult, Snapshot

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
    return _not_covered(snapshot, area)


def _not_covered(snapshot: Snapshot, area: Area) -> bool:
    return not any(_section_known(snapshot, area, section) for section in AREA_SECTIONS[area])


def _target_examined(s: Snapshot) -> bool:
    tried = any(not r.skipped for r in s.imports.values())
    return s.python is not None or bool(s.packages) or tried or s.torch is not None


def _section_known(s: Snapshot, area: Area, section: str) -> bool:
    if section == "packages" and s.known("packages") and not _full_package_list(s):
        # A partial list (collect_env) tells about an area only through the packages it does name.
        return any(name in s.packages for name in AREA_PACKAGES.get(area, ()))
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
        return t("ui.sum.unknown", lang)
    return _SUMMARIES[area](snapshot, lang)


def _sum_gpu(s: Snapshot, lang: str) -> str:
    if s.driver is not None:
        gpus = ", ".join(
            t("ui.sum.gpu.item", lang, name=g.name, cc=g.compute_capability)
            if g.compute_capability
            else g.name
            for g in s.gpus
        ) or t("ui.sum.gpu.no_gpu", lang)
        if s.driver.cuda_version:
            return t(
                "ui.sum.gpu.driver", lang, version=s.driver.version, cuda=s.driver.cuda_version, gpus=gpus
            )
        return t("ui.sum.gpu.driver_only", lang, version=s.driver.version, gpus=gpus)
    if s.pci_gpus:
        return t("ui.sum.gpu.no_driver", lang, n=len(s.pci_gpus))
    if not s.known("driver"):
        return t("ui.sum.unknown", lang)
    return t("ui.sum.gpu.none", lang)


def _sum_cuda(s: Snapshot, lang: str) -> str:
    parts = []
    if s.cuda_toolkits:
        parts.append(t("ui.sum.cuda.toolkits", lang, versions=", ".join(k.version for k in s.cuda_toolkits)))
    elif s.known("cuda_toolkits"):
        parts.append(t("ui.sum.cuda.no_toolkit", lang))
    if s.cudnn_system:
        parts.append(
            t("ui.sum.cuda.cudnn_system", lang, versions=", ".join(c.version for c in s.cudnn_system))
        )
    if s.torch is not None:
        if s.torch.cuda:
            cudnn = format_cudnn(s.torch.cudnn) or "?"
            parts.append(t("ui.sum.cuda.torch", lang, cuda=s.torch.cuda, cudnn=cudnn))
        elif s.torch.hip:
            parts.append(t("ui.sum.cuda.torch_rocm", lang, hip=s.torch.hip))
        else:
            parts.append(t("ui.sum.cuda.torch_cpu", lang))
    return t("ui.sep", lang).join(parts) or t("ui.sum.unknown", lang)


def _sum_python(s: Snapshot, lang: str) -> str:
    p = s.python
    if p is None:
        return t("ui.sum.python.unknown", lang)
    if s.conda is not None:
        env = t(
            "ui.env.conda", lang, name=s.conda.env_name or s.conda.prefix, platform=s.conda.platform or "?"
        )
    elif p.is_venv:
        env = t("ui.env.venv", lang)
    else:
        env = t("ui.env.system", lang)
    return t("ui.sum.python", lang, version=p.version, bits=p.bits, machine=p.machine, env=env)


def _installed(s: Snapshot, area: Area) -> list[str]:
    return [f"{name} {s.packages[name]}" for name in _SUMMARY_PACKAGES[area] if name in s.packages]


def _sum_torch(s: Snapshot, lang: str) -> str:
    if s.python is None and not s.packages:
        return t("ui.sum.python.unknown", lang)
    parts = _installed(s, Area.TORCH)
    if "torch" not in s.packages:
        parts.insert(
            0, t("ui.sum.torch.missing" if _full_package_list(s) else "ui.sum.torch.not_listed", lang)
        )
    return ", ".join(parts)


def _sum_jupyter(s: Snapshot, lang: str) -> str:
    missing = "ui.sum.jupyter.missing" if _full_package_list(s) else "ui.sum.jupyter.not_listed"
    text = ", ".join(_installed(s, Area.JUPYTER)) or t(missing, lang)
    if s.jupyter is not None and s.jupyter.kernelspecs:
        text += t("ui.sep", lang) + t("ui.sum.jupyter.kernels", lang, n=len(s.jupyter.kernelspecs))
    return text


def _sum_d2l(s: Snapshot, lang: str) -> str:
    if "d2l" in s.packages:
        return f"d2l {s.packages['d2l']}"
    return t("ui.sum.d2l.missing" if _full_package_list(s) else "ui.sum.d2l.not_listed", lang)


_SUMMARIES = {
    Area.GPU: _sum_gpu,
    Area.CUDA: _sum_cuda,
    Area.PYTHON: _sum_python,
    Area.TORCH: _sum_torch,
    Area.JUPYTER: _sum_jupyter,
    Area.D2L: _sum_d2l,
}


def _full_package_list(s: Snapshot) -> bool:
    """collect_env lists only some packages: there, a package it does not name is not known to be missing."""
    return s.source != "collect_env"


# ----------------------------------------------------------------------------------------------------
# Every fact (-v)


def facts(snapshot: Snapshot, area: Area, lang: str) -> list[Fact]:
    if _not_covered(snapshot, area):
        return []
    out = _FACTS[area](snapshot, lang) if area in _FACTS else []
    out += _package_facts(snapshot, area, lang)
    out += [
        _import_fact(snapshot.imports[m], lang) for m in AREA_IMPORTS.get(area, ()) if m in snapshot.imports
    ]
    return out


def _facts_gpu(s: Snapshot, lang: str) -> list[Fact]:
    out: list[Fact] = []
    if s.driver is not None:
        d = s.driver
        key = "ui.val.driver" if d.cuda_version else "ui.val.driver_only"
        out.append(
            (t("ui.fact.driver", lang), t(key, lang, version=d.version, cuda=d.cuda_version, source=d.source))
        )
    elif s.known("driver"):
        out.append((t("ui.fact.driver", lang), t("ui.val.none_found", lang)))
    for g in s.gpus:
        parts = [g.name]
        if g.compute_capability:
            parts.append(t("ui.val.gpu_cc", lang, cc=g.compute_capability))
        if g.memory_total_mib is not None:
            parts.append(format_mib(g.memory_total_mib) or "")
        if g.pci_bus_id:
            parts.append(f"PCI {g.pci_bus_id}")
        out.append((t("ui.fact.gpu", lang, index=g.index), t("ui.list_sep", lang).join(parts)))
    for p in s.pci_gpus:
        kernel_driver = p.kernel_driver or (t("ui.val.none", lang) if p.driver_bound is False else "?")
        value = t("ui.val.pci_gpu", lang, bus=p.pci_bus_id, device=p.device_id or "?", driver=kernel_driver)
        if p.name:
            value = f"{p.name}, {value}"
        out.append((t("ui.fact.pci_gpu", lang), value))
    return out


def _facts_cuda(s: Snapshot, lang: str) -> list[Fact]:
    out: list[Fact] = []
    for k in s.cuda_toolkits:
        out.append((t("ui.fact.toolkit", lang), t("ui.val.at", lang, what=k.version, path=k.nvcc or k.path)))
    if not s.cuda_toolkits and s.known("cuda_toolkits"):
        out.append((t("ui.fact.toolkit", lang), t("ui.val.none_found", lang)))
    for c in s.cudnn_system:
        out.append((t("ui.fact.cudnn_system", lang), t("ui.val.at", lang, what=c.version, path=c.path)))
    if s.torch is not None:
        tv = s.torch
        out.append((t("ui.fact.torch_cuda", lang), tv.cuda or tv.hip or t("ui.val.none_cpu", lang)))
        if tv.cudnn is not None:
            out.append((t("ui.fact.torch_cudnn", lang), format_cudnn(tv.cudnn) or "?"))
        if tv.arch_list:
            out.append((t("ui.fact.arch_list", lang), " ".join(tv.arch_list)))
    return out


def _facts_python(s: Snapshot, lang: str) -> list[Fact]:
    out: list[Fact] = []
    p = s.python
    if p is not None:
        out.append((t("ui.fact.interpreter", lang), p.executable))
        out.append((t("ui.fact.chosen_by", lang), chosen_by_text(p.chosen_by, lang)))
        out.append(
            (
                t("ui.fact.python", lang),
                t(
                    "ui.val.python",
                    lang,
                    version=p.version,
                    implementation=p.implementation,
                    bits=p.bits,
                    machine=p.machine,
                    platform=p.platform,
                ),
            )
        )
        if p.prefix:
            out.append((t("ui.fact.prefix", lang), p.prefix))
        if p.is_venv:
            out.append((t("ui.fact.venv_base", lang), p.base_prefix or "?"))
    c = s.conda
    if c is not None:
        out.append(
            (
                t("ui.fact.conda_env", lang),
                t(
                    "ui.val.conda_env",
                    lang,
                    name=c.env_name or "?",
                    prefix=c.prefix,
                    platform=c.platform or "?",
                ),
            )
        )
        if c.conda_version or c.conda_exe:
            out.append(
                (
                    t("ui.fact.conda", lang),
                    t("ui.val.at", lang, what=c.conda_version or "?", path=c.conda_exe or "?"),
                )
            )
        if c.channels:
            out.append((t("ui.fact.channels", lang), ", ".join(c.channels)))
    h = s.host
    if h is not None:
        os_text = " ".join(x for x in (h.os_release or h.os, h.machine) if x)
        if h.kernel:
            os_text += f" ({h.kernel})"
        if h.wsl:
            os_text += ", WSL"
        out.append((t("ui.fact.os", lang), os_text))
        if h.cpu or h.cpu_count:
            cores = t("ui.val.cores", lang, n=h.cpu_count) if h.cpu_count else ""
            out.append((t("ui.fact.cpu", lang), t("ui.list_sep", lang).join(x for x in (h.cpu, cores) if x)))
        if h.ram_mib is not None:
            out.append((t("ui.fact.ram", lang), format_mib(h.ram_mib) or "?"))
        if h.disk_free_mib is not None:
            out.append((t("ui.fact.disk_free", lang), format_mib(h.disk_free_mib) or "?"))
    listed = {name for names in AREA_PACKAGES.values() for name in names}
    others = [f"{name} {version}" for name, version in sorted(s.packages.items()) if name not in listed]
    if others:
        out.append((t("ui.fact.other_packages", lang), ", ".join(others)))
    return out


def _facts_torch(s: Snapshot, lang: str) -> list[Fact]:
    tv = s.torch
    if tv is None:
        return []
    out: list[Fact] = []
    if tv.cuda_available is not None:
        out.append(
            (t("ui.fact.cuda_available", lang), t("ui.val.yes" if tv.cuda_available else "ui.val.no", lang))
        )
    if tv.device_count is not None:
        out.append((t("ui.fact.device_count", lang), str(tv.device_count)))
    if tv.device_capabilities:
        out.append((t("ui.fact.device_caps", lang), ", ".join(tv.device_capabilities)))
    if tv.init_warning:
        out.append((t("ui.fact.init_warning", lang), tv.init_warning))
    return out


def _facts_jupyter(s: Snapshot, lang: str) -> list[Fact]:
    j = s.jupyter
    if j is None:
        return []
    out: list[Fact] = [(t("ui.fact.data_path", lang), p) for p in j.data_paths]
    for k in j.kernelspecs:
        state = ""
        if k.interpreter_exists is False:
            state = t("ui.val.kernel_missing_python", lang)
        value = (
            t("ui.val.kernel", lang, display=k.display_name, argv0=k.argv0 or "?", dir=k.resource_dir) + state
        )
        out.append((t("ui.fact.kernel", lang, name=k.name), value))
    if not j.kernelspecs:
        out.append((t("ui.fact.kernels", lang), t("ui.val.none_found", lang)))
    return out


_FACTS = {
    Area.GPU: _facts_gpu,
    Area.CUDA: _facts_cuda,
    Area.PYTHON: _facts_python,
    Area.TORCH: _facts_torch,
    Area.JUPYTER: _facts_jupyter,
}


def _package_facts(s: Snapshot, area: Area, lang: str) -> list[Fact]:
    if not s.known("packages"):
        return []
    absent = t("ui.val.not_installed" if _full_package_list(s) else "ui.val.not_listed", lang)
    return [(name, s.packages.get(name, absent)) for name in AREA_PACKAGES.get(area, ())]


def _import_fact(r: ImportResult, lang: str) -> Fact:
    label = f"import {r.module}"
    if r.skipped:
        return label, r.skipped  # the probe's own words: why it was not attempted
    if r.timed_out:
        return label, t("ui.val.import_timeout", lang, seconds=_seconds(r.seconds))
    if r.signal:
        return label, t("ui.val.import_signal", lang, signal=r.signal)
    if r.ok:
        return label, t("ui.val.import_ok", lang, seconds=_seconds(r.seconds))
    error = first_line(r.error or "")
    return label, f"{r.error_type or 'Error'}: {error}" if error else (r.error_type or "Error")


def _seconds(value: float | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def first_line(text: str, limit: int = 200) -> str:
    """The first non-empty line of text, cut at limit characters (evidence in the short report)."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def chosen_by_text(chosen_by: str, lang: str) -> str:
    key = "ui.chosen_by." + chosen_by.lstrip("-")
    text = t(key, lang)
    return chosen_by if text == key else text
