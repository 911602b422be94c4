"""compat_matrix.yaml: the bundled file validates, every kind of malformed file is a one-line MatrixError that
names file, line and key, and the questions the rules ask give the answers the facts say."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from d2l_doctor.errors import UsageError
from d2l_doctor.matrix import Matrix, MatrixError, bundled_path, load_matrix
from d2l_doctor.matrix.versions import arch_cc, arch_coverage, local_variant, variant_cuda

BUNDLED = bundled_path()


@pytest.fixture(scope="module")
def matrix() -> Matrix:
    return load_matrix(None)


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / "compat_matrix.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


# ---- loading -------------------------------------------------------------------------------------


def test_bundled_matrix_validates_and_is_cached(matrix: Matrix) -> None:
    assert matrix.path == BUNDLED
    assert load_matrix() is matrix
    assert matrix.torch_releases[0].version == "2.15.0"  # newest first
    assert len(matrix.torch_releases) > 40
    assert matrix.pytorch_index_url("cu126") == "https://download.pytorch.org/whl/cu126"


def test_the_fast_loader_reads_the_bundled_matrix_as_the_safe_one_does() -> None:
    """The bundled matrix goes through libyaml's loader (where PyYAML has it): the same Matrix, field by field,
    as PyYAML's own pure-Python loader gives, which is what every matrix from outside goes through."""
    import dataclasses

    import yaml

    from d2l_doctor.matrix import _load

    if not yaml.__with_libyaml__:
        pytest.skip("this PyYAML has no libyaml: the bundled matrix takes the pure-Python loader too")
    fast, safe = _load(bundled_path(), trusted=True), _load(bundled_path())
    for field in dataclasses.fields(Matrix):
        a, b = getattr(fast, field.name), getattr(safe, field.name)
        if dataclasses.is_dataclass(a) or isinstance(a, (tuple, dict, str, int, float, type(None), Path)):
            assert a == b, field.name
        else:  # an index object without __eq__ (the GPU names)
            assert vars(a) == vars(b), field.name


def test_a_matrix_from_outside_never_reaches_libyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its C composer recurses without Python's limit: a deeply nested file given with --matrix must meet the
    pure-Python loader, whose RecursionError becomes a one-line error."""
    import yaml

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a matrix from outside went to libyaml")

    monkeypatch.setattr(yaml, "CSafeLoader", refuse, raising=False)
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 20000 + "]" * 20000, encoding="utf-8")
    with pytest.raises(MatrixError, match="nested too deeply|invalid YAML"):
        load_matrix(deep)


def test_explicit_path_is_loaded_fresh(tmp_path: Path) -> None:
    copy = tmp_path / "m.yaml"
    copy.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    loaded = load_matrix(copy)
    assert loaded.path == copy
    assert loaded is not load_matrix()


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MatrixError, match="no such file"):
        load_matrix(tmp_path / "nope.yaml")


def test_matrix_error_is_a_usage_error() -> None:
    assert issubclass(MatrixError, UsageError)


def test_invalid_yaml_names_file_and_line(tmp_path: Path) -> None:
    path = _broken(
        tmp_path, "  url: https://download.pytorch.org/whl\n", "  url: [https://download.pytorch.org\n"
    )
    with pytest.raises(MatrixError) as info:
        load_matrix(path)
    message = str(info.value)
    assert message.startswith("compat_matrix.yaml:")
    assert "invalid YAML" in message
    assert "\n" not in message


def test_missing_section(tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    start = text.index("\ncudnn:\n")
    end = text.index("\n# ---", start + 1)
    path = tmp_path / "compat_matrix.yaml"
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(MatrixError, match=r"^compat_matrix\.yaml:\d+: document: missing section 'cudnn'$"):
        load_matrix(path)


def test_wrong_type_names_line_and_key(tmp_path: Path) -> None:
    old = (
        'torchaudio: "2.11.0", requires_python: ">=3.10", python: ["3.10", "3.14"], '
        "variants: [cu126, cu128, cu130, cpu"
    )
    path = _broken(tmp_path, old + ", rocm7.1, rocm7.2]", old.split(" variants:")[0] + " variants: cu126")
    line = _line_of(path, "variants: cu126, pypi_variant")
    with pytest.raises(MatrixError) as info:
        load_matrix(path)
    assert str(info.value) == (
        f"compat_matrix.yaml:{line}: key 'torch.releases[6].variants': expected a list of strings"
    )


def test_bad_version_string(tmp_path: Path) -> None:
    path = _broken(tmp_path, '{version: "2.13.0",', '{version: "2.13.zero",')
    line = _line_of(path, "2.13.zero")
    with pytest.raises(MatrixError) as info:
        load_matrix(path)
    assert (
        str(info.value)
        == f"compat_matrix.yaml:{line}: key 'torch.releases[3].version': not a version number: '2.13.zero'"
    )


def test_unquoted_python_version_is_caught(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'python: ["3.10", "3.14"]', "python: [3.10, 3.14]")
    with pytest.raises(
        MatrixError, match=r"key 'torch\.releases\[1\]\.python\[0\]': expected a string.*3\.1"
    ):
        load_matrix(path)


def test_table_without_source(tmp_path: Path) -> None:
    path = _broken(tmp_path, '  source: "[builder] install_cuda.sh;', '  origin: "[builder] install_cuda.sh;')
    with pytest.raises(MatrixError, match=r"key 'cudnn.origin': unknown key"):
        load_matrix(path)


def test_unknown_key_and_missing_key(tmp_path: Path) -> None:
    path = _broken(tmp_path, '{toolkit: "12.4 GA", cuda:', '{toolkit: "12.4 GA", cuda_version:')
    with pytest.raises(MatrixError, match=r"cuda_drivers\.toolkits\[\d+\]\.cuda_version': unknown key"):
        load_matrix(path)


def test_duplicate_mirror(tmp_path: Path) -> None:
    path = _broken(tmp_path, "- {name: huawei,", "- {name: tencent,")
    with pytest.raises(MatrixError, match="mirror 'tencent' defined twice"):
        load_matrix(path)


def test_gpu_models_accept_a_long_list(tmp_path: Path) -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    extra = "".join(f'    - {{name: "Test GPU {i}", cc: {8 + i % 2}.{i % 10}}}\n' for i in range(2000))
    path = tmp_path / "compat_matrix.yaml"
    path.write_text(text.rstrip("\n") + "\n" + extra, encoding="utf-8")
    loaded = load_matrix(path)
    assert len(loaded.gpu_models) > 2000
    assert loaded.gpu_capability("NVIDIA Test GPU 1234") == "8.4"


# ---- questions -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "cc"),
    [
        ("NVIDIA GeForce RTX 3060 Laptop GPU", "8.6"),
        ("GeForce RTX 3060", "8.6"),
        ("nvidia  geforce rtx 3060", "8.6"),
        ("Tesla V100-SXM2-16GB", "7.0"),
        ("NVIDIA A100-SXM4-80GB", "8.0"),
        ("NVIDIA A100 80GB PCIe", "8.0"),
        ("NVIDIA H100 80GB HBM3", "9.0"),
        ("Tesla K80", "3.7"),
        ("Tesla T4", "7.5"),
        ("NVIDIA GeForce GTX 1080 Ti", "6.1"),
        ("NVIDIA GeForce RTX 5090", "12.0"),
        ("NVIDIA B200", "10.0"),
        ("NVIDIA A10", "8.6"),  # the A10 (Ampere GA102), not the A100 (8.0): matching is on word boundaries
        ("NVIDIA A100", "8.0"),
        ("NVIDIA GeForce RTX 3060 Ti", "8.6"),
        ("NVIDIA GeForce GTX 1650", "7.5"),
        ("NVIDIA GeForce MX250", "6.1"),
        ("Intel(R) UHD Graphics", None),
        ("", None),
    ],
)
def test_gpu_capability(matrix: Matrix, name: str, cc: str | None) -> None:
    assert matrix.gpu_capability(name) == cc


def test_gpu_laptop_variant_is_preferred(matrix: Matrix) -> None:
    model = matrix.gpu_model("NVIDIA GeForce RTX 3060 Laptop GPU")
    assert model is not None and model.name == "GeForce RTX 3060 Laptop GPU"
    pcie = matrix.gpu_model("NVIDIA H100 PCIe")
    assert pcie is not None and pcie.name == "H100 PCIe"


def test_gpu_peak(matrix: Matrix) -> None:
    peak = matrix.gpu_peak("NVIDIA H100 80GB HBM3")
    assert peak is not None and peak.memory_bandwidth_gbs == 3350 and peak.source
    assert matrix.gpu_peak("GeForce RTX 3060 Laptop GPU") is None  # known model, no figures
    assert matrix.gpu_peak("unknown") is None


def test_mirrors(matrix: Matrix) -> None:
    assert list(matrix.mirrors)[:2] == ["pypi", "tuna"]
    for name in ("tuna", "aliyun", "ustc", "bfsu", "sjtu", "nju", "tencent", "huawei", "douban"):
        mirror = matrix.mirrors[name]
        assert mirror.pypi_url and mirror.pypi_url.startswith("https://") and mirror.source
    assert matrix.mirrors["pypi"].pypi_url is None
    tuna = matrix.mirrors["tuna"]
    assert tuna.conda is not None and tuna.conda.verified
    assert tuna.conda.custom_channels["pytorch"].endswith("/anaconda/cloud")
    sjtu = matrix.mirrors["sjtu"].pytorch
    assert sjtu is not None and sjtu.mode == "index" and sjtu.url("cu126").endswith("/pytorch-wheels/cu126")
    assert sjtu.serves("cu126") and not sjtu.serves("cu132")
    aliyun = matrix.mirrors["aliyun"].pytorch
    assert aliyun is not None and aliyun.mode == "find-links"
    nju = matrix.mirrors["nju"].pytorch
    assert nju is not None and nju.serves("cu132")  # no list: the whole upstream layout


def test_driver_verdicts(matrix: Matrix) -> None:
    # Windows driver 551.61 = CUDA 12.4: cu126 runs through minor-version compatibility, cu130 does not.
    ok = matrix.driver_runs("551.61", "12.4", "12.6", "windows")
    assert ok.ok is True and ok.via == "minor-compat"
    too_old = matrix.driver_runs("551.61", "12.4", "13.0", "windows")
    assert too_old.ok is False and too_old.needed == "580"
    assert matrix.driver_runs("580.65.06", "13.0", "13.0", "linux").via == "max-cuda"
    # Max CUDA unknown: derived from Table 3.
    assert matrix.driver_max_cuda("470.82.01", "linux") == "11.4"
    assert matrix.driver_runs("470.82.01", None, "11.8", "linux").ok is True
    # Before CUDA 11 there is no minor-version compatibility.
    assert matrix.driver_runs("418.39", "10.1", "10.2", "linux").ok is False
    assert matrix.driver_runs(None, None, "12.6", "linux").ok is None
    assert matrix.min_driver("12.4", "linux") == "550.54.14"
    assert matrix.compat_floor(12, "linux") == "525.60.13"
    assert matrix.compat_floor(10, "linux") is None


def test_old_toolkit_rows_decide_old_drivers(matrix: Matrix) -> None:
    # Table 3 down to CUDA 7.0, both OSes.
    assert matrix.min_driver("9.1", "linux") == "390.46" and matrix.min_driver("9.1", "windows") == "391.29"
    assert matrix.min_driver("9.0", "windows") == "385.54"
    assert matrix.min_driver("8.0", "linux") == "367.48"  # GA1; GA2 needs 375.26
    assert matrix.min_driver("7.5", "windows") == "353.66" and matrix.min_driver("7.0", "linux") == "346.46"
    assert matrix.driver_max_cuda("376.51", "windows") == "8.0"
    assert matrix.driver_max_cuda("352.31", "linux") == "7.5"
    # A driver below every row (the GeForce 210's last driver, 342.01) runs none of them: before CUDA 11 the
    # toolkit's row is the minimum.
    assert matrix.driver_max_cuda("342.01", "windows") is None
    verdict = matrix.driver_runs("342.01", None, "10.0", "windows")
    assert verdict.ok is False and verdict.needed == "411.31"
    assert matrix.driver_runs("342.01", None, "7.0", "windows").ok is False
    assert matrix.driver_runs("347.62", None, "7.0", "windows").ok is True
    # CUDA 11+ goes by the minor-version floor, which the old rows do not change.
    assert matrix.driver_runs("342.01", None, "11.8", "linux").ok is False
    assert matrix.driver_runs("450.80.02", None, "11.8", "linux").via == "minor-compat"


def test_arch_floor_is_the_oldest_arch_of_any_list(matrix: Matrix) -> None:
    floor = matrix.arch_floor()
    assert floor is not None
    lowest = min(
        parsed[1] for row in matrix.arch_lists for parsed in map(arch_cc, row.archs) if parsed is not None
    )
    assert floor.cc_tuple == lowest and floor.cc == f"{lowest[0]}.{lowest[1]}"
    assert f"sm_{floor.cc.replace('.', '')}" in floor.row.archs
    # Fermi had code in the earliest conda builds; the Tesla architecture (GeForce 210) never had any.
    assert floor.cc == "2.0" and floor.row.channel == "conda"
    assert matrix.below_every_arch_list("1.2") and matrix.below_every_arch_list("1.3")
    assert not matrix.below_every_arch_list("2.0") and not matrix.below_every_arch_list("3.0")
    assert not matrix.below_every_arch_list(None) and not matrix.below_every_arch_list("garbage")


def test_conda_lists_are_apart_from_pip_lists(matrix: Matrix) -> None:
    conda = matrix.arch_list("1.2.0", "cu100", "conda")
    assert conda is not None and conda.channel == "conda" and "sm_35" in conda.archs
    assert matrix.arch_list("1.2.0", "cu100") is None  # no pip list for 1.2
    pip = matrix.arch_list("1.12.1", "cu102")
    conda_12 = matrix.arch_list("1.12.1", "cu102", "conda")
    assert pip is not None and conda_12 is not None and "sm_35" not in pip.archs and "sm_35" in conda_12.archs


def test_bad_arch_channel(tmp_path: Path) -> None:
    path = _broken(tmp_path, "- {channel: conda, torch:", "- {channel: pypi, torch:")
    with pytest.raises(MatrixError, match=r"arch\.lists\[\d+\]\.channel': not a channel"):
        load_matrix(path)


def test_index_styles(matrix: Matrix) -> None:
    assert matrix.index_style("2.13.0+cpu").style == "index-url"
    assert matrix.index_style("1.12.1").style == "extra-index-url"
    style = matrix.index_style("1.10.2+cu113")
    assert style.style == "find-links" and style.url and style.url.endswith("torch_stable.html")


def test_arch_lists_and_names(matrix: Matrix) -> None:
    cu130 = matrix.arch_list("2.13.0+cu130", "cu130")
    assert cu130 is not None and "sm_120" in cu130.archs and "sm_70" not in cu130.archs
    assert arch_coverage(cu130.archs, "7.0") is None  # Volta dropped
    assert arch_coverage(cu130.archs, "8.9") == "binary"  # sm_86 serves Ada
    assert arch_coverage(cu130.archs, "12.1") == "binary"
    cu126 = matrix.arch_list("2.7.1", "cu126")
    assert cu126 is not None and arch_coverage(cu126.archs, "12.0") is None  # no Blackwell
    assert arch_coverage(cu126.archs, "6.1") == "binary"
    assert arch_coverage(("sm_86", "compute_90"), "12.0") == "ptx"
    assert matrix.arch_list("2.13.0", "rocm7.1") is None
    assert matrix.arch_name("6.1") == "Pascal" and matrix.arch_name("8.9") == "Ada"
    assert matrix.arch_name("12.0") == "Blackwell" and matrix.arch_name("2.1") == "Fermi"
    assert matrix.arch_name("1.2") == "Tesla" and matrix.arch_name("3.0") == "Kepler"
    assert matrix.arch_name("4.0") is None


def test_release_lookups(matrix: Matrix) -> None:
    release = matrix.torch_release("2.13.0+cpu")
    assert release is not None and release.torchvision == "0.28.0"
    assert matrix.release_for_torchvision("0.28.0+cu130") is release
    assert matrix.release_for_torchvision("0.11.0") == matrix.torch_release("1.10.0")
    assert matrix.torch_release("9.9.9") is None
    cudnn = matrix.expected_cudnn("2.14.1+cu130", "cu130")
    assert cudnn is not None and cudnn.cudnn == "9.24.0.43"
    assert matrix.numpy2_breaks("2.2.2", "linux") and matrix.numpy2_breaks("2.4.0+cu121", "win32")
    assert not matrix.numpy2_breaks("2.4.1", "windows") and not matrix.numpy2_breaks("2.3.0", "linux")


def test_version_helpers() -> None:
    assert local_variant("2.13.0+cpu") == "cpu" and local_variant("2.5.1+rocm6.2") == "rocm6.2"
    assert local_variant("2.13.0") is None
    assert variant_cuda("cu126") == "12.6" and variant_cuda("cu92") == "9.2" and variant_cuda("cpu") is None


def test_every_table_has_a_source() -> None:
    import yaml

    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    for name, section in data.items():
        if name in ("schema_version", "reviewed"):
            continue
        assert isinstance(section, dict), name
        # a section has a source, or each of its tables has (breakages)
        assert section.get("source") or all(
            isinstance(t, dict) and t.get("source") for t in section.values()
        ), name
    assert re.search(r"UNVERIFIED|verified: false", BUNDLED.read_text(encoding="utf-8"))
