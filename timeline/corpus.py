"""Whole corpora: read documents, build their timelines, one frame for all.

``read`` turns files, folders, HTML pages, JSON Lines feeds and standard input
into :class:`Document` values, with the command line's rules for the publish
date; ``build_many`` builds each document's :class:`~timeline.Timeline`, in
input order, on one core or several; ``to_pandas`` puts every event of a
corpus in one frame with the document's id.

```python
>>> import timeline
>>> docs = [
...     {"id": "a", "text": "Talks were held on Friday.", "published": "2025-01-22"},
...     {"id": "b", "text": "No date here.", "published": None},
... ]
>>> for doc, result in timeline.build_many(docs):
...     print(doc.id, result if isinstance(result, Exception) else len(result))
a 1
b b: no publish date: none given and no dateline in the opening lines

```

One bad document costs only itself: its error is yielded in place of the
timeline, never raised.  The Dask and Spark integrations
(:mod:`timeline.dask`, :mod:`timeline.spark`) and the Parquet writer
(:mod:`timeline.io.parquet`) give the same rows, in the columns of
:data:`EVENT_COLUMNS`.
"""

from __future__ import annotations

import datetime as _dt
import itertools
import math
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, BinaryIO, cast

import attrs

if TYPE_CHECKING:
    from concurrent.futures import Future

from .api import build
from .io.dateline import detect_published
from .io.inputs import InputDoc, InputError, iter_inputs
from .options import Options, Published, parse_published
from .order.records import RECORD_COLUMNS, to_records
from .order.timeline import Timeline

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_TYPES",
    "BuildError",
    "Document",
    "build_many",
    "build_one",
    "document_of",
    "event_rows",
    "publish_date",
    "read",
    "to_pandas",
]

#: The columns of a corpus's event table: the document's ``id``, the columns
#: of :func:`timeline.order.to_records`, and ``error`` (set, with ``id``, on
#: the one row of a document that could not be built; every other column is
#: then null).
EVENT_COLUMNS: tuple[str, ...] = ("id", *RECORD_COLUMNS, "error")

#: The kind of each column of :data:`EVENT_COLUMNS`: ``string``, ``int``,
#: ``bool``, ``datetime`` (naive, microseconds) or ``date``.  The Dask meta,
#: the Spark schema and the Parquet schema are all made from this.
EVENT_TYPES: dict[str, str] = {
    **dict.fromkeys(EVENT_COLUMNS, "string"),
    "start": "datetime",
    "end": "datetime",
    "phrase_start": "int",
    "phrase_end": "int",
    "position": "int",
    "reports": "int",
    "dated": "bool",
    "published": "date",
}


@attrs.frozen
class Document:
    """One article of a corpus.

    ``id`` names it (a file path or a JSON Lines record's id); ``published``
    is its publish date, or ``None`` when no rule found one; ``source`` says
    where the date came from: ``"option"`` (given to :func:`read`), the
    source's own (``"jsonl"``, ``"html-metadata"``, ``"given"`` for a
    document built by hand) or ``"dateline"``; ``warning`` reports a problem
    that did not stop the reading (undecodable bytes replaced ...).
    """

    id: str
    text: str
    published: _dt.date | None
    source: str | None
    warning: str | None = None


class BuildError(Exception):
    """A document whose timeline could not be built; the message starts with its id."""


def publish_date(
    text: str,
    own: _dt.date | None = None,
    own_from: str | None = None,
    published: Published | None = None,
) -> tuple[_dt.date, str] | None:
    """The publish date and where it came from, by the command line's rules.

    ``published`` (an explicit option) wins; then the source's own date
    ``own`` (from ``own_from``, ``"source"`` when not given); then the first
    full date in the opening lines (``"dateline"``).  ``None`` when there is
    none.  A ``published`` that is not a date raises :class:`ValueError`.

    >>> publish_date("LONDON, Jan. 22, 2025 - Talks ended.")
    (datetime.date(2025, 1, 22), 'dateline')
    >>> publish_date("Talks ended.", published="2025-01-20")
    (datetime.date(2025, 1, 20), 'option')
    """
    if published is not None:
        return parse_published(published).date(), "option"
    if own is not None:
        return own, own_from or "source"
    found = detect_published(text)
    if found is None:
        return None
    return found, "dateline"


def _from_input(doc: InputDoc, published: Published | None) -> Document:
    found = publish_date(doc.text, doc.published, doc.published_from, published)
    day, source = found if found is not None else (None, None)
    return Document(doc.id, doc.text, day, source, doc.warning)


def read(
    paths_or_feed: str | Iterable[str] | BinaryIO,
    *,
    published: Published | None = None,
    glob: str = "*",
) -> Iterator[Document | InputError]:
    """Documents from files, folders, HTML pages, JSON Lines and stdin.

    ``paths_or_feed`` is a path, a list of paths (``"-"`` is standard input),
    or an open binary stream (read as standard input is: HTML, JSON Lines or
    plain text, sniffed).  Folders are walked in sorted order, keeping the
    files whose name matches ``glob``.  Each document's ``published`` comes
    from ``published`` when given, else from the source (a JSON Lines field,
    the HTML page's metadata), else from a dateline; it stays ``None`` when
    none of these has one (:func:`build_many` then yields an error for it).

    An input that cannot be read is yielded as an
    :class:`~timeline.io.inputs.InputError` in its place; nothing is raised
    for a bad input, so one bad file never stops a corpus.
    """
    if published is not None:
        parse_published(published)  # a bad option is the caller's error: raise now
    stdin: BinaryIO | None = None
    if isinstance(paths_or_feed, str):
        paths: Sequence[str] = [paths_or_feed]
    elif isinstance(paths_or_feed, Iterable) and not hasattr(paths_or_feed, "read"):
        paths = list(paths_or_feed)
        bad = [p for p in paths if not isinstance(p, str)]
        if bad:
            raise TypeError(f"paths must be strings, not {type(bad[0]).__name__}")
    else:
        stdin = cast(BinaryIO, paths_or_feed)
        paths = ["-"]
    for item in iter_inputs(paths, glob=glob, stdin=stdin):
        yield item if isinstance(item, InputError) else _from_input(item, published)


# --------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    """None, NaN, NaT and NA (from data frames) all mean "no date"."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ in ("NaTType", "NAType")


def document_of(
    item: Document | InputDoc | Mapping[str, Any], index: int = 0
) -> Document | BuildError:
    """A :class:`Document` from a document, an input, or a mapping with
    ``text`` and optionally ``id`` and ``published`` (a date, a datetime or
    an ISO string; missing, None, NaN or NaT for "read the dateline").

    ``index`` names a mapping without an ``id``.  A mapping that cannot be
    a document gives a :class:`BuildError`.
    """
    if isinstance(item, Document):
        return item
    if isinstance(item, InputDoc):
        return _from_input(item, None)
    if not isinstance(item, Mapping):
        return BuildError(
            f"#{index}: expected a Document or a mapping with 'text', not {type(item).__name__}"
        )
    raw_id = item.get("id")
    ident = f"#{index}" if _missing(raw_id) else str(raw_id)
    text = item.get("text")
    if not isinstance(text, str):
        if text is None:
            return BuildError(f"{ident}: 'text' is missing")
        return BuildError(f"{ident}: 'text' must be a string, not {type(text).__name__}")
    raw = item.get("published")
    own: _dt.date | None = None
    if raw is not None and not _missing(raw):
        try:
            own = parse_published(raw).date()
        except ValueError as exc:
            return BuildError(f"{ident}: {exc}")
    found = publish_date(text, own, "given")
    day, source = found if found is not None else (None, None)
    return Document(ident, text, day, source)


def build_one(
    document: Document, *, options: Options | None = None, undated: bool = False
) -> Timeline | BuildError:
    """One document's timeline, or the error that stopped it (never raised)."""
    if document.published is None:
        return BuildError(
            f"{document.id}: no publish date: none given and no dateline in the opening lines"
        )
    try:
        return build(
            document.text,
            document.published,
            options=options,
            document=document.id,
            undated=undated,
        )
    except Exception as exc:  # one bad document costs only itself
        return BuildError(f"{document.id}: {type(exc).__name__}: {exc}")


Result = tuple[Document | InputError | Any, Timeline | Exception]


def _build_chunk(
    chunk: list[Document], options: Options | None, undated: bool
) -> list[Timeline | BuildError]:
    return [build_one(d, options=options, undated=undated) for d in chunk]


def _warm_up() -> None:
    """Compile the grammar once in a pool worker (a no-op when forked warm)."""
    from .find import grammar, scan

    grammar()
    list(scan("on Friday"))


def build_many(
    documents: Iterable[Document | InputDoc | InputError | Mapping[str, Any]],
    *,
    jobs: int = 1,
    options: Options | None = None,
    undated: bool = False,
    chunksize: int = 8,
) -> Iterator[Result]:
    """Build each document's timeline, yielding ``(document, timeline)`` in input order.

    ``documents`` holds :class:`Document` values (as :func:`read` yields
    them), inputs, or mappings with ``text`` and optionally ``id`` and
    ``published`` (see :func:`document_of`).  A document that cannot be
    built yields a :class:`BuildError` in place of its timeline; an
    :class:`~timeline.io.inputs.InputError` from :func:`read` is passed
    through as ``(error, error)``.  Nothing is raised for a bad document.

    With ``jobs`` > 1 the documents are built in a pool of that many
    processes, ``chunksize`` documents a task, each worker compiling the
    grammar once; at most a few chunks per worker are in flight, so a long
    feed is read lazily, and results still come in input order.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    if chunksize < 1:
        raise ValueError(f"chunksize must be at least 1, not {chunksize}")
    items = (_prepare(item, i) for i, item in enumerate(documents))
    if jobs == 1:
        return _serial(items, options, undated)
    return _pooled(items, jobs, options, undated, chunksize)


def _serial(
    items: Iterator[tuple[Any, Document | Exception]], options: Options | None, undated: bool
) -> Iterator[Result]:
    for original, doc in items:
        if isinstance(doc, Exception):
            yield original, doc
        else:
            yield doc, build_one(doc, options=options, undated=undated)


def _prepare(item: Any, index: int) -> tuple[Any, Document | Exception]:
    if isinstance(item, InputError):
        return item, item
    doc = document_of(item, index)
    return (item, doc) if isinstance(doc, BuildError) else (doc, doc)


def _pooled(
    items: Iterator[tuple[Any, Document | Exception]],
    jobs: int,
    options: Options | None,
    undated: bool,
    chunksize: int,
) -> Iterator[Result]:
    pending: deque[tuple[list[tuple[Any, Document | Exception]], Future[Any] | None]] = deque()
    # imported here: the CLI imports this module, and a serial run needs no pool
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_warm_up)
    try:

        def submit(chunk: list[tuple[Any, Document | Exception]]) -> None:
            docs = [d for _, d in chunk if isinstance(d, Document)]
            future = pool.submit(_build_chunk, docs, options, undated) if docs else None
            pending.append((chunk, future))

        def drain() -> Iterator[Result]:
            chunk, future = pending.popleft()
            built = iter(future.result() if future is not None else ())
            for original, doc in chunk:
                if isinstance(doc, Document):
                    yield doc, next(built)
                else:
                    yield original, doc

        while True:
            chunk = list(itertools.islice(items, chunksize))
            if not chunk:
                break
            submit(chunk)
            if len(pending) >= 4 * jobs:
                yield from drain()
        while pending:
            yield from drain()
    finally:
        # also when the caller stops early: chunks not yet started are dropped
        pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------


def event_rows(document_id: str | None, result: Timeline | Exception) -> list[dict[str, Any]]:
    """The rows of one document in :data:`EVENT_COLUMNS`: one per event, or
    one error row (``id`` and ``error`` set) for a document that failed."""
    if isinstance(result, Exception):
        row: dict[str, Any] = dict.fromkeys(EVENT_COLUMNS)
        row["id"] = document_id
        row["error"] = str(result)
        return [row]
    return [{"id": document_id, **rec, "error": None} for rec in to_records(result)]


def _id_of(item: Any) -> str | None:
    ident = getattr(item, "id", None)
    if ident is None and isinstance(item, Mapping):
        ident = item.get("id")
    return None if ident is None else str(ident)


def corpus_rows(results: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """The rows of :func:`to_pandas` for ``(document, result)`` pairs or
    :class:`~timeline.io.article.ArticleResult` values (``id`` and
    ``timeline``), in order."""
    for item in results:
        if isinstance(item, tuple) and len(item) == 2:
            document, result = item
        elif hasattr(item, "timeline"):
            document, result = item, item.timeline
        else:
            raise TypeError(
                f"expected (document, timeline) pairs from build_many, not {type(item).__name__}"
            )
        ident = None if isinstance(document, InputError) else _id_of(document)
        yield from event_rows(ident, result)


def to_pandas(results: Iterable[Any]) -> Any:
    """One :class:`pandas.DataFrame` for a whole corpus, in :data:`EVENT_COLUMNS`.

    ``results`` is what :func:`build_many` yields.  Each event is a row with
    its document's ``id`` before the columns of
    :func:`timeline.order.to_records`; a document that failed is one row
    with ``id`` and ``error`` (an input that could not be read has no ``id``).
    Needs pandas (``pip install 'news-timeline[pandas]'``).
    """
    try:
        import pandas  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        raise ImportError("to_pandas needs pandas: pip install 'news-timeline[pandas]'") from None
    return pandas.DataFrame.from_records(list(corpus_rows(results)), columns=list(EVENT_COLUMNS))
