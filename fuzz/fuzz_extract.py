"""Atheris fuzz target for ``timeline.extract`` and ``timeline.build``.

Each input is turned into a text and a publish date; the target checks that
neither call raises, that every mention's ``text`` is exactly the slice
``text[start:end]`` of the input, and that mentions come sorted and
non-overlapping.

Input layout: the fuzzer's integer reads (publish date, spliced phrases, text
mode) come off the *end* of the input and the text is the rest, so a plain
UTF-8 sentence works as a seed (its last few bytes are spent as parameters).

Run (see fuzz/README.md)::

    python fuzz/fuzz_extract.py -max_total_time=600 fuzz/corpus
    python fuzz/fuzz_extract.py --show CRASH_FILE   # print the decoded input
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import atheris  # type: ignore[import-untyped,unused-ignore]

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# The "RegEx" hook is left off: its pattern proxy rejects ``pattern.match(text, pos)``,
# which tomllib and the scanner both use.
atheris.enabled_hooks.add("str")

with atheris.instrument_imports(include=["timeline"]):
    import timeline

# Load the lazily built grammar once, outside the fuzzing loop.
timeline.extract("on Friday", published="2025-01-22")

# Phrases spliced into the text so that the fuzzer reaches the resolver
# early instead of having to discover date words by itself.
PHRASES: list[str] = [
    "last Friday",
    "Jan. 5, 2025",
    "two weeks ago",
    "1/5/2025",
    "next month",
    "on Tuesday",
    "this week",
    "yesterday",
    "in 1997",
    "the third quarter",
    "early March",
    "three months",
    "every Monday",
    "late 2024",
    "at 3 p.m.",
    "the 1990s",
    "2025-01-22",
    "mid-April",
    "Dec. 31",
    "a year earlier",
]

FIXED_PUBLISHED = dt.date(2025, 1, 22)
EPOCH = dt.date(1900, 1, 1)
MAX_DAYS = (dt.date(2100, 12, 31) - EPOCH).days


def decode(data: bytes) -> tuple[str, dt.date | dt.datetime | str]:
    """Turn fuzzer bytes into ``(text, published)``; deterministic for a given input."""
    fdp = atheris.FuzzedDataProvider(data)

    # Publish date: fixed, or derived from the data, passed as date, datetime or ISO string.
    form = fdp.ConsumeIntInRange(0, 3)
    day = EPOCH + dt.timedelta(days=fdp.ConsumeIntInRange(0, MAX_DAYS))
    published: dt.date | dt.datetime | str
    if form == 0:
        published = FIXED_PUBLISHED
    elif form == 1:
        published = day
    elif form == 2:
        published = dt.datetime.combine(day, dt.time(fdp.ConsumeIntInRange(0, 23)))
    else:
        published = day.isoformat()

    n_splices = fdp.ConsumeIntInRange(0, 3)
    splices = [
        (fdp.PickValueInList(PHRASES), fdp.ConsumeIntInRange(0, 0xFFFF)) for _ in range(n_splices)
    ]
    mode = fdp.ConsumeIntInRange(0, 3)
    if mode == 3:
        text = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
    else:
        text = fdp.ConsumeBytes(fdp.remaining_bytes()).decode("utf-8", "replace")

    for phrase, where in splices:
        pos = where % (len(text) + 1)
        text = f"{text[:pos]} {phrase} {text[pos:]}"
    return text, published


def check_mentions(text: str, mentions: Sequence[timeline.Mention], what: str) -> None:
    prev_end = 0
    prev_start = -1
    for i, m in enumerate(mentions):
        where = f"{what}[{i}] {m.start}:{m.end} {m.text!r}"
        assert isinstance(m.start, int) and isinstance(m.end, int), f"{where}: bad offsets"
        assert 0 <= m.start < m.end <= len(text), f"{where}: offsets out of range/empty"
        got = text[m.start : m.end]
        assert got == m.text, f"{where}: text[start:end] is {got!r}"
        assert m.start >= prev_start, f"{where}: not sorted by start"
        assert m.start >= prev_end, f"{where}: overlaps the previous mention (ends {prev_end})"
        prev_start, prev_end = m.start, m.end


def TestOneInput(data: bytes) -> None:  # noqa: N802 - atheris naming
    text, published = decode(data)
    mentions = timeline.extract(text, published=published)
    check_mentions(text, mentions, "extract")
    for m in mentions:
        assert isinstance(m.type, str) and isinstance(m.value, str), f"{m!r}: type/value"
    events = [e.mention for e in timeline.build(text, published=published)]
    for i, m in enumerate(events):
        got = text[m.start : m.end]
        assert got == m.text, f"build event[{i}] {m.start}:{m.end}: slice is {got!r}"


def main(argv: list[str]) -> None:
    if len(argv) == 3 and argv[1] == "--show":
        text, published = decode(Path(argv[2]).read_bytes())
        print(f"published={published!r}\ntext={text!r}")
        return
    atheris.Setup(argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
