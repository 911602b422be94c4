from __future__ import annotations

import pytest

from d2l_doctor.matrix import Matrix, load_matrix
from d2l_doctor.models import Finding, Snapshot
from d2l_doctor.rules import evaluate


@pytest.fixture(scope="session")
def matrix() -> Matrix:
    return load_matrix(None)


@pytest.fixture(scope="session")
def check(matrix: Matrix):  # type: ignore[no-untyped-def]
    """Evaluate a snapshot; returns {finding id: [findings]}."""

    def run(snapshot: Snapshot) -> dict[str, list[Finding]]:
        out: dict[str, list[Finding]] = {}
        for f in evaluate(snapshot, matrix):
            out.setdefault(f.id, []).append(f)
        return out

    return run
