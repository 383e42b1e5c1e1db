"""Bad input, no clock, and linear time on adversarial input."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import time

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline.find import grammar, scan


@pytest.mark.parametrize(
    "bad",
    [
        "2025-02-30",
        "yesterday",
        "",
        "22/01/2025",
        "2025-13-01",
        20250122,
        None,
        3.5,
        ["2025-01-22"],
    ],
)
def test_bad_published_raises_value_error_naming_it(bad: object) -> None:
    with pytest.raises(ValueError) as exc:
        timeline.extract("on Friday", bad)  # type: ignore[arg-type]
    assert repr(bad) in str(exc.value)


@pytest.mark.parametrize(
    "good",
    [
        "2025-01-22",
        "2025-01-22T04:56:48",
        "2025-01-22T23:30:00+09:00",
        "2025-01-22T04:56:48Z",
        "20250122",
        dt.date(2025, 1, 22),
        dt.datetime(2025, 1, 22, 8, 0),
        dt.datetime(2025, 1, 22, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    ],
)
def test_published_forms(good: timeline.options.Published) -> None:
    (m,) = timeline.extract("Talks were held on Friday.", good)
    assert m.value == "2025-01-17"


def test_text_must_be_str() -> None:
    with pytest.raises(TypeError):
        timeline.extract(b"on Friday", "2025-01-22")  # type: ignore[arg-type]


def test_nothing_reads_the_clock() -> None:
    """Run extract and build with every clock entry point booby-trapped."""
    script = r"""
import datetime, time
def trap(*a, **k):
    raise AssertionError("the clock was read")
class TrapDateTime(datetime.datetime):
    now = classmethod(trap); utcnow = classmethod(trap); today = classmethod(trap)
class TrapDate(datetime.date):
    today = classmethod(trap)
datetime.datetime = TrapDateTime
datetime.date = TrapDate
for name in ("time", "time_ns", "localtime", "gmtime", "ctime", "strftime"):
    setattr(time, name, trap)
import timeline
from timeline.cli import example_text
t = timeline.build(example_text(), "2025-01-22")
assert len(t) > 5
print("ok", len(t))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok")


ADVERSARIAL = {
    "friday": lambda n: "Friday " * (n // 7),
    "digits": lambda n: "7" * n,
    "slashes": lambda n: "1/" * (n // 2),
    "last": lambda n: "last " * (n // 5),
    "word": lambda n: "a" * n,
    "spaces": lambda n: " " * n,
    "nul-mixed": lambda n: ("\x00Friday 2025-01-05 Пятница 金曜日 \u200b" * (n // 34 + 1))[:n],
    "dates": lambda n: ("on Jan. 5, 2025 and 01/05/2025, 1915-17, " * (n // 42 + 1))[:n],
    "hyphens": lambda n: "-" * n,
    "the-the": lambda n: "the " * (n // 4),
    "year-year": lambda n: "2024-" * (n // 5),
    # quoted titles and informal forms, each checked in a bounded window
    "quotes": lambda n: ("\"This Week\" at 1015 this Sat, ``High Noon'' 2weeks " * (n // 50 + 1))[
        :n
    ],
    "open-quote": lambda n: ('"' + "Next Week " * (n // 10 + 1))[:n],
}


def _best_time(text: str, rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        t0 = time.perf_counter()
        timeline.extract(text, "2025-01-22")
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_cost_grows_linearly(kind: str) -> None:
    """4x the text must cost about 4x the time, not 16x.

    A ratio, not a wall-clock bound: it holds on a slow or busy machine. The
    threshold leaves room for noise while still failing any quadratic case
    (which gives about 16)."""
    grammar()
    make = ADVERSARIAL[kind]
    small, large = make(20_000), make(80_000)
    ratios = []
    for _ in range(3):  # a busy machine can spoil one measurement, not three
        ratio = _best_time(large) / max(_best_time(small), 1e-6)
        ratios.append(ratio)
        if ratio < 8.0:
            break
    assert min(ratios) < 8.0, f"{kind}: 4x input took {min(ratios):.1f}x the time"


def test_gated_scanner_matches_ungated_on_phrases() -> None:
    """The gate only skips positions where no rule can start."""
    from tests.strategies import DATE_PHRASES

    g = grammar()
    text = " ".join(DATE_PHRASES * 3) + " " + " ".join(r.example for r in g.rules)
    ungated = [m.span() for m in g.ungated.finditer(text)]
    assert [m.span() for m in g.regex.finditer(text)] == ungated
    assert [m.span() for m in g.matches(text)] == ungated


def test_optional_groups_as_branches_match_the_same() -> None:
    """Each rule, with its optional groups rewritten as alternations, finds
    the same spans and groups as written."""
    from tests.strategies import DATE_PHRASES
    from timeline.find.compiler import _optional_as_branch

    g = grammar()
    text = " ".join(DATE_PHRASES) + " " + " ".join(r.example for r in g.rules)
    for rule in g.rules:
        plain = re.compile(rf"(?<!\w)(?:{rule.pattern})(?!\w)")
        fast = re.compile(rf"(?<!\w)(?:{_optional_as_branch(rule.pattern)})(?!\w)")
        assert fast.groupindex == plain.groupindex, rule.name
        expected = [(m.span(), m.groups()) for m in plain.finditer(text)]
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == expected, rule.name


def test_prefixes_allow_every_match() -> None:
    """Each rule's prefixes allow the text at each of its matches, so that
    the router never leaves out a rule that would match."""
    from tests.strategies import DATE_PHRASES
    from timeline.find.compiler import _KEY
    from timeline.find.prefixes import NON_ASCII, prefixes

    g = grammar()
    text = " ".join(DATE_PHRASES) + " " + " ".join(r.example for r in g.rules)
    # Letters beyond ASCII that match ASCII ones in case-insensitive patterns.
    text += " nineteen ninety-six, mid-March, the first half of 2003, by year's end, 5 p.m."
    text += " " + text.translate(str.maketrans({"k": "\u212a", "s": "\u017f", "i": "\u0131"}))
    for rule in g.rules:
        found = prefixes(rule.pattern, _KEY)
        for m in re.finditer(rf"(?<!\w)(?:{rule.pattern})(?!\w)", text):
            key = text[m.start() : m.start() + _KEY]
            assert any(
                all(
                    c is None or ch in c or (not ch.isascii() and NON_ASCII in c)
                    for ch, c in zip(key, prefix, strict=False)
                )
                for prefix in found
            ), (rule.name, key)


def test_gated_scanner_matches_ungated_on_corpus(corpora: object) -> None:
    from pathlib import Path

    from timeline.io.timeml import find_documents, read_document

    g = grammar()
    master, ungated = g.regex, g.ungated
    root = Path(str(corpora))
    paths = (
        find_documents(root / "tbaq-cleaned")[:120]
        + find_documents(root / "wikiwars" / "timeml-syntime")[:6]
    )
    for p in paths:
        text = read_document(p).text
        expected = [m.span() for m in ungated.finditer(text)]
        assert [m.span() for m in g.matches(text)] == expected, p
        assert [m.span() for m in master.finditer(text)] == expected, p


def test_scan_never_overlaps() -> None:
    text = "last Friday night 3 p.m. Friday Jan. 5, 2025 the 1990s 1915-17 next week " * 50
    end = -1
    for c in scan(text):
        assert c.start >= end
        end = c.end


def test_narrative_only_rules_stay_linear() -> None:
    """Domain-only candidates are merged with a binary search, not a scan."""
    options = timeline.Options(domain="narrative")

    def best(text: str) -> float:
        return min(
            _timed(lambda: timeline.extract(text, "2009-12-19", options=options)) for _ in range(3)
        )

    def make(n: int) -> str:
        return "In 1916 the winter came. " + "winter former " * (n // 14)

    ratios = []
    for _ in range(3):
        ratio = best(make(80_000)) / max(best(make(20_000)), 1e-6)
        ratios.append(ratio)
        if ratio < 8.0:
            break
    assert min(ratios) < 8.0


def _timed(fn: object) -> float:
    t0 = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t0


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "Talks were held on Friday. " * (n // 27),
        lambda n: "a" * n + ". " + "The deal closed on Friday. " * 200,
        lambda n: ("Mr. U.S. Jan. " * (n // 14)) + " Friday.",
        # a date and an event word in every other word, with no sentence end:
        # every date sees a full window of candidates, and all dates share one
        # value and one trigger lemma (a quadratic grouping would show here)
        lambda n: "met Friday " * (n // 44),
        lambda n: "Friday " * (n // 28),
    ],
    ids=[
        "many-events",
        "long-word-then-events",
        "abbreviations",
        "dense-dates-and-verbs",
        "dates-only",
    ],
)
def test_build_cost_grows_linearly(make: object) -> None:
    """Event attachment reads a bounded window around each date."""

    def best(text: str) -> float:
        return min(_timed(lambda: timeline.build(text, "2025-01-22")) for _ in range(3))

    small, large = make(20_000), make(80_000)  # type: ignore[operator]
    ratios = []
    for _ in range(3):
        ratio = best(large) / max(best(small), 1e-6)
        ratios.append(ratio)
        if ratio < 8.0:
            break
    assert min(ratios) < 8.0


def test_grouping_many_reports_of_one_event_grows_linearly() -> None:
    """Merging groups reports by shared names, never by comparing every pair."""
    one = timeline.build("Kessel met Brandt on Friday.", "2025-01-22", document="a")
    (event,) = list(one)

    def merged(n: int) -> float:
        parts = [
            timeline.Timeline.from_events(
                [
                    attrs.evolve(
                        event,
                        document=f"d{i}",
                        sources=(attrs.evolve(event.sources[0], document=f"d{i}"),),
                    )
                ]
            )
            for i in range(n)
        ]
        t0 = time.perf_counter()
        t = timeline.Timeline.merge(parts)
        elapsed = time.perf_counter() - t0
        assert len(t) == 1 and len(t[0].sources) == n  # one event, every report kept
        return elapsed

    ratios = []
    for _ in range(3):
        ratio = min(merged(8_000) for _ in range(2)) / max(
            min(merged(2_000) for _ in range(2)), 1e-6
        )
        ratios.append(ratio)
        if ratio < 8.0:
            break
    assert min(ratios) < 8.0


# --------------------------------------------------------------------------
# Long texts window by window (issue #14)
# --------------------------------------------------------------------------

_FRAGMENTS = (
    "Talks were held on Friday.",
    "The minister said the deal would be signed next week.",
    "Two days later, the boats sailed",
    " at 3 p.m. ",
    "In March, the council met again.",
    "The treaty of 1919 ended the war; in 1920 the delegates went home.",
    "Shares rose 3% in the third quarter, compared with the year-ago period.",
    "Mr. Smith arrived on Jan. 5, 2025, and left the following day.",
    '"We will open in two weeks," she said.',
    "\n",
    "\n\n",
    " ",
    "—",
    "yesterday",
)


@given(
    st.lists(st.sampled_from(_FRAGMENTS), min_size=1, max_size=40),
    st.integers(min_value=1, max_value=400),
    st.booleans(),
)
@settings(max_examples=40, deadline=None)
def test_windowed_build_equals_whole_build(parts: list[str], window: int, undated: bool) -> None:
    from timeline.io.windows import build_windowed

    text = "".join(parts)
    got = build_windowed(text, "2025-01-22", document="d", undated=undated, window=window)
    assert got == timeline.build(text, "2025-01-22", document="d", undated=undated)
