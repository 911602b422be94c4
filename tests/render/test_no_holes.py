"""No holes in what the user reads: where a fact is not known, the words leave it out (or say it another way);
they never show "?", "None", "null", "0-bit", "()", a doubled space, ".:" or an unfilled {field}.

Every report in tests/ingest/fixtures, the rules' scenario machines and a few live-like snapshots (one of them
as sparse as a probe can leave it) go through the real rules, the real catalogue and every renderer (console
short and -v, Markdown, the titles and details of --json), in English and in Chinese.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from d2l_doctor import i18n
from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.ingest import read_report
from d2l_doctor.matrix import Matrix, load_matrix
from d2l_doctor.models import (
    CondaInfo,
    CudaToolkit,
    Driver,
    Gpu,
    Host,
    ImportResult,
    JupyterInfo,
    Kernelspec,
    PciGpu,
    Problem,
    PythonInfo,
    Snapshot,
    TorchInfo,
)
from d2l_doctor.render import console, json_out, markdown, view, wording
from d2l_doctor.render.marks import UNICODE_MARKS
from d2l_doctor.render.redact import Redactor
from d2l_doctor.rules import evaluate
from tests.render import scenarios
from tests.rules import test_scenarios
from tests.support.holes import holes

FIXTURES = Path(__file__).parent.parent / "ingest" / "fixtures"
REPORTS = sorted(p.name for p in FIXTURES.iterdir() if p.name != "SOURCES.md")
LANGS = ("en", "zh")


@pytest.fixture(autouse=True)
def finding_words() -> None:
    """The real catalogue here: this overrides the conftest fixture that puts the golden tests' words in."""


@pytest.fixture(scope="module")
def matrix() -> Matrix:
    return load_matrix(None)


def sparse_live() -> Snapshot:
    """A live machine where every probe left what it could not tell empty: bitness 0, no machine, a driver
    without its CUDA version, a toolkit and conda env without paths or names, a kernel without argv."""
    return Snapshot(
        host=Host("linux"),
        driver=Driver("470.82.01", None, "proc"),
        gpus=(Gpu("NVIDIA GeForce GTX 1080", None),),
        pci_gpus=(PciGpu("0000:01:00.0"),),
        cuda_toolkits=(CudaToolkit("13.0", ""),),
        python=PythonInfo("/opt/envs/d2l/bin/python", "3.11.9", 0, "", chosen_by="path"),
        conda=CondaInfo(None, "/opt/envs/d2l"),
        packages={"torch": "2.13.0+cu130", "numpy": "2.3.1", "ipykernel": "6.29.5"},
        torch=TorchInfo("2.13.0+cu130", cuda="13.0", cudnn=None, cuda_available=False),
        imports={
            "torch": ImportResult("torch", True),
            "numpy": ImportResult("numpy", False, timed_out=True),
            "PIL": ImportResult("PIL", False, "ImportError", None),
        },
        jupyter=JupyterInfo(kernelspecs=(Kernelspec("old", "Old", "/k/old", None, False),)),
        problems={"nvml": Problem.error("NVML Shared Library Not Found")},
    )


def unknown_bits() -> Snapshot:
    """A live venv whose interpreter could not say its bitness or machine (the probe writes 0 and "")."""
    healthy = scenarios.healthy_cpu().snapshot
    assert healthy.python is not None
    return replace(healthy, python=replace(healthy.python, bits=0, machine=""))


LIVE = {
    "healthy-cpu-venv": lambda: scenarios.healthy_cpu().snapshot,
    "old-driver": lambda: scenarios.old_driver().snapshot,
    "broken-pillow": lambda: scenarios.broken_pillow().snapshot,
    "unknown-bits": unknown_bits,
    "sparse-live": sparse_live,
}


def snapshot(name: str) -> Snapshot:
    if name in LIVE:
        return LIVE[name]()
    if name.startswith("rules:"):
        return test_scenarios.SCENARIOS[name.removeprefix("rules:")][0]
    if name.startswith("json:"):
        # A collect_env report passed on as d2l-doctor --json keeps its unknowns.
        s = read_report(str(FIXTURES / name.removeprefix("json:")))
        return replace(Snapshot.from_dict(json.loads(json.dumps(s.to_dict()))), source="d2l-doctor-report")
    return read_report(str(FIXTURES / name))


CASES = [
    *REPORTS,
    *LIVE,
    *(f"rules:{n}" for n in test_scenarios.SCENARIOS),
    "json:real-pytorch-31876-windows7-geforce210.txt",
    "json:real-vllm-9293-wsl2-cut.txt",
]


def renders(d: Diagnosis, lang: str) -> dict[str, str]:
    """What a user reads of the diagnosis, by renderer."""
    report = view.build(d, lang, "bash")
    out = {}
    for verbose in (False, True):
        stream = io.StringIO()
        console.write(report, stream, verbose=verbose, color=False)
        out["console -v" if verbose else "console"] = stream.getvalue()
    out["markdown"] = markdown.render(report, UNICODE_MARKS, Redactor(home="", user="", hostname=""))
    doc = json_out.document(d, lang, "bash")
    out["json"] = "\n".join(f"{f['title']}\n{f['detail']}" for f in doc["findings"])
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CASES)
def test_no_holes_in_any_renderer(name: str, lang: str, matrix: Matrix) -> None:
    s = snapshot(name)
    d = Diagnosis(s, tuple(evaluate(s, matrix)), matrix)
    found = {kind: holes(text) for kind, text in renders(d, lang).items()}
    assert {kind: h for kind, h in found.items() if h} == {}


@pytest.mark.parametrize("name", CASES)
def test_every_field_a_sentence_needs_is_known(name: str, matrix: Matrix) -> None:
    """A field outside every [[clause]] must have a value, or the words would say "not known" mid-sentence."""
    s = snapshot(name)
    gaps = [
        (f.id, part, lang, missing)
        for f in evaluate(s, matrix)
        for part in ("title", "detail")
        for lang in LANGS
        if (missing := wording.missing_fields(f"finding.{f.id}.{part}", lang, f.params))
    ]
    assert gaps == []


def test_the_brief_s_examples_read_whole(matrix: Matrix) -> None:
    """The report of pytorch#31876 (Windows 7, GeForce 210): the driver's CUDA, the interpreter's path, its
    bitness and machine, and the toolkit's folder are all unknown there."""
    s = read_report(str(FIXTURES / "real-pytorch-31876-windows7-geforce210.txt"))
    d = Diagnosis(s, tuple(evaluate(s, matrix)), matrix)
    en = renders(d, "en")["console -v"]
    zh = renders(d, "zh")["console -v"]
    assert "Your driver runs CUDA up to" not in en and "needs driver 411.31 or newer" in en
    assert "Python & conda: Python 3.7\n" in en and "• Interpreter" not in en
    assert "its interpreter" not in en.splitlines()[0]
    assert "The toolkit needs driver 411.31 or newer; you have 342.01." in en
    assert "To compile, update the driver." in en
    assert "This one was built for another torch (build cu92); torch is 1.2.0 (build cu100)." in en
    assert "Install the torchvision release made for torch 1.2.0, from the same index as torch." in en
    assert "driver max CUDA: not known" in en and "驱动支持的最高 CUDA：未知" in zh
    assert "需要 411.31 或更新的驱动" in zh and "你的驱动最高支持" not in zh
    assert "这个 CUDA 工具包需要 411.31 或更新的驱动" in zh


@pytest.mark.parametrize("lang", LANGS)
def test_a_manual_step_says_what_then_where_on_its_own_line(lang: str, matrix: Matrix) -> None:
    s = read_report(str(FIXTURES / "real-pytorch-31876-windows7-geforce210.txt"))
    d = Diagnosis(s, tuple(evaluate(s, matrix)), matrix)
    lines = renders(d, lang)["console"].splitlines()
    message = i18n.t("finding.manual.install-driver", lang)
    at = next(i for i, ln in enumerate(lines) if ln.strip() == message)
    assert lines[at + 1].strip() == "https://www.nvidia.com/Download/index.aspx"
    markdown_text = renders(d, lang)["markdown"]
    assert f"- {message} <https://www.nvidia.com/Download/index.aspx>" in markdown_text


# ---- the clause markup ---------------------------------------------------------------------------------


def test_every_template_s_clause_markup_is_well_formed() -> None:
    bad = {
        (key, lang): errors
        for key, texts in i18n.catalogue().items()
        for lang, text in texts.items()
        if (errors := wording.syntax_errors(text))
    }
    assert bad == {}


def test_both_languages_mark_the_same_fields_as_needed() -> None:
    """A field that one language may leave out, the other must be able to leave out too."""
    mismatched = []
    for key in i18n.catalogue():
        needed = [set(wording.missing_fields(key, lang, {})) for lang in LANGS]
        if needed[0] != needed[1]:
            mismatched.append((key, needed))
    assert mismatched == []


def test_a_clause_with_an_unknown_field_is_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    words = {
        "x": {"en": "driver {v}[[ (CUDA {cuda})]] is old", "zh": "驱动 {v}[[（CUDA {cuda}）]]太旧"},
        "y": {"en": "needs [[driver {needed}||a newer driver]].", "zh": "需要[[ {needed} ||更新的]]驱动。"},
        "z": {"en": "import {how:@w.how}", "zh": "导入时{how:@w.how}"},
        "w.how.timeout": {"en": "hung", "zh": "卡住"},
        "w.how.other": {"en": "crashed ({value})", "zh": "崩溃（{value}）"},
    }
    merged = {**i18n.catalogue(), **words}
    monkeypatch.setattr(i18n, "catalogue", lambda: merged)
    assert wording.say("x", "en", v="470", cuda="11.4") == "driver 470 (CUDA 11.4) is old"
    assert wording.say("x", "en", v="470", cuda=None) == "driver 470 is old"
    assert wording.say("x", "zh", v="470") == "驱动 470太旧"
    assert wording.say("y", "en", needed="580") == "needs driver 580."
    assert wording.say("y", "en", needed="") == "needs a newer driver."
    assert wording.say("y", "zh", needed=None) == "需要更新的驱动。"
    assert wording.say("z", "en", how="timeout") == "import hung"
    assert wording.say("z", "zh", how="SIGSEGV") == "导入时崩溃（SIGSEGV）"
    # A needed field with no value: the catalogue's "not known", and missing_fields names it for the tests.
    assert wording.say("x", "en", cuda="11.4") == "driver not known (CUDA 11.4) is old"
    assert wording.missing_fields("x", "en", {"cuda": "11.4"}) == ["v"]
    assert wording.missing_fields("y", "zh", {}) == []


def test_lists_and_empty_lists_in_params(monkeypatch: pytest.MonkeyPatch) -> None:
    words = {"l": {"en": "GPUs: {gpus}[[; toolkits {kits}]]", "zh": "显卡：{gpus}[[；工具包 {kits}]]"}}
    merged = {**i18n.catalogue(), **words}
    monkeypatch.setattr(i18n, "catalogue", lambda: merged)
    assert wording.say("l", "en", gpus=["A", "B"], kits=[]) == "GPUs: A, B"
    assert wording.say("l", "zh", gpus=("A", "B"), kits=["13.0"]) == "显卡：A，B；工具包 13.0"


def test_evidence_that_is_not_known_is_said_so() -> None:
    assert view.evidence_text(None, "en") == "not known"
    assert view.evidence_text(None, "zh") == "未知"
    assert view.evidence_text([], "zh") == "无"
    assert view.evidence_text(False, "en") == "no"
    assert view.evidence_text(["sm_50", "sm_60"], "en") == "sm_50, sm_60"
    assert view.evidence_label("driver max CUDA", "zh") == "驱动支持的最高 CUDA"
    assert view.evidence_label("torch.version.cuda", "zh") == "torch.version.cuda"


@pytest.mark.parametrize(
    "line",
    [
        "Cause: Your driver runs CUDA up to ? (the CUDA Version)",
        "[✓] Python & conda: Python 3.7, 0-bit (), not a virtual environment",
        "Python 3.7，0 位（），不是虚拟环境",
        "The toolkit in unknown needs driver 411.31 or newer",
        "Install torchvision  from the same index as torch.",
        "driver max CUDA: null",
        "version: None",
        "then restart the computer.: https://www.nvidia.com/Download/index.aspx",
        "然后重启电脑。：https://www.nvidia.com/Download/index.aspx",
        "needs driver {needed} or newer",
        "needs [[driver 580 or newer||a newer driver]]",
        "你的驱动最高支持 CUDA ？",
    ],
)
def test_the_checker_finds_each_kind_of_hole(line: str) -> None:
    assert holes(line)


@pytest.mark.parametrize(
    "line",
    [
        "[?] Jupyter: not in the report",
        "    ? Cannot tell whether torch 2.6.0 supports X (gpu-arch-unknown)",
        "#### ? Cannot tell whether torch 2.6.0 supports X",
        "    • torch.cuda.is_available(): no",
        "https://download.pytorch.org/whl/cpu?x=1",
        "      Cause: The toolkit needs driver 411.31 or newer; you have 342.01.",
    ],
)
def test_the_checker_leaves_marks_links_ids_and_code_alone(line: str) -> None:
    assert holes(line) == []
