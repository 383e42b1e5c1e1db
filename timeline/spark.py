"""Spark: the events of a DataFrame of articles, built on the Python workers with Arrow.

Needs ``pip install 'news-timeline[spark]'`` and a Java runtime (17 or later
for PySpark 4).  :func:`events` runs the documents through
``DataFrame.mapInArrow``: each Python worker compiles the grammar once, at its
first batch, and keeps it while Spark reuses the worker.  The columns are
those of the Dask frame (:data:`timeline.corpus.EVENT_COLUMNS`), in the
explicit schema :func:`schema`.

```python
from pyspark.sql import SparkSession
import timeline.spark

spark = SparkSession.builder.master("local[2]").getOrCreate()
articles = spark.createDataFrame(
    [("a", "Talks were held on Friday.", "2025-01-22")], ["id", "text", "published"]
)
timeline.spark.events(articles).select("id", "value", "trigger").collect()
# [Row(id='a', value='2025-01-17', trigger='held')]
```

(``docs/integrations/spark.md`` runs an example where PySpark and Java are
installed.)
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from .corpus import EVENT_COLUMNS, EVENT_TYPES, _warm_up, build_one, document_of, event_rows
from .options import Options

__all__ = ["events", "schema"]

_HINT = "timeline.spark needs PySpark: pip install 'news-timeline[spark]'"


def _types() -> Any:
    try:
        from pyspark.sql import types  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError as exc:
        raise ImportError(f"{_HINT} ({exc})") from None
    return types


def schema() -> Any:
    """The Spark schema of :func:`events`: :data:`~timeline.corpus.EVENT_COLUMNS`,
    all nullable, ``start``/``end`` as ``TIMESTAMP_NTZ`` (naive, as the
    intervals are), ``published`` as ``DATE``."""
    t = _types()
    kinds = {
        "string": t.StringType(),
        "int": t.LongType(),
        "bool": t.BooleanType(),
        "datetime": t.TimestampNTZType(),
        "date": t.DateType(),
    }
    return t.StructType([t.StructField(c, kinds[EVENT_TYPES[c]], True) for c in EVENT_COLUMNS])


@functools.cache
def _settle() -> None:
    """Once per worker process: compile the grammar, then move everything alive
    (the grammar, the imported modules) out of the garbage collector's reach.

    A reused PySpark worker runs ``gc.collect()`` after every task, and a
    full collection walks every tracked object: with the grammar loaded that
    is some 100,000 objects and tens of milliseconds per task, and the full
    collections within a task walk them too.  Frozen objects are never
    freed, which is what the grammar cache is for; the documents' objects
    come later and are collected as usual.
    """
    import gc

    _warm_up()
    gc.freeze()


def _batches(batches: Iterator[Any], options: Options | None, undated: bool) -> Iterator[Any]:
    """Runs on a Python worker: Arrow batches of (id, text, published) to event batches."""
    from .io.parquet import record_batch

    _settle()
    for batch in batches:
        columns = batch.to_pydict()
        rows: list[dict[str, Any]] = []
        for index, (ident, text, published) in enumerate(
            zip(columns["id"], columns["text"], columns["published"], strict=True)
        ):
            doc = document_of({"id": ident, "text": text, "published": published}, index)
            result = (
                doc
                if isinstance(doc, Exception)
                else build_one(doc, options=options, undated=undated)
            )
            rows.extend(event_rows(None if ident is None else str(ident), result))
        if rows:
            yield record_batch(rows)


def events(
    df: Any,
    text: str = "text",
    published: str = "published",
    id: str = "id",
    *,
    options: Options | None = None,
    undated: bool = False,
) -> Any:
    """The events of every article in the Spark DataFrame ``df``.

    ``text``, ``published`` and ``id`` name its columns; ``published`` may
    hold ISO strings, dates or timestamps (null to read the dateline), and
    ``id`` is cast to a string.  The result has one row per event and, for
    an article that could not be built, one row with its ``id`` and
    ``error``; its schema is :func:`schema`.  Nothing runs until an action.
    """
    from pyspark.sql import functions  # type: ignore[import-not-found,import-untyped,unused-ignore]

    _types()
    missing = [c for c in (text, published, id) if c not in df.columns]
    if missing:
        raise ValueError(f"the DataFrame has no column {missing[0]!r}")
    source = df.select(
        functions.col(id).cast("string").alias("id"),
        functions.col(text).alias("text"),
        functions.col(published).alias("published"),
    )
    opts = options

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        return _batches(batches, opts, undated)

    return source.mapInArrow(run, schema())
