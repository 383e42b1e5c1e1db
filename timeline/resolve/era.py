"""Years before the common era, carried through a story.

Python's dates begin at year 1, so a date before the common era ("491 BC")
has a value but no interval, and a story told in such years could not go on
from it ("The following year", "the summer", "a decade earlier").  While a
document is read, such a date is tracked as a *proxy*: BC year ``n`` stands
as year ``_OFFSET - n`` of the proleptic calendar, which keeps the order of
years (491 BC comes before 490 BC) and, since ``_OFFSET - 1`` is a multiple
of 400, the leap years of the astronomical calendar.  Whatever resolves
against a proxy lands in the proxy range and is written back as a BC value,
without an interval, like any other BC date.
"""

from __future__ import annotations

import datetime as _dt
import re

import attrs

from ..model import Grain, TimeValue
from .calendar import SEASON_START, interval_for

__all__ = ["track"]

_OFFSET = 6001
# Proxy years start here: BC years up to 3000 (no real text dates itself
# after the year 3000 and resolves against a BC date).
_FLOOR = _OFFSET - 3000
_BC = re.compile(r"BC(\d{4})(?:-(\d{2}|SP|SU|FA|WI)(?:-(\d{2}))?)?")


def _proxy(value: TimeValue) -> TimeValue | None:
    """The proxy of an absolute BC year, season, month or day."""
    m = _BC.fullmatch(value.value)
    if m is None or value.interval is not None:
        return None
    n = int(m.group(1))
    if not 1 <= n <= _OFFSET - _FLOOR:
        return None
    year = _OFFSET - n
    part, day = m.group(2), m.group(3)
    try:
        if part is None:
            d, grain = _dt.date(year, 1, 1), Grain.YEAR
        elif part in SEASON_START:
            d, grain = _dt.date(year, SEASON_START[part], 1), Grain.SEASON
        elif day is None:
            d, grain = _dt.date(year, int(part), 1), Grain.MONTH
        else:
            d, grain = _dt.date(year, int(part), int(day)), Grain.DAY
    except ValueError:
        return None
    return attrs.evolve(value, grain=grain, interval=interval_for(d, grain))


def _written(value: TimeValue) -> TimeValue:
    """A value resolved against a proxy, written as the BC value it stands for."""
    assert value.interval is not None
    v = value.value
    if value.grain in (Grain.DECADE, Grain.CENTURY):
        # the BC decade or century holding the proxy's first year
        n = _OFFSET - value.interval.start.year
        code = f"BC{n // 10:03d}" if value.grain is Grain.DECADE else f"BC{n // 100:02d}"
        return attrs.evolve(value, value=code, interval=None)
    if len(v) < 4 or not v[:4].isdigit():
        return value
    n = _OFFSET - int(v[:4])
    if n < 1:
        return value
    return attrs.evolve(value, value=f"BC{n:04d}{v[4:]}", interval=None)


def track(value: TimeValue) -> tuple[TimeValue, TimeValue]:
    """``(shown, tracked)``: the value to report and the one the story goes
    on from.  A BC date is tracked as its proxy; a date resolved against a
    proxy is shown as a BC date; anything else is both."""
    if value.interval is None:
        return value, _proxy(value) or value
    if value.interval.start.year >= _FLOOR:
        return _written(value), value
    return value, value
