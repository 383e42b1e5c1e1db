"""A timeline as flat rows for data analysis: :func:`to_records` and :func:`to_pandas`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import Event

__all__ = ["RECORD_COLUMNS", "to_pandas", "to_records"]


#: The keys of each :func:`to_records` row, in column order.
RECORD_COLUMNS = (
    "document",
    "value",
    "type",
    "grain",
    "mod",
    "start",
    "end",
    "phrase",
    "phrase_start",
    "phrase_end",
    "trigger",
    "tense",
    "sentence",
    "position",
    "factuality",
    "aspect",
    "dated",
    "published",
    "reports",
    "rule",
    "anchor",
    "direction",
    "reason",
)


def to_records(timeline: Iterable[Event]) -> list[dict[str, Any]]:
    """One flat dict per event, in timeline order, with the keys of :data:`RECORD_COLUMNS`.

    ``start`` and ``end`` are the interval's :class:`~datetime.datetime`
    bounds (half-open); ``phrase_start``/``phrase_end`` are the phrase's
    offsets in the text.  An undated event (``dated`` False, placed on its
    article's ``published`` date) has ``None`` for the phrase and the
    provenance columns; ``reports`` counts the articles that reported the
    event after :meth:`~timeline.Timeline.merge`.

    >>> import timeline
    >>> rec = to_records(timeline.build("Talks were held on Friday.", "2025-01-22"))[0]
    >>> rec["value"], rec["grain"], rec["phrase"], rec["trigger"], rec["start"].isoformat()
    ('2025-01-17', 'day', 'Friday', 'held', '2025-01-17T00:00:00')
    """
    records: list[dict[str, Any]] = []
    for e in timeline:
        m = e.mention
        interval = e.when.interval
        grain = e.when.grain or (interval.grain if interval else None)
        records.append(
            {
                "document": e.document,
                "value": e.when.value,
                "type": e.when.type,
                "grain": grain.value if grain else None,
                "mod": e.when.mod,
                "start": interval.start if interval else None,
                "end": interval.end if interval else None,
                "phrase": m.text if m else None,
                "phrase_start": m.start if m else None,
                "phrase_end": m.end if m else None,
                "trigger": e.trigger,
                "tense": e.tense,
                "sentence": e.text,
                "position": e.position,
                "factuality": e.factuality,
                "aspect": e.aspect,
                "dated": e.dated,
                "published": e.published,
                "reports": max(len(e.sources), 1),
                "rule": m.why.rule if m else None,
                "anchor": m.why.anchor if m else None,
                "direction": m.why.direction.value if m else None,
                "reason": m.why.reason if m else None,
            }
        )
    return records


def to_pandas(timeline: Iterable[Event]) -> Any:
    """The timeline as a :class:`pandas.DataFrame`, one row per event.

    The columns are :data:`RECORD_COLUMNS`; ``start`` and ``end`` are
    datetimes.  Needs pandas (``pip install 'news-timeline[pandas]'``).
    """
    try:
        import pandas  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        raise ImportError("to_pandas needs pandas: pip install 'news-timeline[pandas]'") from None
    return pandas.DataFrame.from_records(to_records(timeline), columns=list(RECORD_COLUMNS))
