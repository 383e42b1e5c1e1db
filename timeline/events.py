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
from .tense import FUTURE, IRREGULAR_PAST, clause_bounds, tense_at

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
    talks meeting meetings summit election elections vote votes agreement deal deals accord
    treaty attack attacks bombing bombings explosion explosions blast blasts strike strikes war
    wars invasion visit visits trip trips tour conference hearing hearings trial trials verdict
    ruling announcement launch release opening ceremony funeral wedding merger acquisition sale
    sales offer offers bid bids earthquake storm flood floods fire fires crash crashes accident
    accidents protest protests rally rallies referendum negotiations ceasefire truce session
    match game race festival celebration inauguration speech interview statement report
    results earnings crime crimes killing killings shooting shootings murder murders death
    deaths arrest arrests raid raids fighting violence campaign poll polls decision loss
    losses profit profits income growth decline declines drop drops rise rises increase
    increases gain gains fall slump recovery crisis collapse resignation appointment retirement
    departure arrival return withdrawal riot riots flight flights mission journey voyage
    deadline dispute battle battles siege revolt uprising coup strike-off surge plunge jump
    performance trading sell-off selloff crackdown massacre disaster outbreak epidemic
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


_DETERMINERS = frozenset(
    "a an the this that these those his her its their our my your some any no every each".split()
)
_FUNCTION = frozenset(
    """
    a an the this that these those his her its their our my your of in on at by for to from
    with and or but as than about into over after before during since until through between
    against among per via nor so if while when where which who whom whose what there here
    it he she they we i you him them us me not n't also only just very more most less least
    up down out off
    """.split()
)
_PARTICIPLES = frozenset(
    """
    fallen taken given seen been gone done known shown grown thrown driven written spoken
    chosen broken frozen stolen risen beaten begun bitten hidden ridden forgotten forgiven
    withdrawn overtaken undertaken arisen
    """.split()
)
_MODALS = frozenset("will would shall should can could may might must 'll".split())
_AUX = frozenset("is are am was were be been being has have had do does did".split())
_NEGATORS = frozenset("not n't never no".split())
_NOMINAL = re.compile(r"(?:tion|sion|ment|ance|ence|ure|ism)s?$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{0,30}")


def _words(text: str, start: int, end: int) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _WORD.finditer(text, start, end)]


def _is_verb(words: list[tuple[int, str]], i: int) -> bool:
    w = words[i][1].lower()
    prev = words[i - 1][1].lower() if i else ""
    if w in _AUX:
        # "had sales of $154 million": a main verb when no verb follows it
        nxt = words[i + 1][1].lower() if i + 1 < len(words) else ""
        return w in ("had", "has", "have", "was", "were") and not (
            nxt.endswith(("ed", "ing")) or nxt in IRREGULAR_PAST or nxt in _PARTICIPLES
            or nxt in _AUX or nxt in _NEGATORS or nxt in ("to", "n't")
        )
    if w in _FUNCTION or w in _MODALS:
        return False
    if prev in _DETERMINERS:
        return False  # "a retired diplomat", "the planned merger"
    if w in IRREGULAR_PAST or w in _PARTICIPLES:
        return True
    if len(w) > 4 and w.endswith("ed") and w not in _NOT_VERBS:
        return True
    # base forms after a modal, "to" or "did": "will meet", "to divest"
    return words[i][1][:1].islower() and (
        prev in _MODALS or prev in ("to", "did", "didn't", "not", "n't")
    )


def _is_event_noun(words: list[tuple[int, str]], i: int) -> bool:
    raw = words[i][1]
    w = raw.lower()
    if w in EVENT_NOUNS:
        return True
    if raw[:1].isupper() and i > 0:
        return False  # a name mid-sentence
    if len(w) > 5 and _NOMINAL.search(w):
        return True
    prev = words[i - 1][1].lower() if i else ""
    return len(w) > 5 and w.endswith(("ing", "ings")) and prev in _DETERMINERS


_NOT_VERBS = frozenset(
    """
    united based related limited hundred indeed proposed expected scheduled planned so-called
    armed advanced detailed named concerned interested involved supposed alleged unnamed
    unidentified aged biased skilled talented
    """.split()
)


@attrs.frozen
class Attachment:
    """The event a date attaches to: trigger, tense, aspect and factuality."""

    trigger: str | None
    start: int | None
    tense: str
    aspect: str
    factuality: str


def _verb_group(words: list[tuple[int, str]], i: int) -> tuple[str, str]:
    """Aspect and factuality from the words just before a verb trigger."""
    before = [w.lower() for _, w in words[max(0, i - 4) : i]]
    trigger = words[i][1].lower()
    aspect = "NONE"
    if any(w in ("has", "have", "had") for w in before[-3:]) and (
        trigger.endswith("ed") or trigger in IRREGULAR_PAST or trigger in _PARTICIPLES
    ):
        aspect = "PERFECTIVE"
    elif trigger.endswith("ing") and any(w in _AUX for w in before[-2:]):
        aspect = "PROGRESSIVE"
    if any(w in _NEGATORS or w.endswith("n't") for w in before[-3:]):
        return aspect, "negated"
    if any(w in ("would", "could", "may", "might", "should", "must") for w in before[-3:]):
        return aspect, "hypothetical"
    if any(w in ("will", "shall", "'ll") for w in before[-3:]) or (
        len(before) >= 2 and before[-1] == "to" and before[-2] in _PLANS
    ):
        return aspect, "future"
    return aspect, "asserted"


_TIME_NOUNS = frozenset(
    "period quarter quarters year years month months week weeks day days time season half".split()
)
_PREPOSITIONS = frozenset("on in at of during for since by from until through".split())
# Dates that can modify a noun directly: years, quarters, compounds.
_MODIFIER = re.compile(r"(?:^\d{4}$|quarter$|-\w+$|\d{4}s?$)")

_PLANS = frozenset(
    "plans plan planned planning expected scheduled due set going intends aims hopes wants "
    "agreed decided promised threatened".split()
)


def attach_one(text: str, mention: Mention) -> Attachment:
    """Attach one date to the event it dates.

    1. A date right before a noun dates that noun: "Friday's blast", "the 1988
       recapitalization", "third-quarter net loss".
    2. Otherwise the nearest verb or event noun on its left inside the clause
       ("the bombings on Aug. 7", "fell in price yesterday", "met on Monday").
    3. A date that opens its clause ("On Friday, the bomb exploded") dates the
       nearest one on its right.
    """
    left, right = clause_bounds(text, mention.start, mention.end)
    before = _words(text, left, mention.start)
    after = _words(text, mention.end, right)
    words = before + after
    n = len(before)
    tense, _ = tense_at(text, mention.start, mention.end)
    chosen: int | None = None
    # 1. prenominal: "Friday's blast", "the 1988 recapitalization", "third-quarter loss"
    possessive = text[mention.end : mention.end + 2] in ("'s", "’s")
    if possessive:
        after = _words(text, mention.end + 2, right)
        words = before + after
    gap = text[mention.end + (2 if possessive else 0) : after[0][0]] if after else ""
    determined = bool(before) and before[-1][1].lower() in _DETERMINERS and (
        text[before[-1][0] + len(before[-1][1]) : mention.start] == " "
    )
    if after and gap == " " and (possessive or determined or _MODIFIER.search(mention.text)):
        head = None
        for j in range(n, min(len(words), n + 5)):
            raw = words[j][1]
            w = raw.lower()
            if w in _FUNCTION or w in _AUX or w in _MODALS or _is_verb(words, j):
                break
            if not possessive and (w.endswith(("ly", "ing")) or raw[:1].isupper()):
                break
            if w not in _TIME_NOUNS:
                head = j
            end_j = words[j][0] + len(raw)
            if j + 1 >= len(words) or text[end_j : words[j + 1][0]] != " ":
                break
        chosen = head
    # 2. an event noun right before the date: "the bombings on Aug. 7",
    #    "a news conference Friday", "growth in recent years"
    if chosen is None and n:
        i = n - 1
        if words[i][1].lower() in _PREPOSITIONS and i > 0:
            i -= 1
        if _is_event_noun(words, i):
            chosen = i
    # 3. the nearest verb on the left, then the nearest event noun
    if chosen is None:
        window = range(n - 1, max(-1, n - 12), -1)
        chosen = next((i for i in window if _is_verb(words, i)), None)
        if chosen is None:
            chosen = next((i for i in window if _is_event_noun(words, i)), None)
    # 4. a date that opens its clause dates what follows: verbs first
    if chosen is None:
        s_left, s_right = sentence_bounds(text, mention.start, mention.end)
        ahead = _words(text, mention.end, s_right)
        words = before + ahead
        window = range(n, min(len(words), n + 25))
        chosen = next((i for i in window if _is_verb(words, i)), None)
        if chosen is None:
            chosen = next((i for i in window if _is_event_noun(words, i)), None)
    # 5. no verb or event noun: a present-tense verb ("holds", "says") or
    #    failing that the nearest content word of the clause
    if chosen is None:
        order = [i for i in range(n - 1, max(-1, n - 8), -1)] + list(range(n, min(len(words), n + 8)))
        content = [
            i for i in order
            if words[i][1].lower() not in _FUNCTION and words[i][1].lower() not in _AUX
            and words[i][1].lower() not in _TIME_NOUNS and not words[i][1][:1].isupper()
        ]
        chosen = next((i for i in content if words[i][1].lower().endswith("s")), None)
        if chosen is None and content:
            chosen = content[0]
    if chosen is None:
        return Attachment(None, None, tense or "none", "NONE", "asserted")
    o, w = words[chosen]
    aspect, factuality = _verb_group(words, chosen)
    if tense == FUTURE and factuality == "asserted":
        factuality = "future"
    return Attachment(w, o, tense or "none", aspect, factuality)


def trigger_for(text: str, mention: Mention) -> tuple[str | None, int | None, str]:
    """The trigger word, its offset and the clause's tense for one mention."""
    a = attach_one(text, mention)
    return a.trigger, a.start, a.tense


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
