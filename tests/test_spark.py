"""timeline.spark on a local[2] Spark session (needs PySpark and a Java runtime)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from timeline.corpus import EVENT_COLUMNS, EVENT_TYPES

from .test_corpus_api import row_key, serial_rows, te3_sample

pytest.importorskip("pyspark")
pytest.importorskip("pyarrow")
if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
    pytest.skip("Spark needs a Java runtime", allow_module_level=True)

import timeline.spark as tspark  # noqa: E402


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    """One local[2] session for the module: two Python workers at most."""
    from pyspark.sql import SparkSession

    # The workers run this interpreter, whatever `python3` the PATH finds.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    session = (
        SparkSession.builder.master("local[2]")
        .appName("timeline-tests")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def collected(frame: Any) -> tuple[tuple[Any, ...], ...]:
    assert frame.columns == list(EVENT_COLUMNS)
    return tuple(row_key(r.asDict()) for r in frame.collect())


def test_schema_follows_the_event_columns() -> None:
    schema = tspark.schema()
    assert schema.fieldNames() == list(EVENT_COLUMNS)
    kinds = {f.name: f.dataType.simpleString() for f in schema.fields}
    assert kinds["start"] == "timestamp_ntz" and kinds["published"] == "date"
    assert kinds["position"] == "bigint" and kinds["dated"] == "boolean"
    assert {kinds[c] for c, k in EVENT_TYPES.items() if k == "string"} == {"string"}


def test_events_equal_serial_build_on_te3_silver(spark: Any) -> None:
    rows = [(i, t, p) for i, t, p in te3_sample()]
    df = spark.createDataFrame(rows, "id string, text string, published string").repartition(4)
    # repartitioning shuffles: compare per document, in each document's order
    got = sorted(
        collected(tspark.events(df)), key=lambda r: (r[0], r[EVENT_COLUMNS.index("position")])
    )
    want = sorted(serial_rows(), key=lambda r: (r[0], r[EVENT_COLUMNS.index("position")]))
    assert got == want
    assert len(got) > 500


def test_other_column_names_date_columns_and_error_rows(spark: Any) -> None:
    rows = [
        (1, "Talks were held on Friday.", dt.date(2025, 1, 22)),
        (2, "No date here.", None),
        (3, "PARIS, March 3, 2021 - Talks were held on Friday.", None),
    ]
    df = spark.createDataFrame(rows, "doc long, body string, day date").coalesce(1)
    out = tspark.events(df, text="body", published="day", id="doc").collect()
    assert [(r.id, r.value, r.error) for r in out] == [
        ("1", "2025-01-17", None),
        ("2", None, "2: no publish date: none given and no dateline in the opening lines"),
        ("3", "2021-02-26", None),
        ("3", "2021-03-03", None),
    ]
    assert out[0].start == dt.datetime(2025, 1, 17) and out[0].published == dt.date(2025, 1, 22)
    with pytest.raises(ValueError, match="no column 'id'"):
        tspark.events(df, text="body", published="day")
