"""The corpus API: timeline.read, timeline.build_many and timeline.to_pandas."""

from __future__ import annotations

import datetime as dt
import functools
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline.corpus import (
    EVENT_COLUMNS,
    BuildError,
    Document,
    document_of,
    event_rows,
    publish_date,
)
from timeline.io.inputs import InputError
from timeline.order import RECORD_COLUMNS, to_records

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "te3-silver"

DATELINED = "WASHINGTON, March 3, 2021\n\nThe senators met on Friday and will vote next week.\n"


# --------------------------------------------------------------------------
# The te3-silver sample every integration is checked against
# --------------------------------------------------------------------------


@functools.cache
def te3_sample(n: int = 200) -> tuple[tuple[str, str, str], ...]:
    """The first ``n`` te3-silver documents with a usable creation time, as
    ``(id, text, published)``; skips the test when the corpora are absent."""
    from timeline.io.timeml import dct_argument, find_documents, read_document

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpora/te3-silver is not present")
    out: list[tuple[str, str, str]] = []
    for path in find_documents(CORPUS):
        doc = read_document(path)
        published = dct_argument(doc.dct)
        if published is not None:
            out.append((doc.name, doc.text, published))
        if len(out) == n:
            break
    return tuple(out)


@functools.cache
def serial_rows(n: int = 200) -> tuple[tuple[Any, ...], ...]:
    """Every event of the sample built one by one with ``timeline.build``, as
    comparable tuples in :data:`EVENT_COLUMNS` order (document by document)."""
    rows: list[tuple[Any, ...]] = []
    for ident, text, published in te3_sample(n):
        built = timeline.build(text, published, document=ident)
        rows.extend(row_key(r) for r in event_rows(ident, built))
    return tuple(rows)


def row_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """A row as a tuple of plain Python values (pandas and Arrow nulls as None)."""
    out: list[Any] = []
    for column in EVENT_COLUMNS:
        value = row.get(column)
        if value is not None and value != value:  # NaN
            value = None
        if type(value).__name__ in ("NaTType", "NAType"):
            value = None
        if hasattr(value, "to_pydatetime"):
            value = value.to_pydatetime()
        if hasattr(value, "item") and not isinstance(value, dt.date | str):
            value = value.item()  # numpy scalars
        out.append(value)
    return tuple(out)


def frame_rows(frame: Any) -> tuple[tuple[Any, ...], ...]:
    """A pandas frame's rows as :func:`row_key` tuples."""
    assert list(frame.columns) == list(EVENT_COLUMNS)
    return tuple(row_key(r) for r in frame.to_dict("records"))


# --------------------------------------------------------------------------
# read
# --------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "b.txt").write_text(DATELINED, encoding="utf-8")
    (tmp_path / "a.txt").write_text("Nothing dated in the head.\nThey met on Friday.\n")
    feed = [
        {"id": "j1", "text": "Talks were held on Friday.", "published": "2025-01-22"},
        {"id": "j2", "text": "PARIS, Jan. 5, 2024 - Talks ended.", "published": None},
        {"id": "j3", "text": 7, "published": None},
    ]
    (tmp_path / "feed.jsonl").write_text(
        "\n".join(json.dumps(r) for r in feed) + "\n", encoding="utf-8"
    )
    return tmp_path


def test_read_a_folder_with_the_cli_date_rules(tree: Path) -> None:
    items = list(timeline.read(str(tree)))
    got = [
        (Path(i.id).name if "/" in i.id else i.id, i.published, i.source)
        if isinstance(i, Document)
        else str(i).split(": ", 1)[1]
        for i in items
    ]
    assert got == [
        ("a.txt", None, None),  # no dateline: build_many reports it
        ("b.txt", dt.date(2021, 3, 3), "dateline"),
        ("j1", dt.date(2025, 1, 22), "jsonl"),
        ("j2", dt.date(2024, 1, 5), "dateline"),
        "'text' must be a string",  # a bad record is yielded, not raised
    ]


def test_read_the_option_wins_and_a_missing_file_is_an_error(tree: Path) -> None:
    missing = str(tree / "nope.txt")
    items = list(timeline.read([str(tree / "b.txt"), missing], published="2020-02-02"))
    assert isinstance(items[0], Document)
    assert (items[0].published, items[0].source) == (dt.date(2020, 2, 2), "option")
    assert isinstance(items[1], InputError) and str(items[1]).startswith(missing)
    with pytest.raises(ValueError, match="not an ISO 8601 date"):
        list(timeline.read(str(tree), published="last Tuesday"))
    with pytest.raises(TypeError, match="paths must be strings"):
        list(timeline.read([tree]))  # type: ignore[list-item]


def test_read_a_stream_as_stdin() -> None:
    feed = io.BytesIO(b'{"id": 1, "text": "It rained on Monday.", "published": "2025-03-05"}\n')
    (doc,) = timeline.read(feed)
    assert isinstance(doc, Document)
    assert (doc.id, doc.published, doc.source) == ("1", dt.date(2025, 3, 5), "jsonl")
    (plain,) = timeline.read(io.BytesIO(DATELINED.encode() + b"\xff"))
    assert isinstance(plain, Document)
    assert plain.id == "-" and plain.published == dt.date(2021, 3, 3)
    assert plain.warning and "not valid UTF-8" in plain.warning


def test_read_html_uses_the_page_metadata(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    pytest.importorskip("htmldate")
    page = (
        '<!DOCTYPE html><html><head><meta property="article:published_time" '
        'content="2024-06-07"></head><body><article><p>The council met on Tuesday '
        "and approved the budget after a long debate that ran late.</p>"
        "<p>The mayor said the vote would be repeated next month.</p></article></body></html>"
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    (doc,) = timeline.read(str(tmp_path / "page.html"))
    assert isinstance(doc, Document)
    assert (doc.published, doc.source) == (dt.date(2024, 6, 7), "html-metadata")
    ((_, built),) = timeline.build_many([doc])
    assert isinstance(built, timeline.Timeline)
    assert [e.when.value for e in built] == ["2024-06-04", "2024-07"]


def test_publish_date_order_of_rules() -> None:
    own = dt.date(2019, 9, 9)
    assert publish_date(DATELINED, own, "jsonl") == (own, "jsonl")
    assert publish_date(DATELINED, own) == (own, "source")
    assert publish_date(DATELINED) == (dt.date(2021, 3, 3), "dateline")
    assert publish_date("No date.") is None


# --------------------------------------------------------------------------
# build_many
# --------------------------------------------------------------------------


def mixed() -> list[Any]:
    return [
        {"id": "ok", "text": "Talks were held on Friday.", "published": dt.date(2025, 1, 22)},
        {"text": "No date at all.", "published": None},
        {"id": "bad-date", "text": "On Friday.", "published": "soon"},
        InputError("x.txt: cannot read: No such file or directory"),
        "not a document",
        Document("dl", DATELINED, None, None),  # a Document is taken as it is
        {"id": "nan", "text": DATELINED, "published": float("nan")},  # NaN: read the dateline
    ]


def describe(results: list[Any]) -> list[Any]:
    return [str(r) if isinstance(r, Exception) else [e.when.value for e in r] for _, r in results]


EXPECTED = [
    ["2025-01-17"],
    "#1: no publish date: none given and no dateline in the opening lines",
    "bad-date: published: 'soon' is not an ISO 8601 date (YYYY-MM-DD)",
    "x.txt: cannot read: No such file or directory",
    "#4: expected a Document or a mapping with 'text', not str",
    "dl: no publish date: none given and no dateline in the opening lines",
    ["2021-02-26", "2021-03-03", "2021-W10"],
]


def test_build_many_yields_errors_in_place() -> None:
    results = list(timeline.build_many(mixed()))
    assert describe(results) == EXPECTED
    assert all(
        isinstance(r, BuildError | InputError) for _, r in results if isinstance(r, Exception)
    )
    assert results[3][0] is results[3][1]  # an input error passes through as (error, error)
    assert results[4][0] == "not a document"  # the original item, with its error


def test_build_many_with_a_pool_keeps_input_order() -> None:
    docs = mixed() * 5
    serial = describe(list(timeline.build_many(docs)))
    renamed = [
        e.replace("#1", "#8").replace("#4", "#11") if isinstance(e, str) else e for e in EXPECTED
    ]
    assert serial[7:14] == renamed
    assert describe(list(timeline.build_many(docs, jobs=2, chunksize=2))) == serial
    assert describe(list(timeline.build_many(iter(docs), jobs=2, chunksize=1))) == serial


def test_build_many_reads_its_input_lazily() -> None:
    taken: list[int] = []

    def feed() -> Any:
        for i in range(1000):
            taken.append(i)
            yield {"id": str(i), "text": "It rained on Monday.", "published": "2025-03-05"}

    results = timeline.build_many(feed(), jobs=2, chunksize=4)
    first = next(results)
    assert first[0].id == "0"
    assert len(taken) < 100  # a bounded number of chunks in flight, not the whole feed
    results.close()  # stopping early shuts the pool down without reading on
    assert len(taken) < 100


def test_build_many_arguments_are_checked() -> None:
    # raised at the call, before any document is read
    with pytest.raises(ValueError, match="jobs must be at least 1"):
        timeline.build_many([], jobs=0)
    with pytest.raises(ValueError, match="chunksize must be at least 1"):
        timeline.build_many([], chunksize=0)


def test_document_of_names_and_dates() -> None:
    pd = pytest.importorskip("pandas")
    for missing in (None, float("nan"), pd.NaT, pd.NA):
        assert document_of({"text": DATELINED, "published": missing}).published == dt.date(
            2021, 3, 3
        )
    doc = document_of({"id": 12, "text": "x", "published": "2025-01-22T23:30:00+05:00"})
    assert doc == Document("12", "x", dt.date(2025, 1, 22), "given")
    assert str(document_of({"id": "t"})) == "t: 'text' is missing"


# --------------------------------------------------------------------------
# to_pandas
# --------------------------------------------------------------------------


def test_to_pandas_one_frame_with_ids_and_error_rows() -> None:
    pytest.importorskip("pandas")
    results = list(timeline.build_many(mixed()))
    frame = timeline.to_pandas(results)
    assert list(frame.columns) == ["id", *RECORD_COLUMNS, "error"]
    ok = frame[frame["error"].isna()]
    assert list(ok["id"]) == ["ok", "nan", "nan", "nan"]
    first = to_records(results[0][1])[0]
    assert ok.iloc[0]["value"] == first["value"] == "2025-01-17"
    errors = frame[frame["error"].notna()]
    assert len(errors) == 5
    assert errors["value"].isna().all()
    # an unreadable input has no id; a document that failed keeps its own
    assert list(errors["id"].fillna("?")) == ["#1", "bad-date", "?", "?", "dl"]


def test_to_pandas_rejects_other_values() -> None:
    pytest.importorskip("pandas")
    with pytest.raises(TypeError, match="expected \\(document, timeline\\) pairs"):
        timeline.to_pandas([timeline.build("On Friday.", "2025-01-22")])


# --------------------------------------------------------------------------
# Equivalence with serial build() on te3-silver, and the import time
# --------------------------------------------------------------------------


def test_build_many_pool_equals_serial_build_on_te3_silver() -> None:
    sample = te3_sample()
    docs = [{"id": i, "text": t, "published": p} for i, t, p in sample]
    pytest.importorskip("pandas")
    frame = timeline.to_pandas(timeline.build_many(docs, jobs=2))
    assert frame["error"].isna().all()
    assert frame_rows(frame) == serial_rows()
    assert len(serial_rows()) > 500


def test_import_timeline_does_not_load_the_corpus_api() -> None:
    code = (
        "import sys, timeline; assert 'timeline.corpus' not in sys.modules;"
        "timeline.build_many; assert 'timeline.corpus' in sys.modules;"
        "assert 'read' in dir(timeline)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        timeline.nothing  # type: ignore[attr-defined]  # noqa: B018
