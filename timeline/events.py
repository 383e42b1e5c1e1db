"""Attaching: the event each date dates, and the timeline that orders them.

The event of a mention is the clause that holds it and that clause's main
verb (or, failing a verb, an event noun such as "talks" or "election").  The
analysis is lexical and local: it reads at most a few hundred characters
around each mention, so it stays linear in the length of the text.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs

from . import ranker
from .calendar import interval_for, value_for
from .lexicon import AUXILIARIES, DETERMINERS, REPORTING_VERBS
from .model import Event, Grain, Interval, Mention, Source, TimeValue
from .tense import FUTURE, IRREGULAR_PAST, clause_bounds, tense_of

__all__ = ["Timeline", "attach", "sentence_bounds"]

_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]{0,2}\s{1,8}(?=[\"'“‘(\[]{0,2}[A-Z0-9])|\n\s{0,8}\n")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st gen sen rep gov lt col sgt capt prof jan feb mar apr jun jul aug sep sept "
    "oct nov dec u.s inc corp co no vs jr sr mt ft ave".split()
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
    stop = max(0, dot - 8)  # abbreviations are short; never walk a long word
    while j > stop and (text[j - 1].isalpha() or text[j - 1] == "."):
        j -= 1
    word = text[j:dot].lower()
    return word in _ABBREVIATIONS or len(word) == 1


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
_NEGATORS = frozenset("not n't never no".split())
# Nominalisations that name events in news (most "-tion" and "-ment" words do
# not: "department", "position"); measured against TimeBank's TLINKs.
_NOMINAL_EVENTS = frozenset(
    """
    election elections negotiation negotiations invasion occupation explosion explosions
    demonstration demonstrations celebration inauguration resignation retirement
    appointment announcement agreement agreements settlement settlements statement
    acquisition acquisitions operation operations investigation investigations
    revolution rebellion execution executions evacuation evacuations
    """.split()
)
_NOMINAL = re.compile(r"(?:tion|sion|ment|ance|ence|ure|ism)s?$")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{0,30}")


def _words(text: str, start: int, end: int) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in _WORD.finditer(text, start, end)]


def _is_verb(words: list[tuple[int, str]], i: int) -> bool:
    w = words[i][1].lower()
    prev = words[i - 1][1].lower() if i else ""
    if w in AUXILIARIES:
        # "had sales of $154 million": a main verb when no verb follows it
        j = i + 1
        while j < len(words) and words[j][1].lower() in _ADVERBS:
            j += 1  # "had just ended"
        nxt = words[j][1].lower() if j < len(words) else ""
        return w in ("had", "has", "have") and not (
            nxt.endswith(("ed", "ing"))
            or nxt in IRREGULAR_PAST
            or nxt in _PARTICIPLES
            or nxt in AUXILIARIES
            or nxt in _NEGATORS
            or nxt in ("to", "n't")
        )
    if w in _FUNCTION or w in _MODALS:
        return False
    if prev in DETERMINERS:
        return False  # "a retired diplomat", "the planned merger"
    if w in IRREGULAR_PAST or w in _PARTICIPLES:
        return True
    if len(w) > 4 and w.endswith("ed") and w not in _NOT_VERBS and words[i][1][:1].islower():
        return True
    if len(w) > 5 and w.endswith("ing") and w not in _NOT_ING and words[i][1][:1].islower():
        return True  # "bidding $1.9 billion", "closing unchanged", "arriving in 1966"
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
    if len(w) > 5 and _NOMINAL.search(w) and w in _NOMINAL_EVENTS:
        return True
    prev = words[i - 1][1].lower() if i else ""
    return len(w) > 5 and w.endswith(("ing", "ings")) and prev in DETERMINERS


_NOT_ING = frozenset(
    """
    during including according following morning evening nothing something anything
    everything building meeting spring string thing things king ring bring sing
    outstanding remaining leading existing pending ongoing operating holding willing staging
    discouraging
    """.split()
)
_NOT_VERBS = frozenset(
    """
    unchanged preferred wooded wanted deadlocked compared subordinated

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
    elif trigger.endswith("ing") and any(w in AUXILIARIES for w in before[-2:]):
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
_ADVERBS = frozenset(
    "just also already not never still recently only even now then again really reportedly "
    "initially previously first finally".split()
)
_PREPOSITIONS = frozenset("on in at of during for since by from until through".split())
# Dates that can modify a noun directly: years, quarters, compounds.
_MODIFIER = re.compile(r"(?:^\d{4}$|quarter$|-\w+$|\d{4}s?$)")

_PLANS = frozenset(
    "plans plan planned planning expected scheduled due set going intends aims hopes wants "
    "agreed decided promised threatened".split()
)


def _heuristic(text: str, mention: Mention) -> tuple[int, str] | None:
    """The staged heuristic's choice: the trigger's offset and word.

    1. A date right before a noun dates that noun: "Friday's blast", "the 1988
       recapitalization", "third-quarter net loss".
    2. Otherwise the nearest verb or event noun on its left inside the clause
       ("the bombings on Aug. 7", "fell in price yesterday", "met on Monday").
    3. A date that opens its clause ("On Friday, the bomb exploded") dates the
       nearest one on its right.

    It is one of the ranker's features (:mod:`timeline.ranker`).
    """
    left, right = clause_bounds(text, mention.start, mention.end)
    before = _words(text, left, mention.start)
    after = _words(text, mention.end, right)
    words = before + after
    n = len(before)
    chosen: int | None = None
    # 1. prenominal: "Friday's blast", "the 1988 recapitalization", "third-quarter loss"
    possessive = text[mention.end : mention.end + 2] in ("'s", "’s")
    if possessive:
        after = _words(text, mention.end + 2, right)
        words = before + after
    gap = text[mention.end + (2 if possessive else 0) : after[0][0]] if after else ""
    determined = (
        bool(before)
        and before[-1][1].lower() in DETERMINERS
        and (text[before[-1][0] + len(before[-1][1]) : mention.start] == " ")
    )
    if after and gap == " " and (possessive or determined or _MODIFIER.search(mention.text)):
        head = None
        for j in range(n, min(len(words), n + 5)):
            raw = words[j][1]
            w = raw.lower()
            if w in _FUNCTION or w in AUXILIARIES or w in _MODALS:
                break
            if _is_verb(words, j) and not w.endswith("ing"):
                break  # "Friday's blast shook ...": the noun phrase has ended
            if not (possessive or determined) and (
                _is_verb(words, j) or w.endswith(("ly", "ing")) or raw[:1].isupper()
            ):
                break
            if w in EVENT_NOUNS:
                head = j
                break  # "last year's deadly U.S. Embassy blasts": the event noun
            if w not in _TIME_NOUNS and not raw[:1].isupper():
                head = j
            end_j = words[j][0] + len(raw)
            if j + 1 >= len(words) or text[end_j : words[j + 1][0]] not in (" ", "."):
                break
        chosen = head
    # A date in an opening prepositional phrase ("In composite trading
    # Friday, the shares closed ...") dates the clause after the comma.
    if chosen is None and _fronted(text, before, mention.end):
        s_left, s_right = sentence_bounds(text, mention.start, mention.end)
        ahead = _words(text, mention.end, s_right)
        words = before + ahead
        chosen = next((i for i in range(n, min(len(words), n + 25)) if _is_verb(words, i)), None)
    # "now", "currently": the verb right after ("is now located", "now sees")
    if chosen is None and mention.value.endswith("_REF") and " " not in mention.text.strip():
        chosen = next((i for i in range(n, min(len(words), n + 3)) if _is_verb(words, i)), None)
    # a clause joined by "but" starts afresh: "... filed a lawsuit, but in March
    # a judge ruled"
    cut = max(
        (
            i + 1
            for i in range(n)
            if words[i][1].lower() == "but"
            or (
                words[i][1].lower() == "and"
                and text[max(0, words[i][0] - 3) : words[i][0]].rstrip().endswith(",")
            )
        ),
        default=0,
    )
    # 2. an event noun right before the date: "the bombings on Aug. 7",
    #    "a news conference Friday", "growth in recent years"
    if chosen is None and n:
        i = n - 1
        if words[i][1].lower() in _PREPOSITIONS and i > 0:
            i -= 1
        if _is_event_noun(words, i):
            chosen = i
            # "reached an agreement last week": the object's verb dates it
            for k in range(i - 1, max(-1, i - 4), -1):
                if _is_verb(words, k) and words[k][1].lower() not in REPORTING_VERBS:
                    chosen = k
                    break
                w = words[k][1].lower()
                if w in _FUNCTION and w not in DETERMINERS:
                    break  # "a conference at ...": a preposition ends the object
    # 3. the nearest verb on the left, then the nearest event noun
    if chosen is None:
        window = range(n - 1, max(cut - 1, n - 16), -1)
        chosen = next((i for i in window if _is_verb(words, i) and not _period_end(words, i)), None)
        if chosen is not None and words[chosen][1].lower() in REPORTING_VERBS and chosen < n - 2:
            # "said net income for the third quarter fell": the reported verb
            reported = next(
                (i for i in range(n, min(len(words), n + 3)) if _is_verb(words, i)), None
            )
            if reported is not None:
                chosen = reported
        if chosen is not None and chosen > 0 and words[chosen - 1][1].lower() == "to":
            # "extended their offers to acquire X Friday": the finite verb
            finite = next(
                (
                    k
                    for k in range(chosen - 2, max(-1, chosen - 10), -1)
                    if _is_verb(words, k) and words[k - 1][1].lower() != "to"
                ),
                None,
            )
            if finite is not None:
                chosen = finite
        if chosen is None:
            chosen = next((i for i in window if _is_event_noun(words, i)), None)
    # 4. a date that opens its clause dates what follows: verbs first
    if chosen is None:
        s_left, s_right = sentence_bounds(text, mention.start, mention.end)
        ahead = _words(text, mention.end, s_right)
        words = before + ahead
        window = range(n, min(len(words), n + 25))
        # a finite verb first ("Two days ago, the fishing association
        # dropped ..."), then an -ing form, then an event noun
        chosen = next(
            (i for i in window if _is_verb(words, i) and not words[i][1].endswith("ing")), None
        )
        if chosen is None:
            chosen = next((i for i in window if _is_verb(words, i)), None)
        if chosen is None:
            chosen = next((i for i in window if _is_event_noun(words, i)), None)
    # 5. no verb or event noun: a present-tense verb ("holds", "says") or
    #    failing that the nearest content word of the clause
    if chosen is None:
        order = [i for i in range(n - 1, max(-1, n - 8), -1)] + list(
            range(n, min(len(words), n + 8))
        )
        content = [
            i
            for i in order
            if words[i][1].lower() not in _FUNCTION
            and words[i][1].lower() not in AUXILIARIES
            and words[i][1].lower() not in _TIME_NOUNS
            and not words[i][1][:1].isupper()
        ]
        chosen = next((i for i in content if words[i][1].lower().endswith("s")), None)
        if chosen is None and content:
            chosen = content[0]
    return None if chosen is None else words[chosen]


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
        self.words = _words(text, 0, len(text))
        self.offsets = [o for o, _ in self.words]
        self._verbs: dict[int, bool] = {}
        self._events: dict[int, float] = {}

    def verb(self, i: int) -> bool:
        v = self._verbs.get(i)
        if v is None:
            v = self._verbs[i] = _is_verb(self.words, i)
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
    pick = _heuristic(text, mention)
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
        tagging = Tagging(text, model if model is not None else ranker.load())
    elif model is not None:
        raise ValueError("give either model or tagging, not both")
    words, feats, _h = candidates(text, mention, tagging)
    chosen = ranker.rank(tagging.model, feats)
    if chosen is None:
        return Attachment(None, None, tense or "none", "NONE", "asserted")
    o, w = words[chosen]
    aspect, factuality = _verb_group(tagging.words, bisect.bisect_left(tagging.offsets, o))
    if tense == FUTURE and factuality == "asserted":
        factuality = "future"
    return Attachment(w, o, tense or "none", aspect, factuality)


def _period_end(words: list[tuple[int, str]], i: int) -> bool:
    """ "the quarter ended Sept. 30": the end of a reporting period, not an event."""
    return (
        words[i][1].lower() in ("ended", "ending", "ends")
        and i > 0
        and words[i - 1][1].lower() in _TIME_NOUNS
    )


_OPENERS = frozenset("in on at during for after before since by through over".split())


def _fronted(text: str, before: list[tuple[int, str]], end: int) -> bool:
    """Whether the date closes an opening phrase: "In ... trading Friday, ..."."""
    if not before or text[end : end + 1] != ",":
        return False
    first = before[0][1].lower()
    if len(before) <= 2 and not any(
        w.lower() in IRREGULAR_PAST or w.lower().endswith("ed") for _, w in before
    ):
        return True  # "Sometime next year, ...", "Late Friday, ..."
    return (
        first in _OPENERS
        and len(before) <= 12
        and not any(w.lower() in IRREGULAR_PAST or w.lower().endswith("ed") for _, w in before[1:])
    )


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
            tagging = Tagging(text, ranker.load())
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
    for m in _WORD.finditer(text):
        if m.group().lower() not in REPORTING_VERBS:
            continue
        s, e = sentence_bounds(text, m.start(), m.end())
        if any(s <= ms < e for ms, _ in dated) or (out and out[-1].text_start >= s):
            continue
        words = _words(text, max(s, m.start() - 40), m.end())
        a = Attachment(
            m.group(),
            m.start(),
            "past" if m.group().lower() != "says" else "present",
            *_verb_group(words, len(words) - 1),
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
        reports = tuple(sorted(unique.values(), key=_raw_key))
        grouped = tuple(sorted(_group(reports), key=order_key))
        seen: dict[Mention, None] = {}
        for m in mentions:
            seen.setdefault(m, None)
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
        from .formats import to_records

        return to_records(self)

    def to_pandas(self) -> Any:
        """The events as a pandas DataFrame (needs ``pip install 'timeline[pandas]'``)."""
        from .formats import to_pandas

        return to_pandas(self)


def _as_datetime(value: _dt.date | _dt.datetime) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return value.replace(tzinfo=None)
    return _dt.datetime(value.year, value.month, value.day)
