"""Score `d2l-doctor check --from-report` on the corpus of real pastes in tests/corpus/ (issue 12).

For every case of tests/corpus/cases.yaml: did the findings include the ids its confirmed root cause expects
(recall), did a healthy report get an error-level finding (false alarm), was the paste read at all (exit 2 =
could not read). Prints one table per class and one per language, totals last.

    python bench/score_corpus.py            # in-process: ingest.read_report + rules.evaluate
    python bench/score_corpus.py --cli      # the command itself, `check --from-report FILE --json`, per case
    python bench/score_corpus.py --json     # machine output
    python bench/score_corpus.py --misses   # also list every case that missed or alarmed
    python bench/score_corpus.py --write bench/RESULTS.md   # also replace the corpus section there
    python bench/score_corpus.py --corpus DIR   # another corpus of the same shape (DIR/cases.yaml, DIR/pastes/),
                                                # e.g. pastes held out of the repository
"""

from __future__ import annotations

import argparse
import datetime
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus.scoring import CASES_FILE, describe_miss, format_table, load_cases, run_case, table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", action="store_true", help="run the d2l-doctor command per case (slower)")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--misses", action="store_true", help="list the cases that missed or alarmed")
    ap.add_argument(
        "--write", type=Path, help="replace the corpus section of this Markdown file (RESULTS.md)"
    )
    ap.add_argument("--corpus", type=Path, help="score another corpus folder (cases.yaml + pastes/) instead")
    args = ap.parse_args(argv)

    cases_file = args.corpus / "cases.yaml" if args.corpus else CASES_FILE
    outcomes = [run_case(c, via_cli=args.cli) for c in load_cases(cases_file)]
    by_class, by_lang = table(outcomes, "class"), table(outcomes, "lang")
    bad = [o for o in outcomes if o.missed or o.false_alarms or o.other_errors]
    if args.json:
        doc = {
            "by_class": [r.as_dict() for r in by_class],
            "by_lang": [r.as_dict() for r in by_lang],
            "cases": [
                {
                    "file": o.case.file,
                    "read": o.read,
                    "findings": o.ids,
                    "missed": o.missed,
                    "false_alarms": o.false_alarms,
                    "other_errors": o.other_errors,
                }
                for o in outcomes
            ],
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    tables = format_table(by_class, "class") + "\n\n" + format_table(by_lang, "lang")
    print(tables)
    if args.write:
        write_section(args.write, tables, len(outcomes))
    if args.misses and bad:
        print()
        for o in bad:
            print("- " + describe_miss(o))
    return 0


BEGIN, END = "<!-- corpus:begin -->", "<!-- corpus:end -->"


def write_section(path: Path, tables: str, cases: int) -> None:
    """Replace (or append) the corpus section between its markers, leaving the rest of the file alone."""
    root = Path(__file__).resolve().parent.parent
    head = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        "# Real pastes: `check --from-report` on tests/corpus (issue 12)\n\n"
        f"{cases} pastes from public threads, each with its confirmed cause; measured {when} on commit "
        f"`{head.stdout.strip() or '?'}` with `python bench/score_corpus.py`. Recall = expected finding ids found; "
        "a false alarm is an error-level finding on a healthy report; other errors = problem cases that also got an "
        "error-level finding no expected id names (information, not the bar); could not read = exit 2.\n\n"
        f"{tables}\n"
    )
    block = f"{BEGIN}\n{text}{END}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        before, rest = old.split(BEGIN, 1)
        after = rest.split(END, 1)[1].lstrip("\n")
        path.write_text(before + block + ("\n" + after if after else ""), encoding="utf-8")
    else:
        path.write_text(old.rstrip("\n") + ("\n\n" if old else "") + block, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
