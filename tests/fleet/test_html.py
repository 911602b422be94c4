"""`fleet report --html`: one self-contained page, looked at in headless Chromium (DOM and a phone screenshot)."""

from __future__ import annotations

import re
from pathlib import Path

from tests.fleet.browser import dump_dom, png_pixels, screenshot, table
from tests.fleet.support import classroom, fixture, fleet, put

EVIL = '<img src=x onerror="document.title=1">&amp;"\'</td>'


def page(tmp_path: Path, lang: str = "en") -> Path:
    reports = tmp_path / "reports"
    reports.mkdir()
    classroom(reports)
    hostile = fixture("healthy")
    hostile["snapshot"]["host"]["os_release"] = EVIL
    put(reports, "evil<b onclick=x>", hostile)
    (reports / "broken.txt").write_text("not a report", encoding="utf-8")
    out = tmp_path / f"fleet.{lang}.html"
    run = fleet("report", str(reports), "--html", str(out), "--lang", lang)
    assert run.returncode == 1, run.output
    return out


def test_the_page_is_self_contained_and_escapes_every_report_string(tmp_path: Path) -> None:
    html = page(tmp_path).read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # no network
    assert "<link" not in html and html.count("<script>") == 1
    assert EVIL not in html and "<img" not in html
    assert "&lt;img src=x onerror=&quot;document.title=1&quot;&gt;&amp;amp;&quot;&#x27;&lt;/td&gt;" in html
    assert "evil&lt;b onclick=x&gt;" in html


def test_chromium_shows_the_table_sorts_and_filters(tmp_path: Path) -> None:
    out = page(tmp_path)
    profile = tmp_path / "chromium-profile"
    dom = dump_dom(out, profile)
    machines = table(dom, "machines")
    header, *rows = machines.rows
    assert header[0][:3] == ["machine", "status", "driver"]
    assert len(rows) == 7
    names = [cells[0] for cells, _ in rows]
    assert "evil<b onclick=x>" in names  # shown as text, not run
    assert any(cells[6] == EVIL for cells, _ in rows)
    assert "img" not in machines.tags and dom.count("<script>") == 1
    unreadable = table(dom, "unreadable")
    assert [cells[0] for cells, _ in unreadable.rows[1:]] == ["broken"]
    # The page's own script: a view in the URL filters to the problems and sorts by name, descending.
    view = table(dump_dom(out, profile, "#status=problem&sort=0&dir=desc"), "machines")
    shown = [cells[0] for cells, hidden in view.rows[1:] if not hidden]
    assert shown == sorted((n for n in names if "healthy" not in n and "evil" not in n), reverse=True)
    assert all(cells[1] == "problems" for cells, hidden in view.rows[1:] if not hidden)


def test_chinese_page_on_a_phone_screen(tmp_path: Path) -> None:
    out = page(tmp_path, "zh")
    dom = dump_dom(out, tmp_path / "profile")
    assert '<html lang="zh-CN">' in dom
    assert table(dom, "machines").rows[0][0][:2] == ["机器", "状态"]
    png = tmp_path / "phone.png"
    screenshot(out, tmp_path / "profile", png)
    width, height, pixels = png_pixels(png)
    assert (width, height) == (412, 900)
    assert len(set(pixels)) > 16, "the screenshot is blank"
