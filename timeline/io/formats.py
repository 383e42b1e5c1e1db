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
import html
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ..model import Event, Grain, Mention
from .article import (
    MONTHS,
    POINT_GRAINS,
    ArticleResult,
    dateline_line,
    event_id,
    events_of,
    fmt_day,
    grain_of,
    headline,
    interval_of,
    is_timed,
    phrase_of,
    squash,
    text_width,
    unique,
)
from .html import render_html
from .serialize import event_to_dict, mention_to_dict

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "JSONL_SCHEMA",
    "JSON_SCHEMA",
    "STREAMING",
    "ArticleResult",
    "render",
    "render_article",
    "render_head",
    "render_stream",
]


#: The names :func:`render` accepts, in the order the CLI lists them.
FORMATS = ("text", "json", "jsonl", "csv", "timeml", "timelinejs", "ics", "html")


#: The ``schema`` tag of the ``json`` output (``docs/schema/timeline-v1.json``).
JSON_SCHEMA = "timeline/v1"


#: The ``schema`` tag of each ``jsonl`` line (``docs/schema/timeline-event-v1.jsonl.json``).
JSONL_SCHEMA = "timeline-event/v1"


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


# Characters that split a line for str.splitlines() but that JSON may carry raw.
_LINE_BREAKERS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


_LINE_BREAKERS_RE = re.compile("[\x85\u2028\u2029]")


def _json_line(obj: Any) -> str:
    """Compact JSON on one line, safe for any line splitter."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return _LINE_BREAKERS_RE.sub(lambda m: _LINE_BREAKERS[m.group()], text)


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


def _clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns, with an ellipsis when cut."""
    if text_width(text) <= width:
        return text
    out: list[str] = []
    used = 0
    for c in text:
        w = text_width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))


def _render_text(results: Sequence[ArticleResult], *, color: bool) -> str:
    return "\n".join(_text_block(r, color=color) for r in results)


def _header(r: ArticleResult) -> str:
    """``id  (published DATE, from SOURCE)``; a dateline is quoted after its source."""
    line = dateline_line(r)
    source = r.published_from
    if line is not None:
        source += f": {_clip(squash(line), _EVENT_WIDTH)}"
    return f"{squash(r.id)}  (published {r.published.isoformat()}, from {source})"


def _text_block(r: ArticleResult, *, color: bool) -> str:
    """One article's table, ending with a line break."""

    def paint(kind: str, text: str) -> str:
        return f"{_ANSI[kind]}{text}{_RESET}" if color and text.strip() else text

    lines = [paint("header", _header(r))]
    rows: list[tuple[str, str, str, str, str]] = []
    for e in events_of(r.timeline):
        trigger = squash(e.trigger) if e.trigger else ""
        sentence = squash(e.text)
        event = _clip((f"{trigger}: " if trigger else "") + sentence, _EVENT_WIDTH)
        rest = event[len(trigger) :] if trigger else event
        rows.append((e.when.value, grain_of(e), phrase_of(e), trigger, rest))
    head = ("DATE", "GRAIN", "PHRASE", "EVENT")
    widths = [max([text_width(head[i])] + [text_width(row[i]) for row in rows]) for i in range(3)]
    lines.append(
        paint(
            "columns",
            "  " + "  ".join(_pad(h, w) for h, w in zip(head, widths, strict=False)) + "  EVENT",
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
        listed = ", ".join(f"{squash(m.text)} = {m.value}" for m in others)
        lines.append(paint("note", "  other expressions: " + listed))
    return "\n".join(lines) + "\n"


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
    return "".join(_jsonl_lines(r) for r in results)


def _jsonl_lines(r: ArticleResult) -> str:
    """One article's events, one JSON line each."""
    lines: list[str] = []
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


def _render_csv(results: Sequence[ArticleResult]) -> str:
    return _csv_rows([CSV_COLUMNS]) + "".join(_csv_article(r) for r in results)


def _csv_rows(rows: Iterable[Sequence[str]]) -> str:
    out = io.StringIO()
    # The csv module's default dialect is RFC 4180: CRLF line ends, fields
    # quoted when they hold a comma, a quote or a line break, quotes doubled.
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return out.getvalue()


def _csv_article(r: ArticleResult) -> str:
    """One article's rows."""
    rows: list[tuple[str, ...]] = []
    for e in events_of(r.timeline):
        interval = interval_of(e)
        rows.append(
            (
                r.id,
                r.published.isoformat(),
                e.when.value,
                grain_of(e),
                interval.start.isoformat(),
                interval.end.isoformat(),
                e.mention.text if e.mention is not None else "",
                e.when.type,
                e.trigger or "",
                e.tense,
                e.text,
            )
        )
    return _csv_rows(rows)


#: The formats :func:`render_stream` writes article by article.
STREAMING = ("text", "jsonl", "csv")


def render_head(fmt: str) -> str:
    """What a streamed output starts with, before any article (the CSV header)."""
    return _csv_rows([CSV_COLUMNS]) if fmt == "csv" else ""


def render_article(result: ArticleResult, fmt: str, *, first: bool, color: bool = False) -> str:
    """One article's piece of a streamed output (``first`` for the first one written)."""
    if fmt == "text":
        return ("" if first else "\n") + _text_block(result, color=color)
    if fmt == "jsonl":
        return _jsonl_lines(result)
    if fmt == "csv":
        return _csv_article(result)
    raise ValueError(f"format {fmt!r} is not written article by article")


def render_stream(
    results: Iterable[ArticleResult], fmt: str, *, color: bool = False
) -> Iterator[str]:
    """The output of :func:`render` in pieces, one per article as it comes.

    Only for the formats in :data:`STREAMING`; the pieces joined are exactly
    ``render(list(results), fmt, color=color)``, but each article can be
    written (and forgotten) before the next is read.
    """
    if fmt not in STREAMING:
        raise ValueError(f"format {fmt!r} is not written article by article")
    head = render_head(fmt)
    if head:
        yield head
    for i, r in enumerate(results):
        yield render_article(r, fmt, first=i == 0, color=color)


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


_COARSE_DAY = frozenset({Grain.DAY, Grain.WEEKEND, Grain.WEEK})


_COARSE_MONTH = frozenset({Grain.MONTH, Grain.SEASON, Grain.QUARTER, Grain.HALF})


def _tljs_dates(event: Event) -> tuple[dict[str, int], dict[str, int] | None]:
    """TimelineJS start and (inclusive) end dates, as precise as the grain."""
    interval = interval_of(event)
    grain = event.when.grain or interval.grain
    start, end = interval.start, interval.end
    if is_timed(event):
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
    if grain in _COARSE_DAY or grain in POINT_GRAINS:
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
    interval = interval_of(event)
    grain = event.when.grain or interval.grain
    if is_timed(event):
        return f"{fmt_day(interval.start)} {interval.start:%H:%M}"
    if grain == Grain.DAY:
        return fmt_day(interval.start)
    if grain == Grain.MONTH:
        return f"{MONTHS[interval.start.month - 1]} {interval.start.year}"
    if grain == Grain.YEAR:
        return str(interval.start.year)
    last = interval.end - _dt.timedelta(days=1)
    return f"{event.when.value} ({fmt_day(interval.start)} – {fmt_day(last)})"


def _render_timelinejs(results: Sequence[ArticleResult]) -> str:
    events: list[dict[str, Any]] = []
    used: set[str] = set()
    for r in results:
        for e in events_of(r.timeline):
            start, end = _tljs_dates(e)
            slide: dict[str, Any] = {"start_date": start}
            if end is not None:
                slide["end_date"] = end
            # TimelineJS renders these fields as HTML: escape them.
            slide["text"] = {
                "headline": html.escape(headline(e)),
                "text": html.escape(squash(e.text)),
            }
            slide["group"] = r.id
            slide["display_date"] = _display_date(e)
            slide["unique_id"] = unique("ev-" + event_id(r.id, e), used)
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


def _render_ics(results: Sequence[ArticleResult]) -> str:
    try:
        import icalendar
    except ImportError:
        raise ImportError(
            "the ics format needs the icalendar package: pip install icalendar"
        ) from None
    from .. import __version__

    cal = icalendar.Calendar()
    cal.add("prodid", f"-//timeline//timeline {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if len(results) == 1:
        cal.add("x-wr-calname", f"timeline: {results[0].id}")
    used: set[str] = set()
    for r in results:
        stamp = _dt.datetime(r.published.year, r.published.month, r.published.day, tzinfo=_dt.UTC)
        for e in events_of(r.timeline):
            interval = interval_of(e)
            vevent = icalendar.Event()
            vevent.add("uid", unique(event_id(r.id, e), used) + "@timeline")
            vevent.add("dtstamp", stamp)
            if is_timed(e):
                # Floating local times: the article's own wall clock.
                vevent.add("dtstart", interval.start)
                vevent.add("dtend", interval.end)
            else:
                vevent.add("dtstart", interval.start.date())
                vevent.add("dtend", interval.end.date())
            vevent.add("summary", headline(e))
            vevent.add("description", squash(e.text))
            vevent.add("categories", [grain_of(e)])
            vevent.add("transp", "TRANSPARENT")
            cal.add_component(vevent)
    data: bytes = cal.to_ical()
    return data.decode("utf-8")


_RENDERERS: dict[str, Callable[[Sequence[ArticleResult]], str]] = {
    "text": lambda results: _render_text(results, color=False),
    "json": _render_json,
    "jsonl": _render_jsonl,
    "csv": _render_csv,
    "timeml": _render_timeml,
    "timelinejs": _render_timelinejs,
    "ics": _render_ics,
    "html": render_html,
}
