"""Finding an article's publish date in its opening lines (the dateline).

Two readers, tried in order: the project's own scanner, then dateparser for
the lines the scanner cannot read ("22/01/2025", "22-Jan-2025").  dateparser
is a regular dependency, so a dateline reads the same wherever the package is
installed; it is imported only when the scanner finds no full date, which
keeps it out of ``import timeline``.
"""

from __future__ import annotations

import datetime as _dt

from ..find import scan
from ..find.expressions import CalDate

__all__ = ["detect_published"]

_HEAD_LINES = 6
_HEAD_CHARS = 600


def detect_published(text: str) -> _dt.date | None:
    """The first full calendar date in the first lines of ``text``, if any.

    The project's own scanner reads "01/22/2025 04:56:48 am", "Jan 22, 2025"
    and "2025-01-22".  When it finds no full date, the lines are offered to
    dateparser with strict settings that demand a day, a month and a year.
    Raises :class:`ImportError` (naming the package to reinstall) only when
    that fallback is needed and dateparser is missing, a broken install.

    >>> detect_published("City Ledger, Jan. 22, 2025\\n\\nThe council met on Tuesday.")
    datetime.date(2025, 1, 22)
    """
    head_lines = text[:_HEAD_CHARS].splitlines()[:_HEAD_LINES]
    head = "\n".join(head_lines)
    for cand in scan(head):
        x = cand.expr
        if (
            isinstance(x, CalDate)
            and x.year is not None
            and x.month is not None
            and x.day is not None
        ):
            year = x.year if not x.short_year else (2000 + x.year if x.year < 70 else 1900 + x.year)
            try:
                return _dt.date(year, x.month, x.day)
            except ValueError:
                continue
    return _with_dateparser(head_lines)


def _with_dateparser(lines: list[str]) -> _dt.date | None:
    # Imported here, on the first dateline the scanner cannot read: it takes
    # longer to import than the rest of the package.
    try:
        import dateparser  # type: ignore[import-untyped]
    except ImportError as exc:
        raise ImportError(
            "reading this dateline needs dateparser, a dependency of news-timeline "
            "that is missing here: pip install 'dateparser>=1.2'"
        ) from exc
    settings = {
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "RETURN_AS_TIMEZONE_AWARE": False,
        # A fixed base: dateparser must never read the clock for us.
        "RELATIVE_BASE": _dt.datetime(2000, 1, 1),
        "PARSERS": ["absolute-time", "custom-formats"],
    }
    for line in lines:
        line = line.strip()
        if not line or len(line) > 80:
            continue
        for piece in [line, *(p.strip() for p in line.replace("|", "—").split("—"))]:
            if not piece:
                continue
            found = dateparser.parse(piece, languages=["en"], settings=settings)
            if isinstance(found, _dt.datetime):
                return found.date()
    return None
