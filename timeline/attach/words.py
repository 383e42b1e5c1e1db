"""Words: the sentence and the clause around a date, and which of their words
read as verbs or as event nouns.

The analysis is lexical and local: it reads at most a few hundred characters
around each date, so it stays linear in the length of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Protocol

from ..resolve.tense import IRREGULAR_PAST
from .lexicon import AUXILIARIES, DETERMINERS

__all__ = [
    "EVENT_NOUNS",
    "WORD",
    "LazyLows",
    "Lowered",
    "is_event_noun",
    "is_verb",
    "sentence_bounds",
    "verb_group",
    "word_spans",
]


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
    # the last sentence end before the date that is no abbreviation's dot (the
    # matches come in order, so those ending by ``start`` come first)
    ends = list(_sentence_ends(text, lo, min(len(text), start + 4)))
    for m in reversed(ends):
        if m.end() <= start and not _is_abbreviation(text, m.start()):
            left = m.end()
            break
    hi = min(len(text), end + reach)
    right = hi
    for m in _sentence_ends(text, end, hi):
        if _is_abbreviation(text, m.start()):
            continue
        right = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        break
    return left, right


# The characters a sentence end starts with.
_END_MARK = re.compile(r"[.!?\n]")


def _sentence_ends(text: str, pos: int, endpos: int) -> Iterator[re.Match[str]]:
    """``_SENTENCE_END.finditer(text, pos, endpos)``, faster: the pattern is
    tried only where one of its first characters stands (it matches no empty
    string, so each search resumes where the last match ended)."""
    search, match = _END_MARK.search, _SENTENCE_END.match
    while (c := search(text, pos, endpos)) is not None:
        m = match(text, c.start(), endpos)
        if m is None:
            pos = c.start() + 1
        else:
            yield m
            pos = m.end()


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


WORD = re.compile(r"[A-Za-z][A-Za-z'’-]{0,30}")


def word_spans(text: str, start: int, end: int) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in WORD.finditer(text, start, end)]


class Lowered(Protocol):
    """The lower-cased words of a word list, by index: a ``list[str]`` made
    once per text, or :class:`LazyLows`, which lowers a word when it is read."""

    def __getitem__(self, i: int, /) -> str: ...


class LazyLows:
    """A word list's lower-cased words, lowered as they are read."""

    __slots__ = ("words",)

    def __init__(self, words: Sequence[tuple[int, str]]) -> None:
        self.words = words

    def __getitem__(self, i: int) -> str:
        return self.words[i][1].lower()


def is_verb(words: Sequence[tuple[int, str]], i: int, lows: Lowered | None = None) -> bool:
    """Whether word ``i`` reads as a verb.  ``lows``, the words lower-cased
    (``lows[k] == words[k][1].lower()``), saves lowering them again."""
    if lows is None:
        w = words[i][1].lower()
        prev = words[i - 1][1].lower() if i else ""
    else:
        w = lows[i]
        prev = lows[i - 1] if i else ""
    if w in AUXILIARIES:
        # "had sales of $154 million": a main verb when no verb follows it
        if lows is None:
            lows = LazyLows(words)
        j = i + 1
        n = len(words)
        while j < n and lows[j] in _ADVERBS:
            j += 1  # "had just ended"
        nxt = lows[j] if j < n else ""
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
    lower = words[i][1][:1].islower()
    if len(w) > 4 and w.endswith("ed") and w not in _NOT_VERBS and lower:
        return True
    if len(w) > 5 and w.endswith("ing") and w not in _NOT_ING and lower:
        return True  # "bidding $1.9 billion", "closing unchanged", "arriving in 1966"
    # base forms after a modal, "to" or "did": "will meet", "to divest"
    return lower and (prev in _MODALS or prev in ("to", "did", "didn't", "not", "n't"))


def is_event_noun(words: list[tuple[int, str]], i: int) -> bool:
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


def verb_group(
    words: Sequence[tuple[int, str]], i: int, lows: Sequence[str] | None = None
) -> tuple[str, str]:
    """Aspect and factuality from the words just before a verb trigger.
    ``lows``, the words lower-cased, saves lowering them again."""
    if lows is None:
        before = [w.lower() for _, w in words[max(0, i - 4) : i]]
        trigger = words[i][1].lower()
    else:
        before = list(lows[max(0, i - 4) : i])
        trigger = lows[i]
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


_ADVERBS = frozenset(
    "just also already not never still recently only even now then again really reportedly "
    "initially previously first finally".split()
)


_PLANS = frozenset(
    "plans plan planned planning expected scheduled due set going intends aims hopes wants "
    "agreed decided promised threatened".split()
)
