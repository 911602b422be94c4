"""The corrections of issue 13: each fact as the primary sources give it, one test per correction. The sources
are named in compat_matrix.yaml next to each fact."""

from __future__ import annotations

import pytest

from d2l_doctor.matrix import Matrix, load_matrix


@pytest.fixture(scope="module")
def m() -> Matrix:
    return load_matrix(None)


def test_torchaudio_2_11_1_admits_every_torch_from_2_11(m: Matrix) -> None:
    # torchaudio 2.11.1's metadata: Requires-Dist: torch>=2.11 (pytorch/audio#4212, #4225).
    for version in ("2.11.0", "2.12.0", "2.12.1", "2.13.0", "2.14.0", "2.14.1", "2.15.0"):
        release = m.torch_release(version)
        assert release is not None and "2.11.1" in release.torchaudios, version
    assert m.torch_release("2.12.0").torchaudio is None  # type: ignore[union-attr]  # no release pins 2.12
    assert m.release_for_torchaudio("2.11.1").version == "2.11.0"  # type: ignore[union-attr]  # built for 2.11


def test_torchvision_0_29_1_admits_torch_2_15(m: Matrix) -> None:
    # torchvision 0.29.1's metadata: Requires-Dist: torch (>=2.14.0), like 0.29.2's.
    release = m.torch_release("2.15.0")
    assert release is not None and {"0.29.1", "0.29.2"} <= set(release.torchvisions)
    assert m.release_for_torchvision("0.29.2").version == "2.14.0"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("cc", "name"),
    [
        ("6.2", "Pascal"),
        ("7.2", "Volta"),
        ("8.7", "Ampere"),
        ("10.3", "Blackwell"),
        ("11.0", "Blackwell"),
        ("12.1", "Blackwell"),
        ("10.7", "Rubin"),
    ],
)
def test_every_compute_capability_on_nvidias_list_has_its_name(m: Matrix, cc: str, name: str) -> None:
    assert any(cc in a.ccs and a.name == name for a in m.arch_names), cc


def test_the_gpu_tables_capabilities_all_have_a_name(m: Matrix) -> None:
    named = {cc for a in m.arch_names for cc in a.ccs}
    assert {g.cc for g in m.gpu_models} <= named


def test_torch_2_9_has_rocm_6_4_only(m: Matrix) -> None:
    for version in ("2.9.0", "2.9.1"):
        rocm = [v for v in m.torch_release(version).variants if v.startswith("rocm")]  # type: ignore[union-attr]
        assert rocm == ["rocm6.4"], version


def test_torch_2_14_has_its_rocm_variants(m: Matrix) -> None:
    for version in ("2.14.0", "2.14.1"):
        release = m.torch_release(version)
        assert release is not None and {"rocm7.2", "rocm7.14"} <= set(release.variants), version


def test_ustc_caches_only_conda_forge_and_bioconda(m: Matrix) -> None:
    conda = m.mirrors["ustc"].conda
    assert conda is not None and conda.verified
    assert conda.default_channels == ()  # Anaconda's own channels redirect to TUNA
    assert set(conda.custom_channels) == {"conda-forge", "bioconda"}
    assert "mirrorhelp" in conda.source


@pytest.mark.parametrize(
    "name",
    [
        "GeForce RTX 4090 D",
        "GeForce RTX 5090 D",
        "GeForce RTX 4080 SUPER",
        "GeForce RTX 4070 Ti SUPER",
        "GeForce RTX 4070 SUPER",
        "A10G",
        "RTX A5500",
        "RTX A4500",
    ],
)
def test_desktop_and_data_centre_parts_are_not_called_laptop_parts(m: Matrix, name: str) -> None:
    import yaml

    data = yaml.safe_load(m.path.read_text(encoding="utf-8"))
    source = next(g["source"] for g in data["gpus"]["models"] if g["name"] == name)
    assert "laptop" not in source.lower()
    assert "desktop" in source or "data-centre" in source


def test_cuda_13_3_and_13_4_driver_branches(m: Matrix) -> None:
    assert m.min_driver("13.3", "linux") == "610.43.02"
    assert m.min_driver("13.4", "linux") == "615"  # the R615 branch; its dotted version was not read
    r615 = [t for t in m.toolkit_drivers if t.cuda == "13.4"]
    assert r615 and not any(t.verified for t in r615)
    assert m.driver_max_cuda("610.43.02", "linux") == "13.3"
    assert m.driver_max_cuda("615.10", "linux") == "13.4"
    assert m.driver_max_cuda("595.71.05", "linux") == "13.2"  # unchanged below the new branches


def test_d2l_0_17_0_has_no_pins(m: Matrix) -> None:
    release = m.d2l_release("0.17.0")
    assert release is not None and release.requires_python == ">=3.5"
    assert [str(r) for r in release.requires] == ["jupyter", "numpy", "matplotlib", "requests", "pandas"]


def test_contested_arch_lists_stay_unverified_and_say_why(m: Matrix) -> None:
    cu128 = m.arch_list("2.7.1", "cu128")
    assert cu128 is not None and not cu128.verified and "compute_120" in cu128.archs
    assert "contested" in cu128.source
    for version in ("2.12.0", "2.13.0"):
        cu129 = m.arch_list(version, "cu129")
        assert cu129 is not None and not cu129.verified and "contested" in cu129.source
        assert "cu129" not in m.torch_release(version).variants  # type: ignore[union-attr]  # not offered


def test_the_matrix_carries_its_review_date(m: Matrix) -> None:
    assert m.reviewed == "2026-12-06"


def test_torchvision_0_11_0_and_0_15_0_pin_builds_pypi_lacks(m: Matrix) -> None:
    # Found by the refresh tool: their PyPI wheels declare torch==1.10.0+cu102 / torch==2.0.0+cu117.
    for torch, torchvision, build in (("1.10.0", "0.11.0", "+cu102"), ("2.0.0", "0.15.0", "+cu117")):
        release = m.torch_release(torch)
        assert release is not None and torchvision in release.torchvision_also
        assert release.torchvision != torchvision  # never the one a fix installs
        assert release.note is not None and f"torch=={torch}{build}" in release.note
