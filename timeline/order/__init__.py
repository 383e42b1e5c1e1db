"""Ordering: events in interval order, merged across articles.

- :mod:`.timeline`: :class:`Timeline`, its order, merge and queries;
- :mod:`.records`: a timeline as flat rows (:func:`to_records`, :func:`to_pandas`).
"""

from .records import RECORD_COLUMNS, to_pandas, to_records
from .timeline import Timeline

__all__ = ["RECORD_COLUMNS", "Timeline", "to_pandas", "to_records"]
