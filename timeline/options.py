"""Per-call settings and the publish date: the two things every call is given.

There is no global state and no clock: the publish date is always passed in,
and an :class:`Options` value travels with each call.
"""

from __future__ import annotations

import datetime as _dt
import re

import attrs

__all__ = ["DEFAULT", "Options", "Published", "parse_published"]

Published = _dt.date | _dt.datetime | str

_DOMAINS = ("auto", "news", "narrative")


@attrs.frozen
class Options:
    """Per-call settings.  There is no global state: pass one to each call.

    ``domain``
        ``"news"`` resolves year-less dates against the publish date,
        ``"narrative"`` against the last year the text wrote out, and
        ``"auto"`` (the default) decides per document: a text that dates
        itself mostly by years far from the publish date (history, biography)
        is read as narrative, anything else as news.  Anaphoric phrases ("the
        following day", "two days later") anchor on the previous date in
        every domain.
    """

    domain: str = attrs.field(default="auto")

    @domain.validator
    def _check_domain(self, _attribute: object, value: str) -> None:
        if value not in _DOMAINS:
            raise ValueError(f"domain must be one of {', '.join(_DOMAINS)}, not {value!r}")


DEFAULT = Options()
_ISO_LIKE = re.compile(r"\d{4}-?\d{2}-?\d{2}")


def parse_published(published: Published) -> _dt.datetime:
    """Normalise ``published`` to a naive datetime in its own local time.

    Accepts a :class:`datetime.date`, a :class:`datetime.datetime` (naive or
    aware: the wall-clock date of the article is kept) or an ISO 8601 string.
    Anything else raises :class:`ValueError` naming the value.

    ```python
    >>> parse_published("2025-01-22")
    datetime.datetime(2025, 1, 22, 0, 0)
    >>> parse_published("2025-01-22T04:56:48+05:30")
    datetime.datetime(2025, 1, 22, 4, 56, 48)

    ```
    """
    if isinstance(published, _dt.datetime):
        return published.replace(tzinfo=None)
    if isinstance(published, _dt.date):
        return _dt.datetime(published.year, published.month, published.day)
    if isinstance(published, str):
        text = published.strip()
        if not _ISO_LIKE.match(text):
            raise ValueError(f"published: {published!r} is not an ISO 8601 date (YYYY-MM-DD)")
        try:
            value = _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValueError(f"published: {published!r} is not a valid date: {exc}") from None
        return value.replace(tzinfo=None)
    raise ValueError(
        f"published: {published!r} has type {type(published).__name__}; "
        "expected a date, a datetime or an ISO 8601 string"
    )
