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
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs

from ..api import build
from ..model import Grain, Mention, TimeValue
from ..options import parse_published
from ..resolve.tense import IRREGULAR_PAST
from .cat import CatDocument, Token, TokenIndex, is_cat_file, read_cat_document, text_document
from .dateline import detect_published

__all__ = [
    "UNDATED",
    "Settings",
    "baseline_timeline",
    "TimelineLine",
    "date_key",
    "date_string",
    "dump_main",
    "entity_pattern",
    "entity_timeline",
    "format_timeline",
    "parse_timeline",
    "read_documents",
    "read_timeline",
    "readable_dct",
    "timeline_file_name",
    "unreadable_dct_notes",
]


UNDATED = "XXXX-XX-XX"


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


def readable_dct(doc: CatDocument) -> _dt.datetime | None:
    """The document's creation time, or None when it is missing or cannot be
    read ("03-02-2009": day and month cannot be told apart)."""
    try:
        return parse_published(doc.dct) if doc.dct else None
    except ValueError:
        return None


def _document_candidates(
    doc: CatDocument, pattern: re.Pattern[str], settings: Settings
) -> list[_Candidate]:
    """The event words of one document's sentences about the entity, dated.

    A document whose creation time cannot be read gives its event words
    undated: nothing in it can be resolved, and the other documents go on."""
    body = _body(doc, settings)
    hits = _entity_hits(doc, body, pattern, settings)
    if not hits:
        return []
    published = readable_dct(doc)
    if published is None:
        return [
            _Candidate(doc.doc_id, s, _word_at(doc.tokens, t), None, t.start)
            for s in sorted(hits)
            for t in doc.tokens.sentence_tokens(s)
            if settings.verbs and _event_word(doc.tokens, t)
        ]
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


def baseline_timeline(docs: Iterable[CatDocument], entity: str) -> list[TimelineLine]:
    """The trivial baseline: every verb-like word (:func:`_event_word`) of
    every sentence naming the entity, dated by its article's publish date
    (undated when that cannot be read), ordered by that date."""
    pattern = entity_pattern(entity)
    dated: list[tuple[str, _Candidate]] = []
    undated: list[TimelineLine] = []
    for doc in docs:
        published = readable_dct(doc)
        day = published.strftime("%Y-%m-%d") if published is not None else None
        for s in doc.tokens.sentences():
            toks = doc.tokens.sentence_tokens(s)
            if not toks or pattern.search(doc.text, toks[0].start, toks[-1].end) is None:
                continue
            for t in toks:
                if _event_word(doc.tokens, t):
                    c = _Candidate(doc.doc_id, s, _word_at(doc.tokens, t), day, t.start)
                    if day is None:
                        undated.append(TimelineLine(0, UNDATED, (c.mention,)))
                    else:
                        dated.append((day, c))
    dated.sort(key=lambda d: (d[0], d[1].doc_id, d[1].sentence, d[1].token_start))
    lines = list(undated)
    order = 0
    previous = None
    for day, c in dated:
        if day != previous:
            order, previous = order + 1, day
        lines.append(TimelineLine(order, day, (c.mention,)))
    return lines


def read_documents(
    paths: Iterable[str | Path], settings: Settings | None = None
) -> list[CatDocument]:
    """Read CAT XML files.  A file without a creation time is read with an
    empty one (its events stay undated, see :func:`readable_dct`)."""
    opts = settings or _DEFAULT_SETTINGS
    return [read_cat_document(p, detokenize=opts.detokenize, require_dct=False) for p in paths]


def unreadable_dct_notes(docs: Iterable[CatDocument]) -> list[str]:
    """A note for each document whose creation time cannot be read."""
    return [
        f"document {d.doc_id}: creation time {d.dct!r} cannot be read; its events are undated"
        for d in docs
        if readable_dct(d) is None
    ]


def timeline_file_name(entity: str) -> str:
    """The file name the task gives an entity's timeline: lower case, words
    joined by ``_`` ("Steve Jobs" -> ``steve_jobs.txt``)."""
    return "_".join(re.split(r"[\s_]+", entity.strip().lower())) + ".txt"


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
            if is_cat_file(p):
                doc = read_cat_document(
                    p, detokenize=_DEFAULT_SETTINGS.detokenize, require_dct=False
                )
                errors.extend(f"{f}: {n}" for n in unreadable_dct_notes([doc]))
                docs.append(doc)
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
