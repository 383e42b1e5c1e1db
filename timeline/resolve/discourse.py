"""Discourse: what the rest of the text tells the resolution of one mention.

A mention is resolved by :func:`timeline.resolve.resolver.resolve`, a pure
function of the expression and a :class:`~timeline.resolve.resolver.Context`.
This module builds that context as it reads the text in order:

1. **The reading of the whole text** (:func:`reads_as_story`): news, resolved
   against the publish date, or a story (history, biography), resolved against
   the last year the text wrote out.
2. **Cues** (:data:`CUES`): words next to a mention that fix or bend its
   direction before the tense of its clause is consulted ("since May" lies
   behind, "until Monday" ahead).  Each cue is a small named function; they
   are tried in the table's order and the first that fires wins.
3. **The state carried from mention to mention** (:class:`Discourse`): the
   previous date, the story's date and the previous reporting period, one
   frozen value, replaced after each mention (:meth:`Discourse.told`).
4. **Clock times and their days** (:func:`clock_days`): a time that names no
   day ("at 3 p.m.") takes the day written next to it, once every mention is
   resolved.

Where a new piece goes:

- a word before or after a mention that settles its direction: a cue
  function below, added to :data:`CUES` at its place in the order;
- something an earlier mention tells later ones: a field of :class:`Discourse`
  and a line in :meth:`Discourse.told`, read in :meth:`Discourse.context`;
- a new kind of expression or value: not here, but :mod:`timeline.find` and
  :mod:`timeline.resolve.resolver`.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable

import attrs

from ..find.expressions import (
    CalDate,
    Candidate,
    Clock,
    Decade,
    Holiday,
    Offset,
    Period,
    RelDay,
    Season,
    Shift,
    Weekday,
    WeekOfMonth,
)
from ..model import Direction, Grain, Interval, Mention, Provenance, TimeValue
from . import era
from .resolver import Context, resolve
from .tense import FUTURE, PAST, core_tense_of, tense_of

__all__ = ["CUES", "Cue", "Discourse", "clock_days", "read", "reads_as_story"]


def read(
    text: str, candidates: list[Candidate], published: _dt.datetime, *, story: bool
) -> list[Mention]:
    """Resolve ``candidates`` in text order, each in the light of those before it.

    ``story`` is the reading of the whole text (:func:`reads_as_story`).
    """
    mentions: list[Mention] = []
    state = Discourse()
    for i, cand in enumerate(candidates):
        tense = tense_of(text, cand.start, cand.end) if _needs_tense(cand) else None
        cand = apply_cues(text, cand, tense, story)
        following = candidates[i + 1] if i + 1 < len(candidates) else None
        ctx = state.context(published, tense, story, coordinated_year(text, cand, following))
        got = resolve(cand, ctx)
        if got is None:
            continue
        value, why = got
        # A story told in BC years goes on from a proxy date (see era.py).
        value, tracked = era.track(value) if story else (value, value)
        mentions.append(Mention(cand.start, cand.end, text[cand.start : cand.end], value, why))
        state = state.told(text, cand, tracked, why, published, story)
    return clock_days(text, mentions)


# --------------------------------------------------------------------------
# The state carried from mention to mention
# --------------------------------------------------------------------------

# Grains too coarse to be where a story has got to ("in the 1990s").
_NOT_STORY = (Grain.DECADE, Grain.CENTURY)


@attrs.frozen
class Discourse:
    """What the mentions read so far tell the next one."""

    #: The last date or time told: the anchor of "the following day", "that year".
    previous: TimeValue | None = None
    #: The last quarter or half already begun: the anchor of "the year-ago period".
    previous_period: TimeValue | None = None
    #: In a story, the last date whose year the text wrote out: year-less
    #: dates ("In March, ...") are read against it.  Dates derived from it do
    #: not move it, so one wrong guess cannot drift on.
    story: TimeValue | None = None
    #: The last mention told was a span of months to date ("the nine months").
    year_to_date: bool = False

    def context(
        self, published: _dt.datetime, tense: str | None, story: bool, year_hint: int | None
    ) -> Context:
        """The context one resolution gets."""
        return Context(
            published,
            tense=tense,
            previous=self.previous,
            previous_period=self.previous_period,
            story=self.story if story else None,
            year_hint=year_hint,
            year_to_date=self.year_to_date,
        )

    def told(
        self,
        text: str,
        cand: Candidate,
        value: TimeValue,
        why: Provenance,
        published: _dt.datetime,
        story: bool,
    ) -> Discourse:
        """The state after ``cand`` resolved to ``value``."""
        if _YEAR_TO_DATE.fullmatch(text, cand.start, cand.end) and value.type == "DURATION":
            return attrs.evolve(self, year_to_date=True)
        if (
            self.previous is not None
            and self.previous.grain in (Grain.QUARTER, Grain.HALF)
            and _PERIOD_ENDED.search(text, max(0, cand.start - 40), cand.start)
        ):
            # "the quarter ended Sept. 30": the day names the period's end,
            # and what follows ("a year earlier") still speaks of the period
            return self
        if self.year_to_date:
            return attrs.evolve(self, year_to_date=False).told(
                text, cand, value, why, published, story
            )
        if (
            value.interval is None
            or value.type not in ("DATE", "TIME")
            or value.grain in _NOT_STORY
            # In a story, "today" inside a quotation does not move the story's date.
            or (story and why.anchor == "published" and why.direction is Direction.SAME)
            # In news, "a year ago" is a comparison: the next "a year earlier"
            # compares with the same period, not with the year before it.
            or (not story and _year_back(cand.expr))
        ):
            return self
        new_story = self.story
        if (
            why.anchor == "none"
            and not _digression(value, self.story)
            and not (story and _planned(text, cand, value))
        ):
            new_story = value
        # A period not yet over ("through the third quarter of 1990", "into
        # the fourth quarter" in October) is a forecast: "the year-ago
        # period" compares a reported one, and results follow a period's end.
        # An earlier one told after it is background ("after a flat second
        # quarter" in a third-quarter report) and leaves it in force too.
        period = self.previous_period
        if (
            isinstance(cand.expr, Period)
            and value.interval.end <= published
            and (
                period is None
                or period.interval is None
                or value.interval.start >= period.interval.start
            )
        ):
            period = value
        return Discourse(previous=value, previous_period=period, story=new_story)


# A period named by its last day: "the quarter ended Sept. 30".
_PERIOD_ENDED = re.compile(
    r"(?:quarter|period|half)[ \t]{1,3}(?:that[ \t]{1,3})?end(?:ed|ing|s)[ \t]{1,3}(?:on[ \t]{1,3})?\Z"
)

# "the nine months", "the first nine months", "the latest 10 months": the
# months of a year to date, as results news reports them.
_YEAR_TO_DATE = re.compile(
    r"[Tt]he[ \t]{1,3}(?:(?:first|latest)[ \t]{1,3})?"
    r"(?:two|three|four|five|six|seven|eight|nine|ten|eleven|[2-9]|1[01])[ \t]{1,3}months"
)

_DIGRESSION_YEARS = 20


def _digression(value: TimeValue, story: TimeValue | None) -> bool:
    """A bare year far from the story's ("the largest battle since 1813",
    "documents found in 2004"): an aside that leaves the story's date alone."""
    if story is None or story.interval is None or value.interval is None:
        return False
    if value.grain is not Grain.YEAR:
        return False
    return abs(value.interval.start.year - story.interval.start.year) >= _DIGRESSION_YEARS


def _planned(text: str, cand: Candidate, value: TimeValue) -> bool:
    """A bare year in a clause about plans ("a campaign planned for 1976",
    "would end in 1975"): not where the story has got to."""
    return value.grain is Grain.YEAR and tense_of(text, cand.start, cand.end) == FUTURE


def _year_back(x: object) -> bool:
    if isinstance(x, Period):
        # "the same period last year", "the 1988 quarter": a comparison too
        return x.n is None and (x.year is not None or x.year_offset is not None)
    return isinstance(x, Offset) and x.unit == "year" and x.n == 1 and x.sign < 0


# --------------------------------------------------------------------------
# Cues: words next to a mention that settle its direction
# --------------------------------------------------------------------------

#: A cue reads the text around a candidate (and the tense of its clause, and
#: whether the text reads as a story) and returns the candidate with its
#: direction or lean set, or ``None`` when it does not fire.
Cue = Callable[[str, Candidate, str | None, bool], Candidate | None]


def _open_date(cand: Candidate, story: bool) -> bool:
    """In news, a date without a year and without words fixing its direction."""
    return (
        not story
        and cand.direction is None
        and isinstance(cand.expr, CalDate)
        and cand.expr.year is None
    )


def _lead_word(text: str, cand: Candidate) -> str:
    lead = _LEAD.search(text, max(0, cand.start - 10), cand.start)
    return lead.group(1).lower() if lead is not None else ""


# "delayed until Friday", "put the vote off until March", "postponed to next
# month": a postponement points ahead of the text whatever its tense.
_POSTPONED = re.compile(
    r"(?<![A-Za-z])(?:delayed|delays|delay|postponed|postpones|postpone|deferred|defers|defer|"
    r"adjourned|adjourns|adjourn|rescheduled|reschedules|put\s{1,3}off|puts\s{1,3}off|"
    r"pushed\s{1,3}back|pushes\s{1,3}back|moved\s{1,3}back)"
    r"\s{1,3}(?:[A-Za-z'’-]{1,15}\s{1,3}){0,3}?(?:off\s{1,3}|back\s{1,3})?(?:until|till|to)\s{1,3}\Z"
)


def since_period_end(
    text: str, cand: Candidate, tense: str | None, story: bool
) -> Candidate | None:
    """ "since year-end", "since the end of the month": the end of this
    period is still to come, so the one counted from is the last one."""
    x = cand.expr
    if (
        type(x) is Shift
        and x.n == 0
        and cand.mod == "END"
        and not x.anaphoric
        and not story
        and _lead_word(text, cand) == "since"
    ):
        return attrs.evolve(cand, expr=attrs.evolve(x, n=-1))
    return None


def postponed_until(text: str, cand: Candidate, tense: str | None, story: bool) -> Candidate | None:
    """ "delayed until Friday", "has been put off until March": ahead, in any
    tense (the day something was moved to has not come yet)."""
    if story or cand.direction is not None or not _open_any(cand.expr):
        return None
    if _POSTPONED.search(text, max(0, cand.start - 70), cand.start) is None:
        return None
    return attrs.evolve(cand, direction=1)


def _open_any(x: object) -> bool:
    """A date whose year the words leave open: "Friday", "March 3", "spring",
    "the third quarter"."""
    if isinstance(x, CalDate):
        return x.year is None and x.month is not None and x.year_offset is None
    if isinstance(x, Season | Holiday | WeekOfMonth):
        return x.year is None
    if isinstance(x, Period):
        return _open_period(x)
    return _open_weekday(x)


def _open_period(x: Period) -> bool:
    """ "the third quarter", "the second half": no year, no "next" or "last"."""
    return x.n is not None and x.year is None and x.year_offset is None and x.shift is None


def since_date(text: str, cand: Candidate, tense: str | None, story: bool) -> Candidate | None:
    """ "since May" lies behind us; so does the end counted from in "since
    year-end" (:func:`since_period_end`)."""
    if type(cand.expr) is Shift:
        return since_period_end(text, cand, tense, story)
    if _open_date(cand, story) and _lead_word(text, cand) == "since":
        return attrs.evolve(cand, direction=-1)
    return None


def deadline_date(text: str, cand: Candidate, tense: str | None, story: bool) -> Candidate | None:
    """ "by Jan. 14", "until March" are deadlines, mostly ahead; so is "have
    extended the loans through January".  But "ran through March" and "in the
    12 months through March" tell of a period that has ended.  A contract's
    month ("for January delivery", :func:`contract_month`) is read here too."""
    if not _open_date(cand, story):
        return None
    contract = contract_month(text, cand, tense, story)
    if contract is not None:
        return contract
    word = _lead_word(text, cand)
    if not word or word == "since":
        return None
    if word == "through" and (
        _PERIOD_THROUGH.search(text, max(0, cand.start - 30), cand.start)
        or (tense == PAST and not _PERFECT_BEFORE.search(text, max(0, cand.start - 80), cand.start))
    ):
        return None
    if _WILL_BEFORE.search(text, max(0, cand.start - 80), cand.start):
        # "will remain in the region until January": ahead, not the last one
        return attrs.evolve(cand, direction=1)
    return attrs.evolve(cand, lean=1)


def contract_month(text: str, cand: Candidate, tense: str | None, story: bool) -> Candidate | None:
    """ "crude for January delivery", "for delivery in December": the month a
    contract delivers in lies ahead, whatever the price did ("the March
    delivery was late" is no contract).  Asked by :func:`deadline_date` of an
    open date only."""
    x = cand.expr
    if (
        type(x) is CalDate
        and x.day is None
        and (
            (
                _DELIVERY_AFTER.match(text, cand.end)
                and _FOR_BEFORE.search(text, max(0, cand.start - 5), cand.start)
            )
            or _DELIVERY_BEFORE.search(text, max(0, cand.start - 20), cand.start)
        )
    ):
        return attrs.evolve(cand, direction=1)
    return None


_DELIVERY_AFTER = re.compile(r"\s{1,3}(?:delivery|settlement)\b")
_DELIVERY_BEFORE = re.compile(r"\bfor\s{1,3}delivery\s{1,3}in\s{1,3}\Z")
_FOR_BEFORE = re.compile(r"\bfor\s{1,3}\Z")


# "will" (or "shall") earlier in the same sentence.
_WILL_BEFORE = re.compile(
    r"\b(?:will|shall)(?:\s{1,3}not)?\s[^.;:!?\n]{0,70}\Z|['’]ll\s[^.;:!?\n]{0,70}\Z"
)


def fronted_day(text: str, cand: Candidate, tense: str | None, story: bool) -> Candidate | None:
    """ "On Jan. 9, a jet crashed": a fronted day of an event told in the past
    lies behind, however near ahead it next comes ("the court set Jan. 14"
    stays ahead)."""
    if (
        _open_date(cand, story)
        and tense == PAST
        and isinstance(cand.expr, CalDate)
        and cand.expr.day is not None
        and not _lead_word(text, cand)
        and _FRONTED_ON.search(text, max(0, cand.start - 8), cand.start)
        and text.startswith(",", cand.end)
        and core_tense_of(text, cand.start, cand.end) == PAST
    ):
        return attrs.evolve(cand, direction=-1)
    return None


def until_weekday(text: str, cand: Candidate, tense: str | None, story: bool) -> Candidate | None:
    """ "adjourned until Monday", "until 9 a.m. Tuesday": a deadline ahead."""
    if (
        cand.direction is None
        and _open_weekday(cand.expr)
        and _lead_word(text, cand) in ("until", "till")
    ):
        return attrs.evolve(cand, direction=1)
    return None


def done_weekday(text: str, cand: Candidate, tense: str | None, story: bool) -> Candidate | None:
    """ "Wednesday's ruling", "Friday's close": something already done."""
    if (
        cand.direction is None
        and _open_weekday(cand.expr)
        and _lead_word(text, cand) not in ("until", "till")
        and _DONE.match(text, cand.end)
    ):
        return attrs.evolve(cand, direction=-1)
    return None


#: The cues, in the order they are tried; the first that fires wins.
CUES: tuple[tuple[str, Cue], ...] = (
    ("postponed-until", postponed_until),
    ("since-date", since_date),
    ("deadline-date", deadline_date),
    ("fronted-day", fronted_day),
    ("until-weekday", until_weekday),
    ("done-weekday", done_weekday),
)


def apply_cues(text: str, cand: Candidate, tense: str | None, story: bool) -> Candidate:
    """``cand`` as the first cue that fires leaves it (unchanged if none does)."""
    for _name, cue in CUES:
        got = cue(text, cand, tense, story)
        if got is not None:
            return got
    return cand


_PERIOD_THROUGH = re.compile(
    r"(?i:months?|weeks?|years?|quarters?|period|days|half)\s{1,3}through\s{1,3}\Z"
)
_PERFECT_BEFORE = re.compile(r"\b(?:has|have)\s{1,3}(?:[a-z]{2,12}\s{1,3})?[a-z]{2,20}ed\b")
_FRONTED_ON = re.compile(r"(?:\A|[.!?\n]\s{0,3}|[.!?][\"'’”]\s{0,3})On\s{1,3}\Z")
_LEAD = re.compile(r"(?<![A-Za-z])([Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Tt]hrough)\s{1,3}\Z")
_DONE = re.compile(
    r"['’]s\s{1,3}(?:ruling|decision|verdict|announcement|statement|attack|attacks|bombing|"
    r"bombings|raid|killing|killings|shooting|explosion|blast|crash|close|closing|"
    r"trading|session|earthquake|quake)\b"
)


def _open_weekday(x: object) -> bool:
    """A weekday without "last" or "next", alone or as a clock time's day."""
    day = x.day if isinstance(x, Clock) else x
    return isinstance(day, Weekday) and day.shift is None


def _needs_tense(cand: Candidate) -> bool:
    """Whether the clause's tense can change this candidate's value: only
    expressions that leave their direction open ("Friday", "in March"), a
    definite weekend, and "within" lengths ("in three weeks")."""
    x = cand.expr
    if isinstance(x, Offset) and x.within:
        return True
    if cand.direction is not None:
        return False
    if isinstance(x, Shift):
        return x.definite and x.unit == "weekend"
    return _open_any(x)


# --------------------------------------------------------------------------
# A year written once for two dates
# --------------------------------------------------------------------------

_COORDINATION = re.compile(
    r"\s{0,3}(?:,|and|or|to|through|until|till|-|–|—|/)\s{0,3}(?:(?:early|late|mid-?)\s{1,3})?"
)


def coordinated_year(text: str, cand: Candidate, following: Candidate | None) -> int | None:
    """The year of the next date when the two are coordinated and only the
    second writes its year: "August and September 1914", "May 5-7, 2003"."""
    x = cand.expr
    if following is None or not isinstance(x, CalDate) or x.year is not None or x.month is None:
        return None
    y = following.expr
    if not isinstance(y, CalDate) or y.year is None or y.month is None or y.short_year:
        return None
    gap = text[cand.end : following.start]
    if len(gap) > 24 or not _COORDINATION.fullmatch(gap):
        return None
    return y.year


# --------------------------------------------------------------------------
# The reading of the whole text
# --------------------------------------------------------------------------


def reads_as_story(domain: str, candidates: list[Candidate], published: _dt.datetime) -> bool:
    """Whether the text is read as a story (``domain`` "narrative", or "auto"
    and :func:`_looks_narrative`) rather than as news."""
    return domain == "narrative" or (domain == "auto" and _looks_narrative(candidates, published))


# How far into the text its lead (headline, dateline, first sentence) reaches.
_LEAD_CHARS = 300


def _dated_lead(candidates: list[Candidate], published: _dt.datetime) -> bool:
    """True when the first date in the lead of the text (headline, dateline,
    first sentence) dates it from publication: a weekday, "yesterday", "this
    week", a day without a year ("BEIJING, Nov. 15") or a day in the year of
    publication or the one before. A news article that goes on to tell a life
    or a history (an obituary, a retrospective) still opens on the news; a
    history opens on its first far year ("On September 1, 1939, ...")."""
    for cand in candidates:
        if cand.start >= _LEAD_CHARS:
            break
        x = cand.expr
        if isinstance(x, Weekday | RelDay) or (isinstance(x, Shift) and not x.anaphoric):
            return True
        if (
            isinstance(x, CalDate)
            and x.month is not None
            and x.day is not None
            and (x.year is None or 0 <= published.year - x.year <= 1)
        ):
            return True
        if _writes_year(x):
            return False
    return False


def _looks_narrative(candidates: list[Candidate], published: _dt.datetime) -> bool:
    """True when the text dates itself by years far from publication (history,
    biography) more than by the publish date (yesterday, last week, Friday),
    and its lead does not date it from publication (:func:`_dated_lead`)."""
    if _dated_lead(candidates, published):
        return False
    far = 0
    deictic = 0
    for cand in candidates:
        x = cand.expr
        if _writes_year(x):
            year = x.year if isinstance(x, CalDate) else getattr(x, "first_year", None)
            if year is not None and abs(year - published.year) >= 2:
                far += 1
        elif (
            isinstance(x, Weekday | RelDay)
            or (isinstance(x, Shift) and not x.anaphoric)
            or (isinstance(x, Offset) and not x.anaphoric)
        ):
            deictic += 1
    return far >= 6 and far > 2 * deictic


def _writes_year(expression: object) -> bool:
    return (isinstance(expression, CalDate) and expression.year is not None) or isinstance(
        expression, Decade
    )


# --------------------------------------------------------------------------
# Clock times and their days
# --------------------------------------------------------------------------

# Between a clock time and the day written right after it: "10:35 a.m.
# (0735 GMT) Friday", "5:00 am on October 3", "4 in the morning (4 a.m. EDT
# Thursday)".
_CLOCK_GAP = re.compile(r"[\s,(]{0,4}(?:on\s{1,3})?")
_GMT_NOTE = re.compile(r"\([^()]{0,20}\)")
# Between a day and a clock time that belongs to it: "tomorrow at noon",
# "Monday noon", "Tuesday's 5 p.m. quotes", "this afternoon at about 3:30".
_DAY_THEN_CLOCK = re.compile(r"(?:['’]s)?\s{1,3}(?:at\s{1,3}(?:about\s{1,3}|around\s{1,3})?)?")
_AM_PM = re.compile(r"[AaPp]\.?\s?[Mm]\b|[AaPp][Mm]")


def clock_days(text: str, mentions: list[Mention]) -> list[Mention]:
    """A clock time that names no day takes the day written right after it."""
    out = list(mentions)
    for i, m in enumerate(out):
        when = m.when
        if (
            when.type != "TIME"
            or when.interval is None
            or m.why.reason not in ("default:publication-day", "narrative:story-day")
        ):
            continue
        nxt = out[i + 1] if i + 1 < len(out) else None
        before = out[i - 1] if i > 0 else None
        if nxt is not None and _CLOCK_GAP.fullmatch(_GMT_NOTE.sub("", text[m.end : nxt.start])):
            later, anchor, reason = nxt.when, "next", "day-after"
        elif before is not None and _DAY_THEN_CLOCK.fullmatch(text, before.end, m.start):
            # "tomorrow at noon", "Monday noon", "Tuesday's 5 p.m. quotes"
            later, anchor, reason = before.when, "previous", "day-before"
        else:
            continue
        if later.interval is None or later.grain not in (
            Grain.DAY,
            Grain.PART_OF_DAY,
            Grain.HOUR,
            Grain.MINUTE,
        ):
            continue
        day = later.interval.start.date()
        start = when.interval.start
        span = when.interval.end - start
        value = when.value.replace(start.strftime("%Y-%m-%d"), day.isoformat(), 1)
        hour = start.hour
        if (
            later.grain is Grain.PART_OF_DAY
            and (
                (later.value.endswith(("TAF", "TEV")) and 1 <= hour < 12)
                or (later.value.endswith("TNI") and 6 <= hour < 12)
            )
            and not _AM_PM.search(m.text)
        ):
            # "this afternoon at 3:30" is 15:30
            value = value.replace(f"T{hour:02d}", f"T{hour + 12:02d}", 1)
            hour += 12
        moved = _dt.datetime(day.year, day.month, day.day, hour, start.minute)
        new_when = attrs.evolve(
            when, value=value, interval=Interval(moved, moved + span, when.grain or Grain.MINUTE)
        )
        new_why = attrs.evolve(m.why, anchor=anchor, anchor_value=later.value, reason=reason)
        out[i] = attrs.evolve(m, when=new_when, why=new_why)
    return out
