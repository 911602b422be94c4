"""Validate the catalogue sections of compat_matrix.yaml: d2l releases and their pins, known breakages,
mirrors, links and GPU models. Same rules as parse.py: every problem names file, line and key."""

from __future__ import annotations

from typing import Any

from d2l_doctor.matrix import tables as T
from d2l_doctor.matrix.nodes import Node
from d2l_doctor.matrix.parse import opt_str, os_name, rows, source, sub_table, table, verified

WHEEL_LETTERS = set("LWAX")
BREAKAGES = (
    "nbconvert_jinja2",
    "matplotlib_ipython",
    "numpy2",
    "pillow_version",
    "torchvision_build",
    "torchvision_image",
    "driver_too_old",
    "no_kernel_image",
    "dll_load",
)


def d2l(node: Node) -> T.D2lTables:
    src = table(node, {"releases", "pin_wheels", "no_deps_workaround", "requirements", "editions", "setup"})
    releases = []
    for row in rows(node, "releases", {"version", "requires_python", "requires"}):
        reqs = row.req("requires")
        reqs.str_list()
        releases.append(
            T.D2lRelease(
                row.req("version").version(),
                row.req("requires_python").specifier(),
                tuple(r.requirement() for r in reqs.seq()),
            )
        )
    pw = sub_table(node, "pin_wheels", {"pythons", "rows"})
    pythons = pw.req("pythons").version_list()
    pins = []
    for row in rows(pw, "rows", {"pin", "wheels"}):
        wheels = row.req("wheels")
        for py, letters in wheels.mapping().items():
            if py not in pythons:
                letters.fail(f"Python {py!r} is not in pin_wheels.pythons")
            if not set(letters.text()) <= WHEEL_LETTERS:
                letters.fail(f"platform letters must be from L, W, A, X: {letters.value!r}")
        pins.append(T.PinWheels(row.req("pin").requirement(), wheels.str_map()))
    nd = sub_table(node, "no_deps_workaround", {"packages"})
    rq = sub_table(node, "requirements", {"book_stack", "relaxed", "conflicts_ignored_on"})
    requirements = T.RequirementPolicy(
        rq.req("book_stack").str_list(),
        rq.req("relaxed").str_list(),
        rq.req("conflicts_ignored_on").str_list(),
    )
    ed = sub_table(node, "editions", {"rows"})
    editions = [
        T.Edition(
            row.req("book").text(),
            row.req("tag").text(),
            row.req("python").version(),
            row.req("d2l").version(),
            row.req("torch").version(),
            row.req("torchvision").version(),
        )
        for row in rows(ed, "rows", {"book", "tag", "python", "d2l", "torch", "torchvision"})
    ]
    return T.D2lTables(
        tuple(releases),
        pythons,
        tuple(pins),
        nd.req("packages").str_list(),
        tuple(editions),
        src,
        requirements,
        _setup(node),
    )


def _setup(node: Node) -> T.SetupTable:
    st = sub_table(
        node, "setup", {"notebook", "conda_python", "uv_python", "uv_mirror_setting", "uv_mirrors"}
    )
    mirrors = tuple(
        T.UvMirror(row.req("url").text(), row.req("source").text(), verified(row))
        for row in rows(st, "uv_mirrors", {"url", "source", "verified"})
    )
    for key in ("conda_python", "uv_python"):
        argv = st.req(key).str_list()
        if not argv or "{version}" not in " ".join(argv):
            st.req(key).fail("an argv template that names {version}")
    return T.SetupTable(
        st.req("notebook").str_list(),
        st.req("conda_python").str_list(),
        st.req("uv_python").str_list(),
        st.req("uv_mirror_setting").text(),
        mirrors,
        source(st),
    )


def breakages(node: Node) -> tuple[dict[str, T.Breakage], tuple[T.Numpy2Row, ...]]:
    out: dict[str, T.Breakage] = {}
    numpy_rows: list[T.Numpy2Row] = []
    for name, entry in node.mapping().items():
        fields = entry.mapping()
        bounds: dict[str, str] = {}
        for key, value in fields.items():
            if key in ("source", "markers", "verified"):
                continue
            if key == "rows" and name == "numpy2":
                for row in rows(entry, key, {"torch", "os"}):
                    oses = row.req("os").str_list()
                    for item in row.req("os").seq():
                        os_name(item)
                    numpy_rows.append(T.Numpy2Row(row.req("torch").specifier(), oses))
                continue
            # every other key is a version bound (jinja2_from, nbconvert_fixed…)
            bounds[key] = value.version()
        out[name] = T.Breakage(name, source(entry), entry.req("markers").str_list(), bounds, verified(entry))
    for needed in BREAKAGES:  # the rules look these up by name
        if needed not in out:
            node.fail(f"missing breakage '{needed}'")
    return out, tuple(numpy_rows)


def mirrors(node: Node) -> dict[str, T.Mirror]:
    table(node, {"entries"})
    out: dict[str, T.Mirror] = {}
    for row in rows(node, "entries", {"name", "pypi", "source", "verified", "conda", "pytorch"}):
        name = row.req("name").text()
        if name in out:
            row.req("name").fail(f"mirror {name!r} defined twice")
        conda = row.opt("conda")
        conda_mirror = None
        if conda:
            conda.mapping({"source", "verified", "default_channels", "custom_channels"})
            for item in conda.req("default_channels").seq():
                item.url()
            for item in conda.req("custom_channels").mapping().values():
                item.url()
            conda_mirror = T.CondaMirror(
                conda.req("default_channels").str_list(),
                conda.req("custom_channels").str_map(),
                source(conda),
                verified(conda),
            )
        torch = row.opt("pytorch")
        torch_mirror = None
        if torch:
            torch.mapping({"url_template", "mode", "variants", "source", "verified"})
            template = torch.req("url_template").url()
            if "{variant}" not in template:
                torch.req("url_template").fail("the url_template needs {variant}")
            mode = torch.req("mode").text()
            if mode not in ("index", "find-links"):
                torch.req("mode").fail(f"unknown mode {mode!r} (expected index or find-links)")
            torch_mirror = T.TorchWheelMirror(
                template, mode, torch.req("variants").str_list(), source(torch), verified(torch)
            )
        pypi = row.opt("pypi")
        out[name] = T.Mirror(
            name, pypi.url() if pypi else None, source(row), conda_mirror, torch_mirror, verified(row)
        )
    if "pypi" not in out:
        node.fail("missing the 'pypi' entry (the user's own configuration)")
    return out


def links(node: Node) -> dict[str, str]:
    table(node, {"entries"})
    return {key: value.url() for key, value in node.req("entries").mapping().items()}


GPU_KEYS = {"name", "cc", "fp32_tflops", "fp16_tflops", "bf16_tflops", "memory_bandwidth_gbs", "source"}


def gpus(node: Node) -> tuple[T.GpuModel, ...]:
    default_source = table(node, {"models"})
    out = []
    for row in rows(node, "models", GPU_KEYS):
        cc_node = row.req("cc")
        # cc may be written unquoted (8.6): a number is fine here, the digits are what matter.
        cc = f"{cc_node.value:.1f}" if isinstance(cc_node.value, float) else cc_node.version()
        figures: dict[str, Any] = {}
        for key in ("fp32_tflops", "fp16_tflops", "bf16_tflops", "memory_bandwidth_gbs"):
            child = row.opt(key)
            figures[key] = child.number() if child else None
        peak = None
        if any(v is not None for v in figures.values()):
            peak = T.GpuPeak(source=opt_str(row, "source") or default_source, **figures)
        out.append(T.GpuModel(row.req("name").text(), cc, peak))
    return tuple(out)
