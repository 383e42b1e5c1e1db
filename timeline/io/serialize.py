"""Plain-data forms of the model, for JSON output and back.

``from_dict(to_dict(x)) == x`` holds for every value (a hypothesis property
in the tests checks it).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..model import Direction, Event, Grain, Interval, Mention, Provenance, Source, TimeValue
from ..order.timeline import Timeline

__all__ = [
    "event_from_dict",
    "event_to_dict",
    "mention_from_dict",
    "mention_to_dict",
    "timeline_from_dict",
    "timeline_to_dict",
    "value_from_dict",
    "value_to_dict",
]


def interval_to_dict(interval: Interval | None) -> dict[str, Any] | None:
    if interval is None:
        return None
    return {
        "start": interval.start.isoformat(),
        "end": interval.end.isoformat(),
        "grain": interval.grain.value,
    }


def interval_from_dict(data: dict[str, Any] | None) -> Interval | None:
    if data is None:
        return None
    return Interval(
        _dt.datetime.fromisoformat(data["start"]),
        _dt.datetime.fromisoformat(data["end"]),
        Grain(data["grain"]),
    )


def value_to_dict(value: TimeValue) -> dict[str, Any]:
    return {
        "type": value.type,
        "value": value.value,
        "grain": value.grain.value if value.grain else None,
        "interval": interval_to_dict(value.interval),
        "mod": value.mod,
        "quant": value.quant,
        "freq": value.freq,
    }


def value_from_dict(data: dict[str, Any]) -> TimeValue:
    return TimeValue(
        data["type"],
        data["value"],
        Grain(data["grain"]) if data.get("grain") else None,
        interval_from_dict(data.get("interval")),
        data.get("mod"),
        data.get("quant"),
        data.get("freq"),
    )


def provenance_to_dict(why: Provenance) -> dict[str, Any]:
    return {
        "rule": why.rule,
        "anchor": why.anchor,
        "anchor_value": why.anchor_value,
        "direction": why.direction.value,
        "reason": why.reason,
    }


def provenance_from_dict(data: dict[str, Any]) -> Provenance:
    return Provenance(
        data["rule"],
        data["anchor"],
        data.get("anchor_value"),
        Direction(data["direction"]),
        data["reason"],
    )


def mention_to_dict(mention: Mention) -> dict[str, Any]:
    return {
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "type": mention.type,
        "value": mention.value,
        "when": value_to_dict(mention.when),
        "why": provenance_to_dict(mention.why),
    }


def mention_from_dict(data: dict[str, Any]) -> Mention:
    return Mention(
        data["start"],
        data["end"],
        data["text"],
        value_from_dict(data["when"]),
        provenance_from_dict(data["why"]),
    )


def source_to_dict(source: Source) -> dict[str, Any]:
    return {
        "document": source.document,
        "published": source.published.isoformat() if source.published else None,
        "start": source.start,
        "end": source.end,
    }


def source_from_dict(data: dict[str, Any]) -> Source:
    published = data.get("published")
    return Source(
        data.get("document"),
        _dt.date.fromisoformat(published) if published else None,
        data["start"],
        data["end"],
    )


def event_to_dict(event: Event) -> dict[str, Any]:
    return {
        "when": value_to_dict(event.when),
        "mention": mention_to_dict(event.mention) if event.mention else None,
        "trigger": event.trigger,
        "trigger_start": event.trigger_start,
        "text": event.text,
        "text_start": event.text_start,
        "position": event.position,
        "tense": event.tense,
        "aspect": event.aspect,
        "factuality": event.factuality,
        "dated": event.dated,
        "document": event.document,
        "published": event.published.isoformat() if event.published else None,
        "sources": [source_to_dict(s) for s in event.sources],
        "kind": event.kind,
        "duration": event.duration,
        "frequency": event.frequency,
    }


def event_from_dict(data: dict[str, Any]) -> Event:
    published = data.get("published")
    return Event(
        value_from_dict(data["when"]),
        mention_from_dict(data["mention"]) if data.get("mention") else None,
        data.get("trigger"),
        data.get("trigger_start"),
        data["text"],
        data["text_start"],
        data["position"],
        data.get("tense", "none"),
        data.get("document"),
        data.get("aspect", "NONE"),
        data.get("factuality", "asserted"),
        _dt.date.fromisoformat(published) if published else None,
        data.get("dated", True),
        tuple(source_from_dict(s) for s in data.get("sources", ())),
        data.get("kind", "date"),
        data.get("duration"),
        data.get("frequency"),
    )


def timeline_to_dict(timeline: Timeline) -> dict[str, Any]:
    """A whole timeline: its (grouped) events, every report and the mentions."""
    return {
        "events": [event_to_dict(e) for e in timeline.events],
        "reports": [event_to_dict(e) for e in timeline.reports],
        "mentions": [mention_to_dict(m) for m in timeline.mentions],
    }


def timeline_from_dict(data: dict[str, Any]) -> Timeline:
    return Timeline(
        tuple(event_from_dict(e) for e in data["events"]),
        tuple(mention_from_dict(m) for m in data.get("mentions", ())),
        tuple(event_from_dict(e) for e in data.get("reports", ())),
    )
