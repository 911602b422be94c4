"""Validate each section of compat_matrix.yaml into the typed tables. Every problem is a MatrixError that
names the file, the line and the key; every table must carry a `source`."""

from __future__ import annotations

from typing import Optional

from d2l_doctor.matrix import tables as T
from d2l_doctor.matrix.nodes import Node

SECTIONS = (
    "schema_version",
    "reviewed",
    "pytorch_index",
    "torch",
    "platforms",
    "cuda_drivers",
    "arch",
    "cudnn",
    "d2l",
    "breakages",
    "messages",
    "mirrors",
    "links",
    "gpus",
)
SCHEMA_VERSION = 1
INDEX_STYLES = ("index-url", "extra-index-url", "find-links")
OSES = ("linux", "windows", "darwin")


def sections(root: Node) -> dict[str, Node]:
    top = root.mapping(set(SECTIONS))
    for name in SECTIONS:
        if name not in top:
            root.fail(f"missing section '{name}'")
    version = top["schema_version"].integer()
    if version != SCHEMA_VERSION:
        top["schema_version"].fail(
            f"unsupported schema_version {version} (this d2l-doctor reads {SCHEMA_VERSION})"
        )
    return top


def source(node: Node) -> str:
    text = node.req("source").text()
    if not text.strip():
        node.req("source").fail("a table needs a non-empty source")
    return text


def table(node: Node, keys: set[str]) -> str:
    """A table: a mapping with only these keys and its source (returned)."""
    node.mapping(keys | {"source"})
    return source(node)


def sub_table(parent: Node, key: str, keys: set[str]) -> Node:
    """parent[key], a table of its own (with its own source)."""
    node = parent.req(key)
    table(node, keys)
    return node


def rows(node: Node, key: str, keys: set[str]) -> list[Node]:
    """node[key]: a list of mappings, each with only these keys."""
    out = node.req(key).seq()
    for row in out:
        row.mapping(keys)
    return out


def opt_str(node: Node, key: str) -> Optional[str]:
    child = node.opt(key)
    return child.text() if child else None


def _opt_version(node: Node, key: str) -> Optional[str]:
    child = node.opt(key)
    return child.version() if child else None


def verified(node: Node) -> bool:
    child = node.opt("verified")
    return child.boolean() if child else True


# --------------------------------------------------------------------------------------------------


def reviewed(node: Node) -> str:
    """The date the facts were last checked against their sources: YYYY-MM-DD."""
    import datetime

    text = node.text()
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        node.fail(f"not a date (YYYY-MM-DD): {text!r}")
    return text


def pytorch_index(node: Node) -> tuple[str, tuple[T.IndexStyle, ...]]:
    table(node, {"url", "styles"})
    styles = []
    for row in rows(node, "styles", {"since", "style", "url"}):
        style = row.req("style").text()
        if style not in INDEX_STYLES:
            row.req("style").fail(f"unknown style {style!r} (expected one of: {', '.join(INDEX_STYLES)})")
        url = row.opt("url")
        if style == "find-links" and url is None:
            row.fail("a find-links style needs a url")
        styles.append(T.IndexStyle(row.req("since").version(), style, url.url() if url else None))
    return node.req("url").url().rstrip("/"), tuple(styles)


def torch_releases(node: Node) -> tuple[T.TorchRelease, ...]:
    table(node, {"releases"})
    out = []
    keys = {
        "version",
        "torchvision",
        "torchvision_also",
        "torchaudio",
        "torchaudio_also",
        "requires_python",
        "python",
        "variants",
        "pypi_variant",
        "verified",
        "note",
    }
    for row in rows(node, "releases", keys):
        python = row.req("python")
        pythons = python.version_list()
        if len(pythons) != 2:
            python.fail("expected [oldest, newest] Python")
        also_tv, also_ta = row.opt("torchvision_also"), row.opt("torchaudio_also")
        out.append(
            T.TorchRelease(
                version=row.req("version").version(),
                torchvision=_opt_version(row, "torchvision"),
                torchaudio=_opt_version(row, "torchaudio"),
                requires_python=row.req("requires_python").specifier(),
                python_min=pythons[0],
                python_max=pythons[1],
                variants=row.req("variants").str_list(),
                pypi_variant=opt_str(row, "pypi_variant"),
                torchvision_also=also_tv.version_list() if also_tv else (),
                torchaudio_also=also_ta.version_list() if also_ta else (),
                verified=verified(row),
                note=opt_str(row, "note"),
            )
        )
    if not out:
        node.req("releases").fail("no releases")
    return tuple(out)


def platforms(node: Node) -> tuple[tuple[T.Platform, ...], tuple[T.NoWheels, ...]]:
    table(node, {"rows", "no_wheels"})
    out = []
    keys = {"name", "os", "machines", "cuda", "pypi_variant", "first_torch", "last_torch", "note"}
    for row in rows(node, "rows", keys):
        first = row.opt("first_torch")
        if first:
            for key, value in first.mapping().items():
                value.version()
                Node(key, value.line, value.path, value.file).version()
        out.append(
            T.Platform(
                name=row.req("name").text(),
                os=os_name(row.req("os")),
                machines=tuple(m.lower() for m in row.req("machines").str_list()),
                cuda=row.req("cuda").boolean(),
                pypi_variant=opt_str(row, "pypi_variant"),
                first_torch=first.str_map() if first else {},
                last_torch=_opt_version(row, "last_torch"),
                note=opt_str(row, "note"),
            )
        )
    none = [
        T.NoWheels(os_name(row.req("os")), row.req("bits").integer(), verified(row))
        for row in rows(node, "no_wheels", {"os", "bits", "verified"})
    ]
    return tuple(out), tuple(none)


def os_name(node: Node) -> str:
    value = node.text()
    if value not in OSES:
        node.fail(f"unknown os {value!r} (expected one of: {', '.join(OSES)})")
    return value


def cuda_drivers(
    node: Node,
) -> tuple[tuple[T.ToolkitDriver, ...], int, tuple[T.CompatFloor, ...]]:
    table(node, {"toolkits", "minor_compat"})
    toolkits = [
        T.ToolkitDriver(
            row.req("toolkit").text(),
            row.req("cuda").version(),
            _opt_version(row, "linux"),
            _opt_version(row, "windows"),
            verified(row),
            opt_str(row, "source"),
        )
        for row in rows(node, "toolkits", {"toolkit", "cuda", "linux", "windows", "verified", "source"})
    ]
    compat = sub_table(node, "minor_compat", {"since_major", "floors"})
    floors = [
        T.CompatFloor(row.req("major").integer(), _opt_version(row, "linux"), _opt_version(row, "windows"))
        for row in rows(compat, "floors", {"major", "linux", "windows", "note"})
    ]
    return tuple(toolkits), compat.req("since_major").integer(), tuple(floors)


def arch(node: Node) -> tuple[tuple[T.ArchName, ...], bool, tuple[T.ArchList, ...]]:
    table(node, {"names", "binary_compat", "lists"})
    names = [
        T.ArchName(
            row.req("name").text(),
            row.req("cc").version_list(),
            opt_str(row, "last_cuda"),
            opt_str(row, "last_driver"),
            opt_str(row, "source"),
        )
        for row in rows(node, "names", {"name", "cc", "last_cuda", "last_driver", "source"})
    ]
    compat = sub_table(node, "binary_compat", {"verified"})
    lists = []
    for row in rows(node, "lists", {"torch", "variants", "archs", "source", "verified", "channel"}):
        archs = row.req("archs").str_list()
        for item, text in zip(row.req("archs").seq(), archs):
            if not _arch_ok(text):
                item.fail(f"not an arch (sm_XY or compute_XY): {text!r}")
        channel = opt_str(row, "channel") or "pip"
        if channel not in _CHANNELS:
            row.req("channel").fail(f"not a channel ({' | '.join(_CHANNELS)}): {channel!r}")
        lists.append(
            T.ArchList(
                row.req("torch").specifier(),
                row.req("variants").str_list(),
                archs,
                source(row),
                verified(row),
                channel,
            )
        )
    return tuple(names), verified(compat), tuple(lists)


_CHANNELS = ("pip", "conda")


def _arch_ok(text: str) -> bool:
    import re

    return re.fullmatch(r"(sm|compute)_\d{2,3}[a-z]?", text) is not None


def cudnn(node: Node) -> tuple[tuple[T.CudnnRow, ...], bool, str]:
    table(node, {"encoding_verified", "wheels_from", "rows"})
    out = tuple(
        T.CudnnRow(
            row.req("torch").specifier(),
            row.req("variants").str_list(),
            row.req("cudnn").version(),
            opt_str(row, "note"),
        )
        for row in rows(node, "rows", {"torch", "variants", "cudnn", "note"})
    )
    return out, node.req("encoding_verified").boolean(), node.req("wheels_from").version()
