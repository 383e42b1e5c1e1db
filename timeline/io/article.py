"""One article's result as the output formats receive it, and the small
helpers that every format shares (an event's interval, grain, phrase and id)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import unicodedata

import attrs

from ..model import Event, Grain, Interval, Mention
from ..order.timeline import Timeline

__all__ = ["UNDATED", "ArticleResult", "dateline_line"]


@attrs.frozen
class ArticleResult:
    """One article and its timeline, as the formats receive it.

    ``id`` names the document (a file path, a JSON Lines id, ``<example>``);
    ``published_from`` says where the publish date came from (``"option"``,
    ``"dateline"``, ``"html-metadata"`` or ``"jsonl"``); ``timeline`` is
    ``timeline.build(text, published, document=id)``.  When the publish
    date was read from the article's dateline, ``dateline`` is the mention
    it was read from (the reference of the other dates, not one of the
    events) and :func:`dateline_line` its line; otherwise ``None``.
    """

    id: str
    published: _dt.date
    published_from: str
    text: str
    timeline: Timeline
    dateline: Mention | None = None


def dateline_line(result: ArticleResult) -> str | None:
    """The line of the text that holds the dateline, stripped, or ``None``."""
    if result.dateline is None:
        return None
    text, at = result.text, result.dateline.start
    start = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
    ends = [i for i in (text.find("\n", at), text.find("\r", at)) if i >= 0]
    return text[start : min(ends) if ends else len(text)].strip()


def events_of(timeline: Timeline) -> list[Event]:
    """The timeline's events that carry an interval (all of them, in practice)."""
    return [e for e in timeline if e.when.interval is not None]


def interval_of(event: Event) -> Interval:
    interval = event.when.interval
    assert interval is not None  # guaranteed by events_of
    return interval


def grain_of(event: Event) -> str:
    grain = event.when.grain or interval_of(event).grain
    return grain.value


POINT_GRAINS = frozenset({Grain.SECOND, Grain.MINUTE, Grain.HOUR, Grain.PART_OF_DAY, Grain.DAY})


def is_timed(event: Event) -> bool:
    """True for clock times: TIME values, or intervals that do not start at midnight."""
    interval = interval_of(event)
    midnight = _dt.time(0, 0)
    return (
        event.when.type == "TIME"
        or interval.start.time() != midnight
        or interval.end.time() != midnight
    )


def event_id(document: str, event: Event) -> str:
    """A stable id for one event: a hash of the document id and the phrase offsets."""
    if event.mention is not None:
        start, end = event.mention.start, event.mention.end
    else:  # an undated event: the trigger's offsets
        start = event.trigger_start if event.trigger_start is not None else event.text_start
        end = start + len(event.trigger or "")
    key = f"{document}\x00{start}\x00{end}"
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def unique(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... when already used (repeated document ids)."""
    uid, n = base, 2
    while uid in used:
        uid, n = f"{base}-{n}", n + 1
    used.add(uid)
    return uid


def squash(text: str) -> str:
    """Whitespace runs to single spaces; other control characters to U+FFFD."""
    out = " ".join(text.split())
    if any(unicodedata.category(c) == "Cc" for c in out):
        out = "".join(
            "\N{REPLACEMENT CHARACTER}" if unicodedata.category(c) == "Cc" else c for c in out
        )
    return out


UNDATED = "(undated)"


def phrase_of(event: Event) -> str:
    """The date phrase as written (squashed), or ``(undated)`` for an undated event."""
    return squash(event.mention.text) if event.mention is not None else UNDATED


def headline(event: Event) -> str:
    """The trigger and the phrase: ``sail (Friday)``, or the phrase alone."""
    phrase = phrase_of(event)
    return f"{event.trigger} ({phrase})" if event.trigger else phrase


def fmt_day(day: _dt.date | _dt.datetime) -> str:
    """``22 Jan 2025``, independent of the locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def text_width(text: str) -> int:
    """Terminal columns taken by ``text``: wide East Asian characters count two."""
    width = 0
    for c in text:
        if unicodedata.combining(c):
            continue
        width += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return width
