"""Resolving: from an unresolved expression and an anchor to a TIMEX3 value.

:func:`resolve` is a pure function of the candidate and a :class:`Context`.
It is the only place where direction (past or future) is decided.  Evidence
is taken in this order:

1. explicit words ("last", "next", "ago", "in two weeks");
2. the tense of the clause ("voiced" versus "will meet");
3. the default: a bare weekday is the closest one on or before publication
   (the publication weekday is the publication day); a month or a date
   without a year is the closest one to the anchor.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import Any

import attrs

from ..find import expressions as E
from ..find.expressions import Candidate
from ..find.operations import duration_value
from ..model import Direction, Grain, Interval, Provenance, TimeValue
from .calendar import (
    SEASON_START,
    add_months,
    clamp_year,
    interval_for,
    shift,
    start_of,
    value_for,
)
from .tense import FUTURE, PAST, PRESENT

__all__ = ["Context", "resolve"]

_UNIT_GRAINS = {
    "day": Grain.DAY,
    "night": Grain.DAY,
    "week": Grain.WEEK,
    "fortnight": Grain.WEEK,
    "weekend": Grain.WEEKEND,
    "month": Grain.MONTH,
    "quarter": Grain.QUARTER,
    "half": Grain.HALF,
    "season": Grain.SEASON,
    "year": Grain.YEAR,
    "decade": Grain.DECADE,
    "century": Grain.CENTURY,
}
_GRAIN_ORDER = [
    Grain.SECOND,
    Grain.MINUTE,
    Grain.HOUR,
    Grain.PART_OF_DAY,
    Grain.DAY,
    Grain.WEEKEND,
    Grain.WEEK,
    Grain.MONTH,
    Grain.SEASON,
    Grain.QUARTER,
    Grain.HALF,
    Grain.YEAR,
    Grain.DECADE,
    Grain.CENTURY,
]
_RANK = {g: i for i, g in enumerate(_GRAIN_ORDER)}
_POD_HOURS = {"MO": (6, 12), "AF": (12, 18), "EV": (18, 22), "NI": (21, 30), "DT": (8, 18)}


@attrs.frozen
class Context:
    """What a single resolution may look at besides the expression itself."""

    published: _dt.datetime
    tense: str | None = None
    # The last resolved date in the text (for "the following day", "that year").
    previous: TimeValue | None = None
    # In narrative text, the story's current date: the last date whose year
    # was written out, which year-less dates ("In March, ...") are read against.
    story: TimeValue | None = None
    # A year written just after this mention ("August and September 1914").
    year_hint: int | None = None
    # The last quarter or half the text named, for "the quarter".
    previous_period: TimeValue | None = None
    # The last mention was a span of months to date ("For the nine months,
    # ..."): "a year earlier" compares that span, a part of the year before.
    year_to_date: bool = False


Resolved = tuple[TimeValue, Provenance]


def _day(d: _dt.date) -> _dt.datetime:
    return _dt.datetime(d.year, d.month, d.day)


def _unit(d: _dt.date, grain: Grain, mod: str | None, type_: str = "DATE") -> TimeValue:
    return TimeValue(type_, value_for(d, grain), grain, interval_for(d, grain), mod)


def _with_pod(d: _dt.date, pod: str, mod: str | None) -> TimeValue:
    lo, hi = _POD_HOURS.get(pod, (0, 24))
    start = _day(d) + _dt.timedelta(hours=lo)
    end = _day(d) + _dt.timedelta(hours=hi)
    return TimeValue(
        "TIME",
        f"{value_for(d, Grain.DAY)}T{pod}",
        Grain.PART_OF_DAY,
        Interval(start, end, Grain.PART_OF_DAY),
        mod,
    )


def _direction(cand: Candidate, ctx: Context) -> tuple[int | None, str]:
    if cand.direction is not None:
        return cand.direction, "explicit"
    if ctx.tense == PAST:
        return -1, "tense:past"
    if ctx.tense == FUTURE:
        return 1, "tense:future"
    if ctx.tense == PRESENT:
        return None, "tense:present"
    return -1, "default:past"


_DIRECTIONS = {-1: Direction.PAST, 1: Direction.FUTURE, 0: Direction.SAME}


def _dir_enum(sign: int | None) -> Direction:
    return _DIRECTIONS.get(sign if sign is not None else 2, Direction.NONE)


def _anchor(cand_anaphoric: bool, ctx: Context) -> tuple[_dt.date, Grain, str, str]:
    """The anchor date, its grain, its kind and its value."""
    prev = ctx.previous
    if cand_anaphoric and prev is not None and prev.interval is not None:
        return prev.interval.start.date(), prev.grain or Grain.DAY, "previous", prev.value
    pub = ctx.published.date()
    return pub, Grain.DAY, "published", value_for(pub, Grain.DAY)


def _coarser(a: Grain, b: Grain) -> Grain:
    return a if _RANK[a] >= _RANK[b] else b


def resolve(cand: Candidate, ctx: Context) -> Resolved | None:
    """Resolve one candidate; ``None`` when it names no possible date."""
    x = cand.expr
    try:
        return _RESOLVERS[type(x)](cand, x, ctx)
    except (ValueError, OverflowError):
        # A date outside the calendar (year 0, 31 June in a resolved year ...).
        return None


def _prov(
    cand: Candidate, anchor: str, anchor_value: str | None, sign: int | None, reason: str
) -> Provenance:
    return Provenance(cand.rule, anchor, anchor_value, _dir_enum(sign), reason)


def _r_weekday(cand: Candidate, x: E.Weekday, ctx: Context) -> Resolved:
    pub = ctx.published.date()
    pw = pub.isoweekday()
    reason: str
    if x.shift == -1:
        delta = -((pw - x.weekday) % 7 or 7)
        sign, reason = -1, "explicit"
    elif x.shift == 1:
        delta = (x.weekday - pw) % 7 or 7
        sign, reason = 1, "explicit"
    elif x.shift == 0:
        delta = x.weekday - pw
        sign, reason = 0, "explicit:this"
    elif x.weekday == pw:
        delta, sign, reason = 0, 0, "default:publication-weekday"
    else:
        sign_, reason = _direction(cand, ctx)
        ahead, back = (x.weekday - pw) % 7, (pw - x.weekday) % 7
        sign = sign_ if sign_ is not None else (1 if ahead < back else -1)
        delta = ahead if sign == 1 else -back
    d = pub + _dt.timedelta(days=delta)
    value = (
        _with_pod(d, x.part_of_day, cand.mod) if x.part_of_day else _unit(d, Grain.DAY, cand.mod)
    )
    return value, _prov(cand, "published", value_for(pub, Grain.DAY), sign, reason)


def _r_relday(cand: Candidate, x: E.RelDay, ctx: Context) -> Resolved:
    pub = ctx.published.date()
    d = pub + _dt.timedelta(days=x.days)
    value = (
        _with_pod(d, x.part_of_day, cand.mod) if x.part_of_day else _unit(d, Grain.DAY, cand.mod)
    )
    sign = (x.days > 0) - (x.days < 0)
    return value, _prov(cand, "published", value_for(pub, Grain.DAY), sign, "explicit")


# The unknown part of a day or week within a year or month only told.
_UNKNOWN_PART = {
    (Grain.YEAR, Grain.DAY): "-XX-XX",
    (Grain.MONTH, Grain.DAY): "-XX",
    (Grain.YEAR, Grain.WEEK): "-WXX",
}
# A year or a month, with the unknown part an earlier mention left ("1941-XX-XX").
_PLAIN = re.compile(r"([0-9]{4}(?:-[0-9]{2})?)(?:-XX-XX|-XX|-WXX)?")


def _r_shift(cand: Candidate, x: E.Shift, ctx: Context) -> Resolved | None:
    grain = _UNIT_GRAINS[x.unit]
    if x.unit == "weekend" and x.definite and ctx.story is None:
        # "over the weekend": the one just past, or the coming one in the future
        pub = ctx.published.date()
        this_weekend = start_of(pub, Grain.WEEKEND)
        sign, reason = _direction(cand, ctx)
        if sign == 1:
            d = (
                this_weekend
                if pub < this_weekend + _dt.timedelta(days=2)
                else shift(this_weekend, grain, 1)
            )
        else:
            d = this_weekend if pub >= this_weekend else shift(this_weekend, grain, -1)
        return _unit(d, grain, cand.mod), _prov(
            cand, "published", value_for(pub, Grain.DAY), sign, reason
        )
    # In a story, "the next year" and "the year" follow the story, not today.
    base, base_grain, kind, base_value = _anchor(
        x.anaphoric or (x.definite and ctx.story is not None), ctx
    )
    if x.part_of_day and kind == "previous" and _RANK[base_grain] > _RANK[Grain.DAY]:
        # "In the evening" after "in 1998" or "last week": no day is known.
        # News tells of its own day; a story leaves the evening undated.
        if ctx.story is not None:
            return None
        base, base_grain, kind, base_value = _anchor(False, ctx)
    if kind == "previous" and _RANK[base_grain] > _RANK[grain]:
        # "that day" or "the following day" after "in 1941": a day of that
        # year, which the text does not give ("1941-XX-XX"), never the year
        unknown = _UNKNOWN_PART.get((base_grain, grain))
        prev = ctx.previous
        plain = _PLAIN.fullmatch(base_value)
        if unknown is not None and not x.part_of_day and prev is not None and plain:
            value = TimeValue("DATE", plain.group(1) + unknown, base_grain, prev.interval, cand.mod)
            return value, _prov(cand, kind, base_value, x.n, "explicit:unknown-part")
        grain = base_grain if x.n == 0 else grain
    d = shift(base, grain, x.n)
    value = _with_pod(d, x.part_of_day, cand.mod) if x.part_of_day else _unit(d, grain, cand.mod)
    reason = "explicit" if x.n else "explicit:this"
    return value, _prov(cand, kind, base_value, x.n, reason)


def _r_offset(cand: Candidate, x: E.Offset, ctx: Context) -> Resolved:
    if x.within and ctx.tense == PAST and x.n is not None:
        # "took the city in seven weeks": how long, not when
        value = TimeValue("DURATION", duration_value(x.n, x.unit), None, None, cand.mod)
        return value, _prov(cand, "none", None, None, "duration:past-tense")
    prev = ctx.previous
    if x.n is None:
        if (
            x.anaphoric
            and x.unit in ("hour", "minute", "second")
            and prev is not None
            and prev.interval is not None
            and prev.grain in (Grain.DAY, Grain.PART_OF_DAY, Grain.HOUR, Grain.MINUTE)
        ):
            # "Several hours later" after "Monday" or "7 a.m. Monday": that day
            d = prev.interval.start.date()
            return _unit(d, Grain.DAY, cand.mod), _prov(
                cand, "previous", prev.value, x.sign, "explicit"
            )
        ref = "PAST_REF" if x.sign < 0 else "FUTURE_REF"
        return TimeValue("DATE", ref, None, None, cand.mod), _prov(
            cand, "published", None, x.sign, "explicit"
        )
    n = int(round(x.n))
    if x.unit in ("hour", "minute", "second"):
        delta = _dt.timedelta(**{x.unit + "s": x.sign * x.n})
        if (
            x.anaphoric
            and prev is not None
            and prev.interval is not None
            and prev.grain is not None
            and (_RANK[prev.grain] >= _RANK[Grain.DAY] or prev.grain is Grain.PART_OF_DAY)
        ):
            # "three hours before the declaration" after "on 8 February
            # 1904", "two hours later" after "Friday night": only the day is
            # known, and a few hours keep to it
            d = prev.interval.start.date() + _dt.timedelta(days=int(delta / _dt.timedelta(days=1)))
            return _unit(d, Grain.DAY, cand.mod), _prov(
                cand, "previous", prev.value, x.sign, "explicit"
            )
        if (
            x.anaphoric
            and prev is not None
            and prev.interval is not None
            and prev.grain in (Grain.HOUR, Grain.MINUTE)
        ):
            # "an hour later" after "at 7 a.m. Monday"
            origin, kind, origin_value = prev.interval.start, "previous", prev.value
        elif x.anaphoric:
            # "One hour later" with no time told before: how long, not when
            value = TimeValue("DURATION", duration_value(x.n, x.unit), None, None, cand.mod)
            return value, _prov(cand, "none", None, None, "duration:no-anchor")
        else:
            origin, kind, origin_value = ctx.published, "published", ctx.published.isoformat()
            if origin.time() == _dt.time(0):
                if x.within:
                    # "in two hours", "in 30 seconds" with no clock to count
                    # from: the length is what the text tells, not today's date
                    value = TimeValue("DURATION", duration_value(x.n, x.unit), None, None, cand.mod)
                    return value, _prov(cand, "none", None, None, "duration:no-clock")
                # a publish date without a time: "two hours ago" is that day
                d = origin.date() + _dt.timedelta(days=int(delta / _dt.timedelta(days=1)))
                return _unit(d, Grain.DAY, cand.mod), _prov(
                    cand, kind, origin_value, x.sign, "explicit:no-clock"
                )
        t = origin + delta
        value = TimeValue(
            "TIME",
            t.strftime("%Y-%m-%dT%H:%M"),
            Grain.MINUTE,
            Interval(t, t + _dt.timedelta(minutes=1), Grain.MINUTE),
            cand.mod,
        )
        return value, _prov(cand, kind, origin_value, x.sign, "explicit")
    grain = _UNIT_GRAINS[x.unit]
    if grain in (Grain.DECADE, Grain.CENTURY):
        # "a decade ago" is a year, ten years back
        n, grain = n * (10 if grain is Grain.DECADE else 100), Grain.YEAR
    # "a year earlier" / "the year-ago quarter" in results news: the same
    # period a year before the quarter just mentioned.  "Two days later"
    # after "in 1941" keeps the coarser grain of its anchor.
    results_news = (
        grain is Grain.YEAR
        and n == 1
        and prev is not None
        and prev.grain in (Grain.QUARTER, Grain.HALF)
    )
    if (
        ctx.year_to_date
        and grain is Grain.YEAR
        and n == 1
        and x.sign < 0
        and (x.anaphoric or results_news)
    ):
        # "For the nine months, net fell, compared with a year earlier": the
        # nine months of the year before, which TIMEX3 writes as that year
        if prev is not None and prev.interval is not None:
            year, kind, kind_value = prev.interval.start.year, "previous", prev.value
        else:
            year, kind, kind_value = ctx.published.year, "published", None
        return _unit(_dt.date(year - 1, 1, 1), Grain.YEAR, cand.mod), _prov(
            cand, kind, kind_value, -1, "year-to-date"
        )
    if results_news and ctx.previous_period is not None:
        # compare with the quarter the report is about, not with a date
        # derived from it ("a year ago" after "the third quarter")
        prev = ctx.previous_period
    if (
        (x.anaphoric or results_news)
        and prev is not None
        and prev.interval is not None
        and prev.grain is not None
    ):
        if _RANK[prev.grain] > _RANK[grain] or (
            grain is Grain.YEAR and prev.grain in (Grain.QUARTER, Grain.HALF, Grain.DAY)
        ):
            out_grain = prev.grain
        else:
            out_grain = grain
        origin_day = prev.interval.start.date()
        if x.sign < 0 and _RANK[prev.grain] > _RANK[grain] and not results_news:
            # "a day earlier" after "in 2005": count back from the end of the
            # coarser unit, which keeps a short step inside it
            origin_day = prev.interval.end.date() - _dt.timedelta(days=1)
        d = shift(origin_day, grain, x.sign * n)
        value = _unit(d, out_grain, cand.mod)
        return value, _prov(cand, "previous", prev.value, x.sign, "explicit")
    base, base_grain, kind, base_value = _anchor(x.anaphoric, ctx)
    d = shift(base, grain, x.sign * n)
    value = _unit(d, _coarser(grain, base_grain) if kind == "previous" else grain, cand.mod)
    return value, _prov(cand, kind, base_value, x.sign, "explicit")


def _pivot_year(yy: int, ref_year: int) -> int:
    """A two-digit year, in the century that puts it nearest ``ref_year``."""
    century = ref_year - ref_year % 100
    candidates = [century - 100 + yy, century + yy, century + 100 + yy]
    return min(candidates, key=lambda y: (abs(y - ref_year), y))


def _choose(
    options: list[tuple[_dt.date, _dt.date]],
    anchor: _dt.date,
    sign: int | None,
    strict: bool,
    lean: int = 0,
) -> _dt.date:
    """Pick among candidate (start, end) units: the latest before the anchor
    (sign -1), the earliest after it (sign 1) or the nearest (None), where by
    default the future costs double and with ``lean`` 1 the past costs triple."""
    if sign == -1:
        ok = [o for o in options if (o[1] <= anchor if strict else o[0] <= anchor)]
        return max(ok)[0] if ok else min(options)[0]
    if sign == 1:
        ok = [o for o in options if (o[0] > anchor if strict else o[1] > anchor)]
        return min(ok)[0] if ok else max(options)[0]

    def distance(o: tuple[_dt.date, _dt.date]) -> int:
        if o[0] <= anchor < o[1]:
            return 0
        if o[0] > anchor:
            # News looks back more often than ahead: the future costs double.
            return (1 if lean > 0 else 2) * (o[0] - anchor).days
        return (3 if lean > 0 else 1) * ((anchor - o[1]).days + 1)

    return min(options, key=lambda o: (distance(o), o[0] > anchor))[0]


def _year_options(month: int, day: int | None, years: list[int]) -> list[tuple[_dt.date, _dt.date]]:
    options = []
    for y in years:
        try:
            start = _dt.date(y, month, day or 1)
        except ValueError:
            continue
        end = start + _dt.timedelta(days=1) if day is not None else add_months(start, 1)
        options.append((start, end))
    return options


def _weekday_fit(
    options: list[tuple[_dt.date, _dt.date]], weekday: int | None
) -> list[tuple[_dt.date, _dt.date]]:
    """The options on the weekday the text wrote ("Monday, Oct. 26"); all of
    them when it wrote none or none of them fits."""
    if weekday is None:
        return options
    fit = [o for o in options if o[0].isoweekday() == weekday]
    return fit or options


# A year-less day this close ahead is the coming one even in a past-tense
# clause ("the court set Jan. 14 as the deadline"): the same day eleven
# months back is seldom meant.
_NEAR_AHEAD_DAYS = 60
# A month that begins within days is the coming one too ("orders for November
# transactions" at the end of October), not the one eleven months back.
_NEAR_AHEAD_MONTH_DAYS = 7


def _forward_nearest(options: list[tuple[_dt.date, _dt.date]], anchor: _dt.date) -> _dt.date:
    """The option nearest the story date, where going back costs twice as much
    as going forward: stories mostly move forward ("In January" after
    "December 1944" is 1945), but may step back a little ("In March" after
    "June 1941" is 1941)."""

    def cost(o: tuple[_dt.date, _dt.date]) -> int:
        if o[0] <= anchor < o[1]:
            return 0
        if o[0] > anchor:
            return (o[0] - anchor).days
        return 2 * (anchor - o[1]).days + 1

    return min(options, key=lambda o: (cost(o), -o[0].toordinal()))[0]  # ties go forward


def _r_caldate(cand: Candidate, x: E.CalDate, ctx: Context) -> Resolved | None:
    pub = ctx.published.date()
    if x.month is None:
        year = _pivot_year(x.year, pub.year) if x.short_year and x.year is not None else x.year
        if year is None:
            return None
        if year <= 0:
            return TimeValue("DATE", f"BC{-year:04d}", Grain.YEAR, None, cand.mod), _prov(
                cand, "none", None, None, "absolute"
            )
        d = _dt.date(clamp_year(year), 1, 1)
        return _unit(d, Grain.YEAR, cand.mod), _prov(cand, "none", None, None, "absolute")
    grain = Grain.DAY if x.day is not None else Grain.MONTH
    if x.year is not None and x.year <= 0:
        # before the common era: a value, but no interval
        bc = f"BC{-x.year:04d}-{x.month:02d}" + (f"-{x.day:02d}" if x.day else "")
        return TimeValue("DATE", bc, grain, None, cand.mod), _prov(
            cand, "none", None, None, "absolute"
        )
    if x.story_offset is not None:
        ref = (
            ctx.previous if ctx.previous is not None and ctx.previous.interval is not None else None
        )
        base = ref.interval.start.year if ref is not None and ref.interval is not None else pub.year
        d = _dt.date(base + x.story_offset, x.month, x.day or 1)
        kind, anchor_value = (
            ("previous", ref.value) if ref is not None else ("published", value_for(pub, Grain.DAY))
        )
        return _unit(d, grain, cand.mod), _prov(
            cand, kind, anchor_value, x.story_offset, "explicit"
        )
    if x.year_offset is not None:
        d = _dt.date(pub.year + x.year_offset, x.month, x.day or 1)
        return _unit(d, grain, cand.mod), _prov(
            cand, "published", value_for(pub, Grain.DAY), x.year_offset, "explicit"
        )
    if x.year is not None or ctx.year_hint is not None:
        year = x.year if x.year is not None else ctx.year_hint
        assert year is not None
        year = _pivot_year(year, pub.year) if x.short_year else year
        d = _dt.date(year, x.month, x.day or 1)
        prov = _prov(
            cand, "none", None, None, "absolute" if x.year is not None else "coordinated-year"
        )
    else:
        sign, reason = _direction(cand, ctx)
        story = ctx.story
        if story is not None and story.interval is not None and cand.direction is None:
            anchor = story.interval.start.date()
            options = _weekday_fit(
                _year_options(
                    x.month,
                    x.day,
                    [anchor.year]
                    if _RANK[story.grain or Grain.YEAR] >= _RANK[Grain.YEAR]
                    else [anchor.year - 1, anchor.year, anchor.year + 1],
                ),
                x.weekday,
            )
            if not options:
                return None
            d = _forward_nearest(options, anchor)
            prov = _prov(cand, "previous", story.value, None, "narrative:story-date")
        else:
            options = _year_options(x.month, x.day, [pub.year - 1, pub.year, pub.year + 1])
            if not options:
                return None
            fit = _weekday_fit(options, x.weekday)
            if len(fit) == 1 and len(options) > 1:
                # "Monday, Oct. 26": the one year whose Oct. 26 is a Monday
                d = fit[0][0]
                sign, reason = (d > pub) - (d < pub), "weekday-fits"
            elif cand.direction == 0:
                d = _dt.date(pub.year, x.month, x.day or 1)
            elif cand.lean:
                sign, reason = None, "explicit:deadline"
                d = _choose(options, pub, None, False, cand.lean)
            else:
                if reason == "default:past":
                    # No tense: a month or day a few weeks ahead is likelier
                    # than the same one eleven months back.
                    sign, reason = None, "default:nearest"
                elif reason == "tense:past":
                    ahead = [o[0] for o in options if o[0] > pub]
                    near = _NEAR_AHEAD_DAYS if x.day is not None else _NEAR_AHEAD_MONTH_DAYS
                    if ahead and (min(ahead) - pub).days <= near:
                        sign, reason = 1, "near-ahead"
                d = _choose(options, pub, sign, cand.direction is not None)
            prov = _prov(cand, "published", value_for(pub, Grain.DAY), sign, reason)
    if x.part_of_day is not None and x.day is not None:
        return _with_pod(d, x.part_of_day, cand.mod), prov
    if x.hour is not None:
        t = _dt.datetime(d.year, d.month, d.day, x.hour, x.minute or 0)
        value = TimeValue(
            "TIME",
            t.strftime("%Y-%m-%dT%H:%M"),
            Grain.MINUTE,
            Interval(t, t + _dt.timedelta(minutes=1), Grain.MINUTE),
            cand.mod,
        )
        return value, prov
    return _unit(d, grain, cand.mod), prov


def _year_back_within(when: _dt.datetime, start: _dt.datetime, end: _dt.datetime) -> bool:
    """Whether ``when`` lies in the period ``start``-``end`` moved a year back."""
    return start.replace(year=start.year - 1) <= when < end.replace(year=end.year - 1)


def _r_comparable(cand: Candidate, x: E.Period, ctx: Context) -> Resolved:
    """ "the same period last year", "the 1988 quarter": the period just
    reported on (a quarter or half), moved to the year named or a year back;
    a "period" with no reported quarter in sight is the whole year."""
    pub = ctx.published.date()
    reported = ctx.previous_period
    prev = ctx.previous
    if ctx.year_to_date and x.year is None and x.year_offset == -1:
        # "For the nine months, ... In the year-earlier period, ...": the
        # same months of the year before
        base = reported.interval.start.year if reported and reported.interval else pub.year
        d = _dt.date(base - 1, 1, 1)
        return _unit(d, Grain.YEAR, cand.mod), _prov(cand, "published", None, -1, "year-to-date")
    if (
        reported is None
        or reported.interval is None
        or prev is None
        or prev.interval is None
        or not (
            reported.interval.start <= prev.interval.start < reported.interval.end
            # a forecast in between (a date ahead, a quarter not over)
            # leaves the reported period in force
            or prev.interval.start.date() > pub
            or (prev.grain in (Grain.QUARTER, Grain.HALF) and prev.interval.end.date() > pub)
            # and so does the comparison just made ("up 39% from a year
            # earlier. In the 1988 period, ...")
            or _year_back_within(
                prev.interval.start, reported.interval.start, reported.interval.end
            )
            # and so does an earlier quarter told as background ("after a
            # flat second quarter")
            or (
                prev.grain in (Grain.QUARTER, Grain.HALF)
                and prev.interval.start < reported.interval.start
            )
        )
    ):
        reported = None
    if reported is not None and reported.interval is not None and reported.grain is not None:
        start, grain = reported.interval.start.date(), reported.grain
    elif x.kind == "Q":
        start, grain = shift(start_of(pub, Grain.QUARTER), Grain.QUARTER, -1), Grain.QUARTER
    else:
        start, grain = _dt.date(pub.year, 1, 1), Grain.YEAR
    year = x.year if x.year is not None else start.year + (x.year_offset or 0)
    d = start.replace(year=year)
    anchor, anchor_value = ("previous", reported.value) if reported else ("published", None)
    return _unit(d, grain, cand.mod), _prov(cand, anchor, anchor_value, -1, "comparable-period")


def _r_period(cand: Candidate, x: E.Period, ctx: Context) -> Resolved:
    if x.n is None and (x.year is not None or x.year_offset is not None):
        return _r_comparable(cand, x, ctx)
    grain = Grain.QUARTER if x.kind == "Q" else Grain.HALF
    months = 3 if x.kind == "Q" else 6
    pub = ctx.published.date()
    if x.n is None and x.shift == 0:
        return _unit(start_of(pub, grain), grain, cand.mod), _prov(
            cand, "published", value_for(pub, Grain.DAY), 0, "explicit:current"
        )
    if x.n is None:
        prev = ctx.previous_period
        if x.anaphoric and prev is not None and prev.grain is grain and prev.interval is not None:
            d = prev.interval.start.date()
            return _unit(d, grain, cand.mod), _prov(cand, "previous", prev.value, 0, "same-period")
        d = shift(start_of(pub, grain), grain, -1)
        return _unit(d, grain, cand.mod), _prov(
            cand, "published", value_for(pub, Grain.DAY), -1, "default:last-reported"
        )
    if x.year_offset is not None:
        base = pub.year + x.year_offset
        if (
            x.year_offset == -1
            and ctx.previous_period is not None
            and ctx.previous_period.interval is not None
        ):
            base = ctx.previous_period.interval.start.year - 1  # "the year-ago quarter"
        d = _dt.date(base, (x.n - 1) * months + 1, 1)
        return _unit(d, grain, cand.mod), _prov(
            cand, "published", value_for(pub, Grain.DAY), x.year_offset, "explicit"
        )
    if x.year is not None:
        d = _dt.date(x.year, (x.n - 1) * months + 1, 1)
        return _unit(d, grain, cand.mod), _prov(cand, "none", None, None, "absolute")
    sign, reason = _direction(cand, ctx)
    if x.shift is not None:
        sign, reason = x.shift, "explicit"
    current = start_of(pub, grain)
    options = [
        (_dt.date(y, (x.n - 1) * months + 1, 1), _dt.date(y, (x.n - 1) * months + 1, 1))
        for y in (pub.year - 1, pub.year, pub.year + 1)
    ]
    if x.shift == 1:
        d = min(o[0] for o in options if o[0] > current)
    elif sign == -1 and x.shift == -1:
        d = max(o[0] for o in options if o[0] < current)
    elif (
        sign == 1
        and x.shift is None
        and (max(o[0] for o in options if o[0] <= current) < shift(current, grain, -1))
    ):
        # "expects the deal to close in the third quarter" in June: a plan
        # looks ahead, past the quarters that are over (the one under way
        # and the one just reported on stay: "expects a first-quarter loss")
        d = min(o[0] for o in options if o[0] > current)
        reason = "ahead:planned"
    else:
        # Results news reports on quarters that have begun: "expects a
        # third-quarter loss" in October is this year's third quarter.
        d = max(o[0] for o in options if o[0] <= current)
        reason = "default:latest-begun" if x.shift is None else reason
    return _unit(d, grain, cand.mod), _prov(
        cand, "published", value_for(pub, Grain.DAY), sign, reason
    )


def _r_season(cand: Candidate, x: E.Season, ctx: Context) -> Resolved:
    pub = ctx.published.date()
    month = SEASON_START[x.season]
    # A winter belongs to the year of its January ("the winter of 1919" began
    # in December 1918).
    back = 1 if x.season == "WI" else 0
    if x.year is not None and x.year <= 0:
        value = TimeValue("DATE", f"BC{-x.year:04d}-{x.season}", Grain.SEASON, None, cand.mod)
        return value, _prov(cand, "none", None, None, "absolute")
    if x.year is not None:
        d = _dt.date(x.year - back, month, 1)
        return _unit(d, Grain.SEASON, cand.mod), _prov(cand, "none", None, None, "absolute")
    story = ctx.story
    if (
        story is not None
        and story.interval is not None
        and x.shift is None
        and story.grain is Grain.YEAR
    ):
        d = _dt.date(story.interval.start.year - back, month, 1)
        return _unit(d, Grain.SEASON, cand.mod), _prov(
            cand, "previous", story.value, None, "narrative:story-year"
        )
    if story is not None and story.interval is not None and x.shift is None:
        sy = story.interval.start.date()
        options_ = [
            (_dt.date(y, month, 1), add_months(_dt.date(y, month, 1), 3))
            for y in (sy.year - 1, sy.year, sy.year + 1)
        ]
        d = _forward_nearest(options_, sy)
        return _unit(d, Grain.SEASON, cand.mod), _prov(
            cand, "previous", story.value, None, "narrative:story-date"
        )
    current = start_of(pub, Grain.SEASON)
    options = [_dt.date(y, month, 1) for y in range(pub.year - 2, pub.year + 2)]
    sign, reason = _direction(cand, ctx)
    if x.shift is not None:
        sign, reason = x.shift, "explicit"
    if sign == -1 and x.shift == -1:
        d = max(o for o in options if o < current)
    elif sign == 1:
        d = (
            min(o for o in options if o > current)
            if x.shift == 1
            else min(o for o in options if o >= current)
        )
    elif sign == -1:
        d = max(o for o in options if o <= current)
    else:
        # "this summer", or no evidence: the one in the publication's year.
        same = [o for o in options if o.year == pub.year]
        d = same[0] if month != 12 or pub.month == 12 else _dt.date(pub.year - 1, 12, 1)
        if x.season == "WI" and pub.month in (1, 2):
            d = _dt.date(pub.year - 1, 12, 1)
        elif x.season == "WI":
            d = _dt.date(pub.year, 12, 1)
    return _unit(d, Grain.SEASON, cand.mod), _prov(
        cand, "published", value_for(pub, Grain.DAY), sign, reason
    )


def _r_decade(cand: Candidate, x: E.Decade, ctx: Context) -> Resolved:
    first = x.first_year
    if not x.century_known:
        ref = (
            ctx.story.interval.start.year
            if ctx.story is not None and ctx.story.interval is not None
            else ctx.published.year
        )
        century = ref - ref % 100
        first = century + first if century + first <= ref else century - 100 + first
    d = _dt.date(clamp_year(first), 1, 1)
    return _unit(d, Grain.DECADE, cand.mod), _prov(cand, "none", None, None, "absolute")


def _r_century(cand: Candidate, x: E.Century, ctx: Context) -> Resolved:
    if x.prefix < 0:
        value = TimeValue("DATE", f"BC{-x.prefix:02d}", Grain.CENTURY, None, cand.mod)
        return value, _prov(cand, "none", None, None, "absolute")
    d = _dt.date(clamp_year(x.prefix * 100), 1, 1)
    return _unit(d, Grain.CENTURY, cand.mod), _prov(cand, "none", None, None, "absolute")


def _r_clock(cand: Candidate, x: E.Clock, ctx: Context) -> Resolved | None:
    if x.day is not None:
        inner = Candidate(cand.start, cand.end, cand.rule, x.day, None, cand.direction)
        got = resolve(inner, ctx)
        if got is None or got[0].interval is None:
            return None
        day = got[0].interval.start.date()
        prov = got[1]
    elif (
        ctx.story is not None
        and ctx.previous is not None
        and ctx.previous.grain in (Grain.DAY, Grain.PART_OF_DAY, Grain.HOUR, Grain.MINUTE)
        and ctx.previous.interval is not None
    ):
        # "At 11 a.m." after "on 11 November 1918": the story's day
        day = ctx.previous.interval.start.date()
        prov = _prov(cand, "previous", ctx.previous.value, 0, "narrative:story-day")
    else:
        day = ctx.published.date()
        prov = _prov(cand, "published", value_for(day, Grain.DAY), 0, "default:publication-day")
    t = _dt.datetime(day.year, day.month, day.day, x.hour % 24, x.minute or 0)
    grain = Grain.MINUTE if x.minute is not None else Grain.HOUR
    span = _dt.timedelta(minutes=1) if x.minute is not None else _dt.timedelta(hours=1)
    value = TimeValue(
        "TIME", t.strftime("%Y-%m-%dT%H:%M"), grain, Interval(t, t + span, grain), cand.mod
    )
    return value, attrs.evolve(prov, rule=cand.rule)


def _easter(year: int) -> _dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian computus)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ll = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ll) // 451
    month, day = divmod(h + ll - 7 * m + 114, 31)
    return _dt.date(year, month, day + 1)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> _dt.date:
    if n > 0:
        first = _dt.date(year, month, 1)
        return first + _dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (n - 1))
    last = add_months(_dt.date(year, month, 1), 1) - _dt.timedelta(days=1)
    return last - _dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def _holiday_date(key: str, year: int) -> _dt.date:
    if key == "thanksgiving":
        return _nth_weekday(year, 11, 4, 4)
    if key == "memorial":
        return _nth_weekday(year, 5, 1, -1)
    if key == "labor":
        return _nth_weekday(year, 9, 1, 1)
    if key == "election":
        # US Election Day: the Tuesday after the first Monday of November
        return _nth_weekday(year, 11, 1, 1) + _dt.timedelta(days=1)
    return _easter(year)


def _r_holiday(cand: Candidate, x: E.Holiday, ctx: Context) -> Resolved:
    pub = ctx.published.date()
    if x.year is not None:
        return _unit(_holiday_date(x.key, x.year), Grain.DAY, cand.mod), _prov(
            cand, "none", None, None, "absolute"
        )
    sign, reason = _direction(cand, ctx)
    story = ctx.story
    if story is not None and story.interval is not None and x.shift is None:
        sy = story.interval.start.date()
        opts = [
            (d, d + _dt.timedelta(days=1))
            for d in (_holiday_date(x.key, y) for y in (sy.year - 1, sy.year, sy.year + 1))
        ]
        return _unit(_forward_nearest(opts, sy), Grain.DAY, cand.mod), _prov(
            cand, "previous", story.value, None, "narrative:story-date"
        )
    options = [
        (d, d + _dt.timedelta(days=1))
        for d in (_holiday_date(x.key, y) for y in (pub.year - 1, pub.year, pub.year + 1))
    ]
    if reason == "default:past":
        sign, reason = None, "default:nearest"  # a holiday weeks ahead is likelier
    d = _choose(options, pub, sign, cand.direction is not None)
    return _unit(d, Grain.DAY, cand.mod), _prov(
        cand, "published", value_for(pub, Grain.DAY), sign, reason
    )


def _r_week_of_month(cand: Candidate, x: E.WeekOfMonth, ctx: Context) -> Resolved | None:
    """The ISO week holding the month's first (or last) day, moved by n - 1,
    or the one holding the day named."""
    date = E.CalDate(x.year, x.month, x.day)
    inner = Candidate(cand.start, cand.end, cand.rule, date, None, cand.direction)
    got = _r_caldate(inner, date, ctx)
    if got is None or got[0].interval is None:
        return None
    first = got[0].interval.start.date()
    if x.day is not None:
        d = first
    elif x.n == -1:
        d = got[0].interval.end.date() - _dt.timedelta(days=1)
    else:
        d = first + _dt.timedelta(weeks=x.n - 1)
    return _unit(d, Grain.WEEK, cand.mod), attrs.evolve(got[1], rule=cand.rule)


def _r_duration(cand: Candidate, x: E.Duration, ctx: Context) -> Resolved:
    return TimeValue("DURATION", x.value, None, None, cand.mod), _prov(
        cand, "none", None, None, "duration"
    )


def _r_ref(cand: Candidate, x: E.Ref, ctx: Context) -> Resolved:
    if x.value == "SAME":
        # "at the same time", "during this period": the date just told
        prev = ctx.previous
        if prev is not None and prev.interval is not None:
            return attrs.evolve(prev, mod=cand.mod), _prov(
                cand, "previous", prev.value, 0, "anaphoric:same"
            )
        return TimeValue("DATE", "PRESENT_REF", None, None, cand.mod), _prov(
            cand, "published", None, 0, "anaphoric:none"
        )
    sign = {"PAST_REF": -1, "FUTURE_REF": 1}.get(x.value, 0)
    type_ = "TIME" if "T" in x.value and x.value.startswith("XXXX") else "DATE"
    return TimeValue(type_, x.value, None, None, cand.mod), _prov(
        cand, "published", None, sign, "explicit"
    )


def _r_set(cand: Candidate, x: E.SetExpr, ctx: Context) -> Resolved:
    return TimeValue("SET", x.value, None, None, cand.mod, x.quant, x.freq), _prov(
        cand, "none", None, None, "set"
    )


_RESOLVERS: dict[type, Callable[[Candidate, Any, Context], Resolved | None]] = {
    E.Weekday: _r_weekday,
    E.WeekOfMonth: _r_week_of_month,
    E.RelDay: _r_relday,
    E.Shift: _r_shift,
    E.Offset: _r_offset,
    E.CalDate: _r_caldate,
    E.Period: _r_period,
    E.Season: _r_season,
    E.Decade: _r_decade,
    E.Century: _r_century,
    E.Clock: _r_clock,
    E.Holiday: _r_holiday,
    E.Duration: _r_duration,
    E.Ref: _r_ref,
    E.SetExpr: _r_set,
}
