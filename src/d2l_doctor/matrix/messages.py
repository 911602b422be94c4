"""The `messages` table of compat_matrix.yaml: what torch, torchvision, torchaudio, pip, conda, Jupyter, NumPy and
the NVIDIA tools print, and what each text proves. One table, read by the report reader (any paste), the live
import classifier (rules) and smoke-gpu's failure classifier.

A row: `pattern` (a regular expression, case-insensitive, searched in text whose runs of white space are one
space), the `finding` it proves (or none: smoke-gpu causes such as out-of-memory), `smoke` (the smoke-gpu cause
kind, when smoke-gpu words it), `decides` (true: the text alone settles the finding, whatever else is known),
`module` (the import that fails with it), `proves` (in words) and its `source`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from d2l_doctor.matrix.nodes import Node
from d2l_doctor.matrix.parse import opt_str, rows, table

TOOLS = ("torch", "torchvision", "torchaudio", "numpy", "pip", "conda", "jupyter", "nvidia", "cuda", "python")
ROW_KEYS = {"id", "pattern", "finding", "smoke", "decides", "module", "tool", "proves", "source", "severity"}


@dataclass(frozen=True)
class MessagePattern:
    id: str
    regex: re.Pattern[str]
    tool: str
    proves: str
    source: str
    finding: Optional[str] = None
    smoke: Optional[str] = None  # smoke-gpu's cause kind
    decides: bool = True  # the words alone settle the finding
    module: Optional[str] = None  # the import these words say failed
    severity: str = "error"  # of the finding the words prove alone: error | warning


@dataclass(frozen=True)
class MessageHit:
    pattern: MessagePattern
    text: str  # the matched words (white space folded)
    start: int  # where in the folded text


@dataclass(frozen=True)
class MessageTable:
    patterns: tuple[MessagePattern, ...] = ()
    cuda_available_rules_out: tuple[
        str, ...
    ] = ()  # findings that `torch.cuda.is_available() == True` rules out
    source: str = ""

    def search(self, text: str) -> list[MessageHit]:
        """Every row whose words are in `text` (first occurrence each), in table order."""
        folded = fold(text)
        hits = []
        for p in self.patterns:
            match = p.regex.search(folded)
            if match:
                hits.append(MessageHit(p, match.group(0), match.start()))
        return hits

    def first(self, text: str, finding: Optional[str] = None, smoke: bool = False) -> Optional[MessageHit]:
        """The first row (table order: specific words first) that matches, limited to one finding or to rows
        with a smoke cause."""
        for hit in self.search(text):
            if finding is not None and hit.pattern.finding != finding:
                continue
            if smoke and hit.pattern.smoke is None:
                continue
            return hit
        return None

    def proves(self, text: Optional[str], finding: str) -> Optional[str]:
        """The words in `text` that prove `finding`, else None."""
        hit = self.first(text or "", finding=finding)
        return hit.text if hit else None


def fold(text: str) -> str:
    """White space runs (a warning wrapped over lines, a console's padding) become one space."""
    return " ".join(text.split())


def parse(node: Node) -> MessageTable:
    src = table(node, {"rows", "cuda_available_rules_out"})
    out = []
    seen: set[str] = set()
    for row in rows(node, "rows", ROW_KEYS):
        rid = row.req("id").text()
        if rid in seen:
            row.req("id").fail(f"duplicate message id {rid!r}")
        seen.add(rid)
        pattern = row.req("pattern").text()
        try:
            regex = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            row.req("pattern").fail(f"not a regular expression: {exc}")
        tool = row.req("tool").text()
        if tool not in TOOLS:
            row.req("tool").fail(f"tool must be one of {', '.join(TOOLS)}")
        decides = row.opt("decides")
        severity = opt_str(row, "severity") or "error"
        if severity not in ("error", "warning"):
            row.req("severity").fail("severity must be error or warning")
        out.append(
            MessagePattern(
                id=rid,
                regex=regex,
                tool=tool,
                proves=row.req("proves").text(),
                source=row.req("source").text(),
                finding=opt_str(row, "finding"),
                smoke=opt_str(row, "smoke"),
                decides=decides.boolean() if decides else True,
                module=opt_str(row, "module"),
                severity=severity,
            )
        )
    rules_out = node.req("cuda_available_rules_out").str_list()
    return MessageTable(tuple(out), rules_out, src)
