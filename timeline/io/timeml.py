"""Reading gold-annotated corpora: TimeML and CAT XML.

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
"""

from __future__ import annotations

import datetime as _dt
import html.entities
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "Document",
    "DocumentError",
    "Timex",
    "dct_argument",
    "find_documents",
    "read_cat",
    "read_document",
    "read_timeml",
]


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


def stripped_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` shrunk so the span has no surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


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
