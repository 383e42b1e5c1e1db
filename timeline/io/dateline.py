"""Finding an article's publish date in its opening lines (the dateline).

Two readers, tried in order: the project's own scanner, then dateparser for
the lines the scanner cannot read ("22/01/2025", "22-Jan-2025").  dateparser
is a regular dependency, so a dateline reads the same wherever the package is
installed; it is imported only when the scanner finds no full date, which
keeps it out of ``import timeline``.
"""

from __future__ import annotations

import datetime as _dt
import re

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
    Raises :class:`ImportError` (with the command that installs it) only when
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


_MONTHS_AND_DAYS = frozenset(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june "
    "july august september october november december mon tue tues wed thu thur thurs fri sat "
    "sun monday tuesday wednesday thursday friday saturday sunday".split()
)
_EDGE_PUNCTUATION = " ,;:|()[]—–-"


def _date_like(token: str) -> bool:
    word = token.strip(_EDGE_PUNCTUATION + ".").lower()
    return any(c.isdigit() for c in word) or word in _MONTHS_AND_DAYS


def _date_runs(line: str) -> list[str]:
    """The stretches of ``line`` made of date-like words ("22.01.2025",
    "Wednesday, 22 January 2025"), with "of" allowed inside one."""
    tokens = list(re.finditer(r"\S+", line))
    runs: list[str] = []
    i = 0
    while i < len(tokens):
        if not _date_like(tokens[i].group()):
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and (
            _date_like(tokens[j + 1].group())
            or (
                tokens[j + 1].group().lower() == "of"
                and j + 2 < len(tokens)
                and _date_like(tokens[j + 2].group())
            )
        ):
            j += 1
        runs.append(line[tokens[i].start() : tokens[j].end()].strip(_EDGE_PUNCTUATION))
        i = j + 1
    return runs


def _candidates(lines: list[str]) -> list[str]:
    """What dateparser is offered, in order: each short line whole, its pieces
    between "|" or "—", then its date-like stretches.  Only text with a digit
    can hold a day and a year."""
    out: list[str] = []
    for line in lines:
        line = line.strip()
        if not line or len(line) > 80:
            continue
        pieces = [p.strip() for p in line.replace("|", "—").split("—")]
        for piece in [line, *pieces, *_date_runs(line)]:
            if piece and piece not in out and any(c.isdigit() for c in piece):
                out.append(piece)
    return out


def _with_dateparser(lines: list[str]) -> _dt.date | None:
    candidates = _candidates(lines)
    if not candidates:
        return None
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
    for piece in candidates:
        found = dateparser.parse(piece, languages=["en"], settings=settings)
        if isinstance(found, _dt.datetime):
            return found.date()
    return None
