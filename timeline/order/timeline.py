"""Ordering: the events of one document or many, in interval order.

Dates of different grains overlap ("last week" contains "Friday"), so the
order sorts by the interval's start, the wider interval first at equal
starts, then document and text order.  Reports of one event in several
articles are grouped into one event that keeps every source.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs

from ..model import Event, Interval, Mention, Source

__all__ = ["Timeline", "lemma", "order_key", "participants"]


def order_key(event: Event) -> tuple[Any, ...]:
    """Interval order that respects grain: start, then wider first, then
    document and text order."""
    interval = event.when.interval
    assert interval is not None
    return (
        interval.start,
        -(interval.end - interval.start).total_seconds(),
        event.document or "",
        event.position,
    )


def lemma(word: str | None) -> str:
    """A crude lemma for grouping reports of one event: lower case, without
    the common inflections ("reached", "reaches", "reaching" -> "reach")."""
    if not word:
        return ""
    w = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            return w[: -len(suffix)]
    return w


_NAME = re.compile(r"\b[A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,})*")


def participants(event: Event) -> frozenset[str]:
    """Names in the event's sentence (capitalised words past its first word)."""
    body = event.text.split(" ", 1)[1] if " " in event.text else ""
    return frozenset(m.group() for m in _NAME.finditer(body))


def _group(raw: Sequence[Event]) -> list[Event]:
    """Group reports of the same event from different documents: same date
    value, same trigger lemma and at least one shared participant."""
    if len({e.document for e in raw}) < 2:
        return list(raw)  # only reports from different documents are grouped
    buckets: dict[tuple[str, str], list[int]] = {}
    for i, e in enumerate(raw):
        if e.trigger:
            buckets.setdefault((e.when.value, lemma(e.trigger)), []).append(i)
    parent = list(range(len(raw)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # i and j are linked when they come from different documents and share a
    # name; so all holders of one name are linked as soon as two documents
    # hold it (linear, where comparing every pair would be quadratic).
    for members in buckets.values():
        holders: dict[str, list[int]] = {}
        for i in members:
            for name in participants(raw[i]):
                holders.setdefault(name, []).append(i)
        for held in holders.values():
            if len({raw[i].document for i in held}) > 1:
                root = find(held[0])
                for j in held[1:]:
                    parent[find(j)] = root
                    root = find(root)
    groups: dict[int, list[Event]] = {}
    for i, e in enumerate(raw):
        groups.setdefault(find(i), []).append(e)
    out: list[Event] = []
    for group in groups.values():
        head = min(group, key=order_key)
        sources = tuple(sorted({s for m in group for s in m.sources}, key=_source_key))
        out.append(attrs.evolve(head, sources=sources) if len(group) > 1 else head)
    return out


def _source_key(s: Source) -> tuple[str, str, int, int]:
    return (s.document or "", s.published.isoformat() if s.published else "", s.start, s.end)


def _raw_key(e: Event) -> tuple[Any, ...]:
    return (
        *order_key(e),
        e.mention.start if e.mention else -1,
        e.trigger_start or -1,
        e.trigger or "",
        tuple(_source_key(s) for s in e.sources),
    )


@attrs.frozen
class Timeline:
    """Events in timeline order, from one document or many.

    Iterating yields events sorted by the start of their interval; at equal
    starts the wider interval (the week) comes before the narrower one (the
    Friday inside it), and ties keep document and text order.  No event is
    ever dropped: reports of one event in several articles are grouped into one
    event that keeps every source (``event.sources``).
    """

    events: tuple[Event, ...]
    mentions: tuple[Mention, ...] = ()
    # Every single report, before grouping: what merging works on.
    reports: tuple[Event, ...] = attrs.field(default=(), repr=False)

    @classmethod
    def from_events(cls, events: Iterable[Event], mentions: Iterable[Mention] = ()) -> Timeline:
        """A timeline of these events (duplicates of one report are dropped)."""
        unique: dict[tuple[Any, ...], Event] = {}
        for e in events:
            unique.setdefault(_raw_key(e), e)
        # the keys are distinct, so sorting by them alone orders as sorting the events by them
        reports = tuple(unique[k] for k in sorted(unique))
        grouped = tuple(sorted(_group(reports), key=order_key))
        given = tuple(mentions)
        if all(a.start < b.start for a, b in itertools.pairwise(given)):
            # in text order and no two at one place (extract's own order):
            # none repeats another, and sorting would keep them as they are
            ordered_mentions = given
        else:
            seen: dict[Mention, None] = dict.fromkeys(given)
            ordered_mentions = tuple(sorted(seen, key=lambda m: (m.start, m.end, m.value, m.text)))
        return cls(grouped, ordered_mentions, reports)

    @classmethod
    def merge(cls, timelines: Iterable[Timeline]) -> Timeline:
        """One timeline from several (say, one per article).

        Merging is commutative, associative and idempotent: merging an article
        twice adds nothing.
        """
        reports: list[Event] = []
        mentions: list[Mention] = []
        for t in timelines:
            reports.extend(t.reports or t.events)
            mentions.extend(t.mentions)
        return cls.from_events(reports, mentions)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def __getitem__(self, index: int) -> Event:
        return self.events[index]

    def _keep(self, keep: Callable[[Event], bool]) -> Timeline:
        reports = tuple(r for r in (self.reports or self.events) if keep(r))
        return Timeline.from_events(reports, self.mentions)

    def between(self, start: _dt.date | _dt.datetime, end: _dt.date | _dt.datetime) -> Timeline:
        """Events whose interval overlaps ``[start, end)``."""
        lo = _as_datetime(start)
        hi = _as_datetime(end)
        return self._keep(
            lambda e: (
                e.when.interval is not None
                and e.when.interval.start < hi
                and lo < e.when.interval.end
            )
        )

    def mentioning(self, keyword: str) -> Timeline:
        """Events whose sentence mentions ``keyword`` (case-insensitive)."""
        k = keyword.casefold()
        return self._keep(lambda e: k in e.text.casefold())

    def asserted(self) -> Timeline:
        """Only events stated as having happened: asserted, not future."""
        return self._keep(lambda e: e.factuality == "asserted" and e.tense != "future")

    @staticmethod
    def relation(a: Event, b: Event) -> str:
        """How ``a``'s interval relates to ``b``'s: before, after, equal,
        includes, during or overlaps (``unknown`` without intervals)."""
        ia: Interval | None = a.when.interval
        ib: Interval | None = b.when.interval
        if ia is None or ib is None:
            return "unknown"
        return ia.relation(ib)

    def to_records(self) -> list[dict[str, Any]]:
        """The events as plain dicts, one per event (see :mod:`timeline.formats`)."""
        from .records import to_records

        return to_records(self)

    def to_pandas(self) -> Any:
        """The events as a pandas DataFrame (needs ``pip install 'news-timeline[pandas]'``)."""
        from .records import to_pandas

        return to_pandas(self)


def _as_datetime(value: _dt.date | _dt.datetime) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None)
    return _dt.datetime(value.year, value.month, value.day)
