"""Libraries under torch: a broken Pillow (the seeds' "DLL load failed" on `import torchvision`), Pillow too
new for an old torchvision, NumPy 2 under a torch built against NumPy 1, torchvision's image extension that
does not load, and any other import that fails unexplained."""

from __future__ import annotations

from typing import TYPE_CHECKING, Optional

from d2l_doctor.matrix import versions as V
from d2l_doctor.models import Area, Finding, FixAction, FixKind, Severity, Snapshot
from d2l_doctor.rules import facts as F
from d2l_doctor.rules.registry import rule

if TYPE_CHECKING:
    from d2l_doctor.matrix import Matrix


def _install(s: Snapshot, requirement: str, name: str) -> FixAction:
    """Install through conda when conda manages the package in this env, else pip."""
    if F.conda_managed(s, name):
        return FixAction(FixKind.CONDA_INSTALL, (requirement,))
    return FixAction(FixKind.PIP_INSTALL, (requirement,))


# Evidence for a package that is not listed: absent is a fact; unknown is None (the words say "not known").
_STATE_WORDS: dict[F.Fact, Optional[str]] = {F.ABSENT: "not installed", F.UNKNOWN: None}


def _first_line(text: Optional[str]) -> Optional[str]:
    lines = (text or "").strip().splitlines()
    return lines[0][:300] if lines else None


def _pillow_in(text: str, m: Matrix) -> bool:
    """A torchvision import error that comes from Pillow: its C extension, a DLL failure inside PIL, or no
    Pillow at all (torchvision requires it)."""
    low = text.lower()
    dll = F.matches(text, F.words(m, row="dll-load-failed")) is not None
    return "_imaging" in low or (dll and "pil" in low) or "no module named 'pil'" in low


@rule("pillow-broken", Area.TORCH)
def pillow_broken(s: Snapshot, m: Matrix) -> Optional[Finding]:
    pil = F.import_failure(s, "PIL")
    vision = F.import_failure(s, "torchvision")
    vision_text = F.error_text(vision)
    via_vision = vision is not None and _pillow_in(vision_text, m)
    if pil is None and not via_vision:
        return None
    if F.matches(vision_text, F.words(m, "torchvision-pillow-version")) and pil is None:
        return None  # Pillow works; it is only too new for this torchvision (torchvision-pillow-version)
    state = F.package_state(s, "pillow")
    installed = state if isinstance(state, str) else None
    evidence: dict[str, object] = {"pillow": state if isinstance(state, str) else _STATE_WORDS[state]}
    if pil is not None:
        evidence["import PIL"] = F.error_text(pil)
    if via_vision:
        evidence["import torchvision"] = vision_text
    fixes: list[FixAction] = []
    if installed and not F.conda_managed(s, "pillow"):
        fixes.append(FixAction(FixKind.PIP_UNINSTALL, ("pillow",), reason="reinstall a damaged Pillow"))
        fixes.append(
            FixAction(FixKind.PIP_INSTALL, ("pillow",), ("--no-cache-dir",), reason="reinstall Pillow")
        )
    elif installed:
        fixes.append(FixAction(FixKind.CONDA_INSTALL, ("pillow",), ("--force-reinstall",)))
    elif state is F.ABSENT:
        fixes.append(_install(s, "pillow", "pillow"))
    else:
        # Not known whether Pillow is there (a report): one command that mends it either way.
        fixes.append(
            FixAction(
                FixKind.PIP_INSTALL,
                ("pillow",),
                ("--force-reinstall", "--no-cache-dir"),
                reason="reinstall Pillow",
            )
        )
    error = F.error_text(pil) if pil is not None else vision_text
    params = {
        "pillow": installed,
        "error": error.splitlines()[0][:300] if error else None,
        # Only an installed torchvision is named: without it, nothing of torchvision is to blame.
        "torchvision": F.package(s, "torchvision"),
    }
    return F.finding("pillow-broken", Severity.ERROR, Area.TORCH, params, evidence, tuple(fixes))


@rule("torchvision-pillow-version", Area.TORCH)
def torchvision_pillow_version(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """torchvision < 0.5 imports PILLOW_VERSION, which Pillow 7 removed."""
    breakage = m.breakage("pillow_version")
    vision, pillow = V.parse(s.packages.get("torchvision")), V.parse(s.packages.get("pillow"))
    text = F.error_text(F.import_failure(s, "torchvision"))
    marker = F.matches(text, F.words(m, "torchvision-pillow-version"))
    by_version = (
        vision is not None
        and pillow is not None
        and vision < V.sort_key(breakage.bounds["torchvision_below"])
        and pillow >= V.sort_key(breakage.bounds["pillow_from"])
    )
    if not (marker or by_version):
        return None
    below = breakage.bounds["pillow_from"].split(".")[0]
    params = {
        "torchvision": s.packages.get("torchvision"),
        "pillow": s.packages.get("pillow"),
        "pillow_below": below,
    }
    evidence = {"torchvision": params["torchvision"], "pillow": params["pillow"]}
    if marker:
        evidence["import torchvision"] = text
    return F.finding(
        "torchvision-pillow-version",
        Severity.ERROR,
        Area.TORCH,
        params,
        evidence,
        (_install(s, f"pillow<{below}", "pillow"),),
    )


@rule("numpy-abi-mismatch", Area.TORCH)
def numpy_abi_mismatch(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """NumPy >= 2 under a torch compiled against NumPy 1.x (torch <= 2.2; 2.3 and 2.4.0 on Windows)."""
    breakage = m.breakage("numpy2")
    numpy = s.packages.get("numpy")
    torch_version = F.torch_version(s)
    texts = {
        "import torch": F.error_text(F.import_failure(s, "torch")),
        "torch warning": (s.torch.init_warning if s.torch else None) or "",
        "import torchvision": F.error_text(F.import_failure(s, "torchvision")),
    }
    abi_words = F.words(m, "numpy-abi-mismatch")
    shown = {k: v for k, v in texts.items() if F.matches(v, abi_words)}
    # What an import printed ("Failed to initialize NumPy: _ARRAY_API not found") settles it even where the
    # table cannot: a torch build it does not know, or a package list a report cut off.
    for module in s.imports:
        said = F.import_warnings(s, module, abi_words)
        if said is not None:
            shown.setdefault(f"import {module}", said)
    numpy2 = V.parse(numpy) is not None and V.sort_key(numpy) >= V.sort_key(breakage.bounds["numpy_from"])
    by_version = numpy2 and torch_version is not None and m.numpy2_breaks(torch_version, F.target_os(s))
    if not (shown or by_version):
        return None
    evidence: dict[str, object] = {"numpy": numpy, "torch": torch_version, **shown}
    params = {
        "numpy": numpy,
        "torch": torch_version,
        "os": F.target_os(s),
        "numpy_below": breakage.bounds["numpy_from"],
    }
    fix = _install(s, f"numpy<{breakage.bounds['numpy_from']}", "numpy")
    return F.finding("numpy-abi-mismatch", Severity.ERROR, Area.TORCH, params, evidence, (fix,))


@rule("torchvision-image-extension", Area.TORCH)
def torchvision_image_extension(s: Snapshot, m: Matrix) -> Optional[Finding]:
    """torchvision imports but warns that its image extension does not load: torchvision.io cannot decode
    JPEG/PNG. Not Pillow's fault (the extension links libjpeg/libpng, not Pillow): usually a torchvision built
    for another torch, or those libraries failing to load. A warning: most chapters read images via Pillow."""
    said = F.import_warnings(s, "torchvision", F.words(m, "torchvision-image-extension"))
    if said is None or F.import_failure(s, "torchvision") is not None:
        return None  # a failed import has findings of its own
    from d2l_doctor.rules.torch_stack import matching_companion, torchvision_mismatch

    if torchvision_mismatch(s, m) is not None:
        return None  # the mismatch explains it (with this warning as evidence), and its fix mends it
    version, torch_version = s.packages.get("torchvision"), F.torch_version(s)
    release = m.torch_release(torch_version)
    fix = matching_companion(
        s, m, "torchvision", release.torchvision if release else None, F.torch_variant(s, m)
    )
    params = {"torchvision": version, "torch": torch_version, "error": _extension_error(said)}
    evidence = {"torchvision": version, "torch": torch_version, "import torchvision": said}
    return F.finding(
        "torchvision-image-extension",
        Severity.WARNING,
        Area.TORCH,
        params,
        evidence,
        (fix,) if fix else (),
    )


def _extension_error(warning: str) -> Optional[str]:
    """The loader's own words inside torchvision's warning (its advice about source builds cut off)."""
    _, _, rest = warning.partition("extension:")
    rest = rest.split("If you don't plan")[0].strip().strip("'\"").strip()
    return rest[:200] or None


@rule("import-failed", Area.TORCH)
def import_failed(s: Snapshot, m: Matrix) -> list[Finding]:
    """numpy, torchvision, torchaudio or nbconvert is installed and fails to import for a reason no other rule
    knows (a crash or a hang included)."""
    if F.import_failure(s, "torch") is not None:
        return []  # everything on top of torch fails with it; torch-import-failed explains
    # Errors another rule explains; a bare DLL failure has no rule of its own, so it is reported here.

    out = []
    for module in ("numpy", "torchvision", "torchaudio", "nbconvert"):
        result = F.import_failure(s, module)
        version = s.packages.get(module)
        if result is None or version is None:
            continue
        text = F.error_text(result)
        known = F.words(m, module=module)  # any finding's words in the messages table, for this import
        if F.matches(text, known) or (module == "torchvision" and _pillow_in(text, m)):
            continue
        how = "timeout" if result.timed_out else result.signal or "error"
        params = {
            "module": module,
            "version": version,
            "how": how,
            "error": _first_line(result.error or result.error_type),
        }
        if module in ("torchvision", "torchaudio"):
            from d2l_doctor.rules.torch_stack import matching_companion

            release = m.torch_release(F.torch_version(s))
            expected = (
                (release.torchvision if module == "torchvision" else release.torchaudio) if release else None
            )
            fix = matching_companion(s, m, module, expected, F.torch_variant(s, m)) if expected else None
        else:
            fix = FixAction(
                FixKind.PIP_INSTALL, (f"{module}=={version}",), ("--force-reinstall", "--no-deps")
            )
        out.append(
            F.finding(
                "import-failed",
                Severity.ERROR,
                Area.TORCH,
                params,
                {f"import {module}": text or how},
                (fix,) if fix else (),
            )
        )
    return out
