"""Every fact of a Snapshot by checklist area (what `check -v` and the Markdown report's details show).

A fact that is not known is left out of its line (or the line is left out), never shown as "?" or a
placeholder: see known.py and the clause markup of wording.py.
"""

from __future__ import annotations

from d2l_doctor.i18n import t
from d2l_doctor.models import Area, ImportResult, Snapshot
from d2l_doctor.render import known
from d2l_doctor.render.facts import (
    AREA_IMPORTS,
    AREA_PACKAGES,
    Fact,
    chosen_by_text,
    first_line,
    format_cudnn,
    format_mib,
    listed_absent,
    not_covered,
    unknown_key,
)
from d2l_doctor.render.wording import phrase, say


def facts(snapshot: Snapshot, area: Area, lang: str) -> list[Fact]:
    if not_covered(snapshot, area):
        return []
    out = _FACTS[area](snapshot, lang) if area in _FACTS else []
    out += _package_facts(snapshot, area, lang)
    for module in AREA_IMPORTS.get(area, ()):
        if module in snapshot.imports:
            out.append(_import_fact(snapshot.imports[module], lang))
            out += _import_warnings(snapshot.imports[module], lang)
    return out


def _facts_gpu(s: Snapshot, lang: str) -> list[Fact]:
    out: list[Fact] = []
    if s.driver is not None:
        d = s.driver
        out.append(
            (
                t("ui.fact.driver", lang),
                say("ui.val.driver", lang, version=d.version, cuda=d.cuda_version, source=d.source),
            )
        )
    elif s.known("driver"):
        out.append((t("ui.fact.driver", lang), t("ui.val.none_found", lang)))
    for g in s.gpus:
        parts = [g.name]
        if g.compute_capability:
            parts.append(say("ui.val.gpu_cc", lang, cc=g.compute_capability))
        if g.memory_total_mib is not None:
            parts.append(format_mib(g.memory_total_mib) or "")
        if g.pci_bus_id:
            parts.append(f"PCI {g.pci_bus_id}")
        out.append(
            (say("ui.fact.gpu", lang, index=g.index), t("ui.list_sep", lang).join(p for p in parts if p))
        )
    for p in s.pci_gpus:
        kernel_driver = p.kernel_driver or (t("ui.val.none", lang) if p.driver_bound is False else None)
        value = say("ui.val.pci_gpu", lang, bus=p.pci_bus_id, device=p.device_id, driver=kernel_driver)
        if p.name:
            value = t("ui.list_sep", lang).join((p.name, value))
        out.append((t("ui.fact.pci_gpu", lang), value))
    return out


def _facts_cuda(s: Snapshot, lang: str) -> list[Fact]:
    out: list[Fact] = []
    for k in s.cuda_toolkits:
        where = known.path(k.nvcc) or known.path(k.path)
        if where is not None and not _is_path(where):
            # A report names no folder: collect_env ran `nvcc` from the PATH.
            value = say("ui.val.nvcc_on_path", lang, what=k.version)
        else:
            value = say("ui.val.at", lang, what=k.version, path=where)
        out.append((t("ui.fact.toolkit", lang), value))
    if not s.cuda_toolkits and s.known("cuda_toolkits"):
        out.append((t("ui.fact.toolkit", lang), t("ui.val.none_found", lang)))
    for c in s.cudnn_system:
        out.append(
            (t("ui.fact.cudnn_system", lang), say("ui.val.at", lang, what=c.version, path=known.path(c.path)))
        )
    if s.torch is not None:
        tv = s.torch
        out.append((t("ui.fact.torch_cuda", lang), tv.cuda or tv.hip or t("ui.val.none_cpu", lang)))
        cudnn = format_cudnn(tv.cudnn)
        if cudnn is not None:
            out.append((t("ui.fact.torch_cudnn", lang), cudnn))
        if tv.arch_list:
            out.append((t("ui.fact.arch_list", lang), " ".join(tv.arch_list)))
    return out


def _is_path(text: str) -> bool:
    return "/" in text or "\\" in text


def _facts_python(s: Snapshot, lang: str) -> list[Fact]:
    out: list[Fact] = []
    p = s.python
    if p is not None:
        executable = known.python_executable(s)
        if executable is not None:
            out.append((t("ui.fact.interpreter", lang), executable))
            out.append((t("ui.fact.chosen_by", lang), chosen_by_text(p.chosen_by, lang)))
        python = say(
            "ui.val.python",
            lang,
            version=p.version,
            implementation=p.implementation,
            bits=known.python_bits(s),
            machine=known.python_machine(s),
            platform=known.python_platform(s),
        )
        out.append((t("ui.fact.python", lang), python))
        prefix = known.path(p.prefix) if executable is not None else None
        if prefix is not None:
            out.append((t("ui.fact.prefix", lang), prefix))
        base = known.path(p.base_prefix)
        if known.is_venv(s) and base is not None:
            out.append((t("ui.fact.venv_base", lang), base))
    out += _facts_conda(s, lang)
    out += _facts_host(s, lang)
    listed = {name for names in AREA_PACKAGES.values() for name in names}
    others = [f"{name} {version}" for name, version in sorted(s.packages.items()) if name not in listed]
    if others:
        out.append((t("ui.fact.other_packages", lang), t("ui.list_sep", lang).join(others)))
    return out


def _facts_conda(s: Snapshot, lang: str) -> list[Fact]:
    c = s.conda
    if c is None:
        return []
    env = say(
        "ui.val.conda_env",
        lang,
        name=c.env_name,
        prefix=known.conda_prefix(s),
        platform=known.conda_platform(s),
    )
    out = [(t("ui.fact.conda_env", lang), env)]
    exe = known.path(c.conda_exe)
    if c.conda_version or exe:
        conda = say("ui.val.at", lang, what=c.conda_version, path=exe) if c.conda_version else exe
        out.append((t("ui.fact.conda", lang), conda or ""))
    if c.channels:
        out.append((t("ui.fact.channels", lang), t("ui.list_sep", lang).join(c.channels)))
    return out


def _facts_host(s: Snapshot, lang: str) -> list[Fact]:
    h = s.host
    if h is None:
        return []
    out: list[Fact] = []
    os_text = " ".join(x for x in (h.os_release or h.os, h.machine) if x)
    if h.kernel:
        os_text += f" ({h.kernel})" if lang == "en" else f"（{h.kernel}）"
    if h.wsl:
        os_text += t("ui.list_sep", lang) + "WSL"
    out.append((t("ui.fact.os", lang), os_text))
    cores = say("ui.val.cores", lang, n=h.cpu_count) if h.cpu_count else None
    if h.cpu or cores:
        out.append((t("ui.fact.cpu", lang), t("ui.list_sep", lang).join(x for x in (h.cpu, cores) if x)))
    ram, disk = format_mib(h.ram_mib), format_mib(h.disk_free_mib)
    if ram is not None:
        out.append((t("ui.fact.ram", lang), ram))
    if disk is not None:
        out.append((t("ui.fact.disk_free", lang), disk))
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
        out.append((t("ui.fact.device_caps", lang), t("ui.list_sep", lang).join(tv.device_capabilities)))
    if tv.init_warning:
        out.append((t("ui.fact.init_warning", lang), tv.init_warning))
    return out


def _facts_jupyter(s: Snapshot, lang: str) -> list[Fact]:
    j = s.jupyter
    if j is None:
        return []
    out: list[Fact] = [(t("ui.fact.data_path", lang), p) for p in j.data_paths]
    for k in j.kernelspecs:  # kernel -> Python -> torch/CUDA/d2l, one line each
        state = t("ui.val.kernel_missing_python", lang) if k.interpreter_exists is False else ""
        torch = k.packages.get("torch")
        value = say(
            "ui.val.kernel",
            lang,
            display=k.display_name,
            argv0=k.python or k.argv0,
            version=k.python_version,
            torch=torch,
            build=_torch_build(torch, lang),
            no_torch=t("ui.val.kernel_no_torch", lang) if k.python_version and not torch else None,
            d2l=k.packages.get("d2l"),
        )
        out.append((say("ui.fact.kernel", lang, name=k.name), value + state))
    if not j.kernelspecs:
        out.append((t("ui.fact.kernels", lang), t("ui.val.none_found", lang)))
    return out


def _torch_build(version: str | None, lang: str) -> str | None:
    """ "CPU" or "CUDA 12.6" from a torch version's local label; None when it has none."""
    local = (version or "").partition("+")[2]
    if local == "cpu":
        return t("ui.val.cpu_build", lang)
    if local.startswith("cu") and local[2:].isdigit() and len(local) >= 4:
        return f"CUDA {local[2:-1]}.{local[-1]}"
    return None


def _facts_d2l(s: Snapshot, lang: str) -> list[Fact]:
    """The book's first cell, step by step, as the target ran it."""
    out: list[Fact] = []
    for step in s.book:
        if step.ok:
            value = say("ui.val.book_ok", lang, seconds=f"{step.seconds:.1f}" if step.seconds is not None else None,
                        device=step.device)  # fmt: skip
        elif step.skipped:
            value = t("ui.val.book_skipped", lang)
        else:
            value = " ".join(x for x in (step.error_type, step.error) if x) or t("ui.val.unknown", lang)
        out.append((say("ui.fact.book_step", lang, step=step.name), value))
    return out


_FACTS = {
    Area.D2L: _facts_d2l,
    Area.GPU: _facts_gpu,
    Area.CUDA: _facts_cuda,
    Area.PYTHON: _facts_python,
    Area.TORCH: _facts_torch,
    Area.JUPYTER: _facts_jupyter,
}


def _package_facts(s: Snapshot, area: Area, lang: str) -> list[Fact]:
    if not s.known("packages"):
        return []
    absent, not_listed = t("ui.val.not_installed", lang), t(unknown_key(s, "ui.val.not_listed"), lang)
    return [
        (name, s.packages.get(name) or (absent if listed_absent(s, name) else not_listed))
        for name in AREA_PACKAGES.get(area, ())
    ]


def _import_warnings(r: ImportResult, lang: str) -> list[Fact]:
    """What the import printed (a warning, NumPy's ABI message), each on its own line, as the payload kept it."""
    label = say("finding.label.import_warning", lang, module=r.module)
    return [(label, first_line(w, 300)) for w in r.warnings if w.strip()]


def _import_fact(r: ImportResult, lang: str) -> Fact:
    label = f"import {r.module}"
    if r.skipped:
        return label, phrase(r.skipped, lang)  # why it was not attempted, in the probe's words
    seconds = None if r.seconds is None else f"{r.seconds:.2f}"
    if r.timed_out:
        return label, say("ui.val.import_timeout", lang, seconds=seconds)
    if r.signal:
        return label, say("ui.val.import_signal", lang, signal=r.signal)
    if r.ok:
        return label, say("ui.val.import_ok", lang, seconds=seconds)
    error = first_line(r.error or "")
    return label, f"{r.error_type or 'Error'}: {error}" if error else (r.error_type or "Error")
