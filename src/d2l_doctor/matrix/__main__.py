"""Maintainers' tools for compat_matrix.yaml: `python -m d2l_doctor.matrix refresh [--index URL] [--matrix PATH]`.

refresh prints, as a diff, where the packages' own metadata on a package index disagrees with the matrix, and
releases the index has and the matrix lacks. It exits 1 when the index contradicts a fact of the matrix (0: no
contradiction, new releases are listed only; 2: bad usage or an unreadable index or matrix, one line on stderr).
It never edits the matrix: a maintainer reads the diff, checks the sources, and edits the rows by hand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

PYPI = "https://pypi.org/simple"


def main(argv: Optional[list[str]] = None) -> int:
    from d2l_doctor.errors import UsageError
    from d2l_doctor.i18n import detect_lang

    parser = argparse.ArgumentParser(prog="python -m d2l_doctor.matrix")
    sub = parser.add_subparsers(dest="command", required=True)
    refresh = sub.add_parser("refresh", help="diff the matrix against what the packages declare on an index")
    refresh.add_argument("--index", default=PYPI, help=f"a PEP 503/691 simple index (default {PYPI})")
    refresh.add_argument(
        "--matrix", type=Path, default=None, help="the matrix to check (default: the bundled one)"
    )
    refresh.add_argument("--timeout", type=float, default=30.0, help="seconds per request (default 30)")
    refresh.add_argument("--lang", choices=("en", "zh"), default=None)
    args = parser.parse_args(argv)
    lang = args.lang or detect_lang()
    try:
        from d2l_doctor.matrix import load_matrix
        from d2l_doctor.matrix.refresh import compare, derive, render

        matrix = load_matrix(args.matrix)
        diffs = compare(matrix, derive(matrix, args.index, args.timeout))
    except UsageError as exc:
        print(f"python -m d2l_doctor.matrix: error: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(render(diffs, matrix, args.index, lang))
    return 1 if any(d.contradicts for d in diffs) else 0


if __name__ == "__main__":
    sys.exit(main())
