"""Entity timelines in the format of SemEval-2015 Task 4 ("TimeLine: Cross-Document
Event Ordering"), track A: raw text in, one timeline per target entity out.

A timeline file names the entity on its first line; every further line is
``ORDER<TAB>DATE<TAB>MENTION[<TAB>MENTION...]``.  A mention is written
``docid-sentence-word``: the document's ``doc_id``, the ``sentence`` attribute
of the CAT tokens (0 is the title, 1 the dateline, the body starts at 2) and
the token text of the event word, several tokens joined by ``_``
(``11778-3-accounts_for``).  ``DATE`` is ``YYYY-MM-DD``, ``YYYY-MM``,
``YYYY`` or ``XXXX-XX-XX`` (not anchored); lines with equal ``ORDER`` are
simultaneous, and ``ORDER`` 0 holds the events that could not be placed.

The pipeline, per document: rebuild the text from the CAT tokens, run
:func:`timeline.build` against the document creation time, find the
sentences that name the entity, and take their event words (the library's
triggers and verbs near the entity).  Each word takes a date of its sentence
or, in a sentence without one, the article's date (:class:`Settings`).

Four scores compare a system timeline with the gold one (:func:`score`):

* ``mentions``: precision / recall / F1 of the event mentions;
* ``pairs``: the same over (mention, date) pairs;
* ``relations``: over the before / simultaneous relations between every two
  ordered mentions, read off ``ORDER``;
* ``awareness``: the task's official measure, re-implemented from the task's
  scorer (``timeline-evaluation`` in ``newsreader/evaluation``): each
  timeline becomes a graph (each mention SIMULTANEOUS with its date,
  consecutive mentions BEFORE or SIMULTANEOUS), the graph is reduced, and a
  relation counts when the other side states it or its closure implies it
  (UzZaman and Allen's temporal awareness).  ``ORDER`` 0 lines are left out,
  as the official scorer does.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import attrs

from .api import build, parse_published
from .dateline import detect_published
from .model import Grain, Mention, TimeValue
from .tense import IRREGULAR_PAST

__all__ = [
    "UNDATED",
    "CatDocument",
    "Report",
    "Scores",
    "Settings",
    "TimelineLine",
    "TimelineScore",
    "Token",
    "TokenIndex",
    "date_key",
    "date_string",
    "dump_main",
    "entity_pattern",
    "entity_timeline",
    "eval_main",
    "format_report",
    "format_timeline",
    "locate",
    "parse_timeline",
    "read_cat_document",
    "read_documents",
    "read_timeline",
    "run",
    "score",
    "temporal_awareness",
    "text_document",
    "timeline_file_name",
    "write_timelines",
]

UNDATED = "XXXX-XX-XX"


# --------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------


@attrs.frozen
class Token:
    """One CAT token and where it landed in the rebuilt text."""

    t_id: str
    sentence: int
    number: int
    text: str
    start: int
    end: int


class TokenIndex:
    """Maps character offsets of a rebuilt text back to its tokens and sentences."""

    def __init__(self, tokens: Iterable[Token]) -> None:
        self.tokens: tuple[Token, ...] = tuple(sorted(tokens, key=lambda t: t.start))
        self._starts = [t.start for t in self.tokens]
        self._sentences: dict[int, list[int]] = {}
        for i, tok in enumerate(self.tokens):
            self._sentences.setdefault(tok.sentence, []).append(i)

    def __len__(self) -> int:
        return len(self.tokens)

    def at(self, offset: int) -> Token | None:
        """The token covering character ``offset``, or None (a space, a newline)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and offset < self.tokens[i].end:
            return self.tokens[i]
        return None

    def sentences(self) -> list[int]:
        """The sentence ids, in text order."""
        return sorted(self._sentences, key=lambda s: self._sentences[s][0])

    def sentence_tokens(self, sentence: int) -> tuple[Token, ...]:
        """The tokens of one sentence, in order (empty for an unknown id)."""
        return tuple(self.tokens[i] for i in self._sentences.get(sentence, ()))

    def next_token(self, token: Token) -> Token | None:
        """The token after ``token`` in the same sentence, or None."""
        i = bisect.bisect_left(self._starts, token.start) + 1
        if i < len(self.tokens) and self.tokens[i].sentence == token.sentence:
            return self.tokens[i]
        return None

    def previous_tokens(self, token: Token, n: int) -> list[Token]:
        """Up to ``n`` tokens before ``token`` in its sentence, nearest last."""
        i = bisect.bisect_left(self._starts, token.start)
        out = [t for t in self.tokens[max(0, i - n) : i] if t.sentence == token.sentence]
        return out


class CatDocument(NamedTuple):
    """A document ready for the pipeline: ``doc_id, text, dct, tokens``."""

    doc_id: str
    text: str
    dct: str
    tokens: TokenIndex


# Tokens written without a space before them, and after which no space follows.
_NO_SPACE_BEFORE = frozenset(", . ; : ! ? ) ] } 's 'S ' n't %".split())
_NO_SPACE_AFTER = frozenset("( [ { $".split())


def _join(words: Sequence[tuple[str, int, int, str]], detokenize: bool) -> tuple[str, list[Token]]:
    """Rebuild a text from ``(t_id, sentence, number, word)`` rows: spaces between
    tokens, a newline between sentences; ``detokenize`` drops the space before
    punctuation and clitics (``Apple's``, ``2010,``)."""
    parts: list[str] = []
    tokens: list[Token] = []
    offset = 0
    previous: tuple[int, str] | None = None
    for t_id, sentence, number, word in words:
        if previous is None:
            sep = ""
        elif previous[0] != sentence:
            sep = "\n"
        elif detokenize and (word in _NO_SPACE_BEFORE or previous[1] in _NO_SPACE_AFTER):
            sep = ""
        else:
            sep = " "
        parts.append(sep)
        offset += len(sep)
        tokens.append(Token(t_id, sentence, number, word, offset, offset + len(word)))
        parts.append(word)
        offset += len(word)
        previous = (sentence, word)
    return "".join(parts), tokens


def read_cat_document(path: str | Path, *, detokenize: bool = False) -> CatDocument:
    """Read a CAT XML file of the task: ``<token t_id sentence number>`` elements
    and a ``TIMEX3`` markable with ``functionInDocument="CREATION_TIME"``.

    The text joins tokens with single spaces and sentences with a newline
    (``detokenize`` glues punctuation to the word before it).  The document
    id is the root's ``doc_id`` attribute, else the file name up to its first
    ``-`` or ``_``.  Raises :class:`ValueError` naming the file when it is not
    well-formed XML or has no creation time.
    """
    p = Path(path)
    try:
        root = ET.parse(p).getroot()
    except (ET.ParseError, OSError) as exc:
        raise ValueError(f"{p}: cannot read CAT XML: {exc}") from None
    rows: list[tuple[str, int, int, str]] = []
    for i, tok in enumerate(root.iter("token")):
        try:
            sentence = int(tok.get("sentence", "0"))
            number = int(tok.get("number", str(i)))
        except ValueError:
            raise ValueError(f"{p}: token {tok.get('t_id')!r} has a non-numeric sentence") from None
        word = "".join(tok.itertext()).strip()
        if word:
            rows.append((tok.get("t_id", str(i + 1)), sentence, number, word))
    dct = next(
        (
            (m.get("value") or "").strip()
            for m in root.iter("TIMEX3")
            if (m.get("functionInDocument") or "").upper() == "CREATION_TIME"
        ),
        "",
    )
    if not dct:
        raise ValueError(f'{p}: no TIMEX3 with functionInDocument="CREATION_TIME"')
    doc_id = root.get("doc_id") or re.split(r"[-_]", p.stem, maxsplit=1)[0]
    text, tokens = _join(rows, detokenize)
    return CatDocument(doc_id, text, dct, TokenIndex(tokens))


_TOKEN = re.compile(r"\w+(?:[-'’.]\w+)*|[^\w\s]")
_SENTENCE = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])|\n\s*")


def text_document(doc_id: str, text: str, dct: str) -> CatDocument:
    """A plain-text document cut into sentences (line breaks, sentence ends)
    and tokens (words, punctuation), numbered from 0 as in CAT files."""
    rows: list[tuple[str, int, int, str]] = []
    pos = 0
    cuts = [m.end() for m in _SENTENCE.finditer(text)] + [len(text)]
    sentence = 0
    number = 0
    for cut in cuts:
        words = [m.group() for m in _TOKEN.finditer(text, pos, cut)]
        for w in words:
            rows.append((str(number + 1), sentence, number, w))
            number += 1
        if words:
            sentence += 1
        pos = cut
    joined, tokens = _join(rows, detokenize=True)
    return CatDocument(doc_id, joined, dct, TokenIndex(tokens))


# --------------------------------------------------------------------------
# The timeline format
# --------------------------------------------------------------------------


@attrs.frozen
class TimelineLine:
    """One line of a timeline: its position, its date and its event mentions
    (``docid-sentence-word`` strings, coreferent mentions together)."""

    order: int
    date: str
    mentions: tuple[str, ...]


def format_timeline(entity: str, lines: Iterable[TimelineLine]) -> str:
    r"""The task's tab-separated form, the entity on the first line.

    >>> format_timeline("iPod", [TimelineLine(1, "2006-01", ("4678-5-use",))])
    'iPod\n1\t2006-01\t4678-5-use\n'
    """
    out = [entity]
    for line in lines:
        out.append("\t".join([str(line.order), line.date, *line.mentions]))
    return "\n".join(out) + "\n"


def parse_timeline(text: str) -> tuple[str, list[TimelineLine]]:
    """Parse the task's format: ``(entity, lines)``.

    Blank lines are skipped; a line with fewer than three fields or a
    non-numeric ``ORDER`` raises :class:`ValueError` naming its line number.
    """
    rows = text.splitlines()
    if not rows or not rows[0].strip():
        raise ValueError("timeline: the first line must name the entity")
    entity = rows[0].strip()
    lines: list[TimelineLine] = []
    for n, row in enumerate(rows[1:], start=2):
        if not row.strip():
            continue
        fields = [f.strip() for f in row.split("\t")]
        fields = [f for f in fields if f]
        if len(fields) < 3 or not fields[0].isdigit():
            raise ValueError(f"timeline line {n}: expected ORDER<TAB>DATE<TAB>MENTION: {row!r}")
        lines.append(TimelineLine(int(fields[0]), fields[1], tuple(fields[2:])))
    return entity, lines


def read_timeline(path: str | Path) -> tuple[str, list[TimelineLine]]:
    """Read a timeline file (UTF-8); errors name the file."""
    p = Path(path)
    try:
        return parse_timeline(p.read_text(encoding="utf-8-sig"))
    except ValueError as exc:
        raise ValueError(f"{p}: {exc}") from None


# --------------------------------------------------------------------------
# Building an entity's timeline
# --------------------------------------------------------------------------


@attrs.frozen
class Settings:
    """How events are picked and dated; the defaults scored best on the trial
    data (``docs/entity-timelines.md`` lists what each one is worth).

    ``verbs``
        Take the verbs of a sentence that names the entity (past forms,
        reporting verbs, a few present-tense verbs), not only the library's
        trigger, which is one word per date expression.
    ``library_triggers``
        Also take the library's triggers (they can be nouns: "talks").
    ``window``
        Keep only words at most this many tokens from a mention of the
        entity (None: the whole sentence).
    ``date_choice``
        ``"finest"``: a word takes the narrowest date of its sentence (the
        nearest among equals); ``"nearest"``: the nearest date.
    ``attributive``
        Ignore a year used as a modifier ("the 1991 agreement").
    ``anchor_published``
        A word in a sentence without a date is dated by the article: a
        present-tense verb by the publish date, a past one by the lead date
        (see ``lead_date``); a future one (``will``, ``to``) stays undated.
    ``lead_date``
        The day the first body sentence reports, when it lies in the week up
        to publication ("Yesterday, Apple unveiled ..."), dates the past-tense
        verbs of undated sentences; otherwise the publish date does.
    ``carry``
        A sentence that opens with a pronoun or "The <noun>" right after a
        sentence about the entity is about it too ("It comes in two colors").
    ``skip_header``
        Leave out the first sentence (the headline) and a dateline after it
        (sentences 0 and 1 of the task's files), which the gold timelines
        never use.
    ``detokenize``
        Glue punctuation to the word before it when rebuilding the text
        ("Apple's", "June 8, 2010"), which the date grammar reads better.
    """

    verbs: bool = True
    library_triggers: bool = True
    window: int | None = 5
    date_choice: str = attrs.field(default="finest")
    attributive: bool = True
    anchor_published: bool = True
    lead_date: bool = True
    carry: bool = True
    skip_header: bool = True
    detokenize: bool = True

    @date_choice.validator
    def _check_choice(self, _attribute: object, value: str) -> None:
        if value not in ("finest", "nearest"):
            raise ValueError(f"date_choice must be 'finest' or 'nearest', not {value!r}")


_DEFAULT_SETTINGS = Settings()


def entity_pattern(entity: str) -> re.Pattern[str]:
    """A case-insensitive pattern for the entity and its simple variants.

    Underscores in the name (as in gold file names) are spaces; the words may
    be joined by spaces, ``_`` or ``-``; a plural ``s`` (lower case: "iPhone
    4s" is a plural, "iPhone 4S" another phone) or a possessive
    (``'s``, ``'``, with or without the tokeniser's space) may follow.  Also
    accepted: the name without a trailing lower-case word (``iTunes`` for
    "iTunes store"), any run of two or more of its words (``Apple Corps``
    for "Beatles Apple Corps"), and the surname of a two-word capitalised
    name (``Jobs`` for "Steve Jobs").

    >>> bool(entity_pattern("iphone_4").search("the iPhone 4's antenna"))
    True
    >>> bool(entity_pattern("iPhone 4").search("the iPhone 4S"))
    False
    """
    words = [w for w in re.split(r"[\s_]+", entity.strip()) if w]
    if not words:
        raise ValueError("entity: empty name")
    variants: set[tuple[str, ...]] = {tuple(words)}
    if len(words) >= 2 and words[-1].isalpha() and words[-1].islower():
        variants.add(tuple(words[:-1]))
    if len(words) >= 3:
        for i in range(len(words)):
            for j in range(i + 2, len(words) + 1):
                variants.add(tuple(words[i:j]))
    if len(words) == 2 and all(w[:1].isupper() and w.isalpha() for w in words):
        variants.add((words[1],))
    alternatives = sorted(
        (r"[\s_-]*".join(re.escape(w) for w in v) for v in variants), key=len, reverse=True
    )
    body = "|".join(alternatives)
    return re.compile(rf"(?<![\w-])(?:{body})(?:(?-i:s)|\s?['’]s?)?(?![\w-]|['’]\w)", re.IGNORECASE)


_DAY_GRAINS = frozenset([Grain.SECOND, Grain.MINUTE, Grain.HOUR, Grain.PART_OF_DAY, Grain.DAY])
_MONTH_GRAINS = frozenset(
    [Grain.WEEK, Grain.WEEKEND, Grain.MONTH, Grain.SEASON, Grain.QUARTER, Grain.HALF]
)


def date_string(value: TimeValue) -> str | None:
    """The task's DATE for a resolved value, at the grain the text named.

    Day and finer give ``YYYY-MM-DD``; week and weekend give the month of
    their first day (the gold dates "this week" by its month); month,
    season, quarter and half the month they start in; year, decade and
    century the year they start in.  None when the value has no interval.
    """
    interval = value.interval
    if interval is None:
        return None
    start = interval.start
    grain = value.grain or interval.grain
    if grain in _DAY_GRAINS:
        return start.strftime("%Y-%m-%d")
    if grain in _MONTH_GRAINS:
        return start.strftime("%Y-%m")
    return f"{start.year:04d}"


_DATE = re.compile(r"(\d{4})(?:-(\d{2}|XX)(?:-(\d{2}|XX))?)?")


def date_key(date: str) -> tuple[int, int, int, int] | None:
    """A sort key for a task DATE: the start first, the coarser date first at
    equal starts; None for an undated or unreadable value (``XXXX-XX-XX``).

    >>> sorted(["2006-03-28", "2006", "2006-03"], key=date_key)
    ['2006', '2006-03', '2006-03-28']
    """
    m = _DATE.fullmatch(date.strip())
    if m is None:
        return None
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is None or month == "XX":
        return year, 1, 1, 0
    if day is None or day == "XX":
        return year, int(month), 1, 1
    return year, int(month), int(day), 2


# -- which words are events ------------------------------------------------

_PRESENT_VERBS = frozenset(
    """
    has have says say said sells sell uses use comes works claims owns includes offers
    accounts passes provides supports requires allows lets makes gives takes remains
    """.split()
)
_REPORTING = frozenset(
    """
    said says announced stated told added noted explained claimed reported confirmed
    revealed described called admitted acknowledged dismissed denied argued
    """.split()
)
_PARTICIPLES = frozenset(
    """
    taken given seen known written shown chosen undergone begun done gone grown drawn broken
    spoken driven fallen forgotten hidden risen stolen thrown worn born been
    """.split()
)
# Words ending in -ed that are seldom verbs in news text.
_NOT_VERB = frozenset(
    """
    united based related limited red bed need speed seed feed hundred indeed so-called
    unnamed unidentified aged biased skilled talented wed shed bred embed shred sled
    """.split()
)
_ADVERBS = frozenset("not n't also still already just never twice before since yet".split())
_MODAL = frozenset("will would could should may might must shall can 'll wo ca to".split())
_AUX = frozenset(
    "be been being is are was were am has have had do does did not n't also still already "
    "just never".split()
)
_PARTICLES = frozenset("off out down up".split())
_MODIFIER_SLOT = frozenset("the a an this that its his her their our your my 's".split())


def _is_past_form(word: str) -> bool:
    return word in IRREGULAR_PAST or word in _PARTICIPLES or (len(word) > 4 and word.endswith("ed"))


def _next_word(index: TokenIndex, token: Token) -> str:
    """The next word of the sentence, over adverbs ("has twice before sued")."""
    t = index.next_token(token)
    while t is not None and t.text.lower() in _ADVERBS:
        t = index.next_token(t)
    return t.text.lower() if t is not None else ""


def _event_word(index: TokenIndex, token: Token) -> bool:
    """A crude event test: verbs in the past (``-ed``, irregular forms,
    participles), reporting verbs and a few frequent present-tense verbs of
    business news.  An auxiliary ("has" in "has filed") is not an event."""
    w = token.text.lower()
    if not w.isalpha() or len(w) < 3 or w in _NOT_VERB or w == "been":
        return False
    if w in ("has", "have", "had"):
        following = _next_word(index, token)
        return not (_is_past_form(following) or following.endswith("ing"))
    return w in _PRESENT_VERBS or w in _REPORTING or _is_past_form(w)


def _tense(index: TokenIndex, token: Token) -> str:
    """``future`` when a modal or ``to`` governs the word ("will use", "to
    file"), ``past`` for past forms and perfects, else ``present``."""
    before = index.previous_tokens(token, 3)
    for t in reversed(before):
        w = t.text.lower()
        if w in _MODAL:
            return "future"
        if w not in _AUX:
            break
    if _is_past_form(token.text.lower()):
        return "past"
    if any(t.text.lower() in ("was", "were", "had", "has", "have") for t in before[-2:]):
        return "past"
    return "present"


def _word_at(index: TokenIndex, token: Token) -> str:
    """The mention's word: the token, joined to a following particle
    ("showed_off"), but not in "settled out of court"."""
    nxt = index.next_token(token)
    if nxt is not None and nxt.text.lower() in _PARTICLES:
        after = index.next_token(nxt)
        if after is None or after.text.lower() != "of":
            return f"{token.text}_{nxt.text}"
    return token.text


# -- which sentences are about the entity ----------------------------------

_CARRY = re.compile(r"(?:it|its|he|his|she|they|the\s+\w+)\b", re.IGNORECASE)


_DATE_WORDS = frozenset(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday
    """.split()
)


def _is_dateline(tokens: Sequence[Token]) -> bool:
    """A sentence that is only a date ("June 8 , 2010")."""
    words = [t.text.lower().rstrip(".") for t in tokens]
    return any(len(w) == 4 and w.isdigit() for w in words) and all(
        w in _DATE_WORDS or w.isdigit() or w in ("", ",", "-", "/") for w in words
    )


def _body(doc: CatDocument, settings: Settings) -> list[int]:
    """The sentence ids of the body: without the headline (the first
    sentence) and a dateline after it, when ``skip_header`` is set."""
    sentences = doc.tokens.sentences()
    if not settings.skip_header or len(sentences) < 2:
        return sentences
    skip = 2 if _is_dateline(doc.tokens.sentence_tokens(sentences[1])) else 1
    return sentences[skip:]


def _entity_hits(
    doc: CatDocument, body: Sequence[int], pattern: re.Pattern[str], settings: Settings
) -> dict[int, list[tuple[int, int]]]:
    """Sentence id -> spans of the entity's mentions in it (for a sentence
    taken in by ``carry``, the span of its opening pronoun)."""
    found: dict[int, list[tuple[int, int]]] = {}
    previous = False
    for s in body:
        toks = doc.tokens.sentence_tokens(s)
        lo, hi = toks[0].start, toks[-1].end
        hits = [m.span() for m in pattern.finditer(doc.text, lo, hi)]
        carried = settings.carry and previous and _CARRY.match(doc.text, lo, hi)
        if hits:
            found[s] = hits
        elif carried:
            found[s] = [carried.span()]
        previous = s in found
    return found


# -- dates -----------------------------------------------------------------


def _lead_date(
    doc: CatDocument, lead: int, dated: Sequence[Mention], published: _dt.datetime
) -> str | None:
    """The day the story reports: the first day-grain date of the first body
    sentence when it lies in the week up to publication ("Yesterday, ...")."""
    for m in dated:
        first = doc.tokens.at(m.start)
        iv = m.interval
        if first is None or first.sentence != lead or iv is None:
            continue
        if (m.grain or iv.grain) in _DAY_GRAINS and (
            _dt.timedelta(0) <= published - iv.start <= _dt.timedelta(days=7)
        ):
            return iv.start.strftime("%Y-%m-%d")
    return None


def _attributive(doc: CatDocument, mention: Mention) -> bool:
    """A year used as a modifier ("the 1991 agreement"): it dates a thing, not
    the events of its sentence."""
    if mention.grain is not Grain.YEAR:
        return False
    first = doc.tokens.at(mention.start)
    if first is None:
        return False
    before = doc.tokens.previous_tokens(first, 1)
    return bool(before) and before[-1].text.lower() in _MODIFIER_SLOT


def _pick_date(mentions: Sequence[Mention], token: Token, how: str) -> str | None:
    """The date of ``token``: of the dates in its sentence, the nearest one,
    or with ``how="finest"`` the narrowest one (the nearest among equals)."""
    if not mentions:
        return None

    def distance(m: Mention) -> int:
        return abs(m.start - token.start)

    def rank(m: Mention) -> tuple[float, int]:
        iv = m.interval
        width = (iv.end - iv.start).total_seconds() if iv is not None else float("inf")
        return width, distance(m)

    best = min(mentions, key=rank if how == "finest" else distance)
    return date_string(best.when)


# -- candidates and the timeline -------------------------------------------


@attrs.frozen
class _Candidate:
    doc_id: str
    sentence: int
    word: str
    date: str | None
    token_start: int

    @property
    def mention(self) -> str:
        return f"{self.doc_id}-{self.sentence}-{self.word}"


def _document_candidates(
    doc: CatDocument, pattern: re.Pattern[str], settings: Settings
) -> list[_Candidate]:
    """The event words of one document's sentences about the entity, dated."""
    body = _body(doc, settings)
    hits = _entity_hits(doc, body, pattern, settings)
    if not hits:
        return []
    published = parse_published(doc.dct)
    timeline = build(doc.text, published, document=doc.doc_id)
    dated = [m for m in timeline.mentions if m.interval is not None and m.type in ("DATE", "TIME")]
    by_sentence: dict[int, list[Mention]] = {}
    for m in dated:
        first = doc.tokens.at(m.start)
        if first is not None and not (settings.attributive and _attributive(doc, m)):
            by_sentence.setdefault(first.sentence, []).append(m)
    triggers: set[int] = set()
    if settings.library_triggers:
        for event in timeline:
            if event.trigger_start is not None and event.mention is not None:
                tok = doc.tokens.at(event.trigger_start)
                if tok is not None and tok.text[:1].islower():  # not a name
                    triggers.add(tok.start)
    lead = _lead_date(doc, body[0], dated, published) if settings.lead_date else None
    today = published.strftime("%Y-%m-%d")
    out: list[_Candidate] = []
    for s in sorted(hits):
        toks = doc.tokens.sentence_tokens(s)
        anchors = [
            i for i, t in enumerate(toks) if any(t.start < b and a < t.end for a, b in hits[s])
        ]
        for i, token in enumerate(toks):
            if token.start not in triggers and not (
                settings.verbs and _event_word(doc.tokens, token)
            ):
                continue
            if (
                settings.window is not None
                and anchors
                and min(abs(i - a) for a in anchors) > settings.window
            ):
                continue
            date = _pick_date(by_sentence.get(s, []), token, settings.date_choice)
            if date is None and settings.anchor_published:
                tense = _tense(doc.tokens, token)
                if tense == "past":
                    date = lead or today
                elif tense == "present":
                    date = today
            out.append(_Candidate(doc.doc_id, s, _word_at(doc.tokens, token), date, token.start))
    return out


def entity_timeline(
    docs: Iterable[CatDocument],
    entity: str,
    *,
    include_undated: bool = True,
    settings: Settings | None = None,
) -> list[TimelineLine]:
    """The timeline of the events that involve ``entity`` across ``docs``.

    One line per event mention.  Dated lines are ordered by the start of
    their date, the coarser date first at equal starts ("2006-03" before
    "2006-03-28"); lines with the same date share an ``ORDER``, counted from
    1.  With ``include_undated``, the events that could not be dated come
    first as ``0<TAB>XXXX-XX-XX`` lines (the official scorer skips them).
    """
    opts = settings or _DEFAULT_SETTINGS
    pattern = entity_pattern(entity)
    candidates: list[_Candidate] = []
    for doc in docs:
        candidates.extend(_document_candidates(doc, pattern, opts))
    lines: list[TimelineLine] = []
    dated: list[tuple[tuple[int, int, int, int], str, _Candidate]] = []
    for c in candidates:
        key = date_key(c.date) if c.date is not None else None
        if key is not None and c.date is not None:
            dated.append((key, c.date, c))
        elif include_undated:
            lines.append(TimelineLine(0, UNDATED, (c.mention,)))
    dated.sort(key=lambda d: (d[0], d[1], d[2].doc_id, d[2].sentence, d[2].token_start))
    order = 0
    previous: str | None = None
    for _, date, c in dated:
        if date != previous:
            order += 1
            previous = date
        lines.append(TimelineLine(order, date, (c.mention,)))
    return lines


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


@attrs.frozen
class Scores:
    """Matched counts on both sides and totals, with precision, recall and F1.

    ``system_matched`` of ``system`` items were right (precision) and
    ``gold_matched`` of ``gold`` items were found (recall); the two differ
    for the graph measure, where each side is checked against the other's
    closure.
    """

    system_matched: int = 0
    system: int = 0
    gold_matched: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.system_matched / self.system if self.system else 0.0

    @property
    def recall(self) -> float:
        return self.gold_matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Scores) -> Scores:
        return Scores(
            self.system_matched + other.system_matched,
            self.system + other.system,
            self.gold_matched + other.gold_matched,
            self.gold + other.gold,
        )


def _mention_key(mention: str) -> str:
    """Mentions compare case-insensitively (the gold has ``16900-2-pre-orders``
    for the token ``Pre-orders``); the official script compares them as written."""
    return mention.strip().lower()


def _normal_date(date: str) -> str:
    """``XXX-XX-XX`` (a gold typo) and ``XXXX-XX-XX`` are undated; trailing
    unknown parts go (``2008-03-XX`` is ``2008-03``)."""
    d = date.strip()
    if d.upper().startswith("X"):
        return UNDATED
    while d.upper().endswith("-XX"):
        d = d[:-3]
    return d


def _set_scores(system: set[Any], gold: set[Any]) -> Scores:
    hit = len(system & gold)
    return Scores(hit, len(system), hit, len(gold))


def _flatten(lines: Iterable[TimelineLine]) -> list[tuple[int, str, str]]:
    """``(order, normalised date, mention key)`` for every mention."""
    return [
        (line.order, _normal_date(line.date), _mention_key(m))
        for line in lines
        for m in line.mentions
    ]


def _relations(lines: Iterable[TimelineLine]) -> set[tuple[str, str, str]]:
    """Before / simultaneous between every two ordered (ORDER > 0) mentions, each
    unordered pair once, written with the smaller key first."""
    flat = sorted({(o, m) for o, _, m in _flatten(lines) if o > 0}, key=lambda x: x[1])
    out: set[tuple[str, str, str]] = set()
    for i, (oa, a) in enumerate(flat):
        for ob, b in flat[i + 1 :]:
            if a == b:
                continue
            rel = "=" if oa == ob else "<" if oa < ob else ">"
            out.add((a, b, rel))
    return out


@attrs.frozen
class TimelineScore:
    """All measures for one entity timeline (see the module docstring)."""

    entity: str
    mentions: Scores
    pairs: Scores
    relations: Scores
    awareness: Scores

    def __add__(self, other: TimelineScore) -> TimelineScore:
        return TimelineScore(
            "all",
            self.mentions + other.mentions,
            self.pairs + other.pairs,
            self.relations + other.relations,
            self.awareness + other.awareness,
        )


def score(
    system: Sequence[TimelineLine], gold: Sequence[TimelineLine], entity: str = ""
) -> TimelineScore:
    """Score one system timeline against the gold one.

    ``mentions`` and ``pairs`` count every line, ``ORDER`` 0 included;
    ``relations`` and ``awareness`` only the ordered lines.
    """
    sys_flat, gold_flat = _flatten(system), _flatten(gold)
    return TimelineScore(
        entity,
        _set_scores({m for _, _, m in sys_flat}, {m for _, _, m in gold_flat}),
        _set_scores({(m, d) for _, d, m in sys_flat}, {(m, d) for _, d, m in gold_flat}),
        _set_scores(_relations(system), _relations(gold)),
        temporal_awareness(system, gold),
    )


# -- temporal awareness ----------------------------------------------------

_Node = tuple[str, str, int]  # ("e", mention, occurrence) or ("t", date, 0)
_Rel = tuple[_Node, _Node, str]  # relation: "BEFORE" or "SIMULTANEOUS"


def _natural(text: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text)]


def _graph_input(lines: Sequence[TimelineLine]) -> list[_Rel]:
    """The relations the official script writes for a timeline: lines with
    ORDER 0 dropped, the rest sorted as text in natural order; each mention
    SIMULTANEOUS with its date, then each mention BEFORE (ORDER grows) or
    SIMULTANEOUS with the next one."""
    rows = [ln for ln in lines if ln.order != 0]
    rows.sort(key=lambda ln: _natural("\t".join([str(ln.order), ln.date, *ln.mentions])))
    seen: dict[str, int] = {}
    events: list[tuple[_Node, int]] = []
    rels: list[_Rel] = []
    for ln in rows:
        for m in ln.mentions:
            key = _mention_key(m)
            node: _Node = ("e", key, seen.get(key, 0))
            seen[key] = node[2] + 1
            events.append((node, ln.order))
            rels.append((node, ("t", ln.date.strip(), 0), "SIMULTANEOUS"))
    for (a, oa), (b, ob) in zip(events, events[1:], strict=False):
        rels.append((a, b, "BEFORE" if oa < ob else "SIMULTANEOUS"))
    unique: dict[_Rel, None] = dict.fromkeys(rels)
    return list(unique)


class _TimeGraph:
    """Intervals related by BEFORE and SIMULTANEOUS: simultaneous nodes share a
    class (union-find) and BEFORE edges join classes; the closure is
    reachability.  Relations are added in order, as in the TempEval-3 tool:
    one the graph already implies is left out of the reduced graph, one that
    contradicts it is kept aside as a violation and not added."""

    def __init__(self, relations: Iterable[_Rel]) -> None:
        self.parent: dict[_Node, _Node] = {}
        self.after: dict[_Node, set[_Node]] = {}
        self.reduced: list[_Rel] = []
        self.violated: list[_Rel] = []
        for rel in relations:
            self._add(rel)

    def _find(self, x: _Node) -> _Node:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def _reach(self, a: _Node, b: _Node) -> bool:
        """True when class ``a`` is before class ``b``."""
        todo = [a]
        seen = {a}
        while todo:
            x = todo.pop()
            for y in self.after.get(x, ()):
                y = self._find(y)
                if y == b:
                    return True
                if y not in seen:
                    seen.add(y)
                    todo.append(y)
        return False

    def relation(self, x: _Node, y: _Node) -> str | None:
        """``"SIMULTANEOUS"``, ``"BEFORE"``, ``"AFTER"`` or None (unknown)."""
        if x not in self.parent or y not in self.parent:
            return None
        a, b = self._find(x), self._find(y)
        if a == b:
            return "SIMULTANEOUS"
        if self._reach(a, b):
            return "BEFORE"
        if self._reach(b, a):
            return "AFTER"
        return None

    def _add(self, rel: _Rel) -> None:
        x, y, kind = rel
        known = self.relation(x, y)
        if known == kind:
            return  # implied: not part of the reduced graph
        if known is not None or (x == y and kind != "SIMULTANEOUS"):
            self.violated.append(rel)
            return
        for n in (x, y):
            self.parent.setdefault(n, n)
        a, b = self._find(x), self._find(y)
        if kind == "BEFORE":
            self.after.setdefault(a, set()).add(b)
        else:
            self.parent[b] = a
            self.after.setdefault(a, set()).update(self.after.pop(b, set()))
        self.reduced.append(rel)

    @property
    def final(self) -> list[_Rel]:
        """The relations scored: the reduced graph plus the violations."""
        return self.reduced + self.violated

    def implies(self, rel: _Rel) -> bool:
        return self.relation(rel[0], rel[1]) == rel[2]


def _literal(relations: Iterable[_Rel]) -> set[_Rel]:
    out: set[_Rel] = set()
    for x, y, kind in relations:
        out.add((x, y, kind))
        out.add((y, x, "AFTER" if kind == "BEFORE" else kind))
    return out


def temporal_awareness(system: Sequence[TimelineLine], gold: Sequence[TimelineLine]) -> Scores:
    """The official TimeLine measure, re-implemented (temporal awareness).

    Each timeline becomes a graph (see :func:`_graph_input`); a relation of
    one side's reduced graph is matched when the other side states it or its
    closure implies it.  Precision runs over the system's reduced relations,
    recall over the gold's.  Dates are compared as written, mentions
    case-insensitively.
    """
    sys_input, gold_input = _graph_input(system), _graph_input(gold)
    sys_graph, gold_graph = _TimeGraph(sys_input), _TimeGraph(gold_input)
    sys_literal, gold_literal = _literal(sys_input), _literal(gold_input)
    sys_final, gold_final = sys_graph.final, gold_graph.final
    p = sum(1 for r in sys_final if r in gold_literal or gold_graph.implies(r))
    r = sum(1 for g in gold_final if g in sys_literal or sys_graph.implies(g))
    return Scores(p, len(sys_final), r, len(gold_final))


# --------------------------------------------------------------------------
# Running over a corpus
# --------------------------------------------------------------------------


@attrs.frozen
class Report:
    """Scores per entity and summed over entities (micro average)."""

    entities: tuple[TimelineScore, ...]
    documents: int
    timelines_dir: str
    documents_dir: str
    systems: tuple[tuple[str, tuple[TimelineLine, ...]], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def overall(self) -> TimelineScore:
        total = TimelineScore("all", Scores(), Scores(), Scores(), Scores())
        for s in self.entities:
            total = total + s
        return total


def _is_timeline_file(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8-sig").splitlines()[:2]
    except (OSError, UnicodeDecodeError):
        return False
    return len(head) == 2 and re.match(r"\d+\t[^\t]+\t\S", head[1]) is not None


def _is_cat_file(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(2048).decode("utf-8", "replace")
    except OSError:
        return False
    return re.search(r"<Document\b", head) is not None and "<token" in head


def locate(corpus_dir: str | Path) -> tuple[Path, Path]:
    """The gold timelines directory and the CAT documents directory.

    ``corpus_dir`` may be the timelines directory itself (the documents are
    then looked for beside it) or a directory holding both, as the trial
    release does.  Of several CAT directories the raw track-A one (whose name
    does not mention events or TimeML) is preferred.
    """
    root = Path(corpus_dir)
    if not root.is_dir():
        raise ValueError(f"{root}: not a directory")
    if any(_is_timeline_file(p) for p in root.glob("*.txt")):
        timelines, search = root, root.parent
    else:
        found = sorted(
            d
            for d in root.rglob("*")
            if d.is_dir() and any(map(_is_timeline_file, d.glob("*.txt")))
        )
        if not found:
            raise ValueError(
                f"{root}: no timeline files (*.txt: entity, then ORDER<TAB>DATE<TAB>...)"
            )
        timelines, search = found[0], root
    dirs = sorted(
        {p.parent for p in search.rglob("*.xml") if _is_cat_file(p)},
        key=lambda d: (bool(re.search(r"event|timeml", d.name, re.IGNORECASE)), str(d)),
    )
    if not dirs:
        raise ValueError(f"{search}: no CAT XML documents found")
    return timelines, dirs[0]


def read_documents(
    paths: Iterable[str | Path], settings: Settings | None = None
) -> list[CatDocument]:
    """Read CAT XML files (other files are read as plain text needing a DCT: skipped)."""
    opts = settings or _DEFAULT_SETTINGS
    return [read_cat_document(p, detokenize=opts.detokenize) for p in paths]


def run(
    corpus_dir: str | Path,
    entity: str | None = None,
    *,
    settings: Settings | None = None,
    include_undated: bool = True,
) -> Report:
    """Build and score the timeline of every gold entity (or only ``entity``,
    matched against the file name or the first line, case-insensitively)."""
    timelines_dir, documents_dir = locate(corpus_dir)
    opts = settings or _DEFAULT_SETTINGS
    docs = read_documents(sorted(p for p in documents_dir.glob("*.xml") if _is_cat_file(p)), opts)
    known = {d.doc_id for d in docs}
    notes: list[str] = []
    scores: list[TimelineScore] = []
    systems: list[tuple[str, tuple[TimelineLine, ...]]] = []
    wanted = _entity_name(entity) if entity else None
    for path in sorted(timelines_dir.glob("*.txt")):
        if not _is_timeline_file(path):
            continue
        name, gold = read_timeline(path)
        if wanted and wanted not in (_entity_name(name), _entity_name(path.stem)):
            continue
        missing = sorted({m for ln in gold for m in ln.mentions if m.split("-", 1)[0] not in known})
        if missing:
            notes.append(f"{path.name}: gold mentions of unknown documents: {', '.join(missing)}")
        system = entity_timeline(docs, name, include_undated=include_undated, settings=opts)
        scores.append(score(system, gold, name))
        systems.append((name, tuple(system)))
    if wanted and not scores:
        raise ValueError(f"no gold timeline for entity {entity!r} in {timelines_dir}")
    return Report(
        tuple(scores),
        len(docs),
        str(timelines_dir),
        str(documents_dir),
        tuple(systems),
        tuple(notes),
    )


def _entity_name(name: str) -> str:
    return " ".join(re.split(r"[\s_]+", name.strip().lower()))


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}"


def format_report(report: Report, fmt: str = "text") -> str:
    """The report as a text table or as JSON."""
    rows = [*report.entities, report.overall]
    if fmt == "json":

        def prf(s: Scores) -> dict[str, Any]:
            return {
                "precision": round(s.precision, 4),
                "recall": round(s.recall, 4),
                "f1": round(s.f1, 4),
                "system_matched": s.system_matched,
                "system": s.system,
                "gold_matched": s.gold_matched,
                "gold": s.gold,
            }

        data = {
            "timelines": report.timelines_dir,
            "documents": report.documents_dir,
            "document_count": report.documents,
            "entities": [
                {
                    "entity": s.entity,
                    "awareness": prf(s.awareness),
                    "mentions": prf(s.mentions),
                    "pairs": prf(s.pairs),
                    "relations": prf(s.relations),
                }
                for s in rows
            ],
            "notes": list(report.notes),
        }
        return json.dumps(data, indent=2) + "\n"
    width = max(len(s.entity) for s in rows)
    out = [
        f"SemEval-2015 Task 4 track A: {len(report.entities)} "
        f"timeline{'' if len(report.entities) == 1 else 's'}, "
        f"{report.documents} documents ({report.documents_dir})",
        f"{'entity':<{width}}  {'awareness (official) P/R/F1':>27}  {'mentions P/R/F1':>17}  "
        f"{'mention+date P/R/F1':>19}  {'relations P/R/F1':>17}",
    ]
    for s in rows:
        cells = []
        for sc, w in ((s.awareness, 27), (s.mentions, 17), (s.pairs, 19), (s.relations, 17)):
            cells.append(f"{_pct(sc.precision)}/{_pct(sc.recall)}/{_pct(sc.f1)}".rjust(w))
        out.append(f"{s.entity:<{width}}  " + "  ".join(cells))
    out.extend(f"note: {n}" for n in report.notes)
    return "\n".join(out) + "\n"


def timeline_file_name(entity: str) -> str:
    """The file name the task gives an entity's timeline: lower case, words
    joined by ``_`` ("Steve Jobs" -> ``steve_jobs.txt``)."""
    return "_".join(re.split(r"[\s_]+", entity.strip().lower())) + ".txt"


def write_timelines(report: Report, directory: str | Path) -> list[Path]:
    """Write the system timelines of a report, one file per entity, named as
    the task names them, so the official scorer can be run on them."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for entity, lines in report.systems:
        path = out / timeline_file_name(entity)
        path.write_text(format_timeline(entity, lines), encoding="utf-8")
        written.append(path)
    return written


def eval_main(
    corpus_dir: str,
    entity: str | None = None,
    fmt: str = "text",
    output_dir: str | None = None,
) -> tuple[str, int]:
    """``timeline eval --timelines DIR``: the report text and the exit code
    (0, or 1 when the corpus could not be read or the output not written).
    With ``output_dir`` the system timelines are written there too."""
    try:
        report = run(corpus_dir, entity)
    except (OSError, ValueError) as exc:
        return f"timeline eval: {exc}\n", 1
    if output_dir is not None:
        try:
            write_timelines(report, output_dir)
        except OSError as exc:
            return f"timeline eval: {output_dir}: cannot write: {exc}\n", 1
    return format_report(report, fmt), 0


def dump_main(
    files: Sequence[str], entity: str, published: str | None = None
) -> tuple[str, list[str], int]:
    """``timeline dump --entity NAME FILES... --format semeval``.

    CAT XML files are read with their token and sentence numbers.  Any other
    file is read as plain text, cut into sentences (numbered from 0) and
    tokens, dated by ``published`` or else by its dateline, and named by its
    file name up to the first ``-`` or ``_``.  Returns the timeline text, the
    error messages and the exit code (1 when some file failed; the others are
    still used).
    """
    docs: list[CatDocument] = []
    errors: list[str] = []
    for f in files:
        p = Path(f)
        try:
            if _is_cat_file(p):
                docs.append(read_cat_document(p, detokenize=_DEFAULT_SETTINGS.detokenize))
                continue
            text = p.read_text(encoding="utf-8-sig")
            dct = published if published is not None else detect_published(text)
            if dct is None:
                errors.append(f"{f}: no publish date found; give one with --published YYYY-MM-DD")
                continue
            doc_id = re.split(r"[-_]", p.stem, maxsplit=1)[0]
            docs.append(text_document(doc_id, text, parse_published(dct).date().isoformat()))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            errors.append(f"{f}: {exc}")
    try:
        lines = entity_timeline(docs, entity)
    except ValueError as exc:
        return "", [*errors, str(exc)], 2
    return format_timeline(entity, lines), errors, 1 if errors else 0
