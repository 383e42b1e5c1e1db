"""Instructions per warm `extract()` round, counted by valgrind's callgrind.

Wall-clock time on a shared 2-core machine moves by 10-20% between runs;
an instruction count moves by well under 1%. This script runs `extract()`
over the first N te3-silver documents (default 400) for one round and for
two rounds, each in a fresh process under `valgrind --tool=callgrind`, and
prints the difference: the instructions of one warm round, with start-up,
imports and the grammar's load taken out.

Usage: python bench/instructions.py [--docs N] [--corpus DIR]
Needs valgrind on PATH and the corpus; prints `skipped` and exits 0 without them.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "te3-silver"

CHILD = r"""
import sys
import timeline
from timeline.io.timeml import dct_argument, find_documents, read_document

docs = []
for path in sorted(find_documents(sys.argv[1]))[: int(sys.argv[2])]:
    d = read_document(path)
    docs.append((d.text, dct_argument(d.dct)))
timeline.extract("warm up on Friday", "2020-01-01")
for _ in range(int(sys.argv[3])):
    for text, published in docs:
        timeline.extract(text, published)
"""


def _count(corpus: Path, docs: int, rounds: int, workdir: Path) -> int:
    out = workdir / f"callgrind.{rounds}"
    script = workdir / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    # the same hash seed in both runs: set and dict orders, hence the work, match
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            str(script),
            str(corpus),
            str(docs),
            str(rounds),
        ],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    match = re.search(r"^summary:\s+(\d+)", out.read_text(), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"no summary line in {out}")
    return int(match.group(1))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = ap.parse_args(argv)
    if shutil.which("valgrind") is None or not args.corpus.is_dir():
        print("skipped: needs valgrind on PATH and the corpus at", args.corpus)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        one = _count(args.corpus, args.docs, 1, Path(tmp))
        two = _count(args.corpus, args.docs, 2, Path(tmp))
    print(f"instructions per warm extract() round over {args.docs} documents: {two - one:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
