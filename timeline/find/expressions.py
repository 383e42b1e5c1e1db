"""Unresolved expressions: what the text said, before any calendar is consulted.

The scanner turns each match into one of these small frozen values.  Fields
the text left unsaid stay ``None``; the resolver fills them from the anchor,
and which fields were said fixes the grain.
"""

from __future__ import annotations

import attrs

__all__ = [
    "CalDate",
    "Candidate",
    "Century",
    "Clock",
    "Decade",
    "Duration",
    "Expr",
    "Holiday",
    "Offset",
    "Period",
    "Ref",
    "RelDay",
    "Season",
    "SetExpr",
    "Shift",
    "WeekOfMonth",
    "Weekday",
]


@attrs.frozen(slots=True)
class CalDate:
    """A calendar date with possibly missing parts: "March 3", "2025-01-05", "March".

    Years before the common era are negative: 493 BC is -493.
    """

    year: int | None
    month: int | None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    # True when the year was written with two digits ("01/05/25", "'99").
    short_year: bool = False
    # "June last year": the year is the publication year plus this offset.
    year_offset: int | None = None
    # "August of that year": the story's year plus this offset.
    story_offset: int | None = None
    # "the night of April 18": a part of day (MO, AF, EV, NI) of the date.
    part_of_day: str | None = None
    # "Monday, Oct. 26": the weekday written with the date (1 = Monday), which
    # tells the year when the text leaves it out.
    weekday: int | None = None


@attrs.frozen(slots=True)
class WeekOfMonth:
    """ "the last week of October": ``n`` is 1-4, or -1 for the last week;
    "the week of March 6": ``day`` is 6 and ``n`` is 0."""

    n: int
    month: int
    year: int | None = None
    day: int | None = None


@attrs.frozen(slots=True)
class Weekday:
    """A day of the week, 1 = Monday; ``shift`` is -1/0/1 for last/this/next."""

    weekday: int
    shift: int | None = None
    part_of_day: str | None = None


@attrs.frozen(slots=True)
class RelDay:
    """A day relative to the anchor day: today (0), yesterday (-1), tomorrow (1)."""

    days: int
    part_of_day: str | None = None


@attrs.frozen(slots=True)
class Shift:
    """The anchor's unit moved by ``n`` units: "last week" is Shift("week", -1)."""

    unit: str
    n: int
    anaphoric: bool = False
    part_of_day: str | None = None
    # "the year" (definite, read from the story's year in narrative text)
    # rather than "this year" (always the publication's).
    definite: bool = False


@attrs.frozen(slots=True)
class Offset:
    """A point ``n`` units away from the anchor: "two days ago", "in three weeks".

    ``n`` is ``None`` for vague amounts ("a few days ago"); ``sign`` is -1 for
    the past and 1 for the future.
    """

    unit: str
    n: float | None
    sign: int
    anaphoric: bool = False
    # "in two weeks": a date ahead, or, in a past-tense clause ("took the
    # city in seven weeks"), a length of time.
    within: bool = False


@attrs.frozen(slots=True)
class Period:
    """A quarter (``kind`` "Q") or half year ("H"), possibly relative."""

    kind: str
    n: int | None
    year: int | None = None
    shift: int | None = None
    anaphoric: bool = False
    # "last year's third quarter": the publication year plus this offset
    year_offset: int | None = None


@attrs.frozen(slots=True)
class Season:
    """A season code (SP, SU, FA, WI) with an optional year or shift."""

    season: str
    year: int | None = None
    shift: int | None = None


@attrs.frozen(slots=True)
class Decade:
    """A decade, as its first year (1990); ``century_known`` is False for "the '90s"."""

    first_year: int
    century_known: bool = True


@attrs.frozen(slots=True)
class Century:
    """A century as its TIMEX3 prefix: the 20th century is 19; negative for
    centuries before the common era (the 4th century BC is -4)."""

    prefix: int


@attrs.frozen(slots=True)
class Clock:
    """A clock time, optionally attached to a day expression."""

    hour: int
    minute: int | None
    day: Weekday | RelDay | None = None


@attrs.frozen(slots=True)
class Holiday:
    """A named holiday: a fixed "MM-DD" or a computed key ("thanksgiving")."""

    key: str
    year: int | None = None
    shift: int | None = None


@attrs.frozen(slots=True)
class Duration:
    """A length of time, already in TIMEX3 form ("P2W", "PXM")."""

    value: str


@attrs.frozen(slots=True)
class Ref:
    """PRESENT_REF, PAST_REF or FUTURE_REF."""

    value: str


@attrs.frozen(slots=True)
class SetExpr:
    """A recurring time: "every Monday", "annually"."""

    value: str
    quant: str | None = None
    freq: str | None = None


Expr = (
    CalDate
    | Weekday
    | WeekOfMonth
    | RelDay
    | Shift
    | Offset
    | Period
    | Season
    | Decade
    | Century
    | Clock
    | Holiday
    | Duration
    | Ref
    | SetExpr
)


@attrs.frozen(slots=True)
class Candidate:
    """One match of one rule, before resolution."""

    start: int
    end: int
    rule: str
    expr: Expr
    mod: str | None = None
    # -1 / +1 when the words themselves fixed the direction ("last", "next",
    # "ago", "in two weeks"), None otherwise.
    direction: int | None = None
    # Non-empty when the rule applies only in some domains ("narrative").
    domains: frozenset[str] = frozenset()
    # +1 when a preposition makes a date lean ahead without fixing it
    # ("by Jan. 14": usually a deadline to come, sometimes one just passed).
    lean: int = 0
