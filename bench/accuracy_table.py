"""Print the accuracy table of docs/accuracy.md: the TempEval-3 scores on every corpus in ../shared.

Usage: python bench/accuracy_table.py [CORPORA_DIR] [--split dev|test] [--domain auto ...]

``--split`` scores only that split of each corpus, as bench/splits.toml fixes
it (te3-silver is all dev); without it every document is scored. Score the
test split only in aggregate: never read its errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from timeline.evaluation.tempeval import run_eval  # noqa: E402

CORPORA: list[tuple[str, str, bool]] = [
    ("tbaq-cleaned", "tbaq-cleaned", False),
    ("wikiwars", "wikiwars/timeml-syntime", False),
    ("tweets-syntime-train", "tweets-syntime-train", False),
    ("meantime-english-apple", "meantime-english-apple", False),
    # MEANTIME annotates only the first sentences of each article; by default
    # the scorer takes that part, this row scores every mention
    ("meantime-english-apple (whole text)", "meantime-english-apple", True),
    ("te3-silver (automatic gold)", "te3-silver", False),
]
DOMAINS = ("auto", "news", "narrative")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="?", default=str(HERE.parents[1] / "shared" / "corpora"))
    ap.add_argument("--split", choices=("dev", "test"), default=None)
    ap.add_argument("--splits", default=None, help="split file (default bench/splits.toml)")
    ap.add_argument("--domain", action="append", choices=DOMAINS, default=None)
    ap.add_argument("--only", action="append", default=None, help="corpus name (repeatable)")
    args = ap.parse_args(argv)
    root = Path(args.corpora)
    if not root.is_dir():
        print(f"skipped: {root} is absent")
        return 0
    domains = args.domain or list(DOMAINS)
    split = args.split or "all"
    print(
        "| corpus | split | domain | docs | gold | system | strict F1 | relaxed F1 | type F1 "
        "| value F1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, sub, whole_text in CORPORA:
        if args.only and name.split(" ")[0] not in args.only:
            continue
        for domain in domains:
            out, code = run_eval(
                root / sub,
                domain=domain,
                fmt="json",
                whole_text=whole_text,
                split=args.split,
                splits=args.splits,
            )
            r = json.loads(out)
            if code == 2 and args.split == "test" and "no test-split" in r.get("error", ""):
                print(f"| {name} | {split} | {domain} | 0 | (all dev) | | | | | |")
                continue
            if code not in (0, 1):
                print(f"| {name} | {split} | {domain} | failed: {r.get('error', '')[:60]} |")
                continue
            print(
                f"| {name} | {split} | {domain} | {r['documents']} | {r['gold']} | {r['system']} | "
                f"{r['strict']['f1']:.3f} | {r['relaxed']['f1']:.3f} | {r['type']['f1']:.3f} | "
                f"{r['value']['f1']:.3f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
