"""Peak memory and time of ``timeline dump`` on one long article.

The article is real news text: the TE3-silver documents of
``../shared/corpora`` joined with blank lines, in sorted order, repeated until
the size asked for.  Each run is a fresh child process; its peak resident set
comes from ``os.wait4`` (the kernel's own count for that child alone).

    python bench/memory.py --sizes 1 10 50 [--format jsonl] [--corpora DIR] [--repo DIR]

``--repo`` runs the ``timeline`` package found in another checkout (say, an
older commit unpacked with ``git archive``), for a before-and-after table.
Wall time suffers on a busy machine; the CPU time (user + system, also from
``os.wait4``) much less.  Nothing here asserts a figure; it prints one row per
size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPORA = REPO_ROOT.parent / "shared" / "corpora"
MB = 1_000_000


def article(size: int, corpora: Path) -> bytes:
    """About ``size`` bytes of news text made of TE3-silver documents."""
    sys.path.insert(0, str(REPO_ROOT))
    from timeline.io import timeml

    pieces: list[bytes] = []
    for path in timeml.find_documents(corpora / "te3-silver"):
        text = timeml.read_document(path).text.strip()
        if text:
            pieces.append(text.encode("utf-8"))
    if not pieces:
        raise SystemExit(f"no documents under {corpora / 'te3-silver'}")
    out = bytearray()
    i = 0
    while len(out) < size:
        out += pieces[i % len(pieces)] + b"\n\n"
        i += 1
    return bytes(out[:size]).rsplit(b"\n\n", 1)[0] + b"\n"


def measure(path: str, fmt: str, repo: Path) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS in MB) of one ``timeline dump`` of ``path``."""
    cmd = [
        sys.executable,
        "-m",
        "timeline",
        "dump",
        path,
        "--published",
        "2013-03-01",
        "--format",
        fmt,
        "-o",
        # A file, never os.devnull: before issue #14, -o replaced what it was
        # given with a regular file, /dev/null included when run as root.
        path + ".out",
    ]
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=repo, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if os.path.exists(path + ".out"):
        os.unlink(path + ".out")
    if child.returncode != 0:
        raise SystemExit(f"timeline dump exited {child.returncode} on {path}")
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, cpu, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 50], metavar="MB")
    ap.add_argument("--format", default="jsonl")
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--repo", type=Path, default=REPO_ROOT, help="checkout whose timeline runs")
    args = ap.parse_args()
    print(f"{'size':>8}  {'wall s':>8}  {'CPU s':>8}  {'peak RSS':>9}  {'CPU s/MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            path = os.path.join(tmp, f"article-{mb:g}MB.txt")
            with open(path, "wb") as fh:
                fh.write(article(int(mb * MB), args.corpora))
            seconds, cpu, peak = measure(path, args.format, args.repo)
            print(
                f"{mb:>6g}MB  {seconds:>8.1f}  {cpu:>8.1f}  {peak:>6.0f} MB  {cpu / mb:>8.1f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
