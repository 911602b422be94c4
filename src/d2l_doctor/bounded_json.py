"""json.loads for text from outside (a report, a tool's answer), with bounds: a 100,000-deep array, an integer
past 2**63, NaN or 1e999 end in one ValueError (JsonLimit), never a RecursionError, or an infinity or a
5,000-digit integer that a later float() or int() turns into an OverflowError.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

MAX_INT = 2**63 - 1
MAX_DEPTH = 64  # a d2l-doctor report nests 5 deep; kernel.json and conda's answer fewer


class JsonLimit(ValueError):
    """The text is JSON past the bounds (too deep, a number too long or not finite)."""


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonLimit(f"a number out of range ({text[:20]})")
    return value


def _int64(text: str) -> int:
    # No fact in a report is past 2**63; a 5,000-digit integer would overflow the first float() a renderer does.
    value = int(text) if len(text) <= 20 else MAX_INT + 1
    if abs(value) > MAX_INT:
        raise JsonLimit(f"a number out of range ({text[:20]}…)")
    return value


def _no_constant(name: str) -> float:
    raise JsonLimit(f"{name} is not a number JSON allows")


def loads(text: str, max_depth: int = MAX_DEPTH) -> Any:
    """Like json.loads; raises json.JSONDecodeError for bad syntax and JsonLimit past the bounds."""
    try:
        value = json.loads(text, parse_float=_finite, parse_int=_int64, parse_constant=_no_constant)
    except RecursionError:
        raise JsonLimit(f"nested more than {max_depth} levels deep") from None
    except json.JSONDecodeError:
        raise
    except JsonLimit:
        raise
    except ValueError as exc:  # an integer past Python's digit limit
        raise JsonLimit(str(exc).split(";")[0][:120]) from None
    _check_depth(value, max_depth)
    return value


def _check_depth(value: Any, max_depth: int) -> None:
    # Iterative: a recursive walk would meet the very RecursionError this module is here to prevent.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Iterable[Any] = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            raise JsonLimit(f"nested more than {max_depth} levels deep")
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
