"""Output formats: one function turns a list of per-article results into text.

:func:`render` writes the results of one run in any of :data:`FORMATS`:

``text``
    an aligned table per article (the terminal view);
``json`` / ``jsonl``
    every API field, one document per article, or one line per event;
    both are versioned and described by the JSON Schemas in ``docs/schema/``;
``csv``
    one row per event (RFC 4180);
``timeml``
    one TimeML document per article, the text with inline ``<TIMEX3>`` tags;
``timelinejs``
    the JSON that TimelineJS3 reads;
``ics``
    an iCalendar file, one VEVENT per dated event;
``html``
    a self-contained page drawing the events on a time axis.

Every format is deterministic: the same results give the same bytes, whatever
the hash seed, the clock or the machine.  Nothing here reads the clock; the
only dates written are those of the articles and their events.

:func:`to_records` and :func:`to_pandas` give a :class:`~timeline.Timeline`
as flat rows for data analysis.
"""

from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import html
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from .events import Timeline
from .model import Event, Grain, Interval, Mention
from .serialize import event_to_dict, mention_to_dict

__all__ = [
    "FORMATS",
    "JSONL_SCHEMA",
    "JSON_SCHEMA",
    "RECORD_COLUMNS",
    "ArticleResult",
    "render",
    "to_pandas",
    "to_records",
]

#: The names :func:`render` accepts, in the order the CLI lists them.
FORMATS = ("text", "json", "jsonl", "csv", "timeml", "timelinejs", "ics", "html")

#: The ``schema`` tag of the ``json`` output (``docs/schema/timeline-v1.json``).
JSON_SCHEMA = "timeline/v1"
#: The ``schema`` tag of each ``jsonl`` line (``docs/schema/timeline-event-v1.jsonl.json``).
JSONL_SCHEMA = "timeline-event/v1"

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

CSV_COLUMNS = (
    "document",
    "published",
    "value",
    "grain",
    "start",
    "end",
    "phrase",
    "type",
    "trigger",
    "tense",
    "sentence",
)


@attrs.frozen
class ArticleResult:
    """One article and its timeline, as the formats receive it.

    ``id`` names the document (a file path, a JSON Lines id, ``<example>``);
    ``published_from`` says where the publish date came from (``"option"``,
    ``"dateline"``, ``"html-metadata"`` or ``"jsonl"``); ``timeline`` is
    ``timeline.build(text, published, document=id)``.
    """

    id: str
    published: _dt.date
    published_from: str
    text: str
    timeline: Timeline


def render(results: Sequence[ArticleResult], fmt: str, *, color: bool = False) -> str:
    """Render ``results`` in the format ``fmt`` (one of :data:`FORMATS`).

    ``color`` adds ANSI colours to the ``text`` format and is ignored by the
    others.  Raises :class:`ValueError` for an unknown format and
    :class:`ImportError` (with an install hint) when ``ics`` is asked for
    without the ``icalendar`` package.

    >>> import datetime as dt, timeline
    >>> text = "Talks were held on Friday."
    >>> day = dt.date(2025, 1, 22)
    >>> r = ArticleResult("a.txt", day, "option", text, timeline.build(text, day, document="a.txt"))
    >>> print(render([r], "text"), end="")
    a.txt  (published 2025-01-22, from option)
      DATE        GRAIN  PHRASE  EVENT
      2025-01-17  day    Friday  held: Talks were held on Friday.
    >>> render([r], "csv").splitlines()[1]
    'a.txt,2025-01-22,2025-01-17,day,2025-01-17T00:00:00,2025-01-18T00:00:00,Friday,DATE,held,past,Talks were held on Friday.'
    """
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "text":
        return _render_text(results, color=color)
    return renderer(results)


# --------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------


def _events(timeline: Timeline) -> list[Event]:
    """The timeline's events that carry an interval (all of them, in practice)."""
    return [e for e in timeline if e.when.interval is not None]


def _interval(event: Event) -> Interval:
    interval = event.when.interval
    assert interval is not None  # guaranteed by _events
    return interval


def _grain(event: Event) -> str:
    grain = event.when.grain or _interval(event).grain
    return grain.value


_POINT_GRAINS = frozenset({Grain.SECOND, Grain.MINUTE, Grain.HOUR, Grain.PART_OF_DAY, Grain.DAY})


def _is_timed(event: Event) -> bool:
    """True for clock times: TIME values, or intervals that do not start at midnight."""
    interval = _interval(event)
    midnight = _dt.time(0, 0)
    return (
        event.when.type == "TIME"
        or interval.start.time() != midnight
        or interval.end.time() != midnight
    )


def _event_id(document: str, event: Event) -> str:
    """A stable id for one event: a hash of the document id and the phrase offsets."""
    if event.mention is not None:
        start, end = event.mention.start, event.mention.end
    else:  # an undated event: the trigger's offsets
        start = event.trigger_start if event.trigger_start is not None else event.text_start
        end = start + len(event.trigger or "")
    key = f"{document}\x00{start}\x00{end}"
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def _unique(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3`` ... when already used (repeated document ids)."""
    uid, n = base, 2
    while uid in used:
        uid, n = f"{base}-{n}", n + 1
    used.add(uid)
    return uid


def _squash(text: str) -> str:
    """Whitespace runs to single spaces; other control characters to U+FFFD."""
    out = " ".join(text.split())
    if any(unicodedata.category(c) == "Cc" for c in out):
        out = "".join(
            "\N{REPLACEMENT CHARACTER}" if unicodedata.category(c) == "Cc" else c for c in out
        )
    return out


UNDATED = "(undated)"


def _phrase(event: Event) -> str:
    """The date phrase as written (squashed), or ``(undated)`` for an undated event."""
    return _squash(event.mention.text) if event.mention is not None else UNDATED


def _headline(event: Event) -> str:
    """The trigger and the phrase: ``sail (Friday)``, or the phrase alone."""
    phrase = _phrase(event)
    return f"{event.trigger} ({phrase})" if event.trigger else phrase


def _fmt_day(day: _dt.date | _dt.datetime) -> str:
    """``22 Jan 2025``, independent of the locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Characters that split a line for str.splitlines() but that JSON may carry raw.
_LINE_BREAKERS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_LINE_BREAKERS_RE = re.compile("[\x85\u2028\u2029]")


def _json_line(obj: Any) -> str:
    """Compact JSON on one line, safe for any line splitter."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return _LINE_BREAKERS_RE.sub(lambda m: _LINE_BREAKERS[m.group()], text)


# --------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------

_EVENT_WIDTH = 90
_ANSI = {
    "header": "\x1b[1m",
    "columns": "\x1b[2m",
    "date": "\x1b[36m",
    "grain": "\x1b[2m",
    "phrase": "\x1b[33m",
    "trigger": "\x1b[1;32m",
    "note": "\x1b[2m",
}
_RESET = "\x1b[0m"


def _width(text: str) -> int:
    """Terminal columns taken by ``text``: wide East Asian characters count two."""
    width = 0
    for c in text:
        if unicodedata.combining(c):
            continue
        width += 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1
    return width


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, with an ellipsis when cut."""
    if _width(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for c in text:
        w = _width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _render_text(results: Sequence[ArticleResult], *, color: bool) -> str:
    def paint(kind: str, text: str) -> str:
        return f"{_ANSI[kind]}{text}{_RESET}" if color and text.strip() else text

    blocks: list[str] = []
    for r in results:
        lines = [
            paint(
                "header",
                f"{_squash(r.id)}  (published {r.published.isoformat()}, from {r.published_from})",
            )
        ]
        rows: list[tuple[str, str, str, str, str]] = []
        for e in _events(r.timeline):
            trigger = _squash(e.trigger) if e.trigger else ""
            sentence = _squash(e.text)
            event = _clip((f"{trigger}: " if trigger else "") + sentence, _EVENT_WIDTH)
            rest = event[len(trigger) :] if trigger else event
            rows.append((e.when.value, _grain(e), _phrase(e), trigger, rest))
        head = ("DATE", "GRAIN", "PHRASE", "EVENT")
        widths = [max([_width(head[i])] + [_width(row[i]) for row in rows]) for i in range(3)]
        lines.append(
            paint(
                "columns",
                "  "
                + "  ".join(_pad(h, w) for h, w in zip(head, widths, strict=False))
                + "  EVENT",
            )
        )
        for date, grain, phrase, trigger, rest in rows:
            cells = [
                paint("date", _pad(date, widths[0])),
                paint("grain", _pad(grain, widths[1])),
                paint("phrase", _pad(phrase, widths[2])),
            ]
            event = (paint("trigger", trigger) if trigger else "") + rest
            lines.append(("  " + "  ".join(cells) + "  " + event).rstrip())
        if not rows:
            lines.append("  (no dated events)")
        others = [m for m in r.timeline.mentions if m.interval is None]
        if others:
            listed = ", ".join(f"{_squash(m.text)} = {m.value}" for m in others)
            lines.append(paint("note", "  other expressions: " + listed))
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


# --------------------------------------------------------------------------
# json, jsonl
# --------------------------------------------------------------------------


def document_to_dict(result: ArticleResult) -> dict[str, Any]:
    """One article as the ``json`` format writes it (every API field)."""
    return {
        "id": result.id,
        "published": result.published.isoformat(),
        "published_from": result.published_from,
        "mentions": [mention_to_dict(m) for m in result.timeline.mentions],
        "events": [event_to_dict(e) for e in result.timeline],
    }


def _render_json(results: Sequence[ArticleResult]) -> str:
    data = {"schema": JSON_SCHEMA, "documents": [document_to_dict(r) for r in results]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _render_jsonl(results: Sequence[ArticleResult]) -> str:
    lines: list[str] = []
    for r in results:
        for e in r.timeline:
            record = {
                "schema": JSONL_SCHEMA,
                "id": r.id,
                "published": r.published.isoformat(),
                **event_to_dict(e),
            }
            # The event's own "published" is its article's date too; the
            # article's is authoritative (and never null).
            record["published"] = r.published.isoformat()
            lines.append(_json_line(record) + "\n")
    return "".join(lines)


# --------------------------------------------------------------------------
# csv
# --------------------------------------------------------------------------


def _render_csv(results: Sequence[ArticleResult]) -> str:
    out = io.StringIO()
    # The csv module's default dialect is RFC 4180: CRLF line ends, fields
    # quoted when they hold a comma, a quote or a line break, quotes doubled.
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for r in results:
        for e in _events(r.timeline):
            interval = _interval(e)
            writer.writerow(
                (
                    r.id,
                    r.published.isoformat(),
                    e.when.value,
                    _grain(e),
                    interval.start.isoformat(),
                    interval.end.isoformat(),
                    e.mention.text if e.mention is not None else "",
                    e.when.type,
                    e.trigger or "",
                    e.tense,
                    e.text,
                )
            )
    return out.getvalue()


# --------------------------------------------------------------------------
# timeml
# --------------------------------------------------------------------------

# Characters XML 1.0 cannot carry, even as character references.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Escape ``text`` for XML character data, keeping one character per character.

    Characters XML cannot hold become U+FFFD, so offsets into the text stay
    valid; a carriage return is written as ``&#13;`` so parsers keep it.
    """
    text = _XML_INVALID.sub("\N{REPLACEMENT CHARACTER}", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;")


def _xml_attr(text: str) -> str:
    escaped = _xml_text(text).replace('"', "&quot;")
    return escaped.replace("\n", "&#10;").replace("\t", "&#9;")


def _timex_attrs(mention: Mention, tid: str, anchor_tid: str | None) -> str:
    attrs_ = [("tid", tid), ("type", mention.type), ("value", mention.value)]
    when = mention.when
    for name, value in (("mod", when.mod), ("quant", when.quant), ("freq", when.freq)):
        if value:
            attrs_.append((name, value))
    if mention.why.anchor != "none":
        attrs_.append(("temporalFunction", "true"))
        if anchor_tid is not None:
            attrs_.append(("anchorTimeID", anchor_tid))
    return " ".join(f'{name}="{_xml_attr(value)}"' for name, value in attrs_)


def _timeml_document(result: ArticleResult) -> str:
    text = result.text
    mentions = sorted(result.timeline.mentions, key=lambda m: (m.start, m.end))
    parts: list[str] = []
    at = 0
    tids: list[tuple[str, str]] = []  # (value, tid) of the mentions written so far
    for i, m in enumerate(mentions, 1):
        if m.start < at or m.end > len(text) or m.start >= m.end:
            continue  # overlapping or out-of-range spans cannot be inlined
        anchor_tid: str | None = None
        if m.why.anchor == "published":
            anchor_tid = "t0"
        elif m.why.anchor == "previous" and m.why.anchor_value:
            anchor_tid = next((t for v, t in reversed(tids) if v == m.why.anchor_value), None)
        tid = f"t{i}"
        parts.append(_xml_text(text[at : m.start]))
        parts.append(f"<TIMEX3 {_timex_attrs(m, tid, anchor_tid)}>")
        parts.append(_xml_text(text[m.start : m.end]))
        parts.append("</TIMEX3>")
        tids.append((m.value, tid))
        at = m.end
    parts.append(_xml_text(text[at:]))
    day = result.published.isoformat()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        "<TimeML>\n"
        f"<DOCID>{_xml_text(result.id)}</DOCID>\n"
        f'<DCT><TIMEX3 tid="t0" type="DATE" value="{day}" temporalFunction="false" '
        f'functionInDocument="CREATION_TIME">{day}</TIMEX3></DCT>\n'
        f"<TEXT>{''.join(parts)}</TEXT>\n"
        "</TimeML>\n"
    )


def _render_timeml(results: Sequence[ArticleResult]) -> str:
    # One complete XML document per article, separated by a blank line; each
    # starts with its own XML declaration, so "\n\n<?xml" splits them.
    return "\n".join(_timeml_document(r) for r in results)


def split_timeml(output: str) -> list[str]:
    """Split the ``timeml`` output of several articles into one XML document each."""
    pieces = output.split("\n\n<?xml ")
    return [pieces[0]] + ["<?xml " + p for p in pieces[1:]] if output else []


# --------------------------------------------------------------------------
# timelinejs
# --------------------------------------------------------------------------

_COARSE_DAY = frozenset({Grain.DAY, Grain.WEEKEND, Grain.WEEK})
_COARSE_MONTH = frozenset({Grain.MONTH, Grain.SEASON, Grain.QUARTER, Grain.HALF})


def _tljs_dates(event: Event) -> tuple[dict[str, int], dict[str, int] | None]:
    """TimelineJS start and (inclusive) end dates, as precise as the grain."""
    interval = _interval(event)
    grain = event.when.grain or interval.grain
    start, end = interval.start, interval.end
    if _is_timed(event):
        last = end - _dt.timedelta(minutes=1)
        s = {
            "year": start.year,
            "month": start.month,
            "day": start.day,
            "hour": start.hour,
            "minute": start.minute,
        }
        e = {
            "year": last.year,
            "month": last.month,
            "day": last.day,
            "hour": last.hour,
            "minute": last.minute,
        }
        # A clock time is a point; a part of the day ("this morning") a span.
        return s, (e if grain == Grain.PART_OF_DAY else None)
    if grain in _COARSE_DAY or grain in _POINT_GRAINS:
        last_day = end - _dt.timedelta(days=1)
        s = {"year": start.year, "month": start.month, "day": start.day}
        if last_day.date() == start.date():
            return s, None
        return s, {"year": last_day.year, "month": last_day.month, "day": last_day.day}
    if grain in _COARSE_MONTH:
        last_month = (end - _dt.timedelta(days=1)).replace(day=1)
        s = {"year": start.year, "month": start.month}
        if (last_month.year, last_month.month) == (start.year, start.month):
            return s, None
        return s, {"year": last_month.year, "month": last_month.month}
    last_year = (end - _dt.timedelta(days=1)).year
    s = {"year": start.year}
    return s, ({"year": last_year} if last_year != start.year else None)


def _display_date(event: Event) -> str:
    """A human date for TimelineJS: ``24 Jan 2025``, ``Dec 2024``, ``2025-W03``."""
    interval = _interval(event)
    grain = event.when.grain or interval.grain
    if _is_timed(event):
        return f"{_fmt_day(interval.start)} {interval.start:%H:%M}"
    if grain == Grain.DAY:
        return _fmt_day(interval.start)
    if grain == Grain.MONTH:
        return f"{_MONTHS[interval.start.month - 1]} {interval.start.year}"
    if grain == Grain.YEAR:
        return str(interval.start.year)
    last = interval.end - _dt.timedelta(days=1)
    return f"{event.when.value} ({_fmt_day(interval.start)} – {_fmt_day(last)})"


def _render_timelinejs(results: Sequence[ArticleResult]) -> str:
    events: list[dict[str, Any]] = []
    used: set[str] = set()
    for r in results:
        for e in _events(r.timeline):
            start, end = _tljs_dates(e)
            slide: dict[str, Any] = {"start_date": start}
            if end is not None:
                slide["end_date"] = end
            # TimelineJS renders these fields as HTML: escape them.
            slide["text"] = {
                "headline": html.escape(_headline(e)),
                "text": html.escape(_squash(e.text)),
            }
            slide["group"] = r.id
            slide["display_date"] = _display_date(e)
            slide["unique_id"] = _unique("ev-" + _event_id(r.id, e), used)
            slide["autolink"] = False
            events.append(slide)
    if len(results) == 1:
        title = f"{results[0].id} (published {results[0].published.isoformat()})"
    else:
        title = f"Timeline of {len(results)} articles"
    data = {
        "title": {"text": {"headline": html.escape(title), "text": ""}},
        "events": events,
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------
# ics
# --------------------------------------------------------------------------


def _render_ics(results: Sequence[ArticleResult]) -> str:
    try:
        import icalendar
    except ImportError:
        raise ImportError(
            "the ics format needs the icalendar package: pip install icalendar"
        ) from None
    from . import __version__

    cal = icalendar.Calendar()
    cal.add("prodid", f"-//timeline//timeline {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if len(results) == 1:
        cal.add("x-wr-calname", f"timeline: {results[0].id}")
    used: set[str] = set()
    for r in results:
        stamp = _dt.datetime(r.published.year, r.published.month, r.published.day, tzinfo=_dt.UTC)
        for e in _events(r.timeline):
            interval = _interval(e)
            vevent = icalendar.Event()
            vevent.add("uid", _unique(_event_id(r.id, e), used) + "@timeline")
            vevent.add("dtstamp", stamp)
            if _is_timed(e):
                # Floating local times: the article's own wall clock.
                vevent.add("dtstart", interval.start)
                vevent.add("dtend", interval.end)
            else:
                vevent.add("dtstart", interval.start.date())
                vevent.add("dtend", interval.end.date())
            vevent.add("summary", _headline(e))
            vevent.add("description", _squash(e.text))
            vevent.add("categories", [_grain(e)])
            vevent.add("transp", "TRANSPARENT")
            cal.add_component(vevent)
    data: bytes = cal.to_ical()
    return data.decode("utf-8")


# --------------------------------------------------------------------------
# html
# --------------------------------------------------------------------------

_PAGE_WIDTH = 1320
_PLOT_LEFT = 30
_PLOT_RIGHT = _PAGE_WIDTH - 30
_ROW = 24
_MIN_BAR = 6.0  # far-off years are thin on a log axis; keep them visible as bars
_CHAR_PX = 7.0  # a conservative average advance for the 12px labels

_GRAIN_CLASS = {
    Grain.SECOND: "time",
    Grain.MINUTE: "time",
    Grain.HOUR: "time",
    Grain.PART_OF_DAY: "time",
    Grain.DAY: "day",
    Grain.WEEKEND: "week",
    Grain.WEEK: "week",
    Grain.MONTH: "month",
    Grain.SEASON: "season",
    Grain.QUARTER: "season",
    Grain.HALF: "season",
    Grain.YEAR: "year",
    Grain.DECADE: "year",
    Grain.CENTURY: "year",
}
_LEGEND = (
    ("time", "time of day", True),
    ("day", "day", True),
    ("week", "week, weekend", False),
    ("month", "month", False),
    ("season", "season, quarter, half", False),
    ("year", "year, decade, century", False),
)

_CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  margin: 18px 24px; color: #1f2937; background: #fff; }
h1 { font-size: 20px; margin: 0 0 4px; }
p.note { margin: 0 0 12px; color: #4b5563; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
.lane-bg { fill: #f8fafc; }
.lane-bg.odd { fill: #f1f5f9; }
.lane-title { font-size: 13px; font-weight: 600; fill: #0f172a; }
.lane-meta { font-size: 12px; fill: #64748b; }
.grid { stroke: #d7dde5; stroke-width: 1; }
.tick { font-size: 11px; fill: #475569; }
.tick.ref { font-weight: 700; fill: #b91c1c; }
.axis { stroke: #94a3b8; stroke-width: 1; }
.pub { stroke: #dc2626; stroke-width: 1.5; stroke-dasharray: 4 3; }
.pub-label { font-size: 11px; fill: #b91c1c; }
.ev text { font-size: 12px; fill: #1f2937; paint-order: stroke; stroke: #f8fafc;
  stroke-width: 4px; stroke-linejoin: round; }
.odd-lane .ev text { stroke: #f1f5f9; }
.ev text .trig { fill: #64748b; }
.ev .mark { stroke: #fff; stroke-width: 1; }
.ev:hover .mark { stroke: #111827; stroke-width: 2; }
.ev:hover text { text-decoration: underline; }
.time { fill: #7c3aed; } .day { fill: #2563eb; } .week { fill: #059669; }
.month { fill: #d97706; } .season { fill: #db2777; } .year { fill: #64748b; }
.undated, .ev .mark.undated { fill: #fff; stroke: #2563eb; stroke-width: 1.5; }
.legend text { font-size: 12px; fill: #334155; }
table { border-collapse: collapse; margin: 18px 0 8px; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 6px 0; }
th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top;
  border-bottom: 1px solid #e5e7eb; }
th { color: #475569; font-weight: 600; }
td.value { font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: nowrap; }
td.phrase { font-weight: 600; white-space: nowrap; }
""".strip()


def _f(x: float) -> str:
    """A coordinate with one decimal, never ``-0.0``."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


class _Scale:
    """Time to x: logarithmic in the distance from a reference day.

    News timelines crowd around the publish date (yesterday, Friday, last
    week) and also reach years back; a log-distance axis gives the days near
    the publish date room and still fits the distant years on one page.
    """

    def __init__(self, reference: _dt.datetime, points: Sequence[_dt.datetime]) -> None:
        self.reference = reference
        ks = [self.k(p) for p in points] or [0.0]
        lo, hi = min(ks + [0.0]), max(ks + [0.0])
        if hi - lo < 3.0:  # at least a few days either side
            grow = (3.0 - (hi - lo)) / 2
            lo, hi = lo - grow, hi + grow
        pad = (hi - lo) * 0.02
        self.lo, self.hi = lo - pad, hi + pad

    def k(self, t: _dt.datetime) -> float:
        days = (t - self.reference).total_seconds() / 86400.0
        return math.copysign(math.log1p(abs(days)), days)

    def x(self, t: _dt.datetime) -> float:
        share = (self.k(t) - self.lo) / (self.hi - self.lo)
        return _PLOT_LEFT + share * (_PLOT_RIGHT - _PLOT_LEFT)

    def inside(self, t: _dt.datetime) -> bool:
        return self.lo <= self.k(t) <= self.hi


def _ticks(scale: _Scale) -> list[tuple[float, str, bool]]:
    """Axis ticks ``(x, label, is_reference)``, thinned so labels never collide."""
    ref = scale.reference
    lo_day = _shift(ref, -math.expm1(-scale.lo) if scale.lo < 0 else 0.0)
    hi_day = _shift(ref, math.expm1(scale.hi) if scale.hi > 0 else 0.0)
    candidates: list[tuple[int, _dt.datetime, str]] = [(0, ref, _fmt_day(ref))]
    first_year, last_year = max(lo_day.year, 1), min(hi_day.year + 1, 9999)
    span = last_year - first_year
    step = next(s for s in (1, 5, 10, 50, 100, 500, 1000, 10000) if span / s <= 60)
    for year in range(first_year - first_year % step, last_year + 1, step):
        if year < 1:
            continue
        # Round years first: 2000 before 2010 before 2015 before 2013.
        priority = 1 if year % (step * 10) == 0 else 2 if year % (step * 5) == 0 else 3
        candidates.append((priority, _dt.datetime(year, 1, 1), str(year)))
    for year in range(max(ref.year - 3, 1), min(ref.year + 3, 9999) + 1):
        for month in range(2, 13):
            day = _dt.datetime(year, month, 1)
            candidates.append((4, day, f"{_MONTHS[month - 1]} {year}"))
    for offset in range(-31, 32):
        day = _shift(ref, offset)
        if offset and day.day != 1 and day != ref:
            priority = 5 if day.weekday() == 0 else 6
            candidates.append((priority, day, f"{day.day} {_MONTHS[day.month - 1]}"))
    placed: list[tuple[float, float, float, str, bool]] = []  # x, left, right, label, ref
    for priority, when, label in sorted(candidates, key=lambda c: (c[0], c[1])):
        if not scale.inside(when):
            continue
        x = scale.x(when)
        half = len(label) * 3.3 + 8
        left, right = x - half, x + half
        if left < 0 or right > _PAGE_WIDTH:
            continue
        if any(left < b and a < right for _, a, b, _, _ in placed):
            continue
        placed.append((x, left, right, label, priority == 0))
    return sorted((x, label, is_ref) for x, _, _, label, is_ref in placed)


def _shift(t: _dt.datetime, days: float) -> _dt.datetime:
    """``t`` moved by ``days``, held inside the calendar (years 1 to 9999)."""
    try:
        return t + _dt.timedelta(days=days)
    except OverflowError:
        return _dt.datetime.min if days < 0 else _dt.datetime.max


def _label_width(text: str) -> float:
    return _width(text) * _CHAR_PX


def _lane_rows(
    events: Sequence[Event], scale: _Scale
) -> list[tuple[Event, int, float, float, bool]]:
    """Pack events into rows: ``(event, row, x0, x1, label_on_left)``.

    Each event takes its mark and its label; an event goes into the first row
    where that room is free, in timeline order.
    """
    rows: list[list[tuple[float, float]]] = []
    placed: list[tuple[Event, int, float, float, bool]] = []
    for e in events:
        interval = _interval(e)
        x0, x1 = scale.x(interval.start), scale.x(interval.end)
        if _grain_point(e):
            mid = scale.x(interval.start + (interval.end - interval.start) / 2)
            x0 = x1 = mid
        else:
            x1 = max(x1, x0 + _MIN_BAR)
        label = _label_width(_label(e))
        left_side = x1 + 6 + label > _PLOT_RIGHT + 20
        lo, hi = (x0 - label - 10, x1 + 8) if left_side else (x0 - 8, x1 + label + 16)
        free = (i for i, row in enumerate(rows) if all(hi <= a or b <= lo for a, b in row))
        row_index = next(free, len(rows))
        if row_index == len(rows):
            rows.append([])
        rows[row_index].append((lo, hi))
        placed.append((e, row_index, x0, x1, left_side))
    return placed


def _grain_point(event: Event) -> bool:
    grain = event.when.grain or _interval(event).grain
    return grain in _POINT_GRAINS


def _label(event: Event) -> str:
    phrase = _phrase(event)
    return f"{phrase} · {_squash(event.trigger)}" if event.trigger else phrase


def _tooltip(result: ArticleResult, event: Event) -> str:
    interval = _interval(event)
    last = interval.end - _dt.timedelta(days=1)
    if _is_timed(event):
        span = f"{interval.start:%Y-%m-%d %H:%M} – {interval.end:%Y-%m-%d %H:%M}"
    elif last.date() == interval.start.date():
        span = interval.start.date().isoformat()
    else:
        span = f"{interval.start.date().isoformat()} – {last.date().isoformat()}"
    trigger = f"{_squash(event.trigger)}: " if event.trigger else ""
    return (
        f"“{_phrase(event)}” → {event.when.value} ({_grain(event)}, {span})\n"
        f"{trigger}{_squash(event.text)}\n"
        f"[{result.id}]"
    )


def _svg(results: Sequence[ArticleResult]) -> tuple[str, int]:
    pubs = sorted(
        _dt.datetime(r.published.year, r.published.month, r.published.day) for r in results
    )
    reference = pubs[(len(pubs) - 1) // 2] if pubs else _dt.datetime(2000, 1, 1)
    points: list[_dt.datetime] = list(pubs)
    for r in results:
        for e in _events(r.timeline):
            points += [_interval(e).start, _interval(e).end]
    scale = _Scale(reference, points)
    ticks = _ticks(scale)

    top = 28  # axis labels above
    out: list[str] = []
    y = top + 8
    any_undated = False
    used_kinds: set[str] = set()
    backgrounds: list[str] = []  # drawn first, under the grid
    lane_parts: list[str] = []
    for index, r in enumerate(results):
        events = _events(r.timeline)
        placed = _lane_rows(events, scale)
        n_rows = max((row for _, row, _, _, _ in placed), default=-1) + 1
        lane_h = 34 + max(n_rows, 1) * _ROW + 8
        cls = "lane-bg odd" if index % 2 else "lane-bg"
        backgrounds.append(
            f'<rect class="{cls}" x="0" y="{y}" width="{_PAGE_WIDTH}" height="{lane_h}"/>'
        )
        lane_cls = "lane odd-lane" if index % 2 else "lane"
        lane_parts.append(f'<g class="{lane_cls}" data-document="{html.escape(r.id)}">')
        meta = (
            f"published {r.published.isoformat()} (from {r.published_from}) · "
            f"{len(events)} dated event{'s' if len(events) != 1 else ''}"
        )
        title = _squash(r.id)
        lane_parts.append(
            f'<text class="lane-title" x="{_PLOT_LEFT}" y="{y + 18}">{html.escape(title)}'
            f'<tspan class="lane-meta" dx="10">{html.escape(meta)}</tspan></text>'
        )
        pub = _dt.datetime(r.published.year, r.published.month, r.published.day)
        px = _f(scale.x(pub + _dt.timedelta(hours=12)))
        lane_parts.append(
            f'<line class="pub" x1="{px}" y1="{y + 26}" x2="{px}" y2="{y + lane_h - 4}">'
            f"<title>published {r.published.isoformat()}</title></line>"
        )
        if not events:
            lane_parts.append(
                f'<text class="lane-meta" x="{_PLOT_LEFT}" y="{y + 34 + 16}">'
                "(no dated events)</text>"
            )
        for e, row, x0, x1, left_side in placed:
            cy = y + 34 + row * _ROW + _ROW / 2
            kind = _GRAIN_CLASS.get(e.when.grain or _interval(e).grain, "day")
            used_kinds.add(kind)
            if not e.dated:
                kind += " undated"
                any_undated = True
            lane_parts.append(f'<g class="ev" data-value="{html.escape(e.when.value)}">')
            lane_parts.append(f"<title>{html.escape(_tooltip(r, e))}</title>")
            if _grain_point(e):
                if kind == "time":
                    d = f"M{_f(x0)} {_f(cy - 6)}l6 6l-6 6l-6 -6z"
                    lane_parts.append(f'<path class="mark {kind}" d="{d}"/>')
                else:
                    lane_parts.append(
                        f'<circle class="mark {kind}" cx="{_f(x0)}" cy="{_f(cy)}" r="5.5"/>'
                    )
            else:
                lane_parts.append(
                    f'<rect class="mark {kind}" x="{_f(x0)}" y="{_f(cy - 6)}" '
                    f'width="{_f(x1 - x0)}" height="12" rx="3"/>'
                )
            phrase = html.escape(_phrase(e))
            trig = (
                f'<tspan class="trig"> · {html.escape(_squash(e.trigger))}</tspan>'
                if e.trigger
                else ""
            )
            if left_side:
                tx, anchor = x0 - 8, ' text-anchor="end"'
            else:
                tx, anchor = x1 + 8, ""
            lane_parts.append(
                f'<text x="{_f(tx)}" y="{_f(cy + 4)}"{anchor}>{phrase}{trig}</text></g>'
            )
        lane_parts.append("</g>")
        y += lane_h + 6
    bottom = y
    out.extend(backgrounds)
    for x, label, is_ref in ticks:
        cls = "tick ref" if is_ref else "tick"
        out.append(
            f'<line class="grid" x1="{_f(x)}" y1="{top}" x2="{_f(x)}" y2="{bottom}"/>'
            f'<text class="{cls}" x="{_f(x)}" y="{top - 8}" text-anchor="middle">'
            f"{html.escape(label)}</text>"
        )
    out.append(f'<line class="axis" x1="0" y1="{top}" x2="{_PAGE_WIDTH}" y2="{top}"/>')
    out.extend(lane_parts)
    # Legend.
    ly = bottom + 22
    lx = float(_PLOT_LEFT)
    legend = ['<g class="legend">']
    for kind, label, point in _LEGEND:
        if kind not in used_kinds:
            continue
        if point:
            if kind == "time":
                legend.append(f'<path class="{kind}" d="M{_f(lx + 6)} {ly - 10}l6 6l-6 6l-6 -6z"/>')
            else:
                legend.append(f'<circle class="{kind}" cx="{_f(lx + 6)}" cy="{ly - 4}" r="5.5"/>')
            lx += 16
        else:
            legend.append(
                f'<rect class="{kind}" x="{_f(lx)}" y="{ly - 10}" width="26" height="12" rx="3"/>'
            )
            lx += 32
        legend.append(f'<text x="{_f(lx)}" y="{ly}">{html.escape(label)}</text>')
        lx += _label_width(label) + 22
    if any_undated:
        legend.append(
            f'<circle class="day undated" cx="{_f(lx + 6)}" cy="{ly - 4}" r="5.5"/>'
            f'<text x="{_f(lx + 16)}" y="{ly}">undated (on the publish date)</text>'
        )
        lx += 16 + _label_width("undated (on the publish date)") + 22
    legend.append(
        f'<line class="pub" x1="{_f(lx + 4)}" y1="{ly - 12}" x2="{_f(lx + 4)}" y2="{ly + 2}"/>'
        f'<text x="{_f(lx + 12)}" y="{ly}">publish date</text>'
    )
    legend.append("</g>")
    out.extend(legend)
    height = ly + 12
    svg = (
        f'<svg viewBox="0 0 {_PAGE_WIDTH} {height}" '
        f'width="{_PAGE_WIDTH}" height="{height}" role="img" '
        f'aria-label="Timeline of {len(results)} article(s)">' + "".join(out) + "</svg>"
    )
    return svg, reference.date().toordinal()


def _table(result: ArticleResult) -> str:
    rows = [
        "<tr><th>Date</th><th>Grain</th><th>Phrase</th><th>Event</th></tr>",
    ]
    for e in _events(result.timeline):
        trigger = f"<strong>{html.escape(_squash(e.trigger))}</strong>: " if e.trigger else ""
        rows.append(
            f'<tr><td class="value">{html.escape(e.when.value)}</td>'
            f"<td>{html.escape(_grain(e))}</td>"
            f'<td class="phrase">{html.escape(_phrase(e))}</td>'
            f"<td>{trigger}{html.escape(_squash(e.text))}</td></tr>"
        )
    caption = (
        f"{html.escape(_squash(result.id))} — published {result.published.isoformat()} "
        f"(from {html.escape(result.published_from)})"
    )
    return f"<table><caption>{caption}</caption>{''.join(rows)}</table>"


def _render_html(results: Sequence[ArticleResult]) -> str:
    svg, ref_ordinal = _svg(results)
    reference = _dt.date.fromordinal(ref_ordinal)
    if len(results) == 1:
        title = f"Timeline: {_squash(results[0].id)}"
    else:
        title = f"Timeline of {len(results)} articles"
    note = (
        f"The axis is logarithmic in the distance from {_fmt_day(reference)} "
        "(the publish date): days near it are spread out, distant years drawn close. "
        "Points are days, bars span weeks, months, seasons and years. "
        "Hover a mark for the phrase and its sentence."
    )
    tables = "\n".join(_table(r) for r in results)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        # Nothing on this page may be fetched: no scripts, fonts or images.
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="timeline">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="note">{html.escape(note)}</p>\n'
        f"{svg}\n{tables}\n</body>\n</html>\n"
    )


# --------------------------------------------------------------------------
# Records and pandas
# --------------------------------------------------------------------------


def to_records(timeline: Timeline) -> list[dict[str, Any]]:
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


def to_pandas(timeline: Timeline) -> Any:
    """The timeline as a :class:`pandas.DataFrame`, one row per event.

    The columns are :data:`RECORD_COLUMNS`; ``start`` and ``end`` are
    datetimes.  Needs pandas (``pip install 'timeline[pandas]'``).
    """
    try:
        import pandas  # type: ignore[import-not-found,import-untyped,unused-ignore]
    except ImportError:
        raise ImportError("to_pandas needs pandas: pip install 'timeline[pandas]'") from None
    return pandas.DataFrame.from_records(to_records(timeline), columns=list(RECORD_COLUMNS))


_RENDERERS: dict[str, Callable[[Sequence[ArticleResult]], str]] = {
    "text": lambda results: _render_text(results, color=False),
    "json": _render_json,
    "jsonl": _render_jsonl,
    "csv": _render_csv,
    "timeml": _render_timeml,
    "timelinejs": _render_timelinejs,
    "ics": _render_ics,
    "html": _render_html,
}
