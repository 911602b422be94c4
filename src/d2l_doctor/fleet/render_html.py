"""`fleet report --html FILE`: one self-contained page (inline CSS and JS, no network), sortable and filterable,
readable on a phone, in the report's language.

Every string that came from a report is HTML-escaped (`html.escape`, quotes included) before it is placed; the
script only moves rows and reads `data-` values, never writes markup, so a report cannot run code in the page.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from html import escape

from d2l_doctor.fleet.reading import STACK_KEYS
from d2l_doctor.fleet.table import FleetTable
from d2l_doctor.fleet.view import (
    clean,
    fix_lines,
    headline,
    severity_word,
    stack_text,
    stack_value,
    status_word,
    summary,
)
from d2l_doctor.i18n import t

_CSS = """
*{box-sizing:border-box}body{font:15px/1.45 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",
sans-serif;margin:0;padding:12px;color:#1b1f24;background:#fff}h1{font-size:1.35em;margin:.2em 0}
h2{font-size:1.1em;margin:1.2em 0 .4em}.summary{margin:.3em 0 1em}ol.groups{padding-left:1.4em}
ol.groups li{margin:.5em 0}.stack{color:#555;font-size:.92em}code{font:13px ui-monospace,Menlo,Consolas,monospace;
background:#f3f4f6;padding:1px 4px;border-radius:3px;overflow-wrap:anywhere}.bad{color:#b42318}.ok{color:#067647}
.wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}table{border-collapse:collapse;width:100%;min-width:36em}
th,td{border-bottom:1px solid #e5e7eb;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#f9fafb;cursor:pointer;user-select:none;position:sticky;top:0}th.asc:after{content:" \\25B2"}
th.desc:after{content:" \\25BC"}.controls{display:flex;gap:8px;flex-wrap:wrap;margin:.4em 0}
.controls input,.controls select{font-size:16px;padding:6px;border:1px solid #d0d5dd;border-radius:6px}
.controls input{flex:1 1 14em}.names{font-size:.92em}
@media (max-width:600px){body{padding:8px;font-size:14px}table{min-width:0}
.col-driver,.col-gpu,.col-os{display:none}}
"""

_JS = """
(function(){
var table=document.getElementById('machines');if(!table)return;
var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows),heads=table.tHead.rows[0].cells;
var q=document.getElementById('filter'),st=document.getElementById('status');
function apply(){var text=q.value.toLowerCase(),want=st.value;
rows.forEach(function(r){var hit=r.getAttribute('data-text').indexOf(text)>=0&&
(!want||r.getAttribute('data-status')===want);r.style.display=hit?'':'none';});}
function sort(i,dir){Array.prototype.forEach.call(heads,function(c){c.classList.remove('asc','desc');});
heads[i].classList.add(dir>0?'asc':'desc');
rows.sort(function(a,b){var x=a.cells[i].getAttribute('data-v'),y=b.cells[i].getAttribute('data-v');
return x<y?-dir:x>y?dir:0;});rows.forEach(function(r){body.appendChild(r);});}
q.addEventListener('input',apply);st.addEventListener('change',apply);
Array.prototype.forEach.call(heads,function(th,i){th.addEventListener('click',function(){
sort(i,th.classList.contains('asc')?-1:1);});});
// A link can carry a view: #q=TEXT&status=problem&sort=COLUMN&dir=desc
var h={};location.hash.replace(/^#/,'').split('&').forEach(function(kv){var p=kv.split('=');
if(p[0])h[decodeURIComponent(p[0])]=decodeURIComponent(p.slice(1).join('='));});
if(h.q)q.value=h.q;if(h.status)st.value=h.status;
var col=parseInt(h.sort,10);if(col>=0&&col<heads.length)sort(col,h.dir==='desc'?-1:1);apply();
})();
"""


@lru_cache(maxsize=8192)  # stack values, statuses and finding lists repeat across thousands of rows
def _e(text: object) -> str:
    return escape(clean(text), quote=True)


def render(table: FleetTable, lang: str) -> Iterator[str]:
    html_lang = "zh-CN" if lang == "zh" else "en"
    yield "<!DOCTYPE html>"
    yield f'<html lang="{html_lang}"><head><meta charset="utf-8">'
    yield '<meta name="viewport" content="width=device-width,initial-scale=1">'
    yield (
        "<meta http-equiv=\"Content-Security-Policy\" "
        "content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">"
    )
    yield f"<title>{_e(t('fleet.title', lang))}</title><style>{_CSS}</style></head><body>"
    yield f"<h1>{_e(t('fleet.title', lang))}</h1>"
    cls = "ok" if table.exit_code == 0 else "bad"
    yield f'<p class="summary {cls}" id="summary">{_e(summary(table, lang))}</p>'
    yield from _groups(table, lang)
    yield from _counts(table, lang)
    yield from _machines(table, lang)
    yield from _unreadable(table, lang)
    if any(g.detail.fix for g in table.groups):
        yield f"<p class=\"stack\">{_e(t('fleet.python_note', lang))}</p>"
    yield f"<script>{_JS}</script></body></html>"


def _groups(table: FleetTable, lang: str) -> Iterator[str]:
    groups = table.groups
    if not groups:
        return
    yield f"<h2>{_e(t('fleet.groups', lang))}</h2><ol class=\"groups\" id=\"groups\">"
    for group in groups:
        cls = "ok" if group.ok else "bad"
        yield f'<li><strong class="{cls}">{_e(headline(group, lang))}</strong>'
        yield f"<div class=\"stack\">{_e(t('fleet.group.stack', lang))}: {_e(stack_text(group.stack, lang))}</div>"
        for line in fix_lines(group):
            yield f"<div>{_e(t('fleet.group.fix', lang))}: <code>{_e(line)}</code></div>"
        names = ", ".join(group.machines)
        yield f"<div class=\"names\">{_e(t('fleet.group.names', lang))}: {_e(names)}</div></li>"
    yield "</ol>"


def _counts(table: FleetTable, lang: str) -> Iterator[str]:
    counts = table.finding_counts()
    if not counts:
        return
    yield f"<h2>{_e(t('fleet.counts', lang))}</h2><div class=\"wrap\"><table id=\"counts\"><thead><tr>"
    for key in ("fleet.col.finding", "fleet.col.severity", "fleet.col.count"):
        yield f"<th>{_e(t(key, lang))}</th>"
    yield "</tr></thead><tbody>"
    for fid, count in counts:
        yield f"<tr><td><code>{_e(fid)}</code></td><td>{_e(severity_word(table, fid, lang))}</td><td>{count}</td></tr>"
    yield "</tbody></table></div>"


def _machines(table: FleetTable, lang: str) -> Iterator[str]:
    if not table.machines:
        return
    yield f"<h2>{_e(t('fleet.machines', lang))}</h2><div class=\"controls\">"
    yield f'<input id="filter" type="search" placeholder="{_e(t("fleet.html.filter", lang))}">'
    yield f'<select id="status" aria-label="{_e(t("fleet.col.status", lang))}">'
    yield f'<option value="">{_e(t("fleet.html.all", lang))}</option>'
    yield f'<option value="ok">{_e(t("fleet.status.ok", lang))}</option>'
    yield f'<option value="problem">{_e(t("fleet.status.problem", lang))}</option></select></div>'
    yield f"<p class=\"stack\">{_e(t('fleet.html.sort', lang))}</p>"
    yield '<div class="wrap"><table id="machines"><thead><tr>'
    yield f"<th>{_e(t('fleet.col.name', lang))}</th><th>{_e(t('fleet.col.status', lang))}</th>"
    for key in STACK_KEYS:
        yield f'<th class="col-{key}">{_e(t(f"fleet.stack.{key}", lang))}</th>'
    yield f"<th>{_e(t('fleet.col.findings', lang))}</th></tr></thead><tbody>"
    for m in table.machines:
        status = "ok" if m.ok else "problem"
        values = [stack_value(v, lang) for v in m.stack]
        found = ", ".join(m.findings) or t("fleet.no_findings", lang)
        text = " ".join([m.name, status_word(m.ok, lang), *values, found]).lower()
        cells = [f'<td data-v="{_e(m.name)}">{_e(m.name)}</td>']
        cells.append(f'<td data-v="{status}" class="{"ok" if m.ok else "bad"}">{_e(status_word(m.ok, lang))}</td>')
        cells += [
            f'<td class="col-{key}" data-v="{_e(v)}">{_e(v)}</td>' for key, v in zip(STACK_KEYS, values)
        ]
        cells.append(f'<td data-v="{_e(found)}">{_e(found)}</td>')
        yield f'<tr data-status="{status}" data-text="{_e(text)}">{"".join(cells)}</tr>'
    yield "</tbody></table></div>"


def _unreadable(table: FleetTable, lang: str) -> Iterator[str]:
    if not table.unreadable:
        return
    yield f"<h2>{_e(t('fleet.unreadable', lang))}</h2><div class=\"wrap\"><table id=\"unreadable\"><thead><tr>"
    yield f"<th>{_e(t('fleet.col.name', lang))}</th><th>{_e(t('fleet.col.why', lang))}</th></tr></thead><tbody>"
    for u in table.unreadable:
        yield f"<tr><td>{_e(u.name)}</td><td>{_e(u.why)}</td></tr>"
    yield "</tbody></table></div>"
