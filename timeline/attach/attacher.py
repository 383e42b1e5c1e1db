"""Attaching: the event each date dates.

The event of a mention is the clause that holds it and the word that names
what happened: a verb, or failing one an event noun ("talks", "election").
A learned ranker (:mod:`.ranker`) picks that word among the sentence's words,
with the staged heuristic's choice and stage (:mod:`.heuristic`) among its
features.  Where the two disagree, a model may carry an arbiter that keeps the
heuristic's choice in the (stage, ranker confidence) cells where it was right
more often on held-out predictions (:func:`.ranker.arbitrate`); measured by
cross-validation it did not help, so the shipped model carries none.
"""

from __future__ import annotations

import bisect
import calendar
import datetime as _dt
import re
from collections.abc import Sequence

import attrs

from ..model import Event, Grain, Interval, Mention, Source, TimeValue
from ..resolve.calendar import interval_for, value_for
from ..resolve.tense import FUTURE, tense_of
from . import ranker
from .heuristic import heuristic_choice
from .lexicon import DETERMINERS, REPORTING_VERBS
from .words import WORD, is_verb, sentence_bounds, verb_group, word_spans

__all__ = [
    "FLOOR",
    "PER_SIDE",
    "Attachment",
    "Tagging",
    "attach",
    "attach_one",
    "candidates",
    "staged_candidates",
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
    heuristic: tuple[int, str] | None = None  # the staged heuristic's pick


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
        self.lows = [w.lower() for _, w in self.words]
        self._verbs: dict[int, bool] = {}
        self._events: dict[int, float] = {}
        self._sentences: dict[tuple[int, int], tuple[int, int]] = {}

    def verb(self, i: int) -> bool:
        v = self._verbs.get(i)
        if v is None:
            v = self._verbs[i] = is_verb(self.words, i, self.lows)
        return v

    def event(self, i: int) -> float:
        p = self._events.get(i)
        if p is None:
            p = self._events[i] = self.model.event(self.words, i, self.verb(i), self.lows)
        return p

    def verbs(self, indices: Sequence[int]) -> list[bool]:
        """:meth:`verb` of each word of ``indices``."""
        return [self.verb(i) for i in indices]

    def events(self, indices: Sequence[int]) -> list[float]:
        """:meth:`event` of each word of ``indices``, the new ones tagged together."""
        known = self._events
        todo = [i for i in indices if i not in known]
        if todo:
            probabilities = self.model.events(self.words, todo, self.verbs(todo), self.lows)
            known.update(zip(todo, probabilities, strict=True))
        return [known[i] for i in indices]

    def spans(self, start: int, end: int) -> list[tuple[int, str]]:
        """:func:`.words.word_spans` of ``text[start:end]``: the text's own
        words there, unless a word crosses either end (then the words of
        the span alone, as ``word_spans`` finds them)."""
        offsets, words = self.offsets, self.words
        lo = bisect.bisect_left(offsets, start)
        hi = bisect.bisect_left(offsets, end, lo)
        # between two words there are no letters, so where no word crosses
        # ``start`` a scan from there finds the text's next words
        if (lo == 0 or offsets[lo - 1] + len(words[lo - 1][1]) <= start) and (
            hi == lo or offsets[hi - 1] + len(words[hi - 1][1]) <= end
        ):
            return words[lo:hi]
        return word_spans(self.text, start, end)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """:func:`.words.sentence_bounds` of ``text[start:end]``, cached."""
        key = (start, end)
        bounds = self._sentences.get(key)
        if bounds is None:
            bounds = self._sentences[key] = sentence_bounds(self.text, start, end)
        return bounds


def candidates(
    text: str, mention: Mention, tagging: Tagging
) -> tuple[list[tuple[int, str]], list[list[str]], int | None]:
    """The candidate words for a date's trigger, their ranker features and the
    heuristic's pick (an index into the candidates, or None)."""
    words, feats, h, _stage = staged_candidates(text, mention, tagging)
    return words, feats, h


def _not_an_event(tagging: Tagging, i: int) -> bool:
    """An event noun read as a thing: the object of a verb, followed by "of"
    and a word that names no event ("reached the summit of the peak"; not
    "marked the outbreak of the war").  Its verb is the event."""
    words = tagging.words
    if i + 2 >= len(words) or words[i + 1][1] != "of" or tagging.verb(i):
        return False
    j = i + 2
    if words[j][1].lower() in DETERMINERS and j + 1 < len(words):
        j += 1
    if tagging.event(j) >= 0.5:
        return False
    k = i - 1
    while k >= 0 and i - k <= 3 and words[k][1].lower() in DETERMINERS:
        k -= 1
    return k >= 0 and k < i - 1 and tagging.verb(k) and words[k][1].lower() not in REPORTING_VERBS


def staged_candidates(
    text: str, mention: Mention, tagging: Tagging
) -> tuple[list[tuple[int, str]], list[list[str]], int | None, str]:
    """:func:`candidates`, and the heuristic stage that made its pick.

    The words looked at are the sentence's, outside the date, at most
    ``_REACH`` on each side; candidates among them are the heuristic's pick
    and the words the tagger gives at least ``FLOOR``.
    """
    s, e = tagging.sentence(mention.start, mention.end)
    lo = bisect.bisect_left(tagging.offsets, s)
    hi = bisect.bisect_left(tagging.offsets, e)
    first = bisect.bisect_left(tagging.offsets, mention.start, lo, hi)
    after = bisect.bisect_left(tagging.offsets, mention.end, lo, hi)
    words = tagging.words
    # the words before the date that end before it, the last _REACH of them
    # (words do not overlap, so the ones that run into the date come last)
    begin = max(lo, first - _REACH - 2)
    stop = first
    while stop > begin and words[stop - 1][0] + len(words[stop - 1][1]) > mention.start:
        stop -= 1
    start, end = max(begin, stop - _REACH), min(hi, after + _REACH)
    left = list(range(start, stop))
    right = list(range(after, end))
    window = left + right  # two runs of words: slices give their words
    pick, stage = heuristic_choice(text, mention, tagging)
    h = None
    if pick is not None:
        # the window's word at the pick's offset (offsets are distinct)
        j = bisect.bisect_left(tagging.offsets, pick[0])
        if j < len(words) and words[j][0] == pick[0] and j in window:
            h = window.index(j)
    events = tagging.events(window)
    nl = len(left)
    keep_left = [k for k in range(nl - 1, -1, -1) if events[k] >= FLOOR or k == h][:PER_SIDE]
    keep_right = [k for k in range(nl, len(window)) if events[k] >= FLOOR or k == h][:PER_SIDE]
    if h is not None and h not in keep_left and h not in keep_right:
        (keep_left if h < nl else keep_right).append(h)
    keep = [k for k in sorted(keep_left + keep_right) if not _not_an_event(tagging, window[k])]
    feats = ranker.features(
        text,
        words[start:stop] + words[after:end],
        len(left),
        mention.start,
        mention.end,
        mention.type,
        events,
        tagging.verbs(window),
        h,
        keep,
        stage,
        lows=tagging.lows[start:stop] + tagging.lows[after:end],
    )
    chosen = [words[window[k]] for k in keep]
    return chosen, feats, (keep.index(h) if h in keep else None), stage


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
    words, feats, h, stage = staged_candidates(text, mention, tagging)
    chosen = ranker.arbitrate(tagging.model, feats, h, stage)
    if chosen is None:
        return Attachment(None, None, tense or "none", "NONE", "asserted")
    pick = words[h] if h is not None else None
    return _attachment(tagging, words[chosen], tense, pick)


def _attachment(
    tagging: Tagging, word: tuple[int, str], tense: str | None, pick: tuple[int, str] | None
) -> Attachment:
    o, w = word
    i = bisect.bisect_left(tagging.offsets, o)
    aspect, factuality = verb_group(tagging.words, i, tagging.lows)
    if tense == FUTURE and factuality == "asserted":
        factuality = "future"
    return Attachment(w, o, tense or "none", aspect, factuality, pick)


def _one_date_per_word(
    text: str, tagging: Tagging, dated: list[tuple[Mention, Attachment]]
) -> list[tuple[Mention, Attachment]]:
    """Two dates of one sentence rarely date one word: "the clerk charged with
    forging the records last spring resigned on Tuesday".  When several dates
    share a trigger and the heuristic gives it to some of them, the others
    take their own heuristic pick."""
    by_word: dict[int, list[int]] = {}
    for k, (_m, a) in enumerate(dated):
        if a.start is not None:
            by_word.setdefault(a.start, []).append(k)
    out = list(dated)
    for start, ks in by_word.items():
        if len(ks) < 2:
            continue
        owners = [k for k in ks if (dated[k][1].heuristic or (-1, ""))[0] == start]
        if not owners:
            continue
        for k in ks:
            m, a = dated[k]
            if k in owners or a.heuristic is None:
                continue
            owner = dated[owners[0]][0]
            if tagging.sentence(m.start, m.end) != tagging.sentence(owner.start, owner.end):
                continue
            out[k] = (m, _attachment(tagging, a.heuristic, a.tense, a.heuristic))
    return out


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
    """One event per dated expression.

    - a DATE or TIME mention that resolved to an interval dates its event;
    - a present reference ("now", "currently") dates its event on the
      publish date (``kind="present"``);
    - a duration ("for three years") or a frequency ("daily") whose event has
      a date of its own becomes an attribute of that event (``duration``,
      ``frequency``); otherwise a duration that runs up to publication ("have
      talked for three years") gives its event that interval, and any other
      duration or frequency gives an event on the publish date, marked
      ``dated=False`` and carrying the attribute.

    With ``undated=True``, each sentence that no expression dates but that
    reports something ("..., the minister said") also gives an event, placed
    on the publish date and marked ``dated=False``.
    """
    events: list[Event] = []
    qualifiers: list[tuple[Mention, Attachment, str]] = []
    tagging: Tagging | None = None
    day = _day(published) if published is not None else None
    dated: list[tuple[Mention, Attachment]] = []
    kinds: list[str] = []
    for mention in mentions:
        kind = _kind(mention)
        if kind is None or (kind != "date" and day is None):
            continue
        if tagging is None:
            tagging = Tagging(text, ranker.current())
        a = attach_one(text, mention, tagging=tagging)
        if kind in ("duration", "frequency"):
            qualifiers.append((mention, a, kind))
            continue
        dated.append((mention, a))
        kinds.append(kind)
    if tagging is not None and len(dated) > 1:
        dated = _one_date_per_word(text, tagging, dated)
    for (mention, a), kind in zip(dated, kinds, strict=True):
        assert tagging is not None
        when = mention.when if kind == "date" or day is None else day
        bounds = tagging.sentence(mention.start, mention.end)
        events.append(
            _event(
                text, when, mention, a, len(events), document, published, kind=kind, bounds=bounds
            )
        )
    for mention, a, kind in qualifiers:
        assert day is not None and published is not None and tagging is not None
        bounds = tagging.sentence(mention.start, mention.end)
        span = _up_to(text, published, mention, a) if kind == "duration" else None
        own = None if span is not None else _carrier(events, mention, a, bounds)
        if own is not None:
            # "met daily last week", "talks last week went on for three hours"
            if kind == "duration":
                events[own] = attrs.evolve(events[own], duration=mention.value)
            else:
                events[own] = attrs.evolve(events[own], frequency=mention.value)
            continue
        when = day if span is None else attrs.evolve(mention.when, interval=span)
        events.append(
            _event(
                text,
                when,
                mention,
                a,
                len(events),
                document,
                published,
                kind=kind,
                dated=span is not None,
                duration=mention.value if kind == "duration" else None,
                frequency=mention.value if kind == "frequency" else None,
                bounds=bounds,
            )
        )
    if undated and published is not None:
        events.extend(_undated(text, mentions, document, published, len(events)))
    return events


def _carrier(
    events: list[Event], mention: Mention, a: Attachment, bounds: tuple[int, int]
) -> int | None:
    """The dated event a duration or a frequency qualifies: the one with the
    same trigger, else the nearest dated one of its sentence (``bounds``)."""
    same = [k for k, e in enumerate(events) if a.start is not None and e.trigger_start == a.start]
    if same:
        return same[0]
    s, e = bounds
    near = [
        (abs(ev.mention.start - mention.start), k)
        for k, ev in enumerate(events)
        if ev.kind == "date" and ev.mention is not None and s <= ev.mention.start < e
    ]
    return min(near)[1] if near else None


def _kind(mention: Mention) -> str | None:
    """What kind of event a mention gives, or None for none."""
    if mention.type in ("DATE", "TIME"):
        if mention.interval is not None:
            return "date"
        return "present" if mention.value == "PRESENT_REF" else None
    if mention.type == "DURATION":
        return "duration" if _DURATION.fullmatch(mention.value) else None
    return "frequency" if mention.type == "SET" else None


def _day(published: _dt.date) -> TimeValue:
    return TimeValue(
        "DATE", value_for(published, Grain.DAY), Grain.DAY, interval_for(published, Grain.DAY)
    )


# durations of a whole number of units, the ones that can be laid out on a calendar
_DURATION = re.compile(r"P(\d{1,4})([YMWD])|PT(\d{1,4})H")


_PRESENT_PERFECT = re.compile(r"(?i)\b(?:has|have|'ve)\b[^.;]{0,24}$")


_UP_TO = re.compile(r"(?i)(?:for|over|in|during)?\s*the\s+(?:past|last)\b")


def _up_to(text: str, published: _dt.date, mention: Mention, a: Attachment) -> Interval | None:
    """The interval of a duration that runs up to publication, or None.

    It does when its verb is in the present perfect ("have talked for three
    years", "has risen 5% over the past year") or the duration is "the past"
    or "the last" N units of a verb that is not in the future.
    """
    recent = _UP_TO.match(mention.text) is not None and a.tense != "future"
    perfect = (
        a.aspect == "PERFECTIVE"
        and a.start is not None
        and _PRESENT_PERFECT.search(text, max(0, a.start - 30), a.start) is not None
    )
    m = _DURATION.fullmatch(mention.value)
    if m is None or not (recent or perfect):
        return None
    end = _dt.datetime(published.year, published.month, published.day) + _dt.timedelta(days=1)
    if m.group(3):
        n, unit = int(m.group(3)), "H"
    else:
        n, unit = int(m.group(1)), m.group(2)
    if n == 0:
        return None
    grain = {"Y": Grain.YEAR, "M": Grain.MONTH, "W": Grain.WEEK, "D": Grain.DAY, "H": Grain.HOUR}
    if unit in ("Y", "M"):
        months = n * 12 if unit == "Y" else n
        y, mo = divmod(published.year * 12 + published.month - 1 - months, 12)
        if y < 1:
            return None
        day = min(published.day, calendar.monthrange(y, mo + 1)[1])
        start = _dt.datetime(y, mo + 1, day)
    else:
        hours = {"W": 7 * 24 * n, "D": 24 * n, "H": n}[unit]
        if hours > 24 * 366 * 3000:
            return None
        # days and weeks count back from the publish day, hours from its end
        start = end - _dt.timedelta(hours=hours + (0 if unit == "H" else 24))
    return Interval(start, end, grain[unit])


def _event(
    text: str,
    when: TimeValue,
    mention: Mention | None,
    a: Attachment,
    position: int,
    document: str | None,
    published: _dt.date | None,
    *,
    kind: str = "date",
    dated: bool = True,
    duration: str | None = None,
    frequency: str | None = None,
    at: tuple[int, int] | None = None,
    bounds: tuple[int, int] | None = None,
) -> Event:
    """An event for a mention (or, with ``at``, for the span of an undated trigger);
    ``bounds``, when known, are those of its sentence."""
    start, end = at if at is not None else (mention.start, mention.end) if mention else (0, 0)
    s, e = bounds if bounds is not None else sentence_bounds(text, start, end)
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
        dated=dated and mention is not None,
        sources=(Source(document, published, start, end),),
        kind=kind,
        duration=duration,
        frequency=frequency,
    )


def _undated(
    text: str, mentions: Sequence[Mention], document: str | None, published: _dt.date, position: int
) -> list[Event]:
    """Reporting verbs in sentences that no expression dates, on the publish date."""
    dated = [(m.start, m.end) for m in mentions if _kind(m) is not None]
    day = _day(published)
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
                day,
                None,
                a,
                position + len(out),
                document,
                published,
                kind="report",
                at=(m.start(), m.end()),
                bounds=(s, e),
            )
        )
    return out
