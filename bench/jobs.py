"""Does ``timeline dump --jobs N`` help?  Time one corpus with 1 and N workers.

The TE3-silver documents of ``../shared/corpora`` (their text and creation
date) are written to one JSON Lines file, and ``timeline dump FILE --format
jsonl`` runs on it once per worker count, each in a fresh process, after one
untimed warm-up run.  Wall time is what ``--jobs`` should cut; the CPU time
(user + system of the run and its workers, from ``os.wait4``) shows what the
workers cost.  The outputs of every run must be byte-identical.

    python bench/jobs.py [--jobs 1 2] [--rounds 2] [--repo DIR] [--corpora DIR]

On a machine that other work keeps busy the wall times are noisy: take the
best of several rounds (``--rounds``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = REPO_ROOT.parent / "shared" / "corpora"


def feed(corpora: Path, out: Path) -> int:
    """Write the TE3-silver documents as JSON Lines; returns how many."""
    sys.path.insert(0, str(REPO_ROOT))
    from timeline.io import timeml

    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for path in timeml.find_documents(corpora / "te3-silver"):
            doc = timeml.read_document(path)
            dct = timeml.dct_argument(doc.dct)
            if dct is None:
                continue
            record = {"id": path.name, "text": doc.text, "published": dct[:10]}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def run(repo: Path, source: Path, jobs: int, out: Path) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, output digest) of one dump."""
    cmd = [sys.executable, "-m", "timeline", "dump", str(source), "--format", "jsonl"]
    cmd += ["--jobs", str(jobs), "-o", str(out)]
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=repo, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"dump --jobs {jobs} failed")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()[:16]
    return wall, usage.ru_utime + usage.ru_stime, digest


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--repo", type=Path, default=REPO_ROOT, help="checkout whose timeline runs")
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "te3-silver.jsonl"
        n = feed(args.corpora, source)
        out = Path(tmp) / "out.jsonl"
        run(args.repo, source, 1, out)  # warm-up: file caches, compiled bytecode
        best: dict[int, tuple[float, float]] = {}
        digests: set[str] = set()
        for _ in range(args.rounds):
            for jobs in args.jobs:
                wall, cpu, digest = run(args.repo, source, jobs, out)
                digests.add(digest)
                if jobs not in best or wall < best[jobs][0]:
                    best[jobs] = (wall, cpu)
        print(f"te3-silver: {n} documents, best of {args.rounds} rounds")
        print(f"{'jobs':>5}  {'wall s':>8}  {'CPU s':>8}  {'speed-up':>8}")
        base = best[args.jobs[0]][0]
        for jobs in args.jobs:
            wall, cpu = best[jobs]
            print(f"{jobs:>5}  {wall:>8.1f}  {cpu:>8.1f}  {base / wall:>7.2f}x")
        print("outputs identical" if len(digests) == 1 else f"OUTPUTS DIFFER: {sorted(digests)}")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
