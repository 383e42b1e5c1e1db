"""Print the accuracy table of docs/accuracy.md: `timeline eval` on every corpus in ../shared.

Usage: python bench/accuracy_table.py [CORPORA_DIR]
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CORPORA = [
    ("tbaq-cleaned", "tbaq-cleaned", []),
    ("wikiwars", "wikiwars/timeml-syntime", []),
    ("tweets-syntime-train", "tweets-syntime-train", []),
    ("meantime-english-apple", "meantime-english-apple", []),
    # MEANTIME annotates only the first sentences of each article; by default
    # `timeline eval` scores that part, this row scores every mention
    ("meantime-english-apple (whole text)", "meantime-english-apple", ["--whole-text"]),
    ("te3-silver (automatic gold)", "te3-silver", []),
]


def main() -> int:
    root = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "shared" / "corpora"
    )
    if not root.is_dir():
        print(f"skipped: {root} is absent")
        return 0
    print(
        "| corpus | domain | docs | gold | system | strict F1 | relaxed F1 | type F1 | value F1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, sub, extra in CORPORA:
        for domain in ("auto", "news", "narrative"):
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "timeline",
                    "eval",
                    str(root / sub),
                    "--domain",
                    domain,
                    "--format",
                    "json",
                    *extra,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode not in (0, 1):
                print(f"| {name} | {domain} | failed: {done.stderr.strip()[:60]} |")
                continue
            r = json.loads(done.stdout)
            print(
                f"| {name} | {domain} | {r['documents']} | {r['gold']} | {r['system']} | "
                f"{r['strict']['f1']:.3f} | {r['relaxed']['f1']:.3f} | {r['type']['f1']:.3f} | {r['value']['f1']:.3f} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
