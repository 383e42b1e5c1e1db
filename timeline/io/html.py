"""The ``html`` format: a self-contained page drawing the events on a time axis."""

from __future__ import annotations

import datetime as _dt
import html
import math
from collections.abc import Sequence

from ..model import Event, Grain
from .article import (
    MONTHS,
    POINT_GRAINS,
    ArticleResult,
    events_of,
    fmt_day,
    grain_of,
    interval_of,
    is_timed,
    phrase_of,
    squash,
    text_width,
)

__all__ = ["render_html"]


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
    candidates: list[tuple[int, _dt.datetime, str]] = [(0, ref, fmt_day(ref))]
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
            candidates.append((4, day, f"{MONTHS[month - 1]} {year}"))
    for offset in range(-31, 32):
        day = _shift(ref, offset)
        if offset and day.day != 1 and day != ref:
            priority = 5 if day.weekday() == 0 else 6
            candidates.append((priority, day, f"{day.day} {MONTHS[day.month - 1]}"))
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
    return text_width(text) * _CHAR_PX


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
        interval = interval_of(e)
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
    grain = event.when.grain or interval_of(event).grain
    return grain in POINT_GRAINS


def _label(event: Event) -> str:
    phrase = phrase_of(event)
    return f"{phrase} · {squash(event.trigger)}" if event.trigger else phrase


def _tooltip(result: ArticleResult, event: Event) -> str:
    interval = interval_of(event)
    last = interval.end - _dt.timedelta(days=1)
    if is_timed(event):
        span = f"{interval.start:%Y-%m-%d %H:%M} – {interval.end:%Y-%m-%d %H:%M}"
    elif last.date() == interval.start.date():
        span = interval.start.date().isoformat()
    else:
        span = f"{interval.start.date().isoformat()} – {last.date().isoformat()}"
    trigger = f"{squash(event.trigger)}: " if event.trigger else ""
    return (
        f"“{phrase_of(event)}” → {event.when.value} ({grain_of(event)}, {span})\n"
        f"{trigger}{squash(event.text)}\n"
        f"[{result.id}]"
    )


def _svg(results: Sequence[ArticleResult]) -> tuple[str, int]:
    pubs = sorted(
        _dt.datetime(r.published.year, r.published.month, r.published.day) for r in results
    )
    reference = pubs[(len(pubs) - 1) // 2] if pubs else _dt.datetime(2000, 1, 1)
    points: list[_dt.datetime] = list(pubs)
    for r in results:
        for e in events_of(r.timeline):
            points += [interval_of(e).start, interval_of(e).end]
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
        events = events_of(r.timeline)
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
        title = squash(r.id)
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
            kind = _GRAIN_CLASS.get(e.when.grain or interval_of(e).grain, "day")
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
            phrase = html.escape(phrase_of(e))
            trig = (
                f'<tspan class="trig"> · {html.escape(squash(e.trigger))}</tspan>'
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
    for e in events_of(result.timeline):
        trigger = f"<strong>{html.escape(squash(e.trigger))}</strong>: " if e.trigger else ""
        rows.append(
            f'<tr><td class="value">{html.escape(e.when.value)}</td>'
            f"<td>{html.escape(grain_of(e))}</td>"
            f'<td class="phrase">{html.escape(phrase_of(e))}</td>'
            f"<td>{trigger}{html.escape(squash(e.text))}</td></tr>"
        )
    caption = (
        f"{html.escape(squash(result.id))} — published {result.published.isoformat()} "
        f"(from {html.escape(result.published_from)})"
    )
    return f"<table><caption>{caption}</caption>{''.join(rows)}</table>"


def render_html(results: Sequence[ArticleResult]) -> str:
    svg, ref_ordinal = _svg(results)
    reference = _dt.date.fromordinal(ref_ordinal)
    if len(results) == 1:
        title = f"Timeline: {squash(results[0].id)}"
    else:
        title = f"Timeline of {len(results)} articles"
    note = (
        f"The axis is logarithmic in the distance from {fmt_day(reference)} "
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
