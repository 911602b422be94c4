"""Every word the Chinese report shows is Chinese, apart from what it quotes.

The rules' findings on every report in tests/ingest/fixtures, the rules' scenario machines, the live-like
snapshots of test_no_holes and the renderer scenarios go through the real rules and the console (short and
-v) in Chinese. Two checks:
- every evidence key a rule writes has a label in both languages (no raw key falls through to the reader);
- no English run of three or more words is left, except what the report quotes: facts of the machine or the
  report (error texts, GPU and CPU names, paths), the commands to paste, URLs, texts in “quotes” (errors the
  catalogue cites), commands named inline (pip install torch) and the sources the matrix cites.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest

from d2l_doctor import i18n
from d2l_doctor.diagnose import Diagnosis
from d2l_doctor.matrix import Matrix, load_matrix
from d2l_doctor.models import Problem
from d2l_doctor.render import console, view
from d2l_doctor.rules import evaluate
from tests.render import scenarios, test_no_holes

# Three or more ASCII words in a row (single spaces or ", " between them): a sentence, not a name or code.
ENGLISH = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:,? [A-Za-z][A-Za-z'’-]*){2,}")
# Left out before looking: links, texts the catalogue quotes in “…”, commands it names inline, product names.
NOT_PROSE = [
    re.compile(r"https?://\S+"),
    re.compile(r"“[^”]*”"),
    re.compile(r"\b(?:pip|conda|jupyter|python)(?: [\w.<>=+-]+)+"),
    re.compile(r"\bfrom \w+ import \w+ as \w+"),
    re.compile(r"Microsoft Visual C\+\+"),  # product names the catalogue uses
]
# Evidence whose values are texts quoted from Python, a library or the matrix's sources.
QUOTED_EVIDENCE = {"torch warning", "output", "exception", "traceback", "nvml", "nvidia-smi", "pci", "book error"}
QUOTED_EVIDENCE_SOURCES = {"from", "arch list from"}
# Snapshot.problems holds our own phrases (which must be translated) and errors quoted from a library or the
# OS; the scenarios' quoted ones.
QUOTED_PROBLEMS = ("NVML Shared Library Not Found", "no /sys/bus/pci here")


@pytest.fixture(autouse=True)
def finding_words() -> None:
    """The real catalogue here (overrides the conftest fixture; the renderer scenarios patch their own)."""


@pytest.fixture(scope="module")
def matrix() -> Matrix:
    return load_matrix(None)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def quoted(d: Diagnosis, report: view.ReportView) -> str:
    """Everything the report may show as it is, one text: facts from the machine or report, quoted errors and
    sources in the evidence, and the commands."""
    facts = {k: v for k, v in d.snapshot.to_dict().items() if k != "problems"}
    texts = [*_strings(facts), *QUOTED_PROBLEMS]
    for f in d.findings:
        for key, value in f.evidence.items():
            if key in QUOTED_EVIDENCE or key in QUOTED_EVIDENCE_SOURCES or key.startswith("import "):
                texts += _strings(value)
    texts += [fix.command for a in report.areas for fv in a.findings for fix in fv.fixes if fix.command]
    return "\n".join(texts)


def console_text(report: view.ReportView) -> str:
    out = []
    for verbose in (False, True):
        stream = io.StringIO()
        console.write(report, stream, verbose=verbose, color=False)
        out.append(stream.getvalue())
    return "\n".join(out)


def english_left(d: Diagnosis) -> list[str]:
    report = view.build(d, "zh", "bash")
    allowed = quoted(d, report)
    found = []
    for line in console_text(report).splitlines():
        prose = line
        for pattern in NOT_PROSE:
            prose = pattern.sub("_", prose)
        found += [f"{run!r} in: {line.strip()}" for run in ENGLISH.findall(prose) if run not in allowed]
    return found


def unlabelled(d: Diagnosis) -> list[str]:
    catalogue = i18n.catalogue()
    return [
        f"{f.id}: {key!r} ({view.evidence_message(key)})"
        for f in d.findings
        for key in f.evidence
        if not all(catalogue.get(view.evidence_message(key), {}).get(lang) for lang in i18n.LANGS)
    ]


@pytest.mark.parametrize("name", test_no_holes.CASES)
def test_every_rule_s_evidence_has_labels_and_the_zh_report_has_no_english_prose(
    name: str, matrix: Matrix
) -> None:
    s = test_no_holes.snapshot(name)
    d = Diagnosis(s, tuple(evaluate(s, matrix)), matrix)
    assert unlabelled(d) == []
    assert english_left(d) == []


@pytest.mark.parametrize("name", scenarios.SCENARIOS)
def test_the_renderer_scenarios_read_in_chinese(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    merged = {**i18n.catalogue(), **scenarios.TEST_MESSAGES}
    monkeypatch.setattr(i18n, "catalogue", lambda: merged)
    d = scenarios.SCENARIOS[name]()
    assert unlabelled(d) == []
    assert english_left(d) == []


def test_an_evidence_key_holds_no_value(matrix: Matrix) -> None:
    """The key is an identifier (the same in every report, so --json readers can rely on it); the version
    it once held is in the value."""
    s = test_no_holes.snapshot("torch-2.0-linux-driver-too-old.txt")
    keys = {k for f in evaluate(s, matrix) for k in f.evidence}
    with_digits = sorted(k for k in keys if re.search(r"\d", k) and k != "import jinja2")
    assert with_digits == []


def test_the_checker_finds_english_and_leaves_quotes_alone() -> None:
    d = scenarios.old_driver()
    report = view.build(d, "zh", "bash")
    allowed = quoted(d, report)
    assert "The NVIDIA driver on your system is too old" in allowed  # torch's warning, quoted
    assert ENGLISH.findall("• 报告：the report ends at 'cuDNN version': it was cut off")
    assert not ENGLISH.findall(NOT_PROSE[1].sub("_", "报错“Torch not compiled with CUDA enabled”"))
    assert not ENGLISH.findall(NOT_PROSE[2].sub("_", "直接 pip install torch（包括镜像）"))


def test_our_own_phrases_about_what_could_not_be_collected_are_translated() -> None:
    # Snapshot.problems holds message ids with params: nothing parses English back
    why = Problem("ui.why.torch_says_driver_cuda", {"why": "ui.why.no_cuda", "cuda": "9.1"})
    assert (
        view.problem_text(why, "en")
        == str(why)
        == (
            "collect_env: No CUDA (nvcc and nvidia-smi gave nothing); torch says the driver runs CUDA up to 9.1"
        )
    )
    assert view.problem_text(why, "zh") == (
        "collect_env 显示 No CUDA（nvcc 和 nvidia-smi 都没有输出）；torch 的警告表明驱动最高支持 CUDA 9.1"
    )
    cut = Problem("ui.why.cut_at", {"heading": "Nvidia driver version"})
    assert view.problem_text(cut, "zh") == "报告在“Nvidia driver version”处中断：内容不完整"
    quoted = Problem.error("NVML Shared Library Not Found")
    assert view.problem_text(quoted, "zh") == "NVML Shared Library Not Found"
    assert view.problem_label("cuda_toolkits", "zh") == "CUDA 工具包"
    assert view.problem_label("nvml.gpu0", "zh") == "nvml.gpu0"
