"""`%load_ext d2l_doctor` then `%d2l_doctor` in an IPython shell: the kernel's own interpreter examined, the
checklist shown as HTML."""

from __future__ import annotations

import sys

import pytest

from d2l_doctor.models import SCHEMA_VERSION


@pytest.fixture(scope="module")
def shell():  # type: ignore[no-untyped-def]
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "d2l_doctor")
    yield ip
    InteractiveShell.clear_instance()


def _shown(shell, line: str) -> str:  # type: ignore[no-untyped-def]
    from IPython.utils.capture import capture_output

    with capture_output() as captured:
        shell.run_line_magic("d2l_doctor", line)
    assert not captured.stderr, captured.stderr
    (output,) = captured.outputs
    return str(output.data["text/html"])


def test_the_checklist_as_html(shell) -> None:  # type: ignore[no-untyped-def]
    html = _shown(shell, "-v")
    assert '<pre class="d2l-doctor">' in html and "</pre>" in html
    assert "PyTorch stack" in html and "Jupyter" in html
    assert sys.executable in html  # the interpreter this kernel runs, not another


def test_json_and_bad_options(shell, capsys) -> None:  # type: ignore[no-untyped-def]
    assert f"&quot;schema_version&quot;: {SCHEMA_VERSION}" in _shown(shell, "--json --lang en")
    shell.run_line_magic("d2l_doctor", "--no-such-option")
    assert "d2l-doctor: error:" in capsys.readouterr().err
