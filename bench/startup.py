"""Start-up cost: `import timeline`, the first `extract()` and the first `build()`
in fresh processes (the medians of several runs), against a bare interpreter.

Every worker process of a pipeline and every one-file CLI run pays these.

Usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

CHILD = r"""
import time, json
t0 = time.perf_counter()
import timeline
t1 = time.perf_counter()
timeline.extract("Talks were held on Friday. They will resume next month.", "2025-01-22")
t2 = time.perf_counter()
timeline.build("Talks were held on Friday. They will resume next month.", "2025-01-22")
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "first_extract": t2 - t1, "first_build": t3 - t2}))
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)
    # an installed wheel has its .pyc files: let the children write theirs,
    # even where the environment turns bytecode writing off
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-c", "import timeline"], check=True, env=env)  # warm pycs
    runs = [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", CHILD], capture_output=True, text=True, check=True, env=env
            ).stdout
        )
        for _ in range(args.runs)
    ]
    print(f"fresh processes, median of {args.runs}:")
    for key in ("import", "first_extract", "first_build"):
        values = sorted(r[key] for r in runs)
        print(
            f"  {key:14} {1000 * statistics.median(values):7.1f} ms  (min {1000 * values[0]:.1f})"
        )
    first = statistics.median(r["first_extract"] for r in runs)
    print(f"first extract() under 300 ms: {'PASS' if first < 0.3 else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
