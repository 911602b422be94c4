"""Validate each section of compat_matrix.yaml into the typed tables. Every problem is a MatrixError that
names the file, the line and the key; every table must carry a `source`."""

from __future__ import annotations

from typing import Optional

from d2l_doctor.matrix import tables as T
from d2l_doctor.matrix.nodes import Node

SECTIONS = (
    "schema_version",
    "pytorch_index",
    "torch",
    "platforms",
    "cuda_drivers",
    "arch",
    "cudnn",
    "d2l",
    "breakages",
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


def _opt_str(node: Node, key: str) -> Optional[str]:
    child = node.opt(key)
    return child.text() if child else None


def _opt_version(node: Node, key: str) -> Optional[str]:
    child = node.opt(key)
    return child.version() if child else None


def _verified(node: Node) -> bool:
    child = node.opt("verified")
    return child.boolean() if child else True


def _rows(node: Node, key: str) -> list[Node]:
    return node.req(key).seq()


# --------------------------------------------------------------------------------------------------


def pytorch_index(node: Node) -> tuple[str, tuple[T.IndexStyle, ...]]:
    node.mapping({"source", "url", "styles"})
    source(node)
    styles = []
    for row in _rows(node, "styles"):
        row.mapping({"since", "style", "url"})
        style = row.req("style").text()
        if style not in INDEX_STYLES:
            row.req("style").fail(f"unknown style {style!r} (expected one of: {', '.join(INDEX_STYLES)})")
        url = row.opt("url")
        if style == "find-links" and url is None:
            row.fail("a find-links style needs a url")
        styles.append(T.IndexStyle(row.req("since").version(), style, url.url() if url else None))
    return node.req("url").url().rstrip("/"), tuple(styles)


def torch_releases(node: Node) -> tuple[T.TorchRelease, ...]:
    node.mapping({"source", "releases"})
    source(node)
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
    for row in _rows(node, "releases"):
        row.mapping(keys)
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
                pypi_variant=_opt_str(row, "pypi_variant"),
                torchvision_also=also_tv.version_list() if also_tv else (),
                torchaudio_also=also_ta.version_list() if also_ta else (),
                verified=_verified(row),
                note=_opt_str(row, "note"),
            )
        )
    if not out:
        node.req("releases").fail("no releases")
    return tuple(out)


def platforms(node: Node) -> tuple[tuple[T.Platform, ...], tuple[T.NoWheels, ...]]:
    node.mapping({"source", "rows", "no_wheels"})
    source(node)
    rows = []
    for row in _rows(node, "rows"):
        row.mapping({"name", "os", "machines", "cuda", "pypi_variant", "first_torch", "last_torch", "note"})
        first = row.opt("first_torch")
        if first:
            for key, value in first.mapping().items():
                value.version()
                Node(key, value.line, value.path, value.file).version()
        rows.append(
            T.Platform(
                name=row.req("name").text(),
                os=_os(row.req("os")),
                machines=tuple(m.lower() for m in row.req("machines").str_list()),
                cuda=row.req("cuda").boolean(),
                pypi_variant=_opt_str(row, "pypi_variant"),
                first_torch=first.str_map() if first else {},
                last_torch=_opt_version(row, "last_torch"),
                note=_opt_str(row, "note"),
            )
        )
    none = []
    for row in _rows(node, "no_wheels"):
        row.mapping({"os", "bits", "verified"})
        none.append(T.NoWheels(_os(row.req("os")), row.req("bits").integer(), _verified(row)))
    return tuple(rows), tuple(none)


def _os(node: Node) -> str:
    value = node.text()
    if value not in OSES:
        node.fail(f"unknown os {value!r} (expected one of: {', '.join(OSES)})")
    return value


def cuda_drivers(
    node: Node,
) -> tuple[tuple[T.ToolkitDriver, ...], int, tuple[T.CompatFloor, ...], tuple[int, int]]:
    node.mapping({"source", "toolkits", "minor_compat", "driver_api_version"})
    source(node)
    toolkits = []
    for row in _rows(node, "toolkits"):
        row.mapping({"toolkit", "cuda", "linux", "windows"})
        toolkits.append(
            T.ToolkitDriver(
                row.req("toolkit").text(),
                row.req("cuda").version(),
                _opt_version(row, "linux"),
                _opt_version(row, "windows"),
            )
        )
    compat = node.req("minor_compat")
    compat.mapping({"source", "since_major", "floors"})
    source(compat)
    floors = []
    for row in _rows(compat, "floors"):
        row.mapping({"major", "linux", "windows", "note"})
        floors.append(
            T.CompatFloor(
                row.req("major").integer(), _opt_version(row, "linux"), _opt_version(row, "windows")
            )
        )
    api = node.req("driver_api_version")
    api.mapping({"source", "major_factor", "minor_factor"})
    source(api)
    factors = (api.req("major_factor").integer(), api.req("minor_factor").integer())
    return tuple(toolkits), compat.req("since_major").integer(), tuple(floors), factors


def arch(node: Node) -> tuple[tuple[T.ArchName, ...], bool, tuple[T.ArchList, ...]]:
    node.mapping({"source", "names", "binary_compat", "lists"})
    source(node)
    names = []
    for row in _rows(node, "names"):
        row.mapping({"name", "cc", "last_cuda", "last_driver", "source"})
        names.append(
            T.ArchName(
                row.req("name").text(),
                row.req("cc").version_list(),
                _opt_str(row, "last_cuda"),
                _opt_str(row, "last_driver"),
                _opt_str(row, "source"),
            )
        )
    compat = node.req("binary_compat")
    compat.mapping({"source", "verified"})
    source(compat)
    lists = []
    for row in _rows(node, "lists"):
        row.mapping({"torch", "variants", "archs", "source", "verified", "channel"})
        archs = row.req("archs").str_list()
        for item, text in zip(row.req("archs").seq(), archs):
            if not _arch_ok(text):
                item.fail(f"not an arch (sm_XY or compute_XY): {text!r}")
        channel = _opt_str(row, "channel") or "pip"
        if channel not in _CHANNELS:
            row.req("channel").fail(f"not a channel ({' | '.join(_CHANNELS)}): {channel!r}")
        lists.append(
            T.ArchList(
                row.req("torch").specifier(),
                row.req("variants").str_list(),
                archs,
                source(row),
                _verified(row),
                channel,
            )
        )
    return tuple(names), _verified(compat), tuple(lists)


_CHANNELS = ("pip", "conda")


def _arch_ok(text: str) -> bool:
    import re

    return re.fullmatch(r"(sm|compute)_\d{2,3}[a-z]?", text) is not None


def cudnn(node: Node) -> tuple[tuple[T.CudnnRow, ...], bool]:
    node.mapping({"source", "encoding_verified", "rows"})
    source(node)
    rows = []
    for row in _rows(node, "rows"):
        row.mapping({"torch", "variants", "cudnn", "note"})
        rows.append(
            T.CudnnRow(
                row.req("torch").specifier(),
                row.req("variants").str_list(),
                row.req("cudnn").version(),
                _opt_str(row, "note"),
            )
        )
    enc = node.req("encoding_verified").boolean()
    return tuple(rows), enc
