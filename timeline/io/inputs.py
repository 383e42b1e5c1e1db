"""Reading articles: plain text, HTML pages, JSON Lines, folders and stdin.

:func:`iter_inputs` turns the paths given on the command line into
:class:`InputDoc` values, one per article, in a deterministic order.  An input
that cannot be read yields an :class:`InputError` in its place and the others
are still read, so one bad file never stops a run.

* ``-`` reads standard input (sniffed: HTML, JSON Lines or plain text).
* A folder is walked recursively in sorted order; hidden files and folders
  (names starting with ``.``) are skipped, and only file names matching
  ``glob`` are read.
* ``.html``/``.htm``/``.xhtml`` files, and files whose first bytes look like
  HTML, are reduced to their main text with ``trafilatura`` and dated with
  ``htmldate`` (the optional extra ``news-timeline[html]``).
* ``.jsonl``/``.ndjson`` files hold one article per line:
  ``{"id": ..., "text": ..., "published": "YYYY-MM-DD"}``.
* ``.tml`` files, and ``.xml`` files whose root element is ``<TimeML>`` or
  ``<Document>`` (CAT), are read with :func:`timeline.io.timeml.read_document`:
  their text, dated by their creation time (DCT).
* Anything else is plain text, decoded as UTF-8 (a byte order mark is
  dropped); undecodable bytes become U+FFFD and the document carries a
  warning.
* Binary data is skipped with a :class:`Skipped` in its place: a NUL byte, the
  signature of a known binary format (PNG, PDF, ZIP, ELF ...), or mostly
  undecodable bytes, in the first 64 KiB.
* In a folder, only regular files (and links to them) are read: FIFOs,
  sockets and devices are passed over without being opened.  Named on the
  command line, a FIFO is read like a file.

Plain-text inputs have no publish date here (``published`` is ``None``): the
caller takes it from ``--published`` or from the article's dateline.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import json
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

import attrs

__all__ = [
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "TIMEML_SUFFIXES",
    "InputDoc",
    "InputError",
    "Skipped",
    "binary_kind",
    "iter_inputs",
]

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
TIMEML_SUFFIXES = (".tml", ".timeml")

# htmldate would otherwise reject dates after the end of *today*, which makes
# the result depend on the clock.  A fixed bound far ahead keeps runs
# reproducible; its earliest bound is likewise fixed.
HTML_MAX_DATE = _dt.datetime(2999, 12, 31)
HTML_MIN_DATE = _dt.datetime(1900, 1, 1)

_HTML_HINT = "reading HTML needs trafilatura and htmldate: pip install 'news-timeline[html]'"
_HTML_SNIFF = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)


@attrs.frozen
class InputDoc:
    """One article read from an input.

    ``id`` names it (the file path, or the ``id`` of a JSON Lines record);
    ``published`` is the publish date the source gave, or ``None``;
    ``published_from`` says where that date came from (``"html-metadata"``
    or ``"jsonl"``) and is ``None`` with it; ``warning`` reports a problem
    that did not stop the reading (undecodable bytes replaced ...).
    """

    id: str
    text: str
    published: _dt.date | None
    published_from: str | None
    warning: str | None = None


class InputError(Exception):
    """An input that could not be read; the message starts with its name."""


class Skipped(InputError):
    """An input passed over on purpose (binary data); a warning, not a failure."""


def iter_inputs(
    paths: Sequence[str], *, glob: str = "*", stdin: BinaryIO | None = None
) -> Iterator[InputDoc | InputError]:
    """Read every input in ``paths``, in order, yielding documents and errors.

    ``-`` reads ``stdin`` (by default ``sys.stdin.buffer``).  Folders are
    walked recursively in sorted order, keeping the files whose name
    matches ``glob`` (or, when ``glob`` holds a ``/``, whose path relative
    to the folder does).  Errors are yielded, not raised, so the caller can
    report each and go on.
    """
    for path in paths:
        if path == "-":
            source = stdin if stdin is not None else sys.stdin.buffer
            try:
                data = source.read()
            except OSError as exc:
                yield InputError(f"-: cannot read standard input: {exc.strerror or exc}")
                continue
            yield from _from_bytes("-", data)
        elif os.path.isdir(path):
            files, problems = _walk(path, glob)
            for problem in problems:
                yield InputError(problem)
            if not files and not problems:
                yield InputError(f"{path}: no files matching {glob!r} in this folder")
            for file in files:
                yield from _from_file(file)
        else:
            yield from _from_file(path)


# --------------------------------------------------------------------------
# Folders
# --------------------------------------------------------------------------


def _walk(root: str, glob: str) -> tuple[list[str], list[str]]:
    """The files under ``root`` matching ``glob``, sorted by relative path,
    and a message for each folder that could not be listed."""
    found: list[tuple[tuple[str, ...], str]] = []
    problems: list[str] = []

    def report(exc: OSError) -> None:
        problems.append(f"{exc.filename}: cannot list folder: {exc.strerror or exc}")

    for here, dirs, files in os.walk(root, onerror=report):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel_dir = os.path.relpath(here, root)
        parts = () if rel_dir == "." else tuple(rel_dir.split(os.sep))
        for name in files:
            if name.startswith("."):
                continue
            rel = (*parts, name)
            target = "/".join(rel) if "/" in glob else name
            if not fnmatch.fnmatchcase(target, glob):
                continue
            path = os.path.join(root, *rel)
            try:
                regular = stat.S_ISREG(os.stat(path).st_mode)
            except OSError:
                regular = True  # a dangling link: reported when it is read
            if regular:  # FIFOs, sockets and devices are never opened
                found.append((rel, path))
    found.sort()
    return [path for _, path in found], sorted(problems)


# --------------------------------------------------------------------------
# Files and bytes
# --------------------------------------------------------------------------


def _from_file(path: str) -> Iterator[InputDoc | InputError]:
    lower = path.lower()
    if lower.endswith(JSONL_SUFFIXES):
        try:
            fh = open(path, "rb")  # noqa: SIM115 - closed below, streamed line by line
        except OSError as exc:
            yield InputError(f"{path}: cannot read: {exc.strerror or exc}")
            return
        with fh:
            yield from _jsonl(path, fh)
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        yield InputError(f"{path}: cannot read: {exc.strerror or exc}")
        return
    kind = binary_kind(data)
    if kind is not None:
        yield Skipped(f"{path}: skipped: binary data ({kind}), not text")
    elif lower.endswith(TIMEML_SUFFIXES) or (lower.endswith(".xml") and _TIMEML_SNIFF.match(data)):
        yield _timeml(path)
    elif lower.endswith(HTML_SUFFIXES):
        yield _html(path, data)
    else:
        yield from _from_bytes(path, data, sniff_jsonl=False)


def _from_bytes(
    name: str, data: bytes, *, sniff_jsonl: bool = True
) -> Iterator[InputDoc | InputError]:
    """A file or stdin whose kind is not known from a name: sniff the content."""
    kind = binary_kind(data)
    if kind is not None:
        yield Skipped(f"{name}: skipped: binary data ({kind}), not text")
    elif _looks_like_html(data):
        yield _html(name, data)
    elif sniff_jsonl and _looks_like_jsonl(data):
        yield from _jsonl(name, iter(data.splitlines(keepends=True)))
    else:
        text, warning = decode(data, name)
        yield InputDoc(name, text, None, None, warning)


# Signatures of binary formats a folder of articles may hold by mistake.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"(\xb5/\xfd", "zstd data"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 (old Office) document"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00asm", "WebAssembly module"),
)
_SAMPLE = 65_536
# A sample is binary when more than this share of its characters cannot be
# decoded as UTF-8 (Latin-1 prose has one bad byte per accented letter, far less).
_UNDECODABLE_SHARE = 0.25


def binary_kind(data: bytes) -> str | None:
    """What makes ``data`` binary rather than text, or ``None`` for text.

    Looks at the first 64 KiB: a known binary signature, a NUL byte (text in
    UTF-8 never holds one), or more than a quarter of undecodable bytes.
    """
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return "NUL bytes"
    if sample:
        decoded = sample.decode("utf-8", errors="replace")
        bad = decoded.count("\N{REPLACEMENT CHARACTER}")
        if len(data) > _SAMPLE:
            # A multi-byte character cut at the sample's end is not bad bytes.
            cut = len(decoded) - len(decoded.rstrip("\N{REPLACEMENT CHARACTER}"))
            bad -= min(cut, 3)
        if bad > _UNDECODABLE_SHARE * max(1, len(decoded)):
            return "mostly undecodable bytes"
    return None


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048]
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return _HTML_SNIFF.match(head) is not None


def _looks_like_jsonl(data: bytes) -> bool:
    """True when the first non-blank line is a JSON object with a ``text`` key."""
    for line in data.splitlines():
        if not line.strip():
            continue
        try:
            first = json.loads(line.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            return False
        return isinstance(first, dict) and "text" in first
    return False


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode UTF-8 text (a byte order mark is dropped); returns ``(text, warning)``.

    Undecodable bytes are replaced with U+FFFD and the warning says where
    the first one was.
    """
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8-sig", errors="replace")
        where = exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        return (
            text,
            f"{name}: not valid UTF-8 (byte {where}); undecodable bytes replaced with U+FFFD",
        )


# --------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------


def _html(name: str, data: bytes) -> InputDoc | InputError:
    try:
        import htmldate
        import trafilatura
    except ImportError as exc:
        return InputError(f"{name}: {_HTML_HINT} ({exc})")
    # Bytes, never str: htmldate would fetch a str that looks like a URL.
    try:
        text = trafilatura.extract(
            data,
            include_comments=False,
            include_tables=True,
            deduplicate=False,
            with_metadata=False,
            date_extraction_params={
                "original_date": True,
                "extensive_search": False,
                "max_date": HTML_MAX_DATE.strftime("%Y-%m-%d"),
                "min_date": HTML_MIN_DATE.strftime("%Y-%m-%d"),
            },
        )
    except Exception as exc:  # a parser failure on one page must not stop the run
        return InputError(f"{name}: cannot extract text from HTML: {type(exc).__name__}: {exc}")
    if not text or not text.strip():
        return InputError(f"{name}: no article text found in the HTML page")
    # One paragraph a line: blank lines between them keep sentences (and a
    # headline without a full stop) apart for the sentence splitter.
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    published: _dt.date | None = None
    try:
        found = htmldate.find_date(
            data,
            extensive_search=False,
            original_date=True,
            outputformat="%Y-%m-%d",
            min_date=HTML_MIN_DATE,
            max_date=HTML_MAX_DATE,
        )
    except Exception:  # no date is not an error: the caller falls back
        found = None
    if found:
        try:
            published = _dt.date.fromisoformat(found)
        except ValueError:
            published = None
    return InputDoc(name, text, published, "html-metadata" if published else None)


# --------------------------------------------------------------------------
# TimeML and CAT
# --------------------------------------------------------------------------

_TIMEML_SNIFF = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:TimeML|Document)\b",
    re.DOTALL,
)


def _timeml(path: str) -> InputDoc | InputError:
    """A TimeML or CAT file: its text, dated by its creation time."""
    from . import timeml  # lazily: only runs that read TimeML pay for it

    try:
        doc = timeml.read_document(path)
    except timeml.DocumentError as exc:
        where = f"{path}:{exc.line}" if exc.line else path
        return InputError(f"{where}: cannot read as TimeML or CAT: {exc.reason}")
    except OSError as exc:
        return InputError(f"{path}: cannot read: {exc.strerror or exc}")
    dct = timeml.dct_argument(doc.dct)
    if dct is None:
        warning = (
            f"{path}: creation time {doc.dct.strip()!r} is not a date (YYYY-MM-DD); "
            "the publish date comes from --published or the dateline"
        )
        return InputDoc(path, doc.text, None, None, warning)
    return InputDoc(path, doc.text, _dt.date.fromisoformat(dct[:10]), "dct")


# --------------------------------------------------------------------------
# JSON Lines
# --------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def _jsonl(name: str, lines: Iterator[bytes] | BinaryIO) -> Iterator[InputDoc | InputError]:
    seen: dict[str, int] = {}
    for lineno, raw in enumerate(lines, 1):
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        where = f"{name}:{lineno}"
        warning: str | None = None
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.decode("utf-8", errors="replace")
            warning = (
                f"{where}: not valid UTF-8 (byte {exc.start}); "
                "undecodable bytes replaced with U+FFFD"
            )
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield InputError(f"{where}: not valid JSON: {exc}")
            continue
        doc = _record(where, record)
        if isinstance(doc, InputError):
            yield doc
            continue
        if _SURROGATE.search(doc.text) or _SURROGATE.search(doc.id):
            # "\ud800" escapes decode to lone surrogates, which no output can encode.
            doc = attrs.evolve(
                doc,
                id=_SURROGATE.sub("\N{REPLACEMENT CHARACTER}", doc.id),
                text=_SURROGATE.sub("\N{REPLACEMENT CHARACTER}", doc.text),
            )
            warning = f"{where}: lone surrogate escapes replaced with U+FFFD"
        if doc.id in seen:
            note = f"{where}: id {doc.id!r} repeats line {seen[doc.id]}"
            warning = f"{warning}; {note}" if warning else note
        else:
            seen[doc.id] = lineno
        yield attrs.evolve(doc, warning=warning) if warning else doc


def _record(where: str, record: Any) -> InputDoc | InputError:
    """One JSON Lines record checked and turned into a document."""
    if not isinstance(record, dict):
        return InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    missing = [key for key in ("id", "text", "published") if key not in record]
    if missing:
        return InputError(
            f"{where}: missing field{'s' if len(missing) > 1 else ''}: " + ", ".join(missing)
        )
    ident = record["id"]
    if isinstance(ident, bool) or not isinstance(ident, str | int):
        return InputError(f"{where}: 'id' must be a string or an integer")
    if isinstance(ident, str) and not ident.strip():
        return InputError(f"{where}: 'id' is empty")
    text = record["text"]
    if not isinstance(text, str):
        return InputError(f"{where}: 'text' must be a string")
    raw = record["published"]
    published: _dt.date | None
    if raw is None:
        published = None
    elif not isinstance(raw, str):
        return InputError(f"{where}: 'published' must be a date string (YYYY-MM-DD) or null")
    else:
        try:
            published = _parse_date(raw)
        except ValueError as exc:
            return InputError(f"{where}: 'published': {exc}")
    return InputDoc(str(ident), text, published, "jsonl" if published else None)


_DATE_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_date(raw: str) -> _dt.date:
    """An ISO 8601 date, or the local date of an ISO 8601 datetime."""
    text = raw.strip()
    if not _DATE_PREFIX.match(text):
        raise ValueError(f"{raw!r} is not an ISO 8601 date (YYYY-MM-DD)")
    try:
        if len(text) == 10:
            return _dt.date.fromisoformat(text)
        return _dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError as exc:
        raise ValueError(f"{raw!r} is not a valid date: {exc}") from None
