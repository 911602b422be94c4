"""The conda side of a plan: packages that conda manages are fixed with conda, and a chosen mirror's channels.

Installing a conda-managed package with pip leaves two owners for the same files (conda's metadata goes
stale), so in a conda env the planner hands those packages to `conda install -p PREFIX -y` (the seeds' `conda
update nbconvert`), and pip keeps the rest.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

from d2l_doctor.mirrors import CondaMirrorLike
from d2l_doctor.models import CondaInfo, FixAction, FixKind

# pip flag -> conda flag (None: conda needs nothing for it). A pip flag outside this table keeps the action in
# pip.
_FLAG_TO_CONDA: dict[str, Optional[str]] = {
    "--upgrade": None,
    "-U": None,
    "--force-reinstall": "--force-reinstall",
    "--no-deps": "--no-deps",
}


def canonical(name: str) -> str:
    from packaging.utils import canonicalize_name

    return str(canonicalize_name(name))


def requirement_name(spec: str) -> str:
    """The canonical project name of a requirement string ("Pillow>=9" -> "pillow")."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return canonical(Requirement(spec).name)
    except InvalidRequirement:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
        return canonical(match.group(1)) if match else spec.strip().lower()


def to_conda(action: FixAction, conda: CondaInfo, reinstall: Collection[str] = ()) -> list[FixAction]:
    """Split a pip action into conda and pip parts by who manages each package.

    reinstall: canonical names that an earlier `pip uninstall` meant to reinstall (Pillow's fix); conda gets
    `--force-reinstall` for them, since `conda install` of a package it already has does nothing."""
    managed = {canonical(n): n for n in conda.managed}
    if action.kind is FixKind.PIP_UNINSTALL:
        keep = [p for p in action.packages if requirement_name(p) not in managed]
        gone = [managed[requirement_name(p)] for p in action.packages if requirement_name(p) in managed]
        out = [replace(action, packages=tuple(keep))] if keep else []
        gone = [n for n in gone if canonical(n) not in reinstall]
        if gone and conda.prefix:
            # --force: remove only these, not every package that depends on them.
            argv = (conda.conda_exe or "conda", "remove", "-p", conda.prefix, "-y", "--force", *gone)
            out.append(FixAction(FixKind.RUN, packages=tuple(gone), argv=argv, reason=action.reason))
        return out
    if action.kind is not FixKind.PIP_INSTALL or action.index_url or action.torch_variant:
        return [action]  # PyTorch wheels come from their own index (the PyTorch conda channel stopped at 2.5)
    if any(f not in _FLAG_TO_CONDA for f in action.flags):
        return [action]
    to_conda_specs = [p for p in action.packages if requirement_name(p) in managed and _conda_can_take(p)]
    if not to_conda_specs:
        return [action]
    rest = tuple(p for p in action.packages if p not in to_conda_specs)
    flags = [c for f in action.flags if (c := _FLAG_TO_CONDA[f])]
    if any(requirement_name(p) in reinstall for p in to_conda_specs) and "--force-reinstall" not in flags:
        flags.append("--force-reinstall")
    specs = tuple(_conda_spec(p, managed) for p in to_conda_specs)
    out = [FixAction(FixKind.CONDA_INSTALL, packages=specs, flags=tuple(flags), reason=action.reason)]
    if rest:
        out.append(replace(action, packages=rest))
    return out


def _conda_spec(spec: str, managed: dict[str, str]) -> str:
    # conda's MatchSpec reads "name>=1.2", "name<2", "name==1.2.3"; the name is conda's own spelling.
    from packaging.requirements import Requirement

    req = Requirement(spec)
    return managed[canonical(req.name)] + str(req.specifier)


def _conda_can_take(spec: str) -> bool:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        req = Requirement(spec)
    except InvalidRequirement:
        return False
    return not req.extras and req.marker is None and req.url is None


@dataclass(frozen=True)
class Condarc:
    """The conda configuration file the channel steps write, and whether it already sets default_channels."""

    path: str
    has_default_channels: bool = False


def condarc_facts(environ: Optional[Mapping[str, str]] = None) -> Condarc:
    """The user's conda configuration file (what `conda config` writes by default), and whether it already
    sets default_channels (then the channel steps replace them rather than append to them)."""
    env = os.environ if environ is None else environ
    path = Path(env.get("CONDARC") or Path.home() / ".condarc")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    return Condarc(
        str(path), has_default_channels=bool(re.search(r"^default_channels\s*:", text, re.MULTILINE))
    )


def channel_steps(mirror: CondaMirrorLike, conda: CondaInfo, condarc: Condarc) -> list[tuple[str, ...]]:
    """argv that point conda's channels at the mirror (compat-facts §8b: TUNA's .condarc), then `conda clean
    -i`.

    `conda config` takes one kind of change per call (--set, --append and --remove-key exclude each other),
    and --remove-key fails on a missing key: hence separate calls, and the removal only when the key is
    there."""
    exe = conda.conda_exe or "conda"
    base = (exe, "config", "--file", condarc.path)
    steps: list[tuple[str, ...]] = []
    if mirror.default_channels:
        if condarc.has_default_channels:
            steps.append((*base, "--remove-key", "default_channels"))
        steps.append((*base, *_pairs("--append", (("default_channels", u) for u in mirror.default_channels))))
    sets = [("show_channel_urls", "yes")]
    sets += [(f"custom_channels.{name}", url) for name, url in mirror.custom_channels.items()]
    steps.append((*base, *_pairs("--set", sets)))
    steps.append((exe, "clean", "-i", "-y"))  # drop cached channel indexes from the old URLs
    return steps


def _pairs(flag: str, pairs: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    out: tuple[str, ...] = ()
    for key, value in pairs:
        out += (flag, key, value)
    return out
