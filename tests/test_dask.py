"""timeline.dask on a distributed LocalCluster of two worker processes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

import timeline
from timeline.corpus import EVENT_COLUMNS, BuildError

from .test_corpus_api import frame_rows, serial_rows, te3_sample

dask = pytest.importorskip("dask")
db = pytest.importorskip("dask.bag")
dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

import timeline.dask as tdask  # noqa: E402


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two worker processes, one thread each, started once for this module."""
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=0,
        ) as cluster,
        distributed.Client(cluster) as c,
    ):
        yield c


def records() -> list[dict[str, Any]]:
    return [{"id": i, "text": t, "published": p} for i, t, p in te3_sample()]


def test_events_from_a_bag_equal_serial_build_on_te3_silver(client: Any) -> None:
    frame = tdask.events(db.from_sequence(records(), npartitions=8))
    assert list(frame.columns) == list(EVENT_COLUMNS)
    assert frame.npartitions == 8
    computed = frame.compute()
    assert list(computed.dtypes) == list(tdask.meta().dtypes)
    assert frame_rows(computed) == serial_rows()


def test_events_from_a_dataframe_with_other_column_names(client: Any) -> None:
    pandas_frame = pd.DataFrame(
        {
            "doc": [i for i, _, _ in te3_sample()],
            "body": [t for _, t, _ in te3_sample()],
            # dates as timestamps this time, not strings
            "day": pd.to_datetime([p[:10] for _, _, p in te3_sample()]),
        }
    )
    frame = dd.from_pandas(pandas_frame, npartitions=5)
    out = tdask.events(frame, text="body", published="day", id="doc").compute()
    by_date = [r[:-1] for r in frame_rows(out)]
    serial = [r[:-1] for r in serial_rows()]
    # the same rows, except where the corpus gives a time of day the date drops
    same = sum(a == b for a, b in zip(by_date, serial, strict=True))
    assert len(by_date) == len(serial) and same / len(serial) > 0.95


def test_merge_is_one_tree_reduced_timeline(client: Any) -> None:
    bag = db.from_sequence(records(), npartitions=10)
    merged = tdask.merge(bag, split_every=3)
    serial = timeline.Timeline.merge(timeline.build(t, p, document=i) for i, t, p in te3_sample())
    assert merged == serial
    assert len(merged) > 500


def test_errors_are_rows_in_events_and_raise_or_skip_in_merge(client: Any) -> None:
    items = [
        {"id": "ok", "text": "Talks were held on Friday.", "published": "2025-01-22"},
        {"id": "nodate", "text": "No date here.", "published": None},
        {"id": "bad", "text": 12, "published": "2025-01-22"},
    ]
    bag = db.from_sequence(items, npartitions=2)
    out = tdask.events(bag).compute()
    assert out["id"].tolist() == ["ok", "nodate", "bad"]
    assert out["error"].isna().tolist() == [True, False, False]
    assert out["error"].iloc[2] == "bad: 'text' must be a string, not int"
    # the first partition to fail raises (the two fail in parallel)
    with pytest.raises(BuildError, match="nodate: no publish date|bad: 'text' must be a string"):
        tdask.merge(bag)
    assert [e.trigger for e in tdask.merge(bag, errors="skip")] == ["held"]


def test_arguments_are_checked() -> None:
    with pytest.raises(TypeError, match="expected a Dask Bag or DataFrame, not list"):
        tdask.events([])
    frame = dd.from_pandas(pd.DataFrame({"text": ["x"]}), npartitions=1)
    with pytest.raises(ValueError, match="no column 'published'"):
        tdask.events(frame)
    bag = db.from_sequence([], npartitions=1)
    with pytest.raises(ValueError, match="errors must be"):
        tdask.merge(bag, errors="ignore")
    with pytest.raises(ValueError, match="split_every must be at least 2"):
        tdask.merge(bag, split_every=1)
