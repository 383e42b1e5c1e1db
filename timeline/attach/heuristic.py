"""The staged heuristic: a rule-based choice of the word a date dates.

Its choice is one of the ranker's features (:mod:`timeline.attach.ranker`):
the learned model starts from it and may move away from it.
"""

from __future__ import annotations

import re
from typing import Protocol

from ..model import Mention
from ..resolve.tense import IRREGULAR_PAST, clause_bounds
from .lexicon import AUXILIARIES, DETERMINERS, REPORTING_VERBS
from .words import (
    _FUNCTION,
    _MODALS,
    EVENT_NOUNS,
    is_event_noun,
    is_verb,
    sentence_bounds,
    word_spans,
)

__all__ = ["STAGES", "Fresh", "Reading", "heuristic", "heuristic_choice"]


_TIME_NOUNS = frozenset(
    "period quarter quarters year years month months week weeks day days time season half".split()
)


_PREPOSITIONS = frozenset("on in at of during for since by from until through".split())


# Dates that can modify a noun directly: years, quarters, compounds.
_MODIFIER = re.compile(r"(?:^\d{4}$|quarter$|-\w+$|\d{4}s?$)")


STAGES = (
    "noun",  # a date before the noun it modifies
    "fronted",  # a date closing an opening phrase
    "ref",  # "now": the verb right after
    "object",  # an event noun before the date, object of a verb: the verb
    "event-noun",  # an event noun right before the date
    "coordinated",  # "held on Friday and resume next month": the second verb
    "complement",  # "scheduled to depart": the complement of a control verb
    "finite",  # "extended offers to acquire X Friday": the finite verb
    "reported",  # "said income fell": the reported verb
    "verb-left",  # the nearest verb on the left
    "noun-left",  # the nearest event noun on the left
    "opening",  # a date opening its clause: the verb after
    "content",  # no verb or event noun: a content word
)


def heuristic(text: str, mention: Mention) -> tuple[int, str] | None:
    """The staged heuristic's choice: the trigger's offset and word (see
    :func:`heuristic_choice`)."""
    return heuristic_choice(text, mention)[0]


class Reading(Protocol):
    """Where the heuristic reads a text's words and sentences: by default
    afresh (:class:`Fresh`); :class:`~.attacher.Tagging` reads them from the
    words and sentences it has already found."""

    def spans(self, start: int, end: int) -> list[tuple[int, str]]:
        """:func:`.words.word_spans` of ``text[start:end]``."""
        ...

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """:func:`.words.sentence_bounds` of ``text[start:end]``."""
        ...


class Fresh:
    """A text's words and sentences, found afresh each time they are asked for."""

    def __init__(self, text: str) -> None:
        self.text = text

    def spans(self, start: int, end: int) -> list[tuple[int, str]]:
        return word_spans(self.text, start, end)

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        return sentence_bounds(self.text, start, end)


def heuristic_choice(
    text: str, mention: Mention, reading: Reading | None = None
) -> tuple[tuple[int, str] | None, str]:
    """The staged heuristic's choice and the stage that made it (one of
    :data:`STAGES`, or ``""`` for none).

    1. A date right before a noun dates that noun: "Friday's blast", "the 1988
       recapitalization", "third-quarter net loss".
    2. Otherwise the nearest verb or event noun on its left inside the clause
       ("the bombings on Aug. 7", "fell in price yesterday", "met on Monday").
    3. A date that opens its clause ("On Friday, the bomb exploded") dates the
       nearest one on its right.

    It is one of the ranker's features (:mod:`timeline.ranker`).  ``reading``
    gives the text's words and sentences (found afresh by default).
    """
    read = reading if reading is not None else Fresh(text)
    left, right = clause_bounds(text, mention.start, mention.end)
    before = read.spans(left, mention.start)
    after = read.spans(mention.end, right)
    words = before + after
    n = len(before)
    chosen: int | None = None
    stage = ""
    # 1. prenominal: "Friday's blast", "the 1988 recapitalization", "third-quarter loss"
    possessive = text[mention.end : mention.end + 2] in ("'s", "’s")
    if possessive:
        after = read.spans(mention.end + 2, right)
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
            if is_verb(words, j) and not w.endswith("ing"):
                break  # "Friday's blast shook ...": the noun phrase has ended
            if not (possessive or determined) and (
                is_verb(words, j) or w.endswith(("ly", "ing")) or raw[:1].isupper()
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
        stage = "noun"
    # A date in an opening prepositional phrase ("In composite trading
    # Friday, the shares closed ...") dates the clause after the comma.
    if chosen is None and _fronted(text, before, mention.end):
        s_left, s_right = read.sentence(mention.start, mention.end)
        ahead = read.spans(mention.end, s_right)
        words = before + ahead
        chosen = next((i for i in range(n, min(len(words), n + 25)) if is_verb(words, i)), None)
        stage = "fronted"
    # "now", "currently": the verb right after ("is now located", "now sees")
    if chosen is None and mention.value.endswith("_REF") and " " not in mention.text.strip():
        chosen = next((i for i in range(n, min(len(words), n + 3)) if is_verb(words, i)), None)
        stage = "ref"
    # a clause joined by "but" starts afresh: "... filed a lawsuit, but in March
    # a judge ruled"; the last such joint before the date counts
    cut = 0
    for i in range(n - 1, -1, -1):
        o, raw = words[i]
        w = raw.lower()
        if w == "but" or (w == "and" and text[max(0, o - 3) : o].rstrip().endswith(",")):
            cut = i + 1
            break
    # 2. an event noun right before the date: "the bombings on Aug. 7",
    #    "a news conference Friday", "growth in recent years"
    if chosen is None and n:
        i = n - 1
        if words[i][1].lower() in _PREPOSITIONS and i > 0:
            i -= 1
        if is_event_noun(words, i):
            chosen = i
            stage = "event-noun"
            # "reached an agreement last week": the object's verb dates it
            for k in range(i - 1, max(-1, i - 4), -1):
                if is_verb(words, k) and words[k][1].lower() not in REPORTING_VERBS:
                    chosen = k
                    stage = "object"
                    break
                w = words[k][1].lower()
                if w in _FUNCTION and w not in DETERMINERS:
                    break  # "a conference at ...": a preposition ends the object
    # 3. the nearest verb on the left, then the nearest event noun
    if chosen is None:
        window = range(n - 1, max(cut - 1, n - 16), -1)
        chosen = next((i for i in window if is_verb(words, i) and not _period_end(words, i)), None)
        stage = "verb-left" if chosen is not None else ""
        second = _coordinated(text, words, chosen, n)
        if second is not None:
            # "talks were held on Friday and resume next month": the second verb
            chosen, stage = second, "coordinated"
        elif chosen is not None and words[chosen][1].lower() in REPORTING_VERBS and chosen < n - 2:
            # "said net income for the third quarter fell": the reported verb
            reported = next(
                (i for i in range(n, min(len(words), n + 3)) if is_verb(words, i)), None
            )
            if reported is not None:
                chosen, stage = reported, "reported"
        elif chosen is not None and chosen > 0 and words[chosen - 1][1].lower() == "to":
            finite = next(
                (
                    k
                    for k in range(chosen - 2, max(-1, chosen - 10), -1)
                    if is_verb(words, k) and words[k - 1][1].lower() != "to"
                ),
                None,
            )
            governor = _governor(words, chosen - 1)
            if governor:
                # "was scheduled to depart on Monday", "expects the deal to
                # close in the third quarter": the complement is what is dated
                stage = "complement"
            elif finite is not None:
                # "extended their offers to acquire X Friday": the finite verb
                chosen, stage = finite, "finite"
        if chosen is None:
            chosen = next((i for i in window if is_event_noun(words, i)), None)
            stage = "noun-left"
    # 4. a date that opens its clause dates what follows: verbs first
    if chosen is None:
        s_left, s_right = read.sentence(mention.start, mention.end)
        ahead = read.spans(mention.end, s_right)
        words = before + ahead
        window = range(n, min(len(words), n + 25))
        # a finite verb first ("Two days ago, the fishing association
        # dropped ..."), then an -ing form, then an event noun
        chosen = next(
            (i for i in window if is_verb(words, i) and not words[i][1].endswith("ing")), None
        )
        if chosen is None:
            chosen = next((i for i in window if is_verb(words, i)), None)
        if chosen is None:
            chosen = next((i for i in window if is_event_noun(words, i)), None)
        stage = "opening"
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
        stage = "content"
    return (None, "") if chosen is None else (words[chosen], stage)


# Verbs that hand a date to their "to" complement (control and raising):
# "was scheduled to depart on Monday", "expects the deal to close in March".
_CONTROL = frozenset(
    """
    plan plans planned planning expect expects expected expecting schedule scheduled due set
    going intend intends intended aim aims aimed hope hopes hoped want wants wanted
    agree agrees agreed decide decides decided promise promises promised threaten threatens
    threatened vow vows vowed pledge pledges pledged seek seeks sought try tries tried
    refuse refuses refused fail fails failed prepare prepares prepared likely unlikely
    ready able unable supposed poised slated
    """.split()
)


def _governor(words: list[tuple[int, str]], to: int) -> bool:
    """Whether the "to" at index ``to`` completes a control or raising verb,
    directly ("scheduled to") or after its object ("expects the deal to")."""
    for k in range(to - 1, max(-1, to - 5), -1):
        w = words[k][1].lower()
        if w in _CONTROL:
            return True
        if k < to - 1 and (is_verb(words, k) or w in AUXILIARIES):
            return False  # another verb comes first
    return False


# A word that ends a time expression: "on Friday and ...", "last week but ...".
_TIME_END = re.compile(
    r"(?i)^(?:mon|tues|wednes|thurs|fri|satur|sun)day$|^(?:january|february|march|april|june|"
    r"july|august|september|october|november|december|today|yesterday|tomorrow|tonight|"
    r"week|month|year|morning|afternoon|evening|night|ago|earlier|later|weekend)$"
)


_CONJUNCTIONS = frozenset("and but or then".split())


def _coordinated(text: str, words: list[tuple[int, str]], verb: int | None, n: int) -> int | None:
    """The verb of a second conjunct between ``verb`` and the date at word
    ``n``: "held on Friday and resume next month" gives "resume".  The first
    conjunct must end in a time word, so that "sold stocks and bonds in
    March" keeps "sold"."""
    if verb is None:
        return None
    for c in range(n - 2, verb, -1):
        if words[c][1].lower() not in _CONJUNCTIONS:
            continue
        if not _TIME_END.match(words[c - 1][1]) and not re.fullmatch(r"\d{4}", words[c - 1][1]):
            gap = text[words[c - 1][0] + len(words[c - 1][1]) : words[c][0]]
            if not re.search(r"\d\s*$", gap):
                return None
        j = c + 1
        w = words[j][1].lower()
        if w in ("will", "would", "could", "may", "might", "to") and j + 1 < n:
            j += 1
            w = words[j][1].lower()
        if (
            j < n
            and words[j][1][:1].islower()
            and w not in _FUNCTION
            and w not in DETERMINERS
            and w not in AUXILIARIES
            and not w.endswith("ly")
        ):
            return j
        return None
    return None


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
