"""Attaching: the event each date dates, and the timeline that orders them.

The event of a mention is the clause that holds it and that clause's main
verb (or, failing a verb, an event noun such as "talks" or "election").  The
analysis is lexical and local: it reads at most a few hundred characters
around each mention, so it stays linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

import attrs

from .model import Event, Interval, Mention
from .tense import IRREGULAR_PAST, clause_bounds, tense_at, tokens

__all__ = ["Timeline", "attach", "sentence_bounds"]

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]{0,2}\s{1,8}(?=[\"'“‘(\[]{0,2}[A-Z0-9])|\n\s{0,8}\n")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen sen rep gov lt col sgt capt prof jan feb mar apr jun jul aug sep sept "
    "oct nov dec u.s inc corp co no vs jr sr mt ft ave".split()
)
_AUXILIARIES = frozenset(
    "will 'll shall would could should may might must can is are was were be been being am "
    "has have had do does did going to expected scheduled due set plans plan planned planning "
    "intends aims hopes also not never still already just reportedly then likely".split()
)
EVENT_NOUNS = frozenset(
    """
    talks meeting meetings summit election elections vote agreement deal accord treaty
    attack attacks bombing explosion blast strike strikes war invasion visit trip
    conference hearing trial verdict ruling announcement launch release opening
    ceremony funeral wedding merger acquisition sale offer earthquake storm flood fire
    crash accident protest protests rally referendum negotiations ceasefire truce
    session match game race festival celebration inauguration speech interview
    statement report results earnings meeting
    """.split()
)
_STOP = frozenset("the a an of in on at by for to and or with from as".split())


def sentence_bounds(text: str, start: int, end: int, reach: int = 400) -> tuple[int, int]:
    """The sentence holding ``text[start:end]``, at most ``reach`` characters away."""
    lo = max(0, start - reach)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, min(len(text), start + 4)):
        if m.end() > start:
            break
        if _is_abbreviation(text, m.start()):
            continue
        left = m.end()
    hi = min(len(text), end + reach)
    right = hi
    for m in _SENTENCE_END.finditer(text, end, hi):
        if _is_abbreviation(text, m.start()):
            continue
        right = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        break
    return left, right


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    j = dot
    while j > 0 and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    return word in _ABBREVIATIONS or len(word) == 1


def _is_verbish(word: str) -> bool:
    return word in IRREGULAR_PAST or (len(word) > 3 and word.endswith("ed"))


def trigger_for(text: str, mention: Mention) -> tuple[str | None, int | None, str]:
    """The trigger word, its offset and the clause's tense for one mention."""
    tense, at = tense_at(text, mention.start, mention.end)
    left, right = clause_bounds(text, mention.start, mention.end)
    words = tokens(text, left, right)
    inside = [(o, w) for o, w in words if not (mention.start <= o < mention.end)]
    if at is not None:
        # Walk from the tense word over auxiliaries to the main verb.
        idx = next((i for i, (o, _) in enumerate(inside) if o == at), None)
        if idx is not None:
            for o, w in inside[idx : idx + 5]:
                if w not in _AUXILIARIES and w not in _STOP:
                    return text[o : o + len(w)], o, tense or "none"

    # No verb group: the nearest event noun, then the nearest past-looking verb.
    def distance(item: tuple[int, str]) -> int:
        return abs(item[0] - mention.start)

    nouns = [item for item in inside if item[1] in EVENT_NOUNS]
    if nouns:
        o, w = min(nouns, key=distance)
        return text[o : o + len(w)], o, tense or "none"
    verbs = [item for item in inside if _is_verbish(item[1])]
    if verbs:
        o, w = min(verbs, key=distance)
        return text[o : o + len(w)], o, tense or "none"
    return None, None, tense or "none"


def attach(text: str, mentions: Sequence[Mention], document: str | None = None) -> list[Event]:
    """One event per DATE or TIME mention that resolved to an interval."""
    events: list[Event] = []
    for mention in mentions:
        if mention.interval is None or mention.type not in ("DATE", "TIME"):
            continue
        trigger, trigger_start, tense = trigger_for(text, mention)
        s, e = sentence_bounds(text, mention.start, mention.end)
        clause = text[s:e].strip()
        lead = len(text[s:e]) - len(text[s:e].lstrip())
        events.append(
            Event(
                when=mention.when,
                mention=mention,
                trigger=trigger,
                trigger_start=trigger_start,
                text=" ".join(clause.split()),
                text_start=s + lead,
                position=len(events),
                tense=tense,
                document=document,
            )
        )
    return events


def order_key(event: Event) -> tuple[object, ...]:
    """Interval order that respects grain: start, then wider first, then text order."""
    interval = event.when.interval
    assert interval is not None
    return (
        interval.start,
        -(interval.end - interval.start).total_seconds(),
        event.document or "",
        event.position,
    )


@attrs.frozen
class Timeline:
    """Events in timeline order.

    Iterating yields events sorted by the start of their interval; at equal
    starts the wider interval (the week) comes before the narrower one (the
    Friday inside it), and ties keep text order.  No event is ever dropped.
    """

    events: tuple[Event, ...]
    mentions: tuple[Mention, ...] = ()

    @classmethod
    def from_events(cls, events: Iterable[Event], mentions: Iterable[Mention] = ()) -> Timeline:
        return cls(tuple(sorted(events, key=order_key)), tuple(mentions))

    @classmethod
    def merge(cls, timelines: Iterable[Timeline]) -> Timeline:
        """One timeline from several (say, one per article)."""
        events: list[Event] = []
        mentions: list[Mention] = []
        for t in timelines:
            events.extend(t.events)
            mentions.extend(t.mentions)
        return cls.from_events(events, mentions)

    def __iter__(self) -> Iterator[Event]:
        return iter(self.events)

    def __len__(self) -> int:
        return len(self.events)

    def __getitem__(self, index: int) -> Event:
        return self.events[index]

    @staticmethod
    def relation(a: Event, b: Event) -> str:
        """How ``a``'s interval relates to ``b``'s (see :meth:`Interval.relation`)."""
        ia: Interval | None = a.when.interval
        ib: Interval | None = b.when.interval
        if ia is None or ib is None:
            return "unknown"
        return ia.relation(ib)
