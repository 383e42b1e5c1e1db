"""Calendar arithmetic on grains: unit intervals, shifts and TIMEX3 value strings.

Pure functions over :class:`datetime.date` and :class:`datetime.datetime`.
The standard library's proleptic Gregorian calendar and ISO week functions
(``isocalendar`` / ``fromisocalendar``) do the heavy lifting; the tests
cross-check these helpers against pendulum with hypothesis.
"""

from __future__ import annotations

import datetime as _dt
from functools import lru_cache

from ..model import Grain, Interval

__all__ = [
    "SEASON_START",
    "add_months",
    "clamp_year",
    "interval_for",
    "shift",
    "start_of",
    "value_for",
]

MIN_YEAR = 1
MAX_YEAR = 9998

# Meteorological seasons (northern hemisphere): the month each one starts in.
SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def clamp_year(year: int) -> int:
    """Keep a year inside the range that :mod:`datetime` can represent."""
    return max(MIN_YEAR, min(MAX_YEAR, year))


def add_months(day: _dt.date, months: int) -> _dt.date:
    """Add calendar months, clamping the day to the end of the target month."""
    total = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(total, 12)
    year = clamp_year(year)
    month = month0 + 1
    last = _days_in_month(year, month)
    return _dt.date(year, month, min(day.day, last))


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (_dt.date(year, month + 1, 1) - _dt.timedelta(days=1)).day


def start_of(day: _dt.date, grain: Grain) -> _dt.date:
    """The first day of the unit of ``grain`` that contains ``day``."""
    if grain is Grain.DAY:
        return day
    if grain is Grain.WEEK:
        return day - _dt.timedelta(days=day.weekday())
    if grain is Grain.WEEKEND:
        monday = day - _dt.timedelta(days=day.weekday())
        return monday + _dt.timedelta(days=5)
    if grain is Grain.MONTH:
        return day.replace(day=1)
    if grain is Grain.QUARTER:
        return _dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if grain is Grain.HALF:
        return _dt.date(day.year, 1 if day.month <= 6 else 7, 1)
    if grain is Grain.SEASON:
        # Winter spans the new year: January and February belong to the winter
        # that started the previous December.
        if day.month in (1, 2):
            return _dt.date(clamp_year(day.year - 1), 12, 1)
        start_month = 3 * (day.month // 3)
        return _dt.date(day.year, start_month, 1)
    if grain is Grain.YEAR:
        return _dt.date(day.year, 1, 1)
    if grain is Grain.DECADE:
        return _dt.date(max(MIN_YEAR, day.year - day.year % 10), 1, 1)
    if grain is Grain.CENTURY:
        return _dt.date(max(MIN_YEAR, day.year - day.year % 100), 1, 1)
    raise ValueError(f"no calendar unit for grain {grain}")


def shift(day: _dt.date, grain: Grain, n: int) -> _dt.date:
    """Move ``day`` by ``n`` units of ``grain`` (the day of month is clamped)."""
    if grain is Grain.DAY:
        return day + _dt.timedelta(days=n)
    if grain in (Grain.WEEK, Grain.WEEKEND):
        return day + _dt.timedelta(weeks=n)
    if grain is Grain.MONTH:
        return add_months(day, n)
    if grain in (Grain.QUARTER, Grain.SEASON):
        return add_months(day, 3 * n)
    if grain is Grain.HALF:
        return add_months(day, 6 * n)
    if grain is Grain.YEAR:
        return add_months(day, 12 * n)
    if grain is Grain.DECADE:
        return add_months(day, 120 * n)
    if grain is Grain.CENTURY:
        return add_months(day, 1200 * n)
    raise ValueError(f"cannot shift by grain {grain}")


def _end_of(start: _dt.date, grain: Grain) -> _dt.date:
    if grain is Grain.DAY:
        return start + _dt.timedelta(days=1)
    if grain is Grain.WEEK:
        return start + _dt.timedelta(days=7)
    if grain is Grain.WEEKEND:
        return start + _dt.timedelta(days=2)
    if grain is Grain.MONTH:
        return add_months(start, 1)
    if grain in (Grain.QUARTER, Grain.SEASON):
        return add_months(start, 3)
    if grain is Grain.HALF:
        return add_months(start, 6)
    if grain is Grain.YEAR:
        return add_months(start, 12)
    if grain is Grain.DECADE:
        return add_months(start, 120)
    if grain is Grain.CENTURY:
        return add_months(start, 1200)
    raise ValueError(f"no calendar unit for grain {grain}")


def _at_midnight(day: _dt.date) -> _dt.datetime:
    return _dt.datetime(day.year, day.month, day.day)


def interval_for(day: _dt.date, grain: Grain) -> Interval:
    """The half-open interval of the ``grain`` unit that contains ``day``."""
    # cached on the plain date: a datetime (aware ones compare by instant)
    # must not find another day's entry
    return _interval_for(_dt.date(day.year, day.month, day.day), grain)


@lru_cache(maxsize=4096)  # news repeats a few days and months; Interval is frozen
def _interval_for(day: _dt.date, grain: Grain) -> Interval:
    start = start_of(day, grain)
    return Interval(_at_midnight(start), _at_midnight(_end_of(start, grain)), grain)


_SEASON_CODE = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}


def value_for(day: _dt.date, grain: Grain) -> str:
    """The TIMEX3 value string of the ``grain`` unit that contains ``day``.

    >>> import datetime as dt
    >>> value_for(dt.date(2024, 12, 30), Grain.WEEK)
    '2025-W01'
    >>> value_for(dt.date(2025, 1, 17), Grain.QUARTER)
    '2025-Q1'
    """
    return _value_for(_dt.date(day.year, day.month, day.day), grain)


@lru_cache(maxsize=4096)
def _value_for(day: _dt.date, grain: Grain) -> str:
    if grain is Grain.DAY:
        return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    if grain is Grain.WEEK:
        iso = day.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}"
    if grain is Grain.WEEKEND:
        iso = day.isocalendar()
        return f"{iso[0]:04d}-W{iso[1]:02d}-WE"
    if grain is Grain.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    if grain is Grain.QUARTER:
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    if grain is Grain.HALF:
        return f"{day.year:04d}-H{1 if day.month <= 6 else 2}"
    if grain is Grain.SEASON:
        start = start_of(day, Grain.SEASON)
        # A winter is named by the year of its January: December 2024 to
        # February 2025 is 2025-WI.
        year = start.year + 1 if start.month == 12 else start.year
        return f"{year:04d}-{_SEASON_CODE[start.month]}"
    if grain is Grain.YEAR:
        return f"{day.year:04d}"
    if grain is Grain.DECADE:
        return f"{day.year // 10:03d}"
    if grain is Grain.CENTURY:
        return f"{day.year // 100:02d}"
    raise ValueError(f"no TIMEX3 value for grain {grain}")
