"""`--json`: one valid UTF-8 document of a fixed shape, with argv rendered for the target interpreter."""

from __future__ import annotations

import io
import json

from d2l_doctor import __version__
from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.models import SCHEMA_VERSION, Snapshot
from d2l_doctor.render import json_out
from tests.render.scenarios import LINUX_PY, WIN_PY, broken_pillow, collect_env_report, old_driver


def written(diagnosis: Diagnosis, lang: str = "en", shell: str = "bash", encoding: str = "utf-8") -> bytes:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict")
    json_out.write(diagnosis, lang, shell, stream)
    return raw.getvalue()


def test_document_shape_and_key_order() -> None:
    doc = json.loads(written(broken_pillow()))
    assert list(doc) == ["schema_version", "tool_version", "snapshot", "findings", "exit_code"]
    assert doc["schema_version"] == SCHEMA_VERSION
    assert doc["tool_version"] == __version__
    assert doc["exit_code"] == 1
    assert [f["id"] for f in doc["findings"]] == ["no-nvidia-gpu", "pillow-broken", "jupyter-kernel-missing"]
    finding = doc["findings"][1]
    assert list(finding) == [
        "id", "severity", "area", "title", "detail", "evidence", "certainty", "quotes", "fixes", "undecided",
        "params",
    ]  # fmt: skip
    assert finding["certainty"] == "observed" and finding["quotes"] == []  # a live check quotes no paste
    assert finding["severity"] == "error" and finding["area"] == "torch"
    assert finding["title"] == "Pillow is broken"
    assert finding["evidence"]["import PIL"].startswith("ImportError: ")


def test_snapshot_round_trips() -> None:
    diagnosis = old_driver()
    doc = json.loads(written(diagnosis))
    assert Snapshot.from_dict(doc["snapshot"]) == diagnosis.snapshot


def test_fixes_carry_argv_for_the_target_and_the_line_to_paste() -> None:
    doc = json.loads(written(broken_pillow()))
    uninstall, install = doc["findings"][1]["fixes"]
    assert uninstall["kind"] == "pip-uninstall"
    assert uninstall["argv"] == [LINUX_PY, "-m", "pip", "uninstall", "-y", "pillow"]
    assert install["argv"] == [LINUX_PY, "-m", "pip", "install", "pillow"]
    assert install["command"] == f"{LINUX_PY} -m pip install pillow"
    assert install["packages"] == ["pillow"]
    kernel = doc["findings"][2]["fixes"][0]
    assert kernel["argv"][-4:] == ["--name", "d2l", "--display-name", "Python (d2l)"]
    assert kernel["command"].endswith("--display-name 'Python (d2l)'")


def test_torch_fix_keeps_its_wheel_index_and_manual_steps_their_words() -> None:
    doc = json.loads(written(old_driver(), "zh", "powershell"))
    manual, pip = doc["findings"][0]["fixes"]
    assert manual["kind"] == "manual" and manual["argv"] == [] and manual["command"] is None
    assert manual["url"] == "https://www.nvidia.com/Download/index.aspx"
    assert manual["text"] == "为你的 GPU 安装最新的 NVIDIA 驱动"
    assert pip["argv"][:4] == [WIN_PY, "-m", "pip", "install"]
    assert pip["argv"][pip["argv"].index("-i") + 1] == "https://download.pytorch.org/whl/cu118"
    assert pip["index_url"] == "https://download.pytorch.org/whl/cu118"
    assert pip["torch_variant"] == "cu118"


def test_written_as_utf8_even_to_a_gbk_or_ascii_console() -> None:
    for encoding in ("gbk", "ascii"):
        data = written(old_driver(), "zh", encoding=encoding)
        doc = json.loads(data.decode("utf-8"))
        assert doc["findings"][0]["title"].startswith("驱动 472.12")


def test_undecided_and_unknown_sections_are_kept() -> None:
    doc = json.loads(written(collect_env_report()))
    assert doc["findings"][0]["undecided"] is True
    assert "cuda_toolkits" in doc["snapshot"]["unknown"]
    assert doc["snapshot"]["source"] == "collect_env"
    assert doc["exit_code"] == 0


def test_output_is_stable() -> None:
    assert written(broken_pillow()) == written(broken_pillow())
