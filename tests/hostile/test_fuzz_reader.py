"""The report reader, fuzzed: whatever bytes a stranger sends, read_report gives a Snapshot or raises the
documented UsageError (one line, exit 2), never anything else.

hypothesis runs a bounded number of examples, derandomized: CI sees the same inputs every run. Three shapes:
raw bytes; a d2l-doctor JSON document whose snapshot is arbitrary JSON in the Snapshot's own keys (so the
values reach from_dict); and real collect_env fixtures with lines cut, repeated and garbled.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from d2l_doctor.errors import UsageError
from d2l_doctor.ingest import read_report
from d2l_doctor.models import Snapshot
from tests.hostile.harness import invoke

FIXTURES = sorted((Path(__file__).parent.parent / "ingest" / "fixtures").glob("*.txt"))
FUZZ = settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)

SECTIONS = list(Snapshot().to_dict())
VIEWS = [("check",), ("check", "-v"), ("check", "--markdown"), ("check", "--json"), ("fix", "--shell", "cmd")]
FIELDS = [
    "executable",
    "version",
    "bits",
    "machine",
    "prefix",
    "name",
    "compute_capability",
    "memory_total_mib",
    "env_name",
    "kernelspecs",
    "argv0",
    "interpreter_exists",
    "cuda",
    "cudnn",
    "arch_list",
    "ok",
    "error",
    "seconds",
    "warnings",
    "os",
    "ram_mib",
    "cuda_version",
    "source",
    "index",
    "module",
    "data_paths",
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["3.11.9", "2.13.0+cu130", "8.6", "", "\x1b[2J", "C:\\Users\\a\\python.exe", "1e308"]),
)
KEYS = st.one_of(st.sampled_from(FIELDS + SECTIONS), st.text(max_size=12))
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=30,
)


def _read(data: bytes) -> None:
    try:
        read_report("-", "en", stdin=io.BytesIO(data))
    except UsageError:  # the documented refusal (the CLI prints it as one line, exit 2); anything else fails
        pass


@FUZZ
@given(st.binary(max_size=4096))
def test_any_bytes(data: bytes) -> None:
    _read(data)


@FUZZ
@given(st.dictionaries(st.sampled_from(SECTIONS), JSON_VALUES, max_size=8))
def test_any_json_in_the_snapshot_s_shape(snapshot: dict[str, Any]) -> None:
    doc = {"schema_version": 1, "snapshot": {"schema_version": 1, **snapshot}}
    _read(json.dumps(doc).encode())


@FUZZ
@given(
    st.sampled_from(FIXTURES),
    st.lists(
        st.tuples(st.integers(0, 10_000), st.sampled_from(["cut", "repeat", "garble", "escape"])), max_size=6
    ),
    st.text(max_size=30),
)
def test_damaged_collect_env_text(fixture: Path, edits: list[tuple[int, str]], junk: str) -> None:
    lines = fixture.read_text(encoding="utf-8", errors="replace").splitlines()
    for position, how in edits:
        if not lines:
            break
        i = position % len(lines)
        if how == "cut":
            del lines[i]
        elif how == "repeat":
            lines.insert(i, lines[i])
        elif how == "garble":
            lines[i] = lines[i][: len(lines[i]) // 2] + junk
        else:
            lines[i] = lines[i] + "\x1b]0;x\x07\u202e" + junk
    _read("\n".join(lines).encode("utf-8", "surrogatepass"))


@settings(FUZZ, max_examples=40)
@given(st.dictionaries(st.sampled_from(SECTIONS), JSON_VALUES, max_size=8), st.sampled_from(VIEWS))
def test_what_the_reader_accepts_every_view_can_show(snapshot: dict[str, Any], view: tuple[str, ...]) -> None:
    # The whole doctor in this process: an exception anywhere (a rule, a renderer, the planner) escapes main().
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "r.json"
        path.write_text(json.dumps({"schema_version": 1, "snapshot": {"schema_version": 1, **snapshot}}))
        outcome = invoke([*view, "--from-report", str(path), "--lang", "en"])
    assert outcome.code in (0, 1, 2), outcome
    if outcome.code == 2:
        assert len(outcome.stderr.splitlines()) == 1, outcome
