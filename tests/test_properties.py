"""hypothesis properties: calendar arithmetic, resolution, ordering, serialization."""

from __future__ import annotations

import datetime as dt
import random

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline.io.serialize import event_from_dict, event_to_dict, mention_from_dict, mention_to_dict
from timeline.model import Grain
from timeline.order import Timeline
from timeline.resolve.calendar import add_months, interval_for, shift, start_of, value_for

from .strategies import dates, grains, mentions, texts_with_dates, units, weekday_names

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# --- calendar arithmetic, cross-checked against pendulum -----------------------------------


@given(dates, st.integers(min_value=-1200, max_value=1200))
def test_add_months_agrees_with_pendulum(day: dt.date, months: int) -> None:
    expected = pendulum.date(day.year, day.month, day.day).add(months=months)
    assert add_months(day, months) == dt.date(expected.year, expected.month, expected.day)


@given(dates)
def test_week_start_agrees_with_pendulum(day: dt.date) -> None:
    p = pendulum.date(day.year, day.month, day.day).start_of("week")
    assert start_of(day, Grain.WEEK) == dt.date(p.year, p.month, p.day)


# Centuries are left out on purpose: pendulum counts them ordinally (1901-2000),
# TIMEX3 by prefix ("19" is 1900-1999), and we follow TIMEX3.
@given(dates, st.sampled_from([Grain.MONTH, Grain.YEAR, Grain.DECADE]))
def test_unit_start_agrees_with_pendulum(day: dt.date, grain: Grain) -> None:
    p = pendulum.date(day.year, day.month, day.day).start_of(grain.value)
    assert start_of(day, grain) == dt.date(p.year, p.month, p.day)


def test_calendar_cache_keys_on_the_calendar_day() -> None:
    """value_for and interval_for are cached; two aware datetimes that are the
    same instant but different days must not share an entry."""
    utc = dt.datetime(2025, 1, 1, 23, 30, tzinfo=dt.UTC)
    plus1 = dt.datetime(2025, 1, 2, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert utc == plus1
    assert value_for(utc, Grain.DAY) == "2025-01-01"
    assert value_for(plus1, Grain.DAY) == "2025-01-02"
    assert interval_for(utc, Grain.DAY).start.day == 1
    assert interval_for(plus1, Grain.DAY).start.day == 2


@given(dates, grains)
def test_interval_contains_its_day_and_has_its_value(day: dt.date, grain: Grain) -> None:
    iv = interval_for(day, grain)
    if grain is Grain.WEEKEND:
        # the weekend of the day's ISO week: Saturday and Sunday of that week
        assert iv.start.date().isocalendar()[:2] == day.isocalendar()[:2]
        assert iv.start.date().isoweekday() == 6 and (iv.end - iv.start).days == 2
        return
    assert iv.start.date() <= day < iv.end.date()
    # every day of the unit has the same value
    assert value_for(iv.start.date(), grain) == value_for(day, grain)
    assert value_for((iv.end - dt.timedelta(days=1)).date(), grain) == value_for(day, grain)


@given(dates, grains, st.integers(min_value=-20, max_value=20))
def test_shift_moves_whole_units(day: dt.date, grain: Grain, n: int) -> None:
    moved = interval_for(shift(day, grain, n), grain)
    here = interval_for(day, grain)
    if n > 0:
        assert moved.start >= here.end
    elif n < 0:
        assert moved.end <= here.start
    else:
        assert moved == here


@given(dates)
def test_iso_week_value_round_trips(day: dt.date) -> None:
    value = value_for(day, Grain.WEEK)
    year, week = value.split("-W")
    assert dt.date.fromisocalendar(int(year), int(week), 1) == start_of(day, Grain.WEEK)


# --- resolution ------------------------------------------------------------------------------


@given(dates, weekday_names)
def test_past_bare_weekday_is_within_the_last_week(published: dt.date, name: str) -> None:
    (m,) = timeline.extract(f"The talks were held on {name}.", published)
    resolved = dt.date.fromisoformat(m.value)
    assert 0 <= (published - resolved).days <= 6
    assert resolved.isoweekday() == WEEKDAYS.index(name) + 1


@given(dates, weekday_names)
def test_future_bare_weekday_is_within_the_next_week(published: dt.date, name: str) -> None:
    (m,) = timeline.extract(f"The leaders will meet on {name}.", published)
    resolved = dt.date.fromisoformat(m.value)
    assert 0 <= (resolved - published).days <= 6
    assert resolved.isoweekday() == WEEKDAYS.index(name) + 1


@given(dates, units)
def test_last_unit_ends_where_the_current_unit_begins(published: dt.date, unit: str) -> None:
    (last,) = timeline.extract(f"last {unit}", published)
    (this,) = timeline.extract(f"this {unit}", published)
    assert last.interval is not None and this.interval is not None
    if unit == "weekend":
        assert last.interval.end <= this.interval.start
    else:
        assert last.interval.end == this.interval.start
    assert last.grain == this.grain


@given(dates, units)
def test_next_unit_begins_where_the_current_unit_ends(published: dt.date, unit: str) -> None:
    (nxt,) = timeline.extract(f"next {unit}", published)
    (this,) = timeline.extract(f"this {unit}", published)
    assert nxt.interval is not None and this.interval is not None
    assert this.interval.end <= nxt.interval.start


@given(dates, st.integers(min_value=1, max_value=30))
def test_days_ago_is_exact(published: dt.date, n: int) -> None:
    (m,) = timeline.extract(f"it happened {n} days ago", published)
    assert m.value == (published - dt.timedelta(days=n)).isoformat()


@settings(max_examples=300)
@given(texts_with_dates(), dates)
def test_extract_offsets_slice_back_and_never_overlap(text: str, published: dt.date) -> None:
    found = timeline.extract(text, published)
    end = -1
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.start >= end
        end = m.end


@settings(max_examples=300)
@given(st.text(max_size=300), dates)
def test_extract_never_raises_on_arbitrary_text(text: str, published: dt.date) -> None:
    for m in timeline.extract(text, published):
        assert text[m.start : m.end] == m.text


# --- ordering --------------------------------------------------------------------------------


@settings(max_examples=100)
@given(texts_with_dates(), dates, st.randoms())
def test_order_does_not_depend_on_input_order(
    text: str, published: dt.date, rnd: random.Random
) -> None:
    t = timeline.build(text, published)
    shuffled = list(t.events)
    rnd.shuffle(shuffled)
    assert Timeline.from_events(shuffled).events == t.events
    # and never drops an event: every DATE or TIME mention with an interval dates one
    dated = [e.mention for e in t if e.kind == "date" and e.mention is not None]
    assert sorted((m.start, m.end) for m in dated) == [
        (m.start, m.end)
        for m in t.mentions
        if m.interval is not None and m.type in ("DATE", "TIME")
    ]


@settings(max_examples=100)
@given(texts_with_dates(), dates)
def test_timeline_is_sorted_by_interval_with_wider_first(text: str, published: dt.date) -> None:
    events = list(timeline.build(text, published))
    for a, b in zip(events, events[1:], strict=False):
        ia, ib = a.when.interval, b.when.interval
        assert ia is not None and ib is not None
        assert ia.start < ib.start or (ia.start == ib.start and ia.end >= ib.end)


def test_week_comes_before_the_friday_inside_it() -> None:
    t = timeline.build("On Friday the deal closed. Last week talks began.", "2025-01-27")
    assert [e.when.value for e in t] == ["2025-W04", "2025-01-24"]


# --- serialization ---------------------------------------------------------------------------


@given(mentions())
def test_mention_round_trips_through_dict(m: timeline.Mention) -> None:
    assert mention_from_dict(mention_to_dict(m)) == m


@settings(max_examples=50)
@given(texts_with_dates(), dates)
def test_events_round_trip_through_json(text: str, published: dt.date) -> None:
    import json

    for e in timeline.build(text, published):
        assert event_from_dict(json.loads(json.dumps(event_to_dict(e)))) == e
