"""The public entry points: :func:`extract` and :func:`build`."""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from collections.abc import Iterable

import attrs

from . import era
from .events import Timeline, attach
from .expr import (
    CalDate,
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
from .model import Direction, Grain, Interval, Mention, TimeValue
from .resolve import Context, resolve
from .scanner import Candidate, grammar, scan
from .tense import FUTURE, PAST, core_tense_of, tense_of

__all__ = ["Options", "Published", "build", "extract", "parse_published"]

Published = _dt.date | _dt.datetime | str

_DOMAINS = ("auto", "news", "narrative")


@attrs.frozen
class Options:
    """Per-call settings.  There is no global state: pass one to each call.

    ``domain``
        ``"news"`` resolves year-less dates against the publish date,
        ``"narrative"`` against the last year the text wrote out, and
        ``"auto"`` (the default) decides per document: a text that dates
        itself mostly by years far from the publish date (history, biography)
        is read as narrative, anything else as news.  Anaphoric phrases ("the
        following day", "two days later") anchor on the previous date in
        every domain.
    """

    domain: str = attrs.field(default="auto")

    @domain.validator
    def _check_domain(self, _attribute: object, value: str) -> None:
        if value not in _DOMAINS:
            raise ValueError(f"domain must be one of {', '.join(_DOMAINS)}, not {value!r}")


_DEFAULT = Options()
_ISO_LIKE = re.compile(r"\d{4}-?\d{2}-?\d{2}")


def parse_published(published: Published) -> _dt.datetime:
    """Normalise ``published`` to a naive datetime in its own local time.

    Accepts a :class:`datetime.date`, a :class:`datetime.datetime` (naive or
    aware: the wall-clock date of the article is kept) or an ISO 8601 string.
    Anything else raises :class:`ValueError` naming the value.

    ```python
    >>> parse_published("2025-01-22")
    datetime.datetime(2025, 1, 22, 0, 0)
    >>> parse_published("2025-01-22T04:56:48+05:30")
    datetime.datetime(2025, 1, 22, 4, 56, 48)

    ```
    """
    if isinstance(published, _dt.datetime):
        return published.replace(tzinfo=None)
    if isinstance(published, _dt.date):
        return _dt.datetime(published.year, published.month, published.day)
    if isinstance(published, str):
        text = published.strip()
        if not _ISO_LIKE.match(text):
            raise ValueError(f"published: {published!r} is not an ISO 8601 date (YYYY-MM-DD)")
        try:
            value = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValueError(f"published: {published!r} is not a valid date: {exc}") from None
        return value.replace(tzinfo=None)
    raise ValueError(
        f"published: {published!r} has type {type(published).__name__}; "
        "expected a date, a datetime or an ISO 8601 string"
    )


def extract(text: str, published: Published, *, options: Options | None = None) -> list[Mention]:
    """Find the temporal expressions in ``text`` and resolve each one.

    Returns the mentions in text order; they never overlap and
    ``text[m.start:m.end] == m.text`` for each.

    ```python
    >>> [(m.text, m.value) for m in extract("Talks were held on Friday.", "2025-01-22")]
    [('Friday', '2025-01-17')]

    ```
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    pub = parse_published(published)
    opts = options or _DEFAULT
    candidates = list(scan(text))
    if any(mark in text for mark in _OPENING_QUOTES):
        candidates = [
            c for c in candidates if c.rule == "holiday" or not _quoted_title(text, c.start, c.end)
        ]
    narrative = opts.domain == "narrative" or (
        opts.domain == "auto" and _looks_narrative(candidates, pub)
    )
    if narrative:
        # Rules written for narrative text only ("former", bare seasons).
        candidates = _merge(candidates, scan(text, grammar().domain_only))
    mentions: list[Mention] = []
    previous: TimeValue | None = None
    previous_period: TimeValue | None = None
    # The story's date: the last date whose year the text wrote out.  Dates
    # derived from it do not move it, so one wrong guess cannot drift on.
    story: TimeValue | None = None
    for i, cand in enumerate(candidates):
        tense = tense_of(text, cand.start, cand.end) if _needs_tense(cand) else None
        if (
            not narrative
            and cand.direction is None
            and isinstance(cand.expr, CalDate)
            and cand.expr.year is None
        ):
            lead = _LEAD.search(text, max(0, cand.start - 10), cand.start)
            word = lead.group(1).lower() if lead is not None else ""
            if word == "since":
                # "since May" lies behind us
                cand = attrs.evolve(cand, direction=-1)
            elif word and not (
                word == "through"
                and (
                    _PERIOD_THROUGH.search(text, max(0, cand.start - 30), cand.start)
                    or (
                        tense == PAST
                        and not _PERFECT_BEFORE.search(text, max(0, cand.start - 80), cand.start)
                    )
                )
            ):
                # "by Jan. 14" is a deadline, mostly ahead; so is "have extended
                # the loans through January" (but "ran through March" and "in the
                # 12 months through March" tell of a period that has ended)
                cand = attrs.evolve(cand, lean=1)
            elif (
                tense == PAST
                and isinstance(cand.expr, CalDate)
                and cand.expr.day is not None
                and _FRONTED_ON.search(text, max(0, cand.start - 8), cand.start)
                and text.startswith(",", cand.end)
                and core_tense_of(text, cand.start, cand.end) == PAST
            ):
                # "On Jan. 9, a jet crashed": a fronted day of an event told in
                # the past lies behind, however near ahead it next comes
                # ("the court set Jan. 14" stays ahead)
                cand = attrs.evolve(cand, direction=-1)
        elif cand.direction is None and _open_weekday(cand.expr):
            lead = _LEAD.search(text, max(0, cand.start - 10), cand.start)
            if lead is not None and lead.group(1).lower() in ("until", "till"):
                # "adjourned until Monday", "until 9 a.m. Tuesday": a deadline ahead
                cand = attrs.evolve(cand, direction=1)
            elif _DONE.match(text, cand.end):
                # "Wednesday's ruling", "Friday's close": something already done
                cand = attrs.evolve(cand, direction=-1)
        ctx = Context(
            pub,
            tense=tense,
            previous=previous,
            previous_period=previous_period,
            story=story if narrative else None,
            year_hint=_coordinated_year(
                text, cand, candidates[i + 1] if i + 1 < len(candidates) else None
            ),
        )
        got = resolve(cand, ctx)
        if got is None:
            continue
        value, why = got
        # A story told in BC years goes on from a proxy date (see era.py).
        value, tracked = era.track(value) if narrative else (value, value)
        mention = Mention(cand.start, cand.end, text[cand.start : cand.end], value, why)
        mentions.append(mention)
        value = tracked
        if (
            value.interval is not None
            and value.type in ("DATE", "TIME")
            and value.grain not in _NOT_STORY
            # In a story, "today" inside a quotation does not move the story's date.
            and not (narrative and why.anchor == "published" and why.direction is Direction.SAME)
            # In news, "a year ago" is a comparison: the next "a year earlier"
            # compares with the same period, not with the year before it.
            and not (not narrative and _year_back(cand.expr))
        ):
            previous = value
            if (
                why.anchor == "none"
                and not _digression(value, story)
                and not (narrative and _planned(text, cand, value))
            ):
                story = value
            # A period not yet begun ("through the third quarter of 1990") is
            # a forecast: "the year-ago period" compares a reported one.
            if isinstance(cand.expr, Period) and value.interval.start <= pub:
                previous_period = value
    return _clock_days(text, mentions)


# Between a clock time and the day written right after it: "10:35 a.m.
# (0735 GMT) Friday", "5:00 am on October 3", "4 in the morning (4 a.m. EDT
# Thursday)".
_CLOCK_GAP = re.compile(r"[\s,(]{0,4}(?:on\s{1,3})?")
_GMT_NOTE = re.compile(r"\([^()]{0,20}\)")
# Between a day and a clock time that belongs to it: "tomorrow at noon",
# "Monday noon", "Tuesday's 5 p.m. quotes", "this afternoon at about 3:30".
_DAY_THEN_CLOCK = re.compile(r"(?:['’]s)?\s{1,3}(?:at\s{1,3}(?:about\s{1,3}|around\s{1,3})?)?")
_AM_PM = re.compile(r"[AaPp]\.?\s?[Mm]\b|[AaPp][Mm]")


def _clock_days(text: str, mentions: list[Mention]) -> list[Mention]:
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
_NOT_STORY = (Grain.DECADE, Grain.CENTURY)
_COORDINATION = re.compile(
    r"\s{0,3}(?:,|and|or|to|through|until|till|-|–|—|/)\s{0,3}(?:(?:early|late|mid-?)\s{1,3})?"
)


def _coordinated_year(text: str, cand: Candidate, following: Candidate | None) -> int | None:
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


def _open_weekday(x: object) -> bool:
    """A weekday without "last" or "next", alone or as a clock time's day."""
    day = x.day if isinstance(x, Clock) else x
    return isinstance(day, Weekday) and day.shift is None


def _needs_tense(cand: Candidate) -> bool:
    """Whether the clause's tense can change this candidate's value: only
    expressions that leave their direction open ("Friday", "in March")."""
    x = cand.expr
    if isinstance(x, Offset) and x.within:
        return True
    if cand.direction is not None:
        return False
    if isinstance(x, Weekday):
        return x.shift is None
    if isinstance(x, CalDate):
        return x.year is None and x.month is not None and x.year_offset is None
    if isinstance(x, Season | Holiday | WeekOfMonth):
        return x.year is None
    if isinstance(x, Clock):
        return isinstance(x.day, Weekday) and x.day.shift is None
    if isinstance(x, Shift):
        return x.definite and x.unit == "weekend"
    if isinstance(x, Offset):
        return x.within
    return False


def _merge(main: list[Candidate], extra: Iterable[Candidate]) -> list[Candidate]:
    """Add the domain-only candidates: each replaces the main candidates that it
    wholly covers ("the night of April 18, 1775" over "April 18, 1775"), and
    is dropped when it only partly overlaps one.  Both lists are sorted and
    free of overlaps, so a binary search finds the overlapping run."""
    starts = [m.start for m in main]
    ends = [m.end for m in main]
    dropped: set[int] = set()
    added: list[Candidate] = []
    for c in extra:
        lo = bisect.bisect_right(ends, c.start)
        hi = bisect.bisect_left(starts, c.end)
        run = range(lo, hi)
        if all(c.start <= starts[k] and ends[k] <= c.end for k in run):
            dropped.update(run)
            added.append(c)
    kept = [m for k, m in enumerate(main) if k not in dropped]
    return sorted(kept + added, key=lambda c: c.start)


# A title in quotes: ABC's "This Week," CBS's "60 Minutes," the film "High
# Noon."  Its words are capitalised up to the closing quote, and at least one
# of them after the first is a word that is lower case in running text.
_TITLE_TOKEN = re.compile(r"[A-Z0-9][A-Za-z0-9'’&.-]{0,20}")
_TITLE_LOWER = frozenset(
    """a an and at for in of on or the to with this that next last week weeks day days
    night nights morning afternoon evening noon midnight today tonight tomorrow yesterday
    hour hours minute minutes second seconds month months year years now time times""".split()
)
_OPENING_QUOTES = ('"', "“", "``", "''")
_CLOSING_QUOTES = ('"', "”", "''")
_NOT_TITLE_START = frozenset(
    "in on at by for from until till since during before after within over next last".split()
)
_TITLE_VERBS = frozenset(
    """will would shall should can could may might must is are was were be been has have
    had do does did""".split()
)


def _quoted_title(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies inside a short quoted title."""
    first = text[start : start + 1]
    if not (first.isupper() or first.isdigit()):
        return False  # a title's words are capitalised
    rest = text[start + 1 : end]
    if start and (rest.islower() or rest.isdigit()):
        # no capital after the first ("Friday", "March 3", "1998"): a title
        # only right after an opening quote or another capitalised word
        # ("High Noon")
        before = text[start - 1]
        if before == " ":
            k = text.rfind(" ", max(0, start - 30), start - 1)
            if not text[k + 1 : start].lstrip("\"“`'")[:1].isupper():
                return False
        elif before not in "\"“`'":
            return False
    lo = max(0, start - 60)
    q = -1  # the last character of the nearest opening quote before the phrase
    for mark in _OPENING_QUOTES:
        at = text.rfind(mark, lo, start)
        if at >= 0:
            q = max(q, at + len(mark) - 1)
    if q < 0:
        return False
    tail = text[end : end + 60]
    closing = [i for i in (tail.find(mark) for mark in _CLOSING_QUOTES) if i >= 0]
    if not closing:
        return False
    inside = (text[q + 1 : end] + tail[: min(closing)]).rstrip(",.!?")
    tokens = inside.split(" ")
    if not 2 <= len(tokens) <= 6 or any(_TITLE_TOKEN.fullmatch(t) is None for t in tokens):
        return False
    lows = [t.lower() for t in tokens]
    # a headline or a phrase in title case, not a name: "Rates Will Fall
    # Next Year", "In The Coming Weeks"
    if lows[0] in _NOT_TITLE_START or any(t in _TITLE_VERBS for t in lows):
        return False
    return any(t in _TITLE_LOWER for t in lows[1:])


def _looks_narrative(candidates: list[Candidate], published: _dt.datetime) -> bool:
    """True when the text dates itself by years far from publication (history,
    biography) more than by the publish date (yesterday, last week, Friday)."""
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


def build(
    text: str,
    published: Published,
    *,
    options: Options | None = None,
    document: str | None = None,
    undated: bool = False,
) -> Timeline:
    """Extract, attach each date to its event, and order the events.

    With ``undated=True``, sentences that report something ("the minister
    said") without any date expression also give events, placed on the
    publish date and marked ``dated=False``.

    ```python
    >>> t = build("Talks were held on Friday. The minister will travel next week.", "2025-01-22")
    >>> [(e.when.value, e.trigger, e.factuality) for e in t]
    [('2025-01-17', 'held', 'asserted'), ('2025-W05', 'travel', 'future')]

    ```
    """
    mentions = extract(text, published, options=options)
    pub = parse_published(published).date()
    events = attach(text, mentions, document, published=pub, undated=undated)
    return Timeline.from_events(events, mentions)
