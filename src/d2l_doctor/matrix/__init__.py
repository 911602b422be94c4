"""compat_matrix.yaml: loaded, validated into typed tables, and queried by the rules.

`load_matrix(None)` reads the copy bundled in the package (or, in a source checkout, the repo-root file);
`load_matrix(path)` reads another (`--matrix`). A missing, unreadable or malformed file raises MatrixError (a
UsageError: one line naming file, line and key; exit 2). The bundled matrix is parsed once per process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from d2l_doctor.matrix.model import ArchFloor, DriverVerdict, Matrix
from d2l_doctor.matrix.nodes import MatrixError
from d2l_doctor.matrix.tables import (
    ArchList,
    CondaMirror,
    CudnnRow,
    D2lRelease,
    GpuModel,
    GpuPeak,
    IndexStyle,
    Mirror,
    Platform,
    TorchRelease,
    TorchWheelMirror,
)

__all__ = [
    "ArchFloor",
    "ArchList",
    "CondaMirror",
    "CudnnRow",
    "D2lRelease",
    "DriverVerdict",
    "GpuModel",
    "GpuPeak",
    "IndexStyle",
    "Matrix",
    "MatrixError",
    "Mirror",
    "Platform",
    "TorchRelease",
    "TorchWheelMirror",
    "bundled_path",
    "load_matrix",
]

_FILE = "compat_matrix.yaml"
_cache: dict[Path, Matrix] = {}


def bundled_path() -> Path:
    """The matrix shipped in the wheel; in a source checkout (editable install) the repo-root file."""
    from importlib.resources import files

    packaged = Path(str(files("d2l_doctor") / _FILE))
    if packaged.is_file():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / _FILE  # src/d2l_doctor/matrix/__init__.py -> repo root
    return checkout if checkout.is_file() else packaged


def load_matrix(path: Optional[Path] = None) -> Matrix:
    """Load and validate a matrix: `path`, or the bundled one (cached) when None."""
    if path is not None:
        return _load(Path(path))
    default = bundled_path()
    if default not in _cache:
        _cache[default] = _load(default, trusted=True)
    return _cache[default]


def _load(path: Path, trusted: bool = False) -> Matrix:
    from d2l_doctor.matrix import parse, parse_catalogues
    from d2l_doctor.matrix.gpus import GpuIndex
    from d2l_doctor.matrix.nodes import read_tree

    top = parse.sections(read_tree(path, trusted))
    index_url, styles = parse.pytorch_index(top["pytorch_index"])
    releases = parse.torch_releases(top["torch"])
    platforms, no_wheels = parse.platforms(top["platforms"])
    toolkits, since, floors = parse.cuda_drivers(top["cuda_drivers"])
    names, binary_verified, lists = parse.arch(top["arch"])
    cudnn_rows, encoding_verified, cudnn_wheels_from = parse.cudnn(top["cudnn"])
    breakages, numpy_rows = parse_catalogues.breakages(top["breakages"])
    gpu_models = parse_catalogues.gpus(top["gpus"])
    from d2l_doctor.matrix import messages
    from d2l_doctor.matrix.versions import sort_key

    return Matrix(
        path=path,
        reviewed=parse.reviewed(top["reviewed"]),
        pytorch_index=index_url,
        index_styles=styles,
        torch_releases=tuple(sorted(releases, key=lambda r: sort_key(r.version), reverse=True)),
        platforms=platforms,
        no_wheels=no_wheels,
        toolkit_drivers=toolkits,
        minor_compat_since=since,
        compat_floors=floors,
        arch_names=names,
        binary_compat_verified=binary_verified,
        arch_lists=lists,
        cudnn_rows=cudnn_rows,
        cudnn_encoding_verified=encoding_verified,
        cudnn_wheels_from=cudnn_wheels_from,
        d2l=parse_catalogues.d2l(top["d2l"]),
        breakages=breakages,
        numpy2_rows=numpy_rows,
        mirrors=parse_catalogues.mirrors(top["mirrors"]),
        links=parse_catalogues.links(top["links"]),
        gpu_models=gpu_models,
        gpu_index=GpuIndex(gpu_models),
        messages=messages.parse(top["messages"]),
    )
