"""Dask: the events of a corpus as a Dask DataFrame, and one merged timeline.

Needs ``pip install 'news-timeline[dask]'``.  Each document is a mapping with
a text, a publish date (a date, a datetime or an ISO string; missing, None,
NaN or NaT to read the dateline) and an id, in a Dask Bag or in the columns of
a Dask DataFrame:

```python
import dask.bag as db
import timeline.dask

bag = db.from_sequence(
    [
        {"id": "a", "text": "Talks were held on Friday.", "published": "2025-01-22"},
        {"id": "b", "text": "The minister will travel next week.", "published": "2025-01-22"},
    ],
    npartitions=2,
)
timeline.dask.events(bag).compute()[["id", "value", "trigger"]]  # a pandas frame
timeline.dask.merge(bag)  # one Timeline
```

(``docs/integrations/dask.md`` runs an example where Dask is installed.)

Each worker process compiles the grammar once, at its first document.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from .corpus import BuildError, build_one, document_of, event_rows
from .options import Options
from .order.timeline import Timeline

__all__ = ["events", "merge", "meta"]

_HINT = "timeline.dask needs Dask: pip install 'news-timeline[dask]'"


def _imports() -> tuple[Any, Any, Any, Any]:
    try:
        import dask  # type: ignore[import-not-found,import-untyped,unused-ignore]
        import dask.bag  # type: ignore[import-not-found,import-untyped,unused-ignore]
        import dask.dataframe  # type: ignore[import-not-found,import-untyped,unused-ignore]
        import pandas  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError as exc:
        raise ImportError(f"{_HINT} ({exc})") from None
    return dask, dask.bag, dask.dataframe, pandas


def _frame(rows: list[dict[str, Any]]) -> Any:
    """Rows in :data:`~timeline.corpus.EVENT_COLUMNS` as a pandas frame with
    Arrow-backed (nullable) column types."""
    import pandas
    import pyarrow  # type: ignore[import-not-found,import-untyped,unused-ignore]

    from .io.parquet import record_batch

    table = pyarrow.Table.from_batches([record_batch(rows)])
    return table.to_pandas(types_mapper=pandas.ArrowDtype)


def meta() -> Any:
    """The empty pandas frame that types :func:`events` (its ``meta``)."""
    return _frame([])


def _documents(data: Any, text: str, published: str, id: str) -> Any:
    """A Dask Bag of ``{"id", "text", "published"}`` mappings from a Bag or a DataFrame."""
    dask, bag, dataframe, _ = _imports()
    if isinstance(data, dataframe.DataFrame):
        missing = [c for c in (text, published) if c not in data.columns]
        if missing:
            raise ValueError(f"the DataFrame has no column {missing[0]!r}")
        parts = [
            dask.delayed(_frame_documents)(part, text, published, id) for part in data.to_delayed()
        ]
        return bag.from_delayed(parts)
    if isinstance(data, bag.Bag):
        return data.map_partitions(_bag_documents, text, published, id)
    raise TypeError(f"expected a Dask Bag or DataFrame, not {type(data).__name__}")


def _frame_documents(part: Any, text: str, published: str, id: str) -> list[dict[str, Any]]:
    ids = part[id] if id in part.columns else part.index.astype(str)
    return [
        {"id": i, "text": t, "published": p}
        for i, t, p in zip(ids, part[text], part[published], strict=True)
    ]


def _bag_documents(items: Iterable[Any], text: str, published: str, id: str) -> list[Any]:
    out: list[Any] = []
    for item in items:
        if isinstance(item, Mapping):
            out.append(
                {"id": item.get(id), "text": item.get(text), "published": item.get(published)}
            )
        else:
            out.append(item)  # a Document, or something document_of reports
    return out


def _partition_rows(
    items: list[Any], options: Options | None, undated: bool
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        doc = document_of(item, index)
        if isinstance(doc, BuildError):
            ident = item.get("id") if isinstance(item, Mapping) else None
            rows.extend(event_rows(None if ident is None else str(ident), doc))
        else:
            rows.extend(event_rows(doc.id, build_one(doc, options=options, undated=undated)))
    return rows


def events(
    data: Any,
    *,
    text: str = "text",
    published: str = "published",
    id: str = "id",
    options: Options | None = None,
    undated: bool = False,
) -> Any:
    """The events of every document in ``data`` as a Dask DataFrame.

    ``data`` is a Dask Bag of mappings (the keys named by ``text``,
    ``published`` and ``id``) or a Dask DataFrame with those columns (without
    an ``id`` column, the index names the documents).  The columns are
    :data:`timeline.corpus.EVENT_COLUMNS` with Arrow types (see
    :func:`meta`): one row per event, and for a document that could not be
    built one row with its ``id`` and ``error``.  Nothing is computed until
    the frame is.
    """
    dask, _, dataframe, _ = _imports()
    docs = _documents(data, text, published, id)
    parts = [dask.delayed(_partition_frame)(part, options, undated) for part in docs.to_delayed()]
    return dataframe.from_delayed(parts, meta=meta(), verify_meta=False)


def _partition_frame(items: list[Any], options: Options | None, undated: bool) -> Any:
    return _frame(_partition_rows(items, options, undated))


def _built(items: Iterable[Any], options: Options | None, undated: bool, skip: bool) -> Timeline:
    timelines: list[Timeline] = []
    for index, item in enumerate(items):
        doc = document_of(item, index)
        result = (
            doc if isinstance(doc, BuildError) else build_one(doc, options=options, undated=undated)
        )
        if isinstance(result, BuildError):
            if skip:
                continue
            raise result
        timelines.append(result)
    return Timeline.merge(timelines)


def _merged(timelines: Iterable[Timeline]) -> Timeline:
    return Timeline.merge(timelines)


def merge(
    data: Any,
    *,
    text: str = "text",
    published: str = "published",
    id: str = "id",
    options: Options | None = None,
    undated: bool = False,
    errors: str = "raise",
    split_every: int = 8,
) -> Timeline:
    """Build every document of ``data`` and merge them into one :class:`~timeline.Timeline`.

    ``data`` is as for :func:`events`.  Each partition merges its own
    documents' timelines and the partial timelines are merged
    ``split_every`` at a time, as a tree (:meth:`Timeline.merge` is
    associative and commutative, so the result is that of one serial merge).
    A document that cannot be built raises its
    :class:`~timeline.corpus.BuildError` with ``errors="raise"`` and is left
    out with ``errors="skip"``.  Computes on the current Dask scheduler.
    """
    if errors not in ("raise", "skip"):
        raise ValueError(f"errors must be 'raise' or 'skip', not {errors!r}")
    if split_every < 2:
        raise ValueError(f"split_every must be at least 2, not {split_every}")
    docs = _documents(data, text, published, id)
    total = docs.reduction(
        functools.partial(_built, options=options, undated=undated, skip=errors == "skip"),
        _merged,
        split_every=split_every,
    )
    result: Timeline = total.compute()
    return result
