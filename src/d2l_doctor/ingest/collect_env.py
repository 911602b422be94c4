"""Split the text of a collect_env report into fields, whatever wrapped it.

A field is a known heading (headings.py) with the value after its colon and the lines below it up to the next
heading (the GPU list, the cuDNN candidates, lscpu's output). `[pip]`/`[pip3]`/`[conda]` lines are kept apart
wherever they appear. Lines are cleaned first: Markdown fences and quote marks (`> `), inline backticks and
indentation go; everything that is not a heading or a package line is chatter or block content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from d2l_doctor.ingest.headings import BANNER_FIELDS, CORE_FIELDS, HEADINGS, START_MARKERS
from d2l_doctor.models import Evidence, Source


@dataclass(frozen=True)
class Field:
    name: str  # the field key in headings.HEADINGS
    value: str  # the text after the colon, stripped ("" when the value starts on the next line)
    lines: tuple[str, ...] = ()  # the non-empty lines below it, up to the next heading
    line_no: int = 0
    raw: str = ""  # the heading's line as cleaned (quoted as evidence)


@dataclass(frozen=True)
class PackageLine:
    tool: str  # pip | conda
    text: str  # what follows the tag: "torch==2.0.1", "pytorch 1.13.1 py3.9_cuda11.7_cudnn8_0 pytorch"
    line_no: int = 0


@dataclass(frozen=True)
class RawReport:
    fields: dict[str, Field] = field(default_factory=dict)  # first occurrence of each field
    packages: tuple[PackageLine, ...] = ()
    started: bool = False  # "Collecting environment information..." was seen
    cut_field: Optional[str] = None  # the report ends on this heading: its value may be cut short
    ends_with_package: bool = False  # the last meaningful line is a package line (it may be cut short)
    text: str = ""  # the whole cleaned text, for warnings that span lines

    def value(self, name: str) -> Optional[str]:
        found = self.fields.get(name)
        if found is None or name == self.cut_field:
            return None
        return found.value

    def evidence(self, name: str, value: Optional[str] = None) -> Optional[Evidence]:
        """The report line that states field `name`, as evidence for a fact read from it."""
        found = self.fields.get(name)
        if found is None:
            return None
        return Evidence(Source.REPORT, found.raw, found.line_no, value)

    def block(self, name: str) -> tuple[str, ...]:
        found = self.fields.get(name)
        return () if found is None else found.lines

    def looks_like_report(self) -> bool:
        """Enough headings that only collect_env prints (a post that names one heading is no report)."""
        core = CORE_FIELDS.intersection(self.fields)
        if self.started:
            return bool(self.fields)
        return bool(core) and (len(self.fields) >= 2 or bool(self.packages))


# Longest spelling first, so "Python platform" is not read as a shorter heading.
_VARIANTS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        ((variant.lower(), name) for name, variants in HEADINGS.items() for variant in variants),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )
)
_PACKAGE = re.compile(r"^\[(pip3?|conda)\]\s*(.*)$", re.IGNORECASE)
_PARTIAL_TAG = re.compile(
    r"^\[(?:p(?:ip?)?|pip3|c(?:o(?:n(?:da?)?)?)?)\]?$", re.IGNORECASE
)  # "[cond": a cut paste
_FENCE = re.compile(r"^(```|~~~)")
_QUOTE = re.compile(r"^(?:>\s?)+")


def clean_line(line: str) -> str:
    line = _QUOTE.sub("", line.strip()).strip()
    return line.strip("`").strip()


def match_heading(line: str) -> Optional[tuple[str, str]]:
    """(field, value) when the cleaned line starts with a known heading, else None.

    "Heading: value" and vLLM's "Heading    : value" match; so does a colon-less "PyTorch version 1.5.0"
    (seen in hand-copied reports) when the heading has several words and a digit follows, so that chatter
    such as "OS is Windows" is not taken for a field.
    """
    lower = line.lower()
    for variant, name in _VARIANTS:
        if not lower.startswith(variant):
            continue
        rest = line[len(variant) :]
        stripped = rest.lstrip()
        if stripped.startswith(":"):
            return name, stripped[1:].strip()
        if " " in variant and rest[:1].isspace() and stripped[:1].isdigit():
            return name, stripped.strip()
        if not stripped and name in BANNER_FIELDS:
            return name, ""  # vLLM's "CPU Info" / "Versions of relevant libraries" banner titles
    return None


def segment(text: str) -> RawReport:
    fields: dict[str, Field] = {}
    packages: list[PackageLine] = []
    started = False
    current: Optional[str] = None  # the field whose block is being read
    blocks: dict[str, list[str]] = {}
    cleaned: list[str] = []
    last_kind = ""  # heading | package | other: what the last non-empty line was
    last_heading: Optional[str] = None
    last_block: Optional[str] = None  # the field the last "other" line was added to
    for number, raw in enumerate(text.split("\n"), start=1):
        if _FENCE.match(raw.strip().lstrip(">").strip()):
            cleaned.append("")  # keeps line numbers: text line n is cleaned[n - 1]
            continue
        line = clean_line(raw)
        cleaned.append(line)
        if not line:
            continue
        if any(marker in line.lower() for marker in START_MARKERS):
            started = True
            continue
        package = _PACKAGE.match(line)
        if package is None and _PARTIAL_TAG.match(line):
            packages.append(PackageLine("conda" if line[1:2].lower() == "c" else "pip", "", number))
            last_kind = "package"
            continue
        if package:
            tool = "conda" if package.group(1).lower() == "conda" else "pip"
            packages.append(PackageLine(tool, package.group(2).strip(), number))
            last_kind = "package"
            continue
        heading = match_heading(line)
        if heading is not None:
            name, value = heading
            last_kind = "heading"
            if name not in fields:
                fields[name] = Field(name, value, (), number, line)
                blocks[name] = []
                current = last_heading = name
            else:
                current = last_heading = None  # a repeated heading (a second paste): the first one stands
            continue
        last_kind, last_block = "other", current
        if current is not None:
            blocks[current].append(line)
    # A report that stops before its package list was cut off, and its last line may be cut short too
    # ("Nvidia driver version: Could not", "GPU 2: Tesla V100S-PC"): that last value cannot be trusted.
    cut_off = "libraries" not in fields and not packages
    if cut_off and last_kind == "other" and last_block is not None and blocks[last_block]:
        blocks[last_block].pop()
    done = {name: Field(f.name, f.value, tuple(blocks[name]), f.line_no, f.raw) for name, f in fields.items()}
    cut = last_heading if cut_off and last_kind == "heading" else None
    return RawReport(done, tuple(packages), started, cut, last_kind == "package", "\n".join(cleaned))
