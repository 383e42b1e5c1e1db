"""Write bench/splits.toml: the fixed test split of every visible corpus.

A document is in the test split when the first byte of the SHA-256 of its
file name (the base name, so the two MEANTIME annotation layers of one
article fall on the same side) is below 64: about a quarter of each corpus.
The choice depends on nothing but the name, so re-running the script on the
same corpora writes the same file. The list is committed; a document that is
not listed is in the dev split. te3-silver is all dev (its gold is
automatic).

Usage: python bench/make_splits.py [CORPORA_DIR] [-o bench/splits.toml]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from timeline.io.timeml import find_documents  # noqa: E402

# corpus keys are paths relative to the corpora directory, as `timeline eval` is given them
CORPORA = [
    "tbaq-cleaned",
    "wikiwars/timeml-syntime",
    "tweets-syntime-train",
    "meantime-english-apple",
]
THRESHOLD = 64  # of 256: a quarter


def in_test(file_name: str) -> bool:
    """True when ``file_name`` (a base name) belongs to the test split."""
    return hashlib.sha256(file_name.encode("utf-8")).digest()[0] < THRESHOLD


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpora", nargs="?", default=str(HERE.parents[1] / "shared" / "corpora"))
    ap.add_argument("-o", "--output", default=str(HERE / "splits.toml"))
    args = ap.parse_args(argv)
    root = Path(args.corpora)
    lines = [
        "# The fixed test split of each visible corpus, written by bench/make_splits.py:",
        "# a document is in `test` when the first byte of sha256(file base name) < 64.",
        "# Paths are relative to the corpus directory; unlisted documents (and corpora) are dev.",
        "# Score the test split only in aggregate; never read its errors.",
        "",
    ]
    for key in CORPORA:
        corpus = root / key
        if not corpus.is_dir():
            print(f"missing: {corpus}", file=sys.stderr)
            return 1
        files = find_documents(corpus)
        test = [p.relative_to(corpus).as_posix() for p in files if in_test(p.name)]
        names = {p.name for p in files}
        test_names = {Path(t).name for t in test}
        print(f"{key}: {len(test_names)} of {len(names)} documents in test", file=sys.stderr)
        lines.append(f'["{key}"]')
        lines.append(f"documents = {len(names)}")
        lines.append("test = [")
        lines.extend(f'  "{t}",' for t in test)
        lines.append("]")
        lines.append("")
    Path(args.output).write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
