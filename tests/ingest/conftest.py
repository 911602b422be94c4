from __future__ import annotations

from typing import Any

import pytest


def gpu_models() -> list[dict[str, Any]]:
    """The GPU models of the bundled matrix, as written in the file."""
    import yaml

    from d2l_doctor.matrix import load_matrix

    data = yaml.safe_load(load_matrix().path.read_text(encoding="utf-8"))
    return list(data["gpus"]["models"])


@pytest.fixture(scope="session")
def gpu_matrix() -> Any:
    from d2l_doctor.matrix import load_matrix

    return load_matrix()
