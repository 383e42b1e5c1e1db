"""A corpus's events as an Apache Parquet file (needs ``news-timeline[parquet]``).

The columns are :data:`timeline.corpus.EVENT_COLUMNS`: the article's ``id``,
then the columns of :func:`timeline.order.to_records` (the flat form of the
JSON Lines event, ``docs/schema/timeline-event-v1.jsonl.json``), then
``error``, set on the one row of an article that could not be built.  The
same Arrow schema types the Dask and Spark event tables.

```python
import timeline
from timeline.io.parquet import write_parquet

docs = [{"id": "a", "text": "Talks were held on Friday.", "published": "2025-01-22"}]
write_parquet(timeline.build_many(docs), "events.parquet")  # 1 row
```

(``docs/integrations/corpus.md`` runs an example where pyarrow is installed.)
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Iterable
from typing import Any

from ..corpus import EVENT_COLUMNS, EVENT_TYPES, corpus_rows

__all__ = ["arrow_schema", "record_batch", "write_parquet"]

_HINT = "writing Parquet needs pyarrow: pip install 'news-timeline[parquet]'"


def _pyarrow() -> Any:
    try:
        import pyarrow  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        raise ImportError(_HINT) from None
    return pyarrow


@functools.cache
def arrow_schema() -> Any:
    """The :class:`pyarrow.Schema` of :data:`~timeline.corpus.EVENT_COLUMNS`
    (every column nullable; ``start``/``end`` naive microsecond timestamps,
    ``published`` a date)."""
    pa = _pyarrow()
    kinds = {
        "string": pa.string(),
        "int": pa.int64(),
        "bool": pa.bool_(),
        "datetime": pa.timestamp("us"),
        "date": pa.date32(),
    }
    return pa.schema([pa.field(c, kinds[EVENT_TYPES[c]]) for c in EVENT_COLUMNS])


def record_batch(rows: list[dict[str, Any]]) -> Any:
    """Rows in :data:`~timeline.corpus.EVENT_COLUMNS` as one Arrow record batch."""
    pa = _pyarrow()
    schema = arrow_schema()
    columns = [
        pa.array([r[c] for r in rows], type=f.type)
        for c, f in zip(EVENT_COLUMNS, schema, strict=True)
    ]
    return pa.RecordBatch.from_arrays(columns, schema=schema)


def write_parquet(
    results: Iterable[Any], path: str | os.PathLike[str], *, batch: int = 4096
) -> int:
    """Write every event of ``results`` to the Parquet file ``path``; returns the row count.

    ``results`` is what :func:`timeline.build_many` yields (``(document,
    timeline)`` pairs, errors included) or the command line's
    :class:`~timeline.io.article.ArticleResult` values.  Rows are written
    ``batch`` at a time, to a temporary file that replaces ``path`` only
    when all went well: a failure leaves no half-written file.
    """
    _pyarrow()
    import pyarrow.parquet as pq  # type: ignore[import-not-found,import-untyped,unused-ignore]

    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(prefix=".timeline-", suffix=".parquet", dir=directory)
    os.close(fd)
    count = 0
    try:
        with pq.ParquetWriter(tmp, arrow_schema()) as writer:
            pending: list[dict[str, Any]] = []
            for row in corpus_rows(results):
                pending.append(row)
                if len(pending) >= batch:
                    writer.write_batch(record_batch(pending))
                    count += len(pending)
                    pending = []
            # an empty corpus still gets a file with the schema
            if pending or count == 0:
                writer.write_batch(record_batch(pending))
                count += len(pending)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return count
