"""`--markdown`: findings first with commands in code blocks, facts in <details>, nothing personal left."""

from __future__ import annotations

from dataclasses import replace

import pytest

from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.models import Gpu, Problem, PythonInfo
from d2l_doctor.render import markdown, view
from d2l_doctor.render.marks import UNICODE_MARKS
from d2l_doctor.render.redact import Redactor, redact
from tests.render.scenarios import broken_pillow, old_driver

ADA = Redactor(home="/home/ada", user="ada", hostname="ada-laptop")


def md(diagnosis: Diagnosis, lang: str = "en", shell: str = "bash") -> str:
    return markdown.render(view.build(diagnosis, lang, shell), UNICODE_MARKS, ADA)


def test_findings_come_before_the_facts_and_commands_are_code() -> None:
    text = md(broken_pillow())
    assert text.index("#### ✗ Pillow is broken") < text.index("<details>") < text.index("</details>")
    assert text.index("#### ✗ Pillow is broken") < text.index("#### ! This environment is not a Jupyter")
    py = "~/d2l/.venv/bin/python"
    block = f"```bash\n{py} -m pip uninstall -y pillow\n{py} -m pip install pillow\n```"
    assert block in text
    assert "- No NVIDIA GPU: the d2l chapters run on the CPU (`no-nvidia-gpu`, GPU & driver)" in text
    assert "<summary>Environment details</summary>" in text


def test_manual_steps_keep_their_place_between_commands() -> None:
    text = md(old_driver(), "zh", "powershell")
    manual = text.index("- 为你的 GPU 安装最新的 NVIDIA 驱动 <https://www.nvidia.com/Download/index.aspx>")
    assert manual < text.index("```powershell\n~\\miniconda3\\envs\\d2l\\python.exe -m pip install")


def test_no_home_folders_user_or_host_names() -> None:
    text = md(broken_pillow()) + md(old_driver(), "en", "cmd")
    assert "/home/ada" not in text
    assert "Users\\ada" not in text and "Users\\\\ada" not in text
    assert "ada-laptop" not in text
    assert "~/d2l/.venv/bin/python" in text


def test_other_machines_home_folders_by_their_shape() -> None:
    diagnosis = broken_pillow()
    python = replace(diagnosis.snapshot.python, executable="/Users/wang/miniforge3/envs/d2l/bin/python")
    assert isinstance(python, PythonInfo)
    diagnosis = replace(diagnosis, snapshot=replace(diagnosis.snapshot, python=python))
    text = md(diagnosis)
    assert "wang" not in text
    assert "~/miniforge3/envs/d2l/bin/python" in text


def test_gpu_uuids_and_serials_are_removed() -> None:
    diagnosis = old_driver()
    uuid = "GPU-6f1c2b3a-1d2e-4f50-9a8b-0c1d2e3f4a5b"
    gpu = Gpu(f"NVIDIA GeForce RTX 3060 ({uuid})", "8.6")
    problems = {"nvidia-smi": Problem.error("Serial Number: 1324019012345")}
    snapshot = replace(diagnosis.snapshot, gpus=(gpu,), problems=problems)
    text = md(replace(diagnosis, snapshot=snapshot))
    assert "6f1c2b3a" not in text and "1324019012345" not in text
    assert "[uuid]" in text and "Serial Number: [serial]" in text


def test_redact_rules() -> None:
    kw = {"home": "/home/ada", "user": "ada", "hostname": "lab-pc-07"}
    assert redact("/home/ada/x and /home/adam/y", **kw) == "~/x and ~/y"
    assert redact("C:\\Users\\Zhang San\\envs", **kw) == "~\\envs"
    assert redact("c:/users/li/x", **kw) == "~/x"
    assert redact("/data/ada/venv but not adagrad", **kw) == "/data/[user]/venv but not adagrad"
    assert redact("lab-pc-07: ok, lab-pc-070 stays", **kw) == "[host]: ok, lab-pc-070 stays"
    assert redact("MIG-GPU-0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f/1/0", **kw) == "[uuid]/1/0"
    assert redact("torch 2.13.0 in /opt/conda", **kw) == "torch 2.13.0 in /opt/conda"


def test_markdown_specials_in_prose_are_escaped() -> None:
    text = md(broken_pillow())
    assert "x86\\_64" in text  # not italics
    assert "`3.10.12 (cpython), 64-bit, x86_64, linux`" in text  # code spans are left alone


def test_inline_code_in_the_words_stays_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 11, point 7: `--markdown` escaped the backticks, so commands in the prose did not read as code;
    specials outside the code are still escaped."""
    from d2l_doctor import i18n

    words = dict(i18n.catalogue())
    words["finding.pillow-broken.detail"] = {"en": "Run `pip check` and `jupyter kernelspec list`, not *this*."}
    monkeypatch.setattr(i18n, "catalogue", lambda: words)
    text = md(broken_pillow())
    assert "Run `pip check` and `jupyter kernelspec list`, not \\*this\\*." in text
