"""The value model: frozen, typed values shared by every stage of the pipeline.

Everything the library returns is an immutable :mod:`attrs` value.  The same
shape is used in tests, in the CLI and in the JSON output (see
:func:`timeline.serialize.mention_to_dict`).
"""

from __future__ import annotations

import datetime as _dt
import enum

import attrs

__all__ = [
    "CONVERSE",
    "RELATIONS",
    "EVENT_KINDS",
    "Direction",
    "Event",
    "Grain",
    "Interval",
    "Mention",
    "Provenance",
    "Source",
    "TimeValue",
]


class Grain(enum.Enum):
    """The granularity of a resolved value: the unit the text actually named."""

    SECOND = "second"
    MINUTE = "minute"
    HOUR = "hour"
    PART_OF_DAY = "part-of-day"
    DAY = "day"
    WEEKEND = "weekend"
    WEEK = "week"
    MONTH = "month"
    SEASON = "season"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    DECADE = "decade"
    CENTURY = "century"

    def __str__(self) -> str:
        return self.value


class Direction(enum.Enum):
    """Which way from the anchor a relative expression was resolved."""

    PAST = "past"
    FUTURE = "future"
    SAME = "same"  # the anchor's own unit: "today", "this week"
    NONE = "none"  # absolute values, durations, sets

    def __str__(self) -> str:
        return self.value


@attrs.frozen(order=False)
class Interval:
    """A half-open interval ``[start, end)`` of naive datetimes, with its grain."""

    start: _dt.datetime
    end: _dt.datetime
    grain: Grain

    def __attrs_post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"empty interval: {self.start.isoformat()} >= {self.end.isoformat()}")

    def contains(self, other: Interval) -> bool:
        """True when ``other`` lies wholly inside this interval."""
        return self.start <= other.start and other.end <= self.end

    def before(self, other: Interval) -> bool:
        """True when this interval ends at or before ``other`` starts."""
        return self.end <= other.start

    def overlaps(self, other: Interval) -> bool:
        """True when the two intervals share at least one instant."""
        return self.start < other.end and other.start < self.end

    def relation(self, other: Interval) -> str:
        """The coarse relation of this interval to ``other``.

        One of ``"before"``, ``"after"``, ``"equal"``, ``"includes"``,
        ``"during"`` or ``"overlaps"``; grain is respected because each
        interval covers its whole unit: 2025-W03 includes 2025-01-17.
        """
        if self.start == other.start and self.end == other.end:
            return "equal"
        if self.before(other):
            return "before"
        if other.before(self):
            return "after"
        if self.contains(other):
            return "includes"
        if other.contains(self):
            return "during"
        return "overlaps"


@attrs.frozen
class TimeValue:
    """A resolved TIMEX3 value.

    ``type`` is the TIMEX3 type (DATE, TIME, DURATION or SET) and ``value`` the
    canonical TIMEX3 value string (``2025-01-17``, ``2025-W03``, ``P2W`` ...).
    ``interval`` is set for anchored DATE and TIME values and ``None`` for
    durations, sets and the ``*_REF`` references.
    """

    type: str
    value: str
    grain: Grain | None = None
    interval: Interval | None = None
    mod: str | None = None
    quant: str | None = None
    freq: str | None = None

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Provenance:
    """Why a mention resolved the way it did.

    ``rule`` names the rule in ``timeline/data/en.toml`` that fired; ``anchor``
    says what the value was computed from (``"published"``, ``"previous"``
    for the last date mentioned, or ``"none"`` for absolute values);
    ``anchor_value`` is that anchor's TIMEX3 value; ``direction`` is the way
    from the anchor; and ``reason`` says where the direction came from
    (``"explicit"``, ``"tense:past"``, ``"tense:future"``, ``"default"`` ...).
    """

    rule: str
    anchor: str = "none"
    anchor_value: str | None = None
    direction: Direction = Direction.NONE
    reason: str = "absolute"


@attrs.frozen
class Mention:
    """One temporal expression found in a text.

    ``text[start:end] == mention.text`` always holds for the text it was
    extracted from.
    """

    start: int
    end: int
    text: str
    when: TimeValue
    why: Provenance

    @property
    def type(self) -> str:
        """The TIMEX3 type: DATE, TIME, DURATION or SET."""
        return self.when.type

    @property
    def value(self) -> str:
        """The canonical TIMEX3 value string."""
        return self.when.value

    @property
    def mod(self) -> str | None:
        """The TIMEX3 ``mod`` (START, MID, END, APPROX, ...), if any."""
        return self.when.mod

    @property
    def grain(self) -> Grain | None:
        """The grain of the resolved value."""
        return self.when.grain

    @property
    def interval(self) -> Interval | None:
        """The half-open interval the value covers, for anchored values."""
        return self.when.interval


@attrs.frozen(order=True)
class Source:
    """Where an event was reported: document, publish date and offsets.

    ``start`` and ``end`` are the offsets of the date expression, or of the
    trigger for an undated event.
    """

    document: str | None
    published: _dt.date | None
    start: int
    end: int


EVENT_KINDS = ("date", "present", "duration", "frequency", "report")

RELATIONS = ("before", "after", "equal", "includes", "during", "overlaps")
CONVERSE = {
    "before": "after",
    "after": "before",
    "equal": "equal",
    "includes": "during",
    "during": "includes",
    "overlaps": "overlaps",
    "unknown": "unknown",
}


@attrs.frozen
class Event:
    """Something that happened, dated by a mention.

    ``trigger`` is the word for what happened (a verb such as "voiced" or an
    event noun such as "talks"); ``text`` is the sentence that holds both;
    ``position`` is the index of the event in its document's text order.

    ``tense`` (past, present, future, none) and ``aspect`` (NONE, PERFECTIVE,
    PROGRESSIVE) describe the verb group; ``factuality`` says whether the
    event is ``asserted`` ("met"), ``negated`` ("did not meet"),
    ``hypothetical`` ("would meet", "may meet") or ``future`` ("will meet",
    "plans to meet").  ``dated`` is False for an event that no expression
    dates, placed on its article's publish date (``mention`` is then None).
    ``sources`` lists every report of the event after merging timelines.

    ``kind`` says what dated it: ``"date"`` (a DATE or TIME expression),
    ``"present"`` ("now", "currently": the publish date), ``"duration"`` (a
    duration: with ``dated`` True an interval ending at publication, "have
    talked for three years"; with ``dated`` False one that nothing anchors,
    placed on the publish date), ``"frequency"`` ("daily", with no date of
    its own: placed on the publish date, ``dated`` False) or ``"report"`` (an
    undated reported event).  ``duration`` and ``frequency`` hold the TIMEX3
    value of a duration or a set that the event carries as an attribute
    (``P3Y``, ``P1D``); a duration or set that qualifies an event with a date
    of its own becomes such an attribute of that event rather than an event.
    """

    when: TimeValue
    mention: Mention | None
    trigger: str | None
    trigger_start: int | None
    text: str
    text_start: int
    position: int
    tense: str = "none"
    document: str | None = None
    aspect: str = "NONE"
    factuality: str = "asserted"
    published: _dt.date | None = None
    dated: bool = True
    sources: tuple[Source, ...] = ()
    kind: str = "date"
    duration: str | None = None
    frequency: str | None = None
