"""Attaching: the event each date dates.

The event of a mention is the clause that holds it and the word that names
what happened: a verb, or failing one an event noun ("talks", "election").
A learned ranker (:mod:`.ranker`) picks that word among the sentence's words,
with the staged heuristic's choice (:mod:`.heuristic`) as one of its features.
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Sequence

import attrs

from ..model import Event, Grain, Mention, Source, TimeValue
from ..resolve.calendar import interval_for, value_for
from ..resolve.tense import FUTURE, tense_of
from . import ranker
from .heuristic import heuristic
from .lexicon import REPORTING_VERBS
from .words import WORD, is_verb, sentence_bounds, verb_group, word_spans

__all__ = [
    "FLOOR",
    "PER_SIDE",
    "Attachment",
    "Tagging",
    "attach",
    "attach_one",
    "candidates",
    "trigger_for",
]


@attrs.frozen
class Attachment:
    """The event a date attaches to: trigger, tense, aspect and factuality."""

    trigger: str | None
    start: int | None
    tense: str
    aspect: str
    factuality: str


_REACH = 40  # words looked at on each side of the date


FLOOR = 0.05  # the least event probability a candidate needs (the heuristic's pick excepted)


PER_SIDE = 12  # candidates on each side, nearest first


class Tagging:
    """The words of one text, tagged on demand and cached: whether each reads as
    a verb and the event tagger's probability that it names an event.

    The words are those of the whole text, so a word is tagged once however
    many dates look at it; build one per text and pass it to every mention.
    """

    def __init__(self, text: str, model: ranker.Model) -> None:
        self.text = text
        self.model = model
        self.words = word_spans(text, 0, len(text))
        self.offsets = [o for o, _ in self.words]
        self._verbs: dict[int, bool] = {}
        self._events: dict[int, float] = {}

    def verb(self, i: int) -> bool:
        v = self._verbs.get(i)
        if v is None:
            v = self._verbs[i] = is_verb(self.words, i)
        return v

    def event(self, i: int) -> float:
        p = self._events.get(i)
        if p is None:
            p = self._events[i] = self.model.event(self.words, i, self.verb(i))
        return p


def candidates(
    text: str, mention: Mention, tagging: Tagging
) -> tuple[list[tuple[int, str]], list[list[str]], int | None]:
    """The candidate words for a date's trigger, their ranker features and the
    heuristic's pick (an index into the candidates, or None).

    The words looked at are the sentence's, outside the date, at most
    ``_REACH`` on each side; candidates among them are the heuristic's pick
    and the words the tagger gives at least ``FLOOR``.
    """
    s, e = sentence_bounds(text, mention.start, mention.end)
    lo = bisect.bisect_left(tagging.offsets, s)
    hi = bisect.bisect_left(tagging.offsets, e)
    first = bisect.bisect_left(tagging.offsets, mention.start, lo, hi)
    after = bisect.bisect_left(tagging.offsets, mention.end, lo, hi)
    words = tagging.words
    left = list(range(max(lo, first - _REACH - 2), first))
    left = [i for i in left if words[i][0] + len(words[i][1]) <= mention.start][-_REACH:]
    right = list(range(after, min(hi, after + _REACH)))
    window = left + right
    pick = heuristic(text, mention)
    h = next((k for k, i in enumerate(window) if pick is not None and words[i][0] == pick[0]), None)
    events = [tagging.event(i) for i in window]
    nl = len(left)
    keep_left = [k for k in range(nl - 1, -1, -1) if events[k] >= FLOOR or k == h][:PER_SIDE]
    keep_right = [k for k in range(nl, len(window)) if events[k] >= FLOOR or k == h][:PER_SIDE]
    if h is not None and h not in keep_left and h not in keep_right:
        (keep_left if h < nl else keep_right).append(h)
    keep = sorted(keep_left + keep_right)
    feats = ranker.features(
        text,
        [words[i] for i in window],
        len(left),
        mention.start,
        mention.end,
        mention.type,
        events,
        [tagging.verb(i) for i in window],
        h,
        keep,
    )
    return [words[window[k]] for k in keep], feats, (keep.index(h) if h in keep else None)


def attach_one(
    text: str,
    mention: Mention,
    *,
    model: ranker.Model | None = None,
    tagging: Tagging | None = None,
) -> Attachment:
    """Attach one date to the event it dates: trigger, tense, aspect, factuality.

    The shipped ranker (:mod:`timeline.ranker`) picks the trigger among the
    sentence's words; ``model`` replaces it.  ``tagging`` carries the text's
    word tags from one date to the next (it must be for the same text).
    """
    tense = tense_of(text, mention.start, mention.end)
    if tagging is None:
        tagging = Tagging(text, model if model is not None else ranker.current())
    elif model is not None:
        raise ValueError("give either model or tagging, not both")
    words, feats, _h = candidates(text, mention, tagging)
    chosen = ranker.rank(tagging.model, feats)
    if chosen is None:
        return Attachment(None, None, tense or "none", "NONE", "asserted")
    o, w = words[chosen]
    aspect, factuality = verb_group(tagging.words, bisect.bisect_left(tagging.offsets, o))
    if tense == FUTURE and factuality == "asserted":
        factuality = "future"
    return Attachment(w, o, tense or "none", aspect, factuality)


def trigger_for(
    text: str, mention: Mention, tagging: Tagging | None = None
) -> tuple[str | None, int | None, str]:
    """The trigger word, its offset and the clause's tense for one mention."""
    a = attach_one(text, mention, tagging=tagging)
    return a.trigger, a.start, a.tense


def attach(
    text: str,
    mentions: Sequence[Mention],
    document: str | None = None,
    *,
    published: _dt.date | None = None,
    undated: bool = False,
) -> list[Event]:
    """One event per DATE or TIME mention that resolved to an interval.

    With ``undated=True``, each sentence that no expression dates but that
    reports something ("..., the minister said") also gives an event, placed
    on the publish date and marked ``dated=False``.
    """
    events: list[Event] = []
    tagging: Tagging | None = None
    for mention in mentions:
        if mention.interval is None or mention.type not in ("DATE", "TIME"):
            continue
        if tagging is None:
            tagging = Tagging(text, ranker.current())
        a = attach_one(text, mention, tagging=tagging)
        s, e = sentence_bounds(text, mention.start, mention.end)
        events.append(
            _event(
                text,
                s,
                e,
                mention.when,
                mention,
                a,
                len(events),
                document,
                published,
                Source(document, published, mention.start, mention.end),
            )
        )
    if undated and published is not None:
        events.extend(_undated(text, mentions, document, published, len(events)))
    return events


def _event(
    text: str,
    s: int,
    e: int,
    when: TimeValue,
    mention: Mention | None,
    a: Attachment,
    position: int,
    document: str | None,
    published: _dt.date | None,
    source: Source,
) -> Event:
    sentence = text[s:e]
    lead = len(sentence) - len(sentence.lstrip())
    return Event(
        when=when,
        mention=mention,
        trigger=a.trigger,
        trigger_start=a.start,
        text=" ".join(sentence.split()),
        text_start=s + lead,
        position=position,
        tense=a.tense,
        document=document,
        aspect=a.aspect,
        factuality=a.factuality,
        published=published,
        dated=mention is not None,
        sources=(source,),
    )


def _undated(
    text: str, mentions: Sequence[Mention], document: str | None, published: _dt.date, position: int
) -> list[Event]:
    """Reporting verbs in sentences that no expression dates, on the publish date."""
    dated = [(m.start, m.end) for m in mentions if m.type in ("DATE", "TIME")]
    day = TimeValue(
        "DATE", value_for(published, Grain.DAY), Grain.DAY, interval_for(published, Grain.DAY)
    )
    out: list[Event] = []
    for m in WORD.finditer(text):
        if m.group().lower() not in REPORTING_VERBS:
            continue
        s, e = sentence_bounds(text, m.start(), m.end())
        if any(s <= ms < e for ms, _ in dated) or (out and out[-1].text_start >= s):
            continue
        words = word_spans(text, max(s, m.start() - 40), m.end())
        a = Attachment(
            m.group(),
            m.start(),
            "past" if m.group().lower() != "says" else "present",
            *verb_group(words, len(words) - 1),
        )
        out.append(
            _event(
                text,
                s,
                e,
                day,
                None,
                a,
                position + len(out),
                document,
                published,
                Source(document, published, m.start(), m.end()),
            )
        )
    return out
