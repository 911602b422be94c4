"""Every `--json` document of every command: `{schema_version, tool_version, ...body, exit_code}`, written as
UTF-8 whatever the console's code page. One builder, so that one SCHEMA_VERSION stands for all of them."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from typing import Any, BinaryIO, Optional, TextIO

from d2l_doctor.models import SCHEMA_VERSION
from d2l_doctor.version import __version__


def envelope(body: Mapping[str, Any], exit_code: Optional[int] = None) -> dict[str, Any]:
    """The document: the version keys first, the body's keys in their order, the exit code last (omitted
    when None: a listing that judges nothing)."""
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "tool_version": __version__, **body}
    if exit_code is not None:
        doc["exit_code"] = exit_code
    return doc


def dumps(doc: Mapping[str, Any]) -> str:
    from d2l_doctor.textsafe import json_visible

    # The exact strings, escaped where a raw character could steer the terminal the document is shown on.
    return json_visible(json.dumps(doc, ensure_ascii=False, indent=2, default=str)) + "\n"


def write_json(doc: Mapping[str, Any], stream: Optional[TextIO] = None) -> None:
    """A document as UTF-8 bytes: a JSON document is read by programs, not by eyes. Default stream: stdout."""
    out = sys.stdout if stream is None else stream
    text = dumps(doc)
    binary: BinaryIO | None = getattr(out, "buffer", None)
    if binary is None:
        out.write(text)
        return
    out.flush()
    binary.write(text.encode("utf-8"))
    binary.flush()
