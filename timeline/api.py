"""The public entry points: :func:`extract` and :func:`build`."""

from __future__ import annotations

import datetime as _dt
import re

import attrs

from .events import Timeline, attach
from .expr import CalDate, Decade
from .model import Grain, Mention, TimeValue
from .resolve import Context, resolve
from .scanner import scan
from .tense import tense_at

__all__ = ["Options", "Published", "build", "extract", "parse_published"]

Published = _dt.date | _dt.datetime | str

_DOMAINS = ("auto", "news", "narrative")


@attrs.frozen
class Options:
    """Per-call settings.  There is no global state: pass one to each call.

    ``domain``
        ``"news"`` resolves year-less dates against the publish date,
        ``"narrative"`` against the last year the text wrote out, and
        ``"auto"`` (the default) does the latter only when that year is far
        from the publish date and was mentioned recently, so one setting
        serves both news and history text.
    ``narrative_reach``
        In ``"auto"`` mode, how many characters back a written-out year still
        anchors year-less dates.
    """

    domain: str = attrs.field(default="auto")
    narrative_reach: int = 1500

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

    >>> parse_published("2025-01-22")
    datetime.datetime(2025, 1, 22, 0, 0)
    >>> parse_published("2025-01-22T04:56:48+05:30")
    datetime.datetime(2025, 1, 22, 4, 56, 48)
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

    >>> [(m.text, m.value) for m in extract("Talks were held on Friday.", "2025-01-22")]
    [('Friday', '2025-01-17')]
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    pub = parse_published(published)
    opts = options or _DEFAULT
    mentions: list[Mention] = []
    previous: TimeValue | None = None
    narrative_year: int | None = None
    narrative_at = -1
    for cand in scan(text):
        tense, _ = tense_at(text, cand.start, cand.end)
        year = None
        if opts.domain == "narrative" or (
            opts.domain == "auto"
            and narrative_year is not None
            and abs(narrative_year - pub.year) >= 2
            and cand.start - narrative_at <= opts.narrative_reach
        ):
            year = narrative_year
        ctx = Context(pub, tense, previous, year, opts.domain)
        got = resolve(cand, ctx)
        if got is None:
            continue
        value, why = got
        mention = Mention(cand.start, cand.end, text[cand.start : cand.end], value, why)
        mentions.append(mention)
        if value.interval is not None and value.type in ("DATE", "TIME"):
            previous = value
            if _writes_year(cand.expr):
                assert value.interval is not None
                narrative_year = value.interval.start.year
                narrative_at = cand.start
            elif why.anchor == "previous" and value.grain is not None and value.grain is not Grain.CENTURY:
                narrative_at = cand.start
    return mentions


def _writes_year(expression: object) -> bool:
    return (isinstance(expression, CalDate) and expression.year is not None) or isinstance(
        expression, Decade
    )


def build(
    text: str, published: Published, *, options: Options | None = None, document: str | None = None
) -> Timeline:
    """Extract, attach each date to its event, and order the events.

    >>> t = build("Talks were held on Friday. The minister will travel next week.", "2025-01-22")
    >>> [(e.when.value, e.trigger) for e in t]
    [('2025-01-17', 'held'), ('2025-W05', 'travel')]
    """
    mentions = extract(text, published, options=options)
    return Timeline.from_events(attach(text, mentions, document), mentions)
