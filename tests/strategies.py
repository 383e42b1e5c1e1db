"""Hypothesis strategies, kept in one place."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from timeline.model import Direction, Grain, Interval, Mention, Provenance, TimeValue

CALENDAR_GRAINS = [
    Grain.DAY,
    Grain.WEEK,
    Grain.WEEKEND,
    Grain.MONTH,
    Grain.QUARTER,
    Grain.HALF,
    Grain.SEASON,
    Grain.YEAR,
    Grain.DECADE,
    Grain.CENTURY,
]

# Publish dates well inside datetime's range, so a shift of a few units stays valid.
dates = st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31))
datetimes = st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(2200, 12, 31))
grains = st.sampled_from(CALENDAR_GRAINS)
weekday_names = st.sampled_from(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
)
units = st.sampled_from(["week", "month", "year", "quarter", "weekend"])

DATE_PHRASES = [
    "last Friday",
    "on Friday",
    "Jan. 5, 2025",
    "two weeks ago",
    "1/5/2025",
    "next month",
    "the third quarter",
    "early 2016",
    "the 1990s",
    "yesterday morning",
    "3 p.m.",
    "every Monday",
    "in two weeks",
    "the following day",
    "May",
    "March 2024",
    "1915-17",
    "493 BC",
]


@st.composite
def intervals(draw: st.DrawFn) -> Interval:
    start = draw(datetimes)
    length = draw(
        st.timedeltas(min_value=dt.timedelta(minutes=1), max_value=dt.timedelta(days=4000))
    )
    grain = draw(st.sampled_from(list(Grain)))
    return Interval(start, start + length, grain)


@st.composite
def time_values(draw: st.DrawFn) -> TimeValue:
    return TimeValue(
        draw(st.sampled_from(["DATE", "TIME", "DURATION", "SET"])),
        draw(st.text(min_size=1, max_size=12)),
        draw(st.none() | st.sampled_from(list(Grain))),
        draw(st.none() | intervals()),
        draw(st.none() | st.sampled_from(["START", "END", "MID", "APPROX"])),
        draw(st.none() | st.sampled_from(["EACH", "EVERY"])),
        draw(st.none() | st.text(max_size=4)),
    )


@st.composite
def mentions(draw: st.DrawFn) -> Mention:
    start = draw(st.integers(min_value=0, max_value=10_000))
    text = draw(st.text(min_size=1, max_size=30))
    why = Provenance(
        draw(st.text(min_size=1, max_size=20)),
        draw(st.sampled_from(["published", "previous", "none"])),
        draw(st.none() | st.text(max_size=12)),
        draw(st.sampled_from(list(Direction))),
        draw(st.text(max_size=20)),
    )
    return Mention(start, start + len(text), text, draw(time_values()), why)


# Running text with date phrases spliced in.
@st.composite
def texts_with_dates(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(st.one_of(st.text(max_size=40), st.sampled_from(DATE_PHRASES)), max_size=12)
    )
    return " ".join(pieces)
