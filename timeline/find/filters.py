"""Filters that look past a match: whether a candidate is a temporal expression
where it stands, and the rules of one domain added to the main ones.

- A time word inside a short quoted title is part of a name (ABC's "This
  Week", the film "High Noon"): :func:`drop_quoted_titles`.
- Rules written for one domain only ("former", bare seasons in narrative)
  run on the texts of that domain: :func:`with_domain_rules`.
- A text that writes one numeric date day first ("25/03/2011") writes them
  all that way: :func:`numeric_order`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

import attrs

from .compiler import grammar
from .expressions import CalDate, Candidate
from .scanner import scan

__all__ = ["drop_quoted_titles", "numeric_order", "with_domain_rules"]

# Rules that read a numeric date day first, and the one that reads it month first.
_DAY_FIRST_RULES = frozenset(("day-first-numeric-date", "dotted-date"))
_MONTH_FIRST_RULE = "us-numeric-date"


def drop_quoted_titles(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """The candidates that are not inside a short quoted title (holidays are
    kept: "New Year's Day" in quotes is still the holiday)."""
    if not any(mark in text for mark in _OPENING_QUOTES):
        return candidates
    return [c for c in candidates if c.rule == "holiday" or not _quoted_title(text, c.start, c.end)]


def numeric_order(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates with each slashed numeric date read day first when the
    text writes another numeric date in that order ("25/03/2011" or
    "25.03.2011" settles "05/03/2011" as 5 March); otherwise unchanged."""
    if not any(c.rule in _DAY_FIRST_RULES for c in candidates):
        return candidates
    out: list[Candidate] = []
    for c in candidates:
        x = c.expr
        if (
            c.rule == _MONTH_FIRST_RULE
            and isinstance(x, CalDate)
            and x.month is not None
            and x.day is not None
            and x.day <= 12
        ):
            c = attrs.evolve(c, expr=attrs.evolve(x, month=x.day, day=x.month))
        out.append(c)
    return out


def with_domain_rules(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Add the matches of the domain-only rules (the narrative ones) to ``candidates``."""
    return _merge(candidates, scan(text, grammar().domain_only))


def _merge(main: list[Candidate], extra: Iterable[Candidate]) -> list[Candidate]:
    """Add the domain-only candidates: each replaces the main candidates that it
    wholly covers ("the night of April 18, 1775" over "April 18, 1775"), and
    is dropped when it only partly overlaps one.  Both lists are sorted and
    free of overlaps, so a binary search finds the overlapping run."""
    starts = [m.start for m in main]
    ends = [m.end for m in main]
    dropped: set[int] = set()
    added: list[Candidate] = []
    for c in extra:
        lo = bisect.bisect_right(ends, c.start)
        hi = bisect.bisect_left(starts, c.end)
        run = range(lo, hi)
        if all(c.start <= starts[k] and ends[k] <= c.end for k in run):
            dropped.update(run)
            added.append(c)
    kept = [m for k, m in enumerate(main) if k not in dropped]
    return sorted(kept + added, key=lambda c: c.start)


# A title in quotes: ABC's "This Week," CBS's "60 Minutes," the film "High
# Noon."  Its words are capitalised up to the closing quote, and at least one
# of them after the first is a word that is lower case in running text.
_TITLE_TOKEN = re.compile(r"[A-Z0-9][A-Za-z0-9'’&.-]{0,20}")
_TITLE_LOWER = frozenset(
    """a an and at for in of on or the to with this that next last week weeks day days
    night nights morning afternoon evening noon midnight today tonight tomorrow yesterday
    hour hours minute minutes second seconds month months year years now time times""".split()
)
_OPENING_QUOTES = ('"', "“", "``", "''")
_CLOSING_QUOTES = ('"', "”", "''")
_NOT_TITLE_START = frozenset(
    "in on at by for from until till since during before after within over next last".split()
)
_TITLE_VERBS = frozenset(
    """will would shall should can could may might must is are was were be been has have
    had do does did""".split()
)


def _quoted_title(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` lies inside a short quoted title."""
    first = text[start : start + 1]
    if not (first.isupper() or first.isdigit()):
        return False  # a title's words are capitalised
    rest = text[start + 1 : end]
    if start and (rest.islower() or rest.isdigit()):
        # no capital after the first ("Friday", "March 3", "1998"): a title
        # only right after an opening quote or another capitalised word
        # ("High Noon")
        before = text[start - 1]
        if before == " ":
            k = text.rfind(" ", max(0, start - 30), start - 1)
            if not text[k + 1 : start].lstrip("\"“`'")[:1].isupper():
                return False
        elif before not in "\"“`'":
            return False
    lo = max(0, start - 60)
    q = -1  # the last character of the nearest opening quote before the phrase
    for mark in _OPENING_QUOTES:
        at = text.rfind(mark, lo, start)
        if at >= 0:
            q = max(q, at + len(mark) - 1)
    if q < 0:
        return False
    tail = text[end : end + 60]
    closing = [i for i in (tail.find(mark) for mark in _CLOSING_QUOTES) if i >= 0]
    if not closing:
        return False
    inside = (text[q + 1 : end] + tail[: min(closing)]).rstrip(",.!?")
    tokens = inside.split(" ")
    if not 2 <= len(tokens) <= 6 or any(_TITLE_TOKEN.fullmatch(t) is None for t in tokens):
        return False
    lows = [t.lower() for t in tokens]
    # a headline or a phrase in title case, not a name: "Rates Will Fall
    # Next Year", "In The Coming Weeks"
    if lows[0] in _NOT_TITLE_START or any(t in _TITLE_VERBS for t in lows):
        return False
    return any(t in _TITLE_LOWER for t in lows[1:])
