"""Score `d2l-doctor check --from-report` on the corpus of real pastes in tests/corpus/ (issue 12).

For every case of tests/corpus/cases.yaml: did the findings include the ids its confirmed root cause expects
(recall), did a healthy report get an error-level finding (false alarm), was the paste read at all (exit 2 =
could not read). Prints one table per class and one per language, totals last.

    python bench/score_corpus.py            # in-process: ingest.read_report + rules.evaluate
    python bench/score_corpus.py --cli      # the command itself, `check --from-report FILE --json`, per case
    python bench/score_corpus.py --json     # machine output
    python bench/score_corpus.py --misses   # also list every case that missed or alarmed
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.corpus.scoring import describe_miss, format_table, load_cases, run_case, table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cli", action="store_true", help="run the d2l-doctor command per case (slower)")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--misses", action="store_true", help="list the cases that missed or alarmed")
    args = ap.parse_args(argv)

    outcomes = [run_case(c, via_cli=args.cli) for c in load_cases()]
    by_class, by_lang = table(outcomes, "class"), table(outcomes, "lang")
    bad = [o for o in outcomes if o.missed or o.false_alarms]
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
                }
                for o in outcomes
            ],
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
        return 0
    print(format_table(by_class, "class"))
    print()
    print(format_table(by_lang, "lang"))
    if args.misses and bad:
        print()
        for o in bad:
            print("- " + describe_miss(o))
    return 0


if __name__ == "__main__":
    sys.exit(main())
