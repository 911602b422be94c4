"""Is this the payload's answer? A program posing as Python (a script printing `{"python": 1}`) must not pass.

The payload echoes the nonce the doctor passes in and answers in a fixed shape (payload/probe_env.py). Anything
else is not an answer: with --python, the doctor then says it is not a Python it could examine.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

PROTOCOL = 1
_VERSION = re.compile(r"^[0-9]+\.[0-9]+(\.[0-9]+)?[A-Za-z0-9.+]*$")
_MAX_TEXT = 4096  # a path or version longer than this is no interpreter's


def new_nonce() -> str:
    return secrets.token_hex(12)


def _text(value: Any, limit: int = _MAX_TEXT) -> bool:
    return isinstance(value, str) and len(value) <= limit


def python_facts_ok(value: Any) -> bool:
    """The payload's `python` section: executable, version, bits at least, each of the right type."""
    if not isinstance(value, dict):
        return False
    bits = value.get("bits")
    optional_text = ("implementation", "machine", "platform", "prefix", "base_prefix")
    return (
        _text(value.get("executable"))
        and _text(value.get("version"), 64)
        and bool(_VERSION.match(value["version"]))
        and isinstance(bits, int)
        and not isinstance(bits, bool)
        and bits in (32, 64)
        and all(value.get(k) is None or _text(value.get(k)) for k in optional_text)
        and isinstance(value.get("is_venv", False), bool)
    )


def packages_ok(value: Any) -> bool:
    return isinstance(value, dict) and all(_text(k, 200) and _text(v, 200) for k, v in value.items())


def facts_ok(value: Any) -> bool:
    """The streamed `facts` marker: python and packages."""
    return (
        isinstance(value, dict)
        and python_facts_ok(value.get("python"))
        and packages_ok(value.get("packages"))
    )


def answer_ok(value: Any, nonce: str) -> bool:
    """The payload's final JSON object, for this run's nonce."""
    return (
        isinstance(value, dict)
        and value.get("protocol") == PROTOCOL
        and value.get("nonce") == nonce
        and facts_ok(value)
        and isinstance(value.get("phases"), dict)
        and all(isinstance(k, str) and isinstance(v, dict) for k, v in value["phases"].items())
        and isinstance(value.get("errors", []), list)
    )
