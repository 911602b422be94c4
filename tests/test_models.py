from __future__ import annotations

import json

import pytest

from d2l_doctor.models import (
    Area,
    CondaInfo,
    Driver,
    Finding,
    FixAction,
    FixKind,
    Gpu,
    ImportResult,
    JupyterInfo,
    Kernelspec,
    Problem,
    PythonInfo,
    SchemaError,
    Severity,
    Snapshot,
    TorchInfo,
    exit_code_for,
)


def full_snapshot() -> Snapshot:
    return Snapshot(
        driver=Driver("550.54.14", "12.4"),
        gpus=(Gpu("NVIDIA GeForce RTX 3060 Laptop GPU", "8.6", 6144, "00000000:01:00.0"),),
        python=PythonInfo(
            "/home/u/miniconda3/envs/d2l/bin/python", "3.9.18", 64, "x86_64", chosen_by="conda"
        ),
        conda=CondaInfo("d2l", "/home/u/miniconda3/envs/d2l", platform="linux-64", managed=("nbconvert",)),
        packages={"torch": "2.0.0+cu118", "torchvision": "0.15.1+cu118"},
        torch=TorchInfo(
            "2.0.0+cu118", cuda="11.8", cudnn=8700, arch_list=("sm_50", "sm_86"), cuda_available=True
        ),
        imports={
            "torch": ImportResult(
                "torch",
                True,
                seconds=0.9,
                warnings=("UserWarning: Failed to initialize NumPy: _ARRAY_API not found",),
            ),
            "PIL": ImportResult("PIL", False, "OSError", "x"),
        },
        jupyter=JupyterInfo(
            ("/tmp/j",), (Kernelspec("d2l", "Python (d2l)", "/tmp/j/kernels/d2l", "/gone", False),)
        ),
        problems={"conda": Problem("ui.why.timed_out", {"seconds": "10"})},
        unknown=("pci_gpus",),
    )


def test_snapshot_round_trips_through_json() -> None:
    snap = full_snapshot()
    text = json.dumps(snap.to_dict())
    again = Snapshot.from_dict(json.loads(text))
    assert again == snap
    assert isinstance(again.gpus, tuple) and isinstance(again.gpus[0], Gpu)
    assert again.jupyter is not None and again.jupyter.kernelspecs[0].interpreter_exists is False
    assert not again.known("pci_gpus") and again.known("driver")


def test_finding_round_trips_with_enums_and_fixes() -> None:
    finding = Finding(
        "pillow-broken",
        Severity.ERROR,
        Area.TORCH,
        params={"version": "9.5.0"},
        evidence={"import PIL._imaging": "ImportError: DLL load failed"},
        fixes=(FixAction(FixKind.PIP_UNINSTALL, ("pillow",)), FixAction(FixKind.PIP_INSTALL, ("pillow",))),
    )
    data = finding.to_dict()
    assert data["severity"] == "error" and data["fixes"][0]["kind"] == "pip-uninstall"
    assert Finding.from_dict(json.loads(json.dumps(data))) == finding


def test_import_warnings_round_trip_and_old_reports_still_read() -> None:
    data = json.loads(json.dumps(full_snapshot().to_dict()))
    assert data["imports"]["torch"]["warnings"] == [
        "UserWarning: Failed to initialize NumPy: _ARRAY_API not found"
    ]
    del data["imports"]["torch"]["warnings"]  # a report written before the field existed
    old = Snapshot.from_dict(data)
    assert old.imports["torch"].warnings == () and old.imports["torch"].ok


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"python": "not an object"},
        {"gpus": {"name": "x"}},
        {"driver": {"cuda_version": "12.4"}},  # version is required
        {"python": {"executable": "p", "version": "3.9", "bits": "64", "machine": "x"}},  # bits must be int
    ],
)
def test_garbled_snapshot_is_a_schema_error(data: object) -> None:
    with pytest.raises(SchemaError):
        Snapshot.from_dict(data)  # type: ignore[arg-type]


def test_unknown_enum_value_is_a_schema_error() -> None:
    with pytest.raises(SchemaError):
        Finding.from_dict({"id": "x", "severity": "fatal", "area": "gpu"})


def test_exit_code_counts_errors_and_crashes_only() -> None:
    warn = Finding("cuda-toolkit-newer-than-driver", Severity.WARNING, Area.CUDA)
    info = Finding("no-nvidia-gpu", Severity.INFO, Area.GPU)
    assert exit_code_for([warn, info]) == 0
    assert exit_code_for([warn, Finding("torch-missing", Severity.ERROR, Area.TORCH)]) == 1
    assert exit_code_for([Finding("rule-crashed", Severity.CRASH, Area.TORCH)]) == 1


def test_evidence_certainty_and_quotes_round_trip_through_json() -> None:
    from d2l_doctor.models import Certainty, Evidence, Message, Problem, Quote, Source

    snap = replace_snapshot(
        evidence={"torch.version": Evidence(Source.REPORT, "PyTorch version: 2.0.1", 3, "2.0.1")},
        messages=(Message("UserWarning: CUDA initialization: Found no NVIDIA driver", Source.WARNING, 7),),
        problems={"driver": Problem("ui.why.not_collected"), "nvml": Problem.error("NVML not found")},
    )
    again = Snapshot.from_dict(json.loads(json.dumps(snap.to_dict())))
    assert again == snap
    assert again.origin("torch.version").certainty is Certainty.OBSERVED
    assert again.origin("torch.version").line == 3
    assert str(again.problems["driver"]) == "collect_env: Could not collect"
    finding = Finding(
        "nvidia-driver-missing",
        Severity.ERROR,
        Area.GPU,
        certainty=Certainty.INFERRED,
        quotes=(Quote("UserWarning: CUDA initialization: Found no NVIDIA driver", 7, Source.WARNING),),
    )
    data = json.loads(json.dumps(finding.to_dict()))
    assert data["certainty"] == "inferred" and data["quotes"][0]["line"] == 7
    assert Finding.from_dict(data) == finding


def replace_snapshot(**changes: object) -> Snapshot:
    import dataclasses

    return dataclasses.replace(full_snapshot(), **changes)  # type: ignore[arg-type]
