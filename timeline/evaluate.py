"""TempEval-3 style evaluation of temporal expression extraction and normalisation.

The module reads gold-annotated corpora, runs an extractor over every document
and scores the output the way TempEval-3 (UzZaman et al., 2013) scored task A:

* **strict** match: the system and gold spans are identical (after stripping
  surrounding whitespace from both);
* **relaxed** match: the spans overlap; matches are one to one, pairs with the
  largest overlap are taken first (ties in text order);
* precision, recall and F1 are micro-averaged over all documents;
* type and value *accuracy* are computed over the relaxed matches, and the
  type / value F1 is ``accuracy * relaxed F1`` (the TempEval-3 definition).

Two corpus formats are understood:

* **TimeML** (``*.tml``, or ``*.xml`` whose root is ``<TimeML>``): inline
  ``<TIMEX3>`` tags inside ``<TEXT>``; the document creation time (DCT) is the
  TIMEX3 with ``functionInDocument="CREATION_TIME"``, usually inside ``<DCT>``.
* **CAT XML** (MEANTIME / NewsReader, ``*.xml`` whose root is ``<Document>``):
  ``<token>`` elements plus stand-off ``<TIMEX3>`` markables that point at
  tokens with ``<token_anchor t_id=".."/>``.  The text is rebuilt by joining
  tokens with single spaces and sentences with newlines.

Files are parsed with a small, linear, forgiving tag scanner rather than an XML
parser, so a stray ``&`` or ``<`` in the text does not lose the document; real
structural damage (no ``<TEXT>``, an unclosed ``<TIMEX3>``, no DCT) raises
:class:`DocumentError`, which :func:`run_eval` reports per file while still
scoring the remaining documents.

The engine is imported lazily (only by :func:`run_eval` when no extractor is
given), so this module stays importable while the engine is being worked on.
"""

from __future__ import annotations

import datetime as _dt
import html.entities
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

__all__ = [
    "DocumentError",
    "Document",
    "ErrorItem",
    "ErrorKind",
    "Report",
    "Scores",
    "Timex",
    "TypeRow",
    "dct_argument",
    "find_documents",
    "format_report",
    "read_cat",
    "read_document",
    "read_timeml",
    "run_eval",
    "score",
]

#: The TIMEX3 types, in the order the per-type breakdown lists them.
TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")

Extractor = Callable[[str, str], Sequence[Any]]


class DocumentError(ValueError):
    """A corpus file could not be read (malformed markup, missing DCT, ...).

    ``path``, ``line`` (1-based, or None) and ``reason`` are kept apart so a
    caller can print the file name its own way; ``str()`` gives
    ``path:line: reason``.
    """

    def __init__(self, path: str | Path, reason: str, line: int | None = None) -> None:
        self.path = str(path)
        self.reason = reason
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {reason}")


# --------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Timex:
    """One temporal expression: a gold TIMEX3 or a system mention.

    ``start``/``end`` are character offsets into the document text, and
    ``text == document.text[start:end]``.  ``type`` is upper case
    (DATE/TIME/DURATION/SET), ``value`` the TIMEX3 value string.
    """

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None
    tid: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """A gold-annotated document.

    ``text`` is the plain text (for TimeML the content of ``<TEXT>`` with tags
    stripped and entities unescaped); ``dct`` the raw value of the creation
    time TIMEX3; ``gold`` the in-text TIMEX3s (creation time excluded) in text
    order.  ``dct_span`` is the span of the creation-time TIMEX3 when it lies
    in the text (MEANTIME datelines): system mentions there are not counted as
    spurious.  ``implicit`` holds the non-text-consuming (empty) TIMEX3s,
    which are not scored.  ``annotated_end``, when set, is where the
    annotated part of the text ends (MEANTIME annotates only the first
    sentences of each article): nothing after it is gold, so system mentions
    there are not scored unless asked for.
    """

    name: str
    text: str
    dct: str
    gold: tuple[Timex, ...]
    path: str = ""
    dct_span: tuple[int, int] | None = None
    implicit: tuple[Timex, ...] = ()
    annotated_end: int | None = None


@dataclass(frozen=True, slots=True)
class Scores:
    """True positives against the gold and system totals, with P/R/F1."""

    tp: int
    gold: int
    system: int

    @property
    def precision(self) -> float:
        """``tp / system`` (0.0 when the system found nothing)."""
        return _ratio(self.tp, self.system)

    @property
    def recall(self) -> float:
        """``tp / gold`` (0.0 when there is no gold)."""
        return _ratio(self.tp, self.gold)

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class TypeRow:
    """The breakdown for one TIMEX3 type.

    Gold-side counts (``gold``, ``strict``, ``relaxed``, ``type_correct``,
    ``value_correct``) are over gold TIMEX3s of this type; ``system`` and
    ``system_matched`` count system mentions that *claimed* this type.
    """

    type: str
    gold: int
    strict: int
    relaxed: int
    type_correct: int
    value_correct: int
    system: int
    system_matched: int

    @property
    def strict_recall(self) -> float:
        """Share of gold TIMEX3s of this type found with the exact span."""
        return _ratio(self.strict, self.gold)

    @property
    def relaxed_recall(self) -> float:
        """Share of gold TIMEX3s of this type overlapped by a system mention."""
        return _ratio(self.relaxed, self.gold)

    @property
    def relaxed_precision(self) -> float:
        """Share of system mentions typed as this type that overlap a gold."""
        return _ratio(self.system_matched, self.system)

    @property
    def type_accuracy(self) -> float:
        """Share of the relaxed matches of this gold type given the right type."""
        return _ratio(self.type_correct, self.relaxed)

    @property
    def value_accuracy(self) -> float:
        """Share of the relaxed matches of this gold type given the right value."""
        return _ratio(self.value_correct, self.relaxed)


@dataclass(frozen=True, slots=True)
class ErrorItem:
    """One error: a ``miss``, a ``spurious`` mention or a wrong ``value``.

    For a miss, the ``system_*`` fields describe an overlapping system mention
    that was matched to another gold TIMEX3, if there is one (and likewise the
    ``gold_*`` fields of a spurious mention).  ``context`` shows the phrase in
    brackets with some surrounding text, whitespace squashed.
    """

    kind: str
    doc: str
    start: int
    end: int
    gold_text: str | None
    gold_type: str | None
    gold_value: str | None
    system_text: str | None
    system_type: str | None
    system_value: str | None
    context: str

    @property
    def phrase(self) -> str:
        """The phrase the error is about (the gold text, or the system text)."""
        if self.kind == "spurious":
            return self.system_text or ""
        return self.gold_text or ""

    def to_dict(self) -> dict[str, Any]:
        """The item as a JSON-ready dict."""
        return {
            "kind": self.kind,
            "doc": self.doc,
            "start": self.start,
            "end": self.end,
            "gold_text": self.gold_text,
            "gold_type": self.gold_type,
            "gold_value": self.gold_value,
            "system_text": self.system_text,
            "system_type": self.system_type,
            "system_value": self.system_value,
            "context": self.context,
        }


@dataclass(frozen=True, slots=True)
class ErrorKind:
    """A group of similar errors: same kind, same normalised phrase."""

    kind: str
    key: str
    count: int
    example: ErrorItem


@dataclass(frozen=True)
class Report:
    """Everything :func:`score` computed; :func:`format_report` renders it.

    ``failures`` lists ``(file, reason)`` for documents that could not be
    read or extracted; ``notes`` holds other remarks (duplicates skipped ...);
    ``ignored`` counts system mentions dropped because they cover an in-text
    creation time, ``unannotated`` those dropped because they lie after the
    annotated part of their document.
    """

    docs: int
    strict: Scores
    relaxed: Scores
    type_correct: int
    value_correct: int
    per_type: tuple[TypeRow, ...]
    misses: tuple[ErrorItem, ...]
    spurious: tuple[ErrorItem, ...]
    wrong_values: tuple[ErrorItem, ...]
    ignored: int = 0
    unannotated: int = 0
    failures: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def gold(self) -> int:
        """Number of gold TIMEX3s."""
        return self.relaxed.gold

    @property
    def system(self) -> int:
        """Number of system mentions scored."""
        return self.relaxed.system

    @property
    def type_accuracy(self) -> float:
        """Correct types among the relaxed matches."""
        return _ratio(self.type_correct, self.relaxed.tp)

    @property
    def value_accuracy(self) -> float:
        """Correct values among the relaxed matches."""
        return _ratio(self.value_correct, self.relaxed.tp)

    @property
    def notation_variants(self) -> int:
        """Wrong values that name the same date in another spelling of it
        (``1968-XX`` for ``1968``, ``2000-W7`` for ``2000-W07``): a measure
        of the gold's notation, not a score (see :func:`same_in_other_notation`)."""
        return sum(
            1
            for item in self.wrong_values
            if same_in_other_notation(item.gold_value or "", item.system_value or "")
        )

    @property
    def type_f1(self) -> float:
        """TempEval-3 type F1: type accuracy times relaxed F1."""
        return self.type_accuracy * self.relaxed.f1

    @property
    def value_f1(self) -> float:
        """TempEval-3 value F1: value accuracy times relaxed F1."""
        return self.value_accuracy * self.relaxed.f1

    def error_kinds(self, limit: int = 15) -> list[ErrorKind]:
        """The most common error groups, keyed by kind and normalised phrase.

        The phrase is lower-cased, whitespace is squashed and every digit
        becomes ``9``, so "in 1998" and "in 2001" fall in one group.
        """
        counts: Counter[tuple[str, str]] = Counter()
        examples: dict[tuple[str, str], ErrorItem] = {}
        for item in (*self.misses, *self.spurious, *self.wrong_values):
            key = (item.kind, _error_key(item.phrase))
            counts[key] += 1
            examples.setdefault(key, item)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [ErrorKind(kind, key, n, examples[(kind, key)]) for (kind, key), n in ranked[:limit]]


# Spellings of one value that corpora use beside the canonical TIMEX3 form.
_YEAR_UNSPECIFIED = re.compile(r"\A(\d{4})(?:-XX)+\Z")
_WEEKDAY_TAIL = re.compile(r"(?<=\d{4}-\d\d-\d\d)-WXX-\d")
_SHORT_WEEK = re.compile(r"-W(\d)(?!\d)")
_HOUR_ONLY = re.compile(r"T(\d\d)\Z")
_DECADE_X = re.compile(r"\A(\d{3})X\Z|\A(\d\d)XX\Z")


def _canonical_notation(value: str) -> str:
    value = _WEEKDAY_TAIL.sub("", value.strip())
    value = _SHORT_WEEK.sub(r"-W0\1", value)
    value = _HOUR_ONLY.sub(r"T\1:00", value)
    m = _DECADE_X.match(value)
    if m:
        value = m.group(1) or m.group(2)
    return _YEAR_UNSPECIFIED.sub(r"\1", value)


def same_in_other_notation(gold: str, ours: str) -> bool:
    """Whether two different TIMEX3 values name the same thing in two
    spellings: ``1968-XX`` or ``1968-XX-XX`` for ``1968``, ``2014-12-12-WXX-5``
    for ``2014-12-12``, ``2000-W7`` for ``2000-W07``, ``1989-11-06T17`` for
    ``1989-11-06T17:00``, ``198X`` for ``198``.

    ```python
    >>> same_in_other_notation("1968-XX", "1968"), same_in_other_notation("2000-W7", "2000-W07")
    (True, True)
    >>> same_in_other_notation("1998-08-04", "1998-W32")
    False

    ```
    """
    if gold.strip() == ours.strip():
        return False
    return _canonical_notation(gold) == _canonical_notation(ours)


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


_DIGIT_RE = re.compile(r"\d")
_SPACE_RE = re.compile(r"\s+")


def _error_key(phrase: str) -> str:
    return _DIGIT_RE.sub("9", _SPACE_RE.sub(" ", phrase).strip().lower())


# --------------------------------------------------------------------------
# Markup scanning
# --------------------------------------------------------------------------

# Token kinds produced by _scan.
_TEXT = 0  # character data, entities still escaped
_RAW = 1  # CDATA: literal character data
_START = 2
_END = 3
_EMPTY = 4  # self-closing start tag

_MAX_TAG = 8192  # a tag longer than this is taken as text (bounds the work per '<')
# No '<' inside a tag (XML forbids it in attribute values too): a failed match
# stops at the next '<', so scanning stays linear even on garbage.
_TAG_RE = re.compile(r"<(/?)([A-Za-z_][-\w.:]*+)((?:[^<>\"']++|\"[^<\"]*+\"|'[^<']*+')*+)>")
# Every name-like run is consumed whether or not "=value" follows, so garbage
# inside a tag costs linear time.
_ATTR_RE = re.compile(r"([^\s=/>\"']++)(?:\s*+=\s*+(?:\"([^\"]*+)\"|'([^']*+)'|([^\s>\"']++)))?")
_ENTITY_RE = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{0,31});")
_XML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_ENCODING_RE = re.compile(r"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([-\w.]{1,40})["']""")

_Token = tuple[int, str, str, int]  # (kind, tag name or text, attribute source, position)


def _scan(raw: str) -> Iterator[_Token]:
    """Split markup into text and tag tokens, in one linear pass.

    Comments, processing instructions and declarations are dropped; CDATA
    sections become literal text; a ``<`` that does not start a well-formed
    tag is kept as text.
    """
    i, n = 0, len(raw)
    while i < n:
        j = raw.find("<", i)
        if j < 0:
            yield (_TEXT, raw[i:], "", i)
            return
        if j > i:
            yield (_TEXT, raw[i:j], "", i)
        if raw.startswith("<!--", j):
            k = raw.find("-->", j + 4)
            i = n if k < 0 else k + 3
        elif raw.startswith("<![CDATA[", j):
            k = raw.find("]]>", j + 9)
            k = n if k < 0 else k
            yield (_RAW, raw[j + 9 : k], "", j)
            i = k + 3
        elif raw.startswith("<?", j):
            k = raw.find("?>", j + 2)
            i = n if k < 0 else k + 2
        elif raw.startswith("<!", j):
            k = raw.find(">", j + 2)
            i = n if k < 0 else k + 1
        else:
            m = _TAG_RE.match(raw, j, min(n, j + _MAX_TAG))
            if m is None:
                yield (_TEXT, "<", "", j)
                i = j + 1
                continue
            slash, name, attrs = m.groups()
            if slash:
                yield (_END, name, "", j)
            elif attrs.endswith("/"):
                yield (_EMPTY, name, attrs[:-1], j)
            else:
                yield (_START, name, attrs, j)
            i = m.end()


def _entity(m: re.Match[str]) -> str:
    ref = m.group(1)
    if ref[0] == "#":
        try:
            code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
            return chr(code)
        except (ValueError, OverflowError):
            return m.group(0)
    if ref in _XML_ENTITIES:
        return _XML_ENTITIES[ref]
    return html.entities.html5.get(ref + ";", m.group(0))


def _unescape(s: str) -> str:
    """Replace character and entity references; leave bare ``&`` alone."""
    return _ENTITY_RE.sub(_entity, s) if "&" in s else s


def _attrs(src: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR_RE.finditer(src):
        name, dq, sq, bare = m.groups()
        val = dq if dq is not None else sq if sq is not None else bare
        if val is not None:
            out.setdefault(name, _unescape(val))
    return out


def _decode(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[:300].decode("ascii", "replace")
    m = _ENCODING_RE.match(head)
    encoding = m.group(1) if m else "utf-8"
    try:
        text = data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise DocumentError(path, f"cannot decode as {encoding}: {exc}") from exc
    # Line ends are normalised as an XML parser would (the tweets corpus uses CRLF).
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _line(raw: str, pos: int) -> int:
    return raw.count("\n", 0, pos) + 1


def _mod(attrs: dict[str, str]) -> str | None:
    mod = attrs.get("mod", "").strip()
    return mod or None


def _stripped_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` shrunk so the span has no surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------


def read_timeml(path: str | Path) -> Document:
    """Read an inline TimeML file.

    The text is the content of ``<TEXT>`` with every tag removed and entities
    unescaped; gold offsets refer to it.  TIMEX3 tags may sit inside other
    tags (EVENT, SIGNAL, ENAMEX ...).  Raises :class:`DocumentError` when the
    file has no ``<TEXT>``, unbalanced TIMEX3 tags or no creation time.
    """
    p = Path(path)
    raw = _decode(p.read_bytes(), p)
    return _parse_timeml(raw, p)


def _parse_timeml(raw: str, p: Path) -> Document:
    parts: list[str] = []
    offset = 0
    text_state = 0  # 0: before <TEXT>, 1: inside, 2: after
    in_dct = False
    open_timex: list[tuple[dict[str, str], int, bool, int]] = []  # attrs, start, in TEXT, pos
    spans: list[tuple[dict[str, str], int, int]] = []  # in-text TIMEX3s: attrs, start, end
    creation: list[tuple[str, tuple[int, int] | None]] = []
    dct_fallback: list[str] = []

    def close_timex(attrs: dict[str, str], start: int, inside: bool, end: int) -> None:
        value = attrs.get("value", "")
        if attrs.get("functionInDocument", "").upper() == "CREATION_TIME":
            creation.append((value, (start, end) if inside else None))
        elif inside:
            spans.append((attrs, start, end))
        elif in_dct:
            dct_fallback.append(value)

    for kind, name, src, pos in _scan(raw):
        if kind in (_TEXT, _RAW):
            if text_state == 1:
                s = _unescape(name) if kind == _TEXT else name
                parts.append(s)
                offset += len(s)
            continue
        tag = name.upper()
        if tag == "TIMEX3":
            if kind == _START:
                open_timex.append((_attrs(src), offset, text_state == 1, pos))
            elif kind == _EMPTY:
                close_timex(_attrs(src), offset, text_state == 1, offset)
            else:
                if not open_timex:
                    raise DocumentError(p, "</TIMEX3> without <TIMEX3>", _line(raw, pos))
                attrs, start, inside, _ = open_timex.pop()
                if inside != (text_state == 1):
                    raise DocumentError(p, "TIMEX3 crosses <TEXT> boundary", _line(raw, pos))
                close_timex(attrs, start, inside, offset)
        elif tag == "TEXT":
            if kind == _START:
                if text_state != 0:
                    raise DocumentError(p, "more than one <TEXT>", _line(raw, pos))
                text_state = 1
            elif kind == _END:
                if text_state != 1:
                    raise DocumentError(p, "</TEXT> without <TEXT>", _line(raw, pos))
                text_state = 2
            elif text_state == 0:  # <TEXT/>
                text_state = 2
        elif tag == "DCT":
            in_dct = kind == _START
    if open_timex:
        attrs, _, _, pos = open_timex[-1]
        tid = attrs.get("tid", "?")
        raise DocumentError(p, f"<TIMEX3 tid={tid!r}> is never closed", _line(raw, pos))
    if text_state == 0:
        raise DocumentError(p, "no <TEXT> element")
    if text_state == 1:
        raise DocumentError(p, "<TEXT> is never closed")
    if creation:
        dct, dct_span = creation[0]
    elif dct_fallback:
        dct, dct_span = dct_fallback[0], None
    else:
        raise DocumentError(
            p, 'no creation time (no TIMEX3 functionInDocument="CREATION_TIME" or in <DCT>)'
        )
    text = "".join(parts)
    gold: list[Timex] = []
    implicit: list[Timex] = []
    for attrs, start, end in spans:
        t = Timex(
            start,
            end,
            text[start:end],
            attrs.get("type", "").strip().upper(),
            attrs.get("value", ""),
            _mod(attrs),
            attrs.get("tid", ""),
        )
        (gold if start < end else implicit).append(t)
    gold.sort(key=lambda t: (t.start, t.end))
    return Document(
        name=p.stem,
        text=text,
        dct=dct.strip(),
        gold=tuple(gold),
        path=str(p),
        dct_span=dct_span,
        implicit=tuple(implicit),
    )


def read_cat(path: str | Path) -> Document:
    """Read a CAT XML (MEANTIME / NewsReader) file.

    Tokens are joined with single spaces, sentences with a newline; each
    TIMEX3 markable's span runs from its first to its last anchored token.
    Markables without token anchors are kept in ``implicit``; the
    ``CREATION_TIME`` markable gives the DCT (and ``dct_span``).
    """
    p = Path(path)
    raw = _decode(p.read_bytes(), p)
    return _parse_cat(raw, p)


def _parse_cat(raw: str, p: Path) -> Document:
    parts: list[str] = []
    offset = 0
    spans: dict[str, tuple[int, int]] = {}
    sentence: str | None = None
    token: dict[str, str] | None = None
    token_text: list[str] = []
    timex: dict[str, str] | None = None
    timex_pos = 0
    anchors: list[str] = []
    markables: list[tuple[dict[str, str], list[str], int]] = []
    sentence_of: dict[str, str] = {}  # t_id -> sentence
    sentence_end: dict[str, int] = {}  # sentence -> end offset of its last token
    anchored: set[str] = set()  # every token any markable points at
    others = False  # whether markables other than TIMEX3s (events, entities) exist
    for kind, name, src, pos in _scan(raw):
        if kind in (_TEXT, _RAW):
            if token is not None:
                token_text.append(_unescape(name) if kind == _TEXT else name)
            continue
        if name == "token":
            if kind == _START:
                token = _attrs(src)
                token_text = []
            elif kind == _END and token is not None:
                word = "".join(token_text).strip()
                sep = "" if sentence is None else " " if token.get("sentence") == sentence else "\n"
                sentence = token.get("sentence", "")
                parts.append(sep)
                offset += len(sep)
                spans[token.get("t_id", "")] = (offset, offset + len(word))
                parts.append(word)
                offset += len(word)
                sentence_of[token.get("t_id", "")] = sentence
                sentence_end[sentence] = offset
                token = None
        elif name == "TIMEX3":
            if kind == _START:
                if timex is not None:
                    raise DocumentError(p, "nested TIMEX3 markable", _line(raw, pos))
                timex, timex_pos, anchors = _attrs(src), pos, []
            elif kind == _EMPTY:
                markables.append((_attrs(src), [], pos))
            elif timex is not None:
                markables.append((timex, anchors, timex_pos))
                timex = None
        elif name == "token_anchor":
            t_id = _attrs(src).get("t_id", "")
            anchored.add(t_id)
            if timex is not None:
                anchors.append(t_id)
            else:
                others = True
    if timex is not None:
        raise DocumentError(p, "TIMEX3 markable is never closed", _line(raw, timex_pos))
    text = "".join(parts)
    gold: list[Timex] = []
    implicit: list[Timex] = []
    dct: str | None = None
    dct_span: tuple[int, int] | None = None
    for attrs, ids, pos in markables:
        bounds: list[tuple[int, int]] = []
        for t_id in ids:
            if t_id not in spans:
                raise DocumentError(p, f"token_anchor t_id={t_id!r} unknown", _line(raw, pos))
            bounds.append(spans[t_id])
        start = min((b[0] for b in bounds), default=0)
        end = max((b[1] for b in bounds), default=0)
        value = attrs.get("value", "")
        if attrs.get("functionInDocument", "").upper() == "CREATION_TIME":
            if dct is None:
                dct, dct_span = value, ((start, end) if bounds else None)
            continue
        t = Timex(
            start,
            end,
            text[start:end],
            attrs.get("type", "").strip().upper(),
            value,
            _mod(attrs),
            attrs.get("m_id", ""),
        )
        (gold if bounds else implicit).append(t)
    if dct is None:
        raise DocumentError(p, 'no TIMEX3 markable with functionInDocument="CREATION_TIME"')
    gold.sort(key=lambda t: (t.start, t.end))
    # the annotated part ends with the last sentence any markable points into;
    # a file that marks up only its TIMEX3s is taken as annotated throughout
    ends = [sentence_end[sentence_of[t]] for t in anchored if t in sentence_of] if others else []
    annotated_end = max(ends, default=None)
    if annotated_end is not None and annotated_end >= len(text):
        annotated_end = None  # annotated to the last sentence
    return Document(
        name=p.stem,
        text=text,
        dct=dct.strip(),
        gold=tuple(gold),
        path=str(p),
        dct_span=dct_span,
        implicit=tuple(implicit),
        annotated_end=annotated_end,
    )


_ROOT_RE = re.compile(r"<([A-Za-z_][-\w.:]*)")


def _root_tag(path: Path) -> str | None:
    """The name of the first element in the file, or None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    for kind, name, _, _ in _scan(head):
        if kind in (_START, _EMPTY):
            return name
    m = _ROOT_RE.search(head)  # a start tag cut off by the 4 KB window
    return m.group(1) if m else None


def read_document(path: str | Path) -> Document:
    """Read a TimeML or CAT XML file, choosing the reader by root element."""
    p = Path(path)
    raw = _decode(p.read_bytes(), p)
    root = None
    for kind, name, _, _ in _scan(raw[:4096]):
        if kind in (_START, _EMPTY):
            root = name
            break
    if root == "Document":
        return _parse_cat(raw, p)
    if root == "TimeML" or p.suffix.lower() == ".tml":
        return _parse_timeml(raw, p)
    raise DocumentError(p, f"unknown format (root element {root!r})")


def find_documents(corpus_dir: str | Path) -> list[Path]:
    """The corpus files under ``corpus_dir``, sorted.

    ``*.tml`` files are taken as they are; ``*.xml`` files only when their
    root element is ``<Document>`` (CAT XML) or ``<TimeML>``.  Hidden files
    and directories (including AppleDouble ``._*`` files) are skipped.  A
    single file is returned as is.
    """
    root = Path(corpus_dir)
    if root.is_file():
        return [root]
    found: list[Path] = []
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        suffix = p.suffix.lower()
        if suffix == ".tml" or (suffix == ".xml" and _root_tag(p) in ("Document", "TimeML")):
            found.append(p)
    return found


# --------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------


def _as_timex(mention: Any, text: str) -> Timex:
    start = max(0, min(int(mention.start), len(text)))
    end = max(start, min(int(mention.end), len(text)))
    mod = getattr(mention, "mod", None)
    return Timex(
        start,
        end,
        text[start:end],
        str(getattr(mention, "type", "") or "").strip().upper(),
        str(getattr(mention, "value", "") or ""),
        str(mod) if mod else None,
    )


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    left = _SPACE_RE.sub(" ", text[max(0, start - width) : start]).lstrip()
    mid = _SPACE_RE.sub(" ", text[start:end])
    right = _SPACE_RE.sub(" ", text[end : end + width]).rstrip()
    return f"{left}[{mid}]{right}"


def _match(
    text: str, gold: Sequence[Timex], system: Sequence[Timex]
) -> tuple[dict[int, int], set[int]]:
    """One-to-one matching of gold to system mentions.

    Returns ``(pairs, strict)``: ``pairs`` maps gold index to system index for
    every relaxed match, ``strict`` holds the gold indexes matched exactly.
    Exact (whitespace-stripped) span matches are paired first; the remaining
    overlapping pairs are taken largest overlap first, ties in text order.
    """
    g_spans = [_stripped_span(text, g.start, g.end) for g in gold]
    s_spans = [_stripped_span(text, s.start, s.end) for s in system]
    pairs: dict[int, int] = {}
    used: set[int] = set()
    by_span: dict[tuple[int, int], list[int]] = {}
    for si, span in enumerate(s_spans):
        if span[0] < span[1]:
            by_span.setdefault(span, []).append(si)
    for gi in sorted(range(len(gold)), key=lambda i: g_spans[i]):
        candidates = by_span.get(g_spans[gi])
        if candidates:
            si = candidates.pop(0)
            pairs[gi] = si
            used.add(si)
    strict = set(pairs)
    options: list[tuple[int, int, int, int, int]] = []
    free_sys = sorted((i for i in range(len(system)) if i not in used), key=lambda i: s_spans[i])
    for gi in range(len(gold)):
        if gi in pairs:
            continue
        gs, ge = g_spans[gi]
        for si in free_sys:
            ss, se = s_spans[si]
            if ss >= ge:
                break
            overlap = min(ge, se) - max(gs, ss)
            if overlap > 0:
                options.append((-overlap, gs, ss, gi, si))
    options.sort()
    for _, _, _, gi, si in options:
        if gi not in pairs and si not in used:
            pairs[gi] = si
            used.add(si)
    return pairs, strict


def _overlaps(a: Timex, b: Timex) -> bool:
    return a.start < b.end and b.start < a.end


def score(pairs: Iterable[tuple[Document, Sequence[Any]]], *, whole_text: bool = False) -> Report:
    """Score system mentions against the gold of each document.

    ``pairs`` yields ``(document, mentions)``; a mention needs ``start``,
    ``end``, ``type``, ``value`` (and optionally ``mod``) attributes, with
    offsets into ``document.text``.  Figures are micro-averaged over all
    documents; see the module docstring for the matching rules.  System
    mentions that overlap an in-text creation time (``document.dct_span``)
    and no gold TIMEX3 are ignored, and so are those that start after the
    annotated part of a document (``document.annotated_end``) unless
    ``whole_text`` is true.
    """
    docs = n_gold = n_sys = n_strict = n_relaxed = type_ok = value_ok = ignored = 0
    unannotated = 0
    gold_rows: dict[str, list[int]] = {}  # type -> [gold, strict, relaxed, type_ok, value_ok]
    sys_rows: dict[str, list[int]] = {}  # type -> [system, matched]
    misses: list[ErrorItem] = []
    spurious: list[ErrorItem] = []
    wrong: list[ErrorItem] = []
    for doc, mentions in pairs:
        docs += 1
        text = doc.text
        gold = list(doc.gold)
        system = sorted((_as_timex(m, text) for m in mentions), key=lambda t: (t.start, t.end))
        if doc.dct_span is not None:
            dct = Timex(doc.dct_span[0], doc.dct_span[1], "", "", "")
            kept = [
                s for s in system if not _overlaps(s, dct) or any(_overlaps(s, g) for g in gold)
            ]
            ignored += len(system) - len(kept)
            system = kept
        if doc.annotated_end is not None and not whole_text:
            kept = [s for s in system if s.start < doc.annotated_end]
            unannotated += len(system) - len(kept)
            system = kept
        matched, strict = _match(text, gold, system)
        back = {si: gi for gi, si in matched.items()}
        n_gold += len(gold)
        n_sys += len(system)
        n_strict += len(strict)
        n_relaxed += len(matched)
        for gi, g in enumerate(gold):
            row = gold_rows.setdefault(g.type, [0, 0, 0, 0, 0])
            row[0] += 1
            if gi not in matched:
                other = next((s for s in system if _overlaps(s, g)), None)
                misses.append(_error("miss", doc, g, other, g))
                continue
            s = system[matched[gi]]
            row[1] += gi in strict
            row[2] += 1
            if s.type == g.type:
                row[3] += 1
                type_ok += 1
            if s.value.strip() == g.value.strip():
                row[4] += 1
                value_ok += 1
            else:
                wrong.append(_error("value", doc, g, s, g))
        for si, s in enumerate(system):
            srow = sys_rows.setdefault(s.type, [0, 0])
            srow[0] += 1
            if si in back:
                srow[1] += 1
            else:
                other = next((g for g in gold if _overlaps(s, g)), None)
                spurious.append(_error("spurious", doc, other, s, s))
    per_type: list[TypeRow] = []
    order = {t: i for i, t in enumerate(TIMEX_TYPES)}
    for t in sorted(gold_rows.keys() | sys_rows.keys(), key=lambda t: (order.get(t, 99), t)):
        g_row = gold_rows.get(t, [0, 0, 0, 0, 0])
        s_row = sys_rows.get(t, [0, 0])
        per_type.append(TypeRow(t or "(none)", *g_row, *s_row))
    return Report(
        docs=docs,
        strict=Scores(n_strict, n_gold, n_sys),
        relaxed=Scores(n_relaxed, n_gold, n_sys),
        type_correct=type_ok,
        value_correct=value_ok,
        per_type=tuple(per_type),
        misses=tuple(misses),
        spurious=tuple(spurious),
        wrong_values=tuple(wrong),
        ignored=ignored,
        unannotated=unannotated,
    )


def _error(kind: str, doc: Document, g: Timex | None, s: Timex | None, at: Timex) -> ErrorItem:
    return ErrorItem(
        kind=kind,
        doc=doc.name,
        start=at.start,
        end=at.end,
        gold_text=g.text if g else None,
        gold_type=g.type if g else None,
        gold_value=g.value if g else None,
        system_text=s.text if s else None,
        system_type=s.type if s else None,
        system_value=s.value if s else None,
        context=_context(doc.text, at.start, at.end),
    )


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------


def _pct(x: float, den: int = 1) -> str:
    return f"{100 * x:6.2f}" if den else "     -"


def format_report(report: Report, fmt: str = "text", errors: bool = False) -> str:
    """Render a report as an aligned text table or as JSON.

    ``errors=True`` adds the misses, spurious mentions, wrong values and the
    most common error kinds.  Failed files and notes are always included.
    """
    if fmt == "json":
        return json.dumps(_report_dict(report, errors), indent=2, ensure_ascii=False)
    if fmt != "text":
        raise ValueError(f"unknown report format {fmt!r} (expected 'text' or 'json')")
    r = report
    out = [
        "TempEval-3 TIMEX3 evaluation",
        f"documents {r.docs}   gold {r.gold}   system {r.system}"
        + (f"   ignored (DCT) {r.ignored}" if r.ignored else "")
        + (f"   after the annotated text {r.unannotated}" if r.unannotated else "")
        + (f"   failed files {len(r.failures)}" if r.failures else ""),
        "",
        "               P       R      F1   matches",
    ]
    for label, s in (("strict", r.strict), ("relaxed", r.relaxed)):
        out.append(
            f"{label:<9}  {_pct(s.precision, s.system)}  {_pct(s.recall, s.gold)}"
            f"  {_pct(s.f1)}  {s.tp:8d}"
        )
    out += [
        "",
        "          accuracy      F1   correct",
        f"type        {_pct(r.type_accuracy, r.relaxed.tp)}  {_pct(r.type_f1)}"
        f"  {r.type_correct:8d}",
        f"value       {_pct(r.value_accuracy, r.relaxed.tp)}  {_pct(r.value_f1)}"
        f"  {r.value_correct:8d}",
    ]
    if r.notation_variants:
        out.append(
            f"  ({r.notation_variants} of the wrong values give the same year, week or day in"
            " another notation, e.g. 1968-XX for 1968; they count as wrong)"
        )
    out += [
        "",
        "per type      gold  strict R  relaxed R  type acc  value acc    system  relaxed P",
    ]
    for row in r.per_type:
        out.append(
            f"{row.type:<10} {row.gold:7d}    {_pct(row.strict_recall, row.gold)}"
            f"     {_pct(row.relaxed_recall, row.gold)}    {_pct(row.type_accuracy, row.relaxed)}"
            f"     {_pct(row.value_accuracy, row.relaxed)}   {row.system:7d}"
            f"     {_pct(row.relaxed_precision, row.system)}"
        )
    if errors:
        out += _error_lines("misses", r.misses)
        out += _error_lines("spurious", r.spurious)
        out += _error_lines("wrong values", r.wrong_values)
        kinds = r.error_kinds()
        out += ["", f"most common errors (top {len(kinds)})"]
        for k in kinds:
            ex = k.example
            detail = f"gold={ex.gold_value or '-'} system={ex.system_value or '-'}"
            out.append(f"  {k.count:5d}  {k.kind:<8}  {k.key!r:<32}  e.g. {ex.doc}: {detail}")
    if r.failures:
        out += ["", f"failed files ({len(r.failures)})"]
        out += [f"  {name}: {reason}" for name, reason in r.failures]
    if r.notes:
        out += ["", "notes"]
        out += [f"  {note}" for note in r.notes]
    return "\n".join(out) + "\n"


def _error_lines(title: str, items: Sequence[ErrorItem]) -> list[str]:
    lines = ["", f"{title} ({len(items)})"]
    for e in items:
        if e.kind == "miss":
            what = f"gold {e.gold_text!r} {e.gold_type}={e.gold_value}"
            if e.system_text is not None:
                what += f" (overlaps system {e.system_text!r}, matched elsewhere)"
        elif e.kind == "spurious":
            what = f"system {e.system_text!r} {e.system_type}={e.system_value}"
            if e.gold_text is not None:
                what += f" (overlaps gold {e.gold_text!r}, matched elsewhere)"
        else:
            what = (
                f"gold {e.gold_text!r} {e.gold_value} | system {e.system_text!r} {e.system_value}"
            )
        lines.append(f"  {e.doc}@{e.start}: {what}")
        lines.append(f"      {e.context}")
    return lines


def _report_dict(r: Report, errors: bool) -> dict[str, Any]:
    def prf(s: Scores) -> dict[str, Any]:
        return {
            "precision": round(s.precision, 6),
            "recall": round(s.recall, 6),
            "f1": round(s.f1, 6),
            "matches": s.tp,
        }

    out: dict[str, Any] = {
        "documents": r.docs,
        "gold": r.gold,
        "system": r.system,
        "ignored": r.ignored,
        "unannotated": r.unannotated,
        "strict": prf(r.strict),
        "relaxed": prf(r.relaxed),
        "type": {
            "accuracy": round(r.type_accuracy, 6),
            "f1": round(r.type_f1, 6),
            "correct": r.type_correct,
        },
        "value": {
            "accuracy": round(r.value_accuracy, 6),
            "f1": round(r.value_f1, 6),
            "correct": r.value_correct,
            "notation_variants": r.notation_variants,
        },
        "per_type": {
            row.type: {
                "gold": row.gold,
                "strict": row.strict,
                "relaxed": row.relaxed,
                "strict_recall": round(row.strict_recall, 6),
                "relaxed_recall": round(row.relaxed_recall, 6),
                "type_accuracy": round(row.type_accuracy, 6),
                "value_accuracy": round(row.value_accuracy, 6),
                "system": row.system,
                "system_matched": row.system_matched,
                "relaxed_precision": round(row.relaxed_precision, 6),
            }
            for row in r.per_type
        },
        "failures": [{"file": name, "error": reason} for name, reason in r.failures],
        "notes": list(r.notes),
    }
    if errors:
        out["errors"] = {
            "misses": [e.to_dict() for e in r.misses],
            "spurious": [e.to_dict() for e in r.spurious],
            "wrong_values": [e.to_dict() for e in r.wrong_values],
            "kinds": [
                {"kind": k.kind, "key": k.key, "count": k.count, "example": k.example.to_dict()}
                for k in r.error_kinds()
            ],
        }
    return out


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------

_DATE_PREFIX_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def dct_argument(value: str) -> str | None:
    """The creation time as passed to the extractor, or None if unusable.

    A full ISO datetime is passed whole; a value that starts with a valid
    ``YYYY-MM-DD`` but has a non-ISO time part (``1998-02-19TMO``) is cut to
    the date; anything else (``2009``, ``1998-W05``) gives None.
    """
    v = value.strip()
    if not _DATE_PREFIX_RE.match(v):
        return None
    try:
        _dt.date.fromisoformat(v[:10])
    except ValueError:
        return None
    if len(v) > 10:
        try:
            _dt.datetime.fromisoformat(v)
        except ValueError:
            return v[:10]
        return v
    return v


def _default_extractor(domain: str) -> Extractor:
    import timeline  # lazy: keep this module importable while the engine is broken

    options = timeline.Options(domain=domain)  # type: ignore[attr-defined,unused-ignore]

    def extract(text: str, dct: str) -> Sequence[Any]:
        result: Sequence[Any] = timeline.extract(  # type: ignore[attr-defined,unused-ignore]
            text, published=dct, options=options
        )
        return result

    return extract


def _same(a: Document, b: Document) -> bool:
    return a.text == b.text and a.dct == b.dct and a.gold == b.gold


def run_eval(
    corpus_dir: str | Path,
    *,
    domain: str = "auto",
    errors: bool = False,
    fmt: str = "text",
    extractor: Extractor | None = None,
    whole_text: bool = False,
) -> tuple[str, int]:
    """Evaluate an extractor on every document under ``corpus_dir``.

    ``extractor(text, dct)`` returns the mentions for one document; by
    default it is ``timeline.extract`` with ``Options(domain=domain)``.
    Returns ``(report_text, exit_code)``: 0 when every file was scored, 1
    when some files could not be read or extracted (they are named in the
    report; the others are still scored), 2 when there are no documents.

    A document whose file name repeats an earlier one is skipped when its
    content is identical (MEANTIME ships each article in two annotation
    layers) and renamed to its relative path otherwise.
    """
    if fmt not in ("text", "json"):
        raise ValueError(f"unknown report format {fmt!r} (expected 'text' or 'json')")
    root = Path(corpus_dir)
    files = find_documents(root) if root.exists() else []
    if not files:
        msg = f"no documents (*.tml, CAT/TimeML *.xml) found in {root}"
        if fmt == "json":
            return json.dumps({"error": msg}) + "\n", 2
        return msg + "\n", 2
    if extractor is None:
        extractor = _default_extractor(domain)

    def label(p: Path) -> str:
        return p.relative_to(root).as_posix() if root.is_dir() else p.name

    failures: list[tuple[str, str]] = []
    skipped: list[str] = []
    renamed: list[str] = []
    seen: dict[str, Document] = {}
    pairs: list[tuple[Document, Sequence[Any]]] = []
    for path in files:
        try:
            doc = read_document(path)
        except DocumentError as exc:
            where = label(path) + (f":{exc.line}" if exc.line is not None else "")
            failures.append((where, exc.reason))
            continue
        except OSError as exc:
            failures.append((label(path), f"cannot read: {exc.strerror or exc}"))
            continue
        first = seen.get(doc.name)
        if first is not None:
            if _same(first, doc):
                skipped.append(f"{label(path)} = {label(Path(first.path))}")
                continue
            doc = replace(doc, name=label(path).rsplit(".", 1)[0])
            renamed.append(doc.name)
        seen[doc.name] = doc
        dct = dct_argument(doc.dct)
        if dct is None:
            failures.append((label(path), f"creation time {doc.dct!r} is not a full date"))
            continue
        try:
            mentions = [_as_timex(m, doc.text) for m in extractor(doc.text, dct)]
        except Exception as exc:  # one broken document must not stop the run
            failures.append((label(path), f"extractor failed: {type(exc).__name__}: {exc}"))
            continue
        pairs.append((doc, mentions))
    notes: list[str] = []
    if skipped:
        notes.append(
            f"skipped {len(skipped)} file(s) repeating an earlier document (same name and "
            f"content), e.g. {skipped[0]}"
        )
    if renamed:
        notes.append(
            f"{len(renamed)} document(s) share a file name with an earlier, different one and "
            f"are named by relative path, e.g. {renamed[0]}"
        )
    partial = sum(1 for doc, _ in pairs if doc.annotated_end is not None)
    if partial and not whole_text:
        notes.append(
            f"{partial} document(s) are annotated only up to a point (MEANTIME annotates "
            "the first sentences of each article): system mentions after it are not scored "
            "(--whole-text scores them)"
        )
    report = replace(
        score(pairs, whole_text=whole_text), failures=tuple(failures), notes=tuple(notes)
    )
    return format_report(report, fmt=fmt, errors=errors), 1 if failures else 0
