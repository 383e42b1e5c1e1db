"""Growth ratios on adversarial input: how the cost of extract() and build()
grows when the text grows four times.

    python bench/growth.py [--rounds 3] [--build]

For each input of issue #4 (and a few more), the text is made at its full
size and at a quarter of it; the table gives the best-of-N time of each and
their ratio.  Linear cost gives about 4, quadratic about 16.  Nothing here
asserts a time: ``tests/test_robustness.py`` checks the ratios.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import timeline  # noqa: E402


def _random_unicode(n: int) -> str:
    rng = random.Random(7)
    pools = [
        (0x20, 0x7E),
        (0x00, 0x1F),
        (0x0400, 0x04FF),
        (0x4E00, 0x4FFF),
        (0x0600, 0x06FF),
        (0x1F300, 0x1F5FF),
        (0xD7FF, 0xD7FF),
    ]
    out = []
    for _ in range(n):
        lo, hi = rng.choice(pools)
        out.append(chr(rng.randint(lo, hi)))
    return "".join(out)


# name -> (maker of a text of about n characters, full size in characters)
INPUTS: dict[str, tuple[Callable[[int], str], int]] = {
    '"Friday " x 30,000': (lambda n: "Friday " * (n // 7), 210_000),
    "200,000 digits": (lambda n: "7" * n, 200_000),
    '"1/" x 60,000': (lambda n: "1/" * (n // 2), 120_000),
    '"last " x 40,000': (lambda n: "last " * (n // 5), 200_000),
    "one 300,000-character word": (lambda n: "a" * n, 300_000),
    "random Unicode, NUL bytes, mixed scripts": (_random_unicode, 200_000),
    "dates in every form, repeated": (
        lambda n: ("on Jan. 5, 2025 and 01/05/2025, 1915-17, last week " * (n // 52 + 1))[:n],
        200_000,
    ),
    '"met Friday " (a date and a verb in every other word)': (
        lambda n: "met Friday " * (n // 11),
        220_000,
    ),
}


def best(fn: Callable[[str], object], text: str, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn(text)
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--build", action="store_true", help="also time build() (events)")
    args = ap.parse_args(argv)
    timeline.extract("warm up on Friday", "2025-01-22")
    timeline.build("warm up on Friday", "2025-01-22")
    calls: list[tuple[str, Callable[[str], object]]] = [
        ("extract", lambda t: timeline.extract(t, "2025-01-22"))
    ]
    if args.build:
        calls.append(("build", lambda t: timeline.build(t, "2025-01-22")))
    print("| input | call | 1/4 size | full size | ratio |")
    print("|---|---|---|---|---|")
    for name, (make, size) in INPUTS.items():
        small, large = make(size // 4), make(size)
        for call, fn in calls:
            ts = best(fn, small, args.rounds)
            tl = best(fn, large, args.rounds)
            print(
                f"| {name} ({len(large):,} chars) | {call} | {ts * 1e3:.1f} ms | "
                f"{tl * 1e3:.1f} ms | {tl / max(ts, 1e-9):.2f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
