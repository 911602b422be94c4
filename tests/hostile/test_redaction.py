"""--markdown takes out the user names of any machine's home folders, wherever they occur: the report's own
paths (every OS's shape of a home), a name repeated in a venv or kernel name, and every fixture in
tests/ingest/fixtures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.hostile.harness import invoke
from tests.hostile.reports import HOMES, report_text

FIXTURES = sorted((Path(__file__).parent.parent / "ingest" / "fixtures").iterdir())
# An independent reading of "a home folder" for the check: a `home` or `Users` segment and the name after it.
_HOME_NAME = re.compile(
    r"(?i)(?:^|[\\/\s\"'=(])(?:home|Users|Documents and Settings)[\\/]+([^\\/\s\"'`<>|:*?,;)]+)"
)
_NOT_NAMES = {"public", "default", "shared", "all users"}


def _names_in(text: str) -> set[str]:
    return {m.group(1) for m in _HOME_NAME.finditer(text) if m.group(1).lower() not in _NOT_NAMES}


def _markdown(tmp_path: Path, text: str, name: str = "r.json") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    outcome = invoke(["check", "--markdown", "--from-report", str(path), "--lang", "en"])
    assert outcome.code in (0, 1), outcome
    return outcome.stdout


@pytest.mark.parametrize(("home", "user"), HOMES, ids=[u for _, u in HOMES])
def test_every_os_s_home_folder_loses_its_user_name(tmp_path: Path, home: str, user: str) -> None:
    doc = json.loads(report_text("linux-venv", "d2l"))
    snapshot = doc["snapshot"]
    snapshot["python"]["executable"] = home.strip('"')
    snapshot["python"]["prefix"] = home.strip('"').rsplit("/", 2)[0]
    snapshot["problems"] = {"pci": f"cannot read {home}", "jupyter": f"kernel {user}-d2l uses {home}"}
    snapshot["jupyter"]["kernelspecs"][0]["name"] = f"{user}-py311"
    text = _markdown(tmp_path, json.dumps(doc))
    assert user.lower() not in text.lower(), f"{user!r} left in:\n{text}"


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_every_fixture_loses_its_user_names(tmp_path: Path, fixture: Path) -> None:
    raw = fixture.read_text(encoding="utf-8", errors="replace")
    path = tmp_path / fixture.name
    path.write_text(raw, encoding="utf-8")
    outcome = invoke(["check", "--markdown", "--from-report", str(path), "--lang", "en"])
    if outcome.code == 2:  # a fixture that is deliberately no report: nothing is printed to leak
        assert outcome.stdout == ""
        return
    for user in _names_in(raw):
        assert not re.search(rf"(?i)(?<![A-Za-z0-9]){re.escape(user)}(?![A-Za-z0-9])", outcome.stdout), (
            f"{user!r} from {fixture.name} left in the Markdown"
        )


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.name for f in FIXTURES])
def test_the_redactor_over_each_fixture_s_whole_text(fixture: Path) -> None:
    # The Markdown shows only some of a report's lines; the redactor must hold for all of them, and for the
    # same text with homes of every OS written in.
    from d2l_doctor.render.redact import Redactor

    raw = fixture.read_text(encoding="utf-8", errors="replace")
    raw += "\n" + "\n".join(f"Python executable: {home}" for home, _ in HOMES)
    redactor = Redactor(home="", user="", hostname="")
    for line in raw.splitlines():
        redactor.learn(line)
    cleaned = "\n".join(redactor(line) for line in raw.splitlines())
    for user in _names_in(raw) | {user for _, user in HOMES}:
        assert not re.search(rf"(?i)(?<![A-Za-z0-9]){re.escape(user)}(?![A-Za-z0-9])", cleaned), user
