"""timeline.io.parquet: a corpus's events as one Parquet file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline.corpus import EVENT_COLUMNS, event_rows
from timeline.io.article import ArticleResult

from .test_corpus_api import row_key, serial_rows, te3_sample

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from timeline.io.parquet import arrow_schema, write_parquet  # noqa: E402


def read_rows(path: Path) -> tuple[tuple[Any, ...], ...]:
    table = pq.read_table(path)
    assert table.schema.names == list(EVENT_COLUMNS)
    return tuple(row_key(r) for r in table.to_pylist())


def test_schema_types() -> None:
    schema = arrow_schema()
    assert schema.names == list(EVENT_COLUMNS)
    assert schema.field("start").type == pa.timestamp("us")
    assert schema.field("published").type == pa.date32()
    assert schema.field("phrase_start").type == pa.int64()
    assert schema.field("dated").type == pa.bool_()
    assert schema.field("error").type == pa.string()


def test_values_round_trip_with_error_rows(tmp_path: Path) -> None:
    docs = [
        {"id": "a", "text": "Talks were held on Friday.", "published": "2025-01-22"},
        {"id": "b", "text": "No date.", "published": None},
        {"id": "c", "text": "The minister will travel next week.", "published": "2025-01-22"},
    ]
    results = list(timeline.build_many(docs))
    out = tmp_path / "events.parquet"
    assert write_parquet(results, out, batch=1) == 3
    expected = tuple(row_key(r) for d, t in results for r in event_rows(d.id, t))
    assert read_rows(out) == expected
    table = pq.read_table(out).to_pylist()
    assert table[0]["start"] == dt.datetime(2025, 1, 17)
    assert table[0]["published"] == dt.date(2025, 1, 22)
    assert table[1]["id"] == "b" and table[1]["value"] is None
    assert (
        table[1]["error"] == "b: no publish date: none given and no dateline in the opening lines"
    )


def test_cli_results_and_an_empty_corpus(tmp_path: Path) -> None:
    built = timeline.build("Talks were held on Friday.", "2025-01-22", document="x")
    result = ArticleResult("x", dt.date(2025, 1, 22), "option", "Talks were held on Friday.", built)
    assert write_parquet([result], tmp_path / "one.parquet") == 1
    assert pq.read_table(tmp_path / "one.parquet").column("id").to_pylist() == ["x"]
    assert write_parquet([], tmp_path / "none.parquet") == 0
    assert pq.read_table(tmp_path / "none.parquet").schema.names == list(EVENT_COLUMNS)


def test_a_failure_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    out.write_bytes(b"old")

    def broken() -> Any:
        yield from timeline.build_many(
            [{"id": "a", "text": "On Friday.", "published": "2025-01-22"}]
        )
        raise RuntimeError("feed broke")

    with pytest.raises(RuntimeError, match="feed broke"):
        write_parquet(broken(), out, batch=1)
    assert out.read_bytes() == b"old"  # the old file is kept whole
    assert [p.name for p in tmp_path.iterdir()] == ["events.parquet"]
    with pytest.raises(TypeError, match="expected \\(document, timeline\\) pairs"):
        write_parquet(["nonsense"], out)


def test_parquet_equals_serial_build_on_te3_silver(tmp_path: Path) -> None:
    docs = [{"id": i, "text": t, "published": p} for i, t, p in te3_sample()]
    out = tmp_path / "te3.parquet"
    write_parquet(timeline.build_many(docs), out)
    assert read_rows(out) == serial_rows()
