"""Reading a report file: any console's encoding, stdin, and one-line errors for files that are no report."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

import pytest

from d2l_doctor.errors import UsageError
from d2l_doctor.ingest import read_report, source
from tests.ingest.expected import FIXTURES

REPORT = (FIXTURES / "torch-1.8-windows-cpu-build.txt").read_text(encoding="utf-8")
CHINESE = (FIXTURES / "windows-crlf-32bit-no-torch.txt").read_bytes().decode("utf-8")


def _facts(text_or_bytes: str | bytes, tmp_path: Path) -> tuple[object, ...]:
    path = tmp_path / "report.txt"
    if isinstance(text_or_bytes, str):
        path.write_text(text_or_bytes, encoding="utf-8", newline="")
    else:
        path.write_bytes(text_or_bytes)
    s = read_report(str(path))
    assert s.torch is not None and s.driver is not None and s.python is not None
    return (
        s.torch.version,
        s.driver.version,
        tuple(g.name for g in s.gpus),
        s.python.version,
        dict(s.packages),
    )


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),  # Notepad's UTF-8 with BOM
        lambda t: t.encode("utf-16"),  # PowerShell 5: `python -m torch.utils.collect_env > report.txt`
        lambda t: t.encode("utf-16-le"),  # the same without its BOM
        lambda t: t.replace("\n", "\r\n").encode("gbk"),  # a Chinese Windows console (cp936)
        lambda t: t.replace("\n", "\r").encode("utf-8"),  # old Mac line ends
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16le-no-bom", "gbk-crlf", "cr"],
)
def test_every_encoding_gives_the_same_facts(encode: Callable[[str], bytes], tmp_path: Path) -> None:
    assert _facts(encode(REPORT), tmp_path) == _facts(REPORT, tmp_path)


def test_gbk_text_keeps_its_chinese(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(CHINESE.encode("gbk"))
    s = read_report(str(path))
    assert s.host is not None and "家庭中文版" in (s.host.os_release or "")


def test_stdin_is_read_for_a_dash() -> None:
    s = read_report("-", stdin=io.BytesIO(REPORT.encode("utf-16")))
    assert s.torch is not None and s.torch.version == "1.8.1+cpu"


def test_forum_punctuation_is_plain_again() -> None:
    assert source.normalize("GPU 0\uff1a A\u00a0B\u200b\r\nx") == "GPU 0: A B\nx"


@pytest.mark.parametrize(
    "text",
    [
        "hello, my torch does not work, please help\n",
        'Traceback (most recent call last):\n  File "x.py", line 1\nRuntimeError: CUDA error\n',
        "Collecting environment information...\nTraceback (most recent call last):\nImportError: no module\n",
        "name,version\ntorch,2.0\n",
    ],
)
def test_text_that_is_no_report_is_one_line_exit_2(text: str, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as info:
        read_report(str(path))
    message = str(info.value)
    assert message.startswith(
        f"{path}: nothing in it that d2l-doctor reads. It reads a d2l-doctor JSON report"
    )
    assert "\n" not in message and "pip list" in message and "nvidia-smi" in message  # says what it reads
    assert info.value.exit_code == 2


def test_one_version_line_is_read_and_its_build_is_not_guessed(tmp_path: Path) -> None:
    """A heading alone in a chatty post still states a fact; without a local tag the build stays unknown."""
    path = tmp_path / "notes.txt"
    path.write_text("PyTorch version: 2.0.1\n", encoding="utf-8")
    s = read_report(str(path))
    assert s.packages["torch"] == "2.0.1"
    assert s.torch is not None and not s.known("torch.cuda")
    assert s.evidence["packages.torch"].line == 1


def test_binary_garbage_is_one_line_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UsageError, match="nothing in it that d2l-doctor reads"):
        read_report(str(path))


@pytest.mark.parametrize("content", [b"", b"  \r\n\t\n"])
def test_an_empty_file_says_so(content: bytes, tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(UsageError, match="is empty"):
        read_report(str(path))


def test_an_unreadable_path_is_one_line_exit_2(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read"):
        read_report(str(tmp_path))  # a folder
    with pytest.raises(UsageError, match="cannot read"):
        read_report(str(tmp_path / "missing.txt"))


def test_a_huge_file_is_refused_without_reading_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source, "MAX_BYTES", 100)
    path = tmp_path / "big.txt"
    path.write_text(REPORT, encoding="utf-8")
    with pytest.raises(UsageError, match="nothing in it that d2l-doctor reads"):
        read_report(str(path))


def test_stdin_is_named_in_errors_in_both_languages() -> None:
    with pytest.raises(UsageError, match="^<stdin>: nothing in it"):
        read_report("-", stdin=io.BytesIO(b"nothing useful\n"))
    with pytest.raises(UsageError, match="^<标准输入>："):
        read_report("-", lang="zh", stdin=io.BytesIO(b"nothing useful\n"))
