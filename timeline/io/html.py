"""The ``html`` format: a self-contained story view of one or many articles.

The page embeds the data once, as compact JSON in a ``<script
type="application/json">`` block, and a small inline script draws it on a
canvas: one merged timeline on a linear time axis, with zoom and pan, filters
(article, entity, keyword, grain), an article-lane mode and a list of the
events.  Reports of one event in several articles (grouped by
:meth:`Timeline.merge <timeline.order.timeline.Timeline.merge>`) are drawn once,
with their sources.  Nothing is fetched: a Content-Security-Policy of
``default-src 'none'`` allows only the inline style and this one script (by
its hash).  The same results always give the same bytes.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import html
import json
import re
from collections.abc import Sequence
from typing import Any

from ..model import Event, Source
from ..order.timeline import Timeline, participants
from .article import (
    ArticleResult,
    events_of,
    fmt_day,
    grain_of,
    interval_of,
    is_timed,
    phrase_of,
    squash,
)

__all__ = ["render_html"]


# The grains in the order the data refers to them (an index per event).
GRAINS = (
    "second",
    "minute",
    "hour",
    "part-of-day",
    "day",
    "weekend",
    "week",
    "month",
    "season",
    "quarter",
    "half",
    "year",
    "decade",
    "century",
)

_GRAIN_INDEX = {g: i for i, g in enumerate(GRAINS)}

_EPOCH = _dt.datetime(1970, 1, 1)

# Bits of an event's flags.
UNDATED, TIMED = 1, 2


def _day(t: _dt.datetime) -> int | float:
    """``t`` as days since 1970-01-01: an integer at midnight, else a fraction
    rounded to 6 places (a twentieth of a second)."""
    delta = t - _EPOCH
    if not delta.seconds and not delta.microseconds:
        return delta.days
    return round(delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400.0, 6)


def _published_day(day: _dt.date) -> int:
    return (day - _EPOCH.date()).days


_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")


def script_json(value: Any) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes, so neither ``</script>`` nor
    ``<!--`` can appear; so do the JavaScript line separators and lone
    surrogates (which UTF-8 cannot carry).
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


class _Table:
    """Strings stored once and referred to by index."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.index: dict[str, int] = {}

    def add(self, item: str) -> int:
        found = self.index.get(item)
        if found is None:
            found = self.index[item] = len(self.items)
            self.items.append(item)
        return found


# Capitalised words that name dates, not participants: no entity filter for them.
_DATE_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday spring summer autumn fall winter christmas easter".split()
)


def _names(event: Event) -> set[str]:
    """The names in an event's sentence, without the names of dates."""
    return {
        name
        for name in participants(event)
        if not all(word.lower() in _DATE_WORDS for word in name.split())
    }


def _merged(results: Sequence[ArticleResult]) -> Timeline:
    if len(results) == 1:
        return results[0].timeline
    return Timeline.merge(r.timeline for r in results)


def _report_key(source: Source) -> tuple[str | None, int, int]:
    return (source.document, source.start, source.end)


def story_data(results: Sequence[ArticleResult]) -> dict[str, Any]:
    """The page's data: articles, events (merged across articles), sentences
    and entities, as the script reads them.

    ``events`` rows are ``[start, end, grain, mod, value, phrase, trigger,
    flags, factuality, sources, entities]``: ``start`` and ``end`` in days
    since 1970-01-01 (the half-open interval), ``grain`` an index into
    ``grains``, ``flags`` the bits ``1`` (undated) and ``2`` (a clock time),
    ``factuality`` empty for asserted events, ``sources`` a flat list of
    ``article, sentence`` index pairs (one per report) and ``entities``
    indices into ``entities``.  Articles are ``[id, published day, where the
    date came from, events]``.  An article's dateline is no event here: the
    page draws its publish date as a marker.
    """
    by_id: dict[str, int] = {}
    for index, r in enumerate(results):
        by_id.setdefault(r.id, index)
    merged = _merged(results)
    reports: dict[tuple[str | None, int, int], Event] = {}
    for report in merged.reports or merged.events:
        for source in report.sources:
            reports.setdefault(_report_key(source), report)
    sentences = _Table()
    names: dict[str, int] = {}
    rows: list[tuple[Event, list[int], list[str]]] = []
    counts = [0] * len(results)
    for e in events_of(merged):
        if _is_dateline(e, results, by_id):
            continue
        pairs: list[int] = []
        held: set[str] = set()
        for source in e.sources or (Source(e.document, e.published, e.text_start, e.text_start),):
            report = reports.get(_report_key(source), e)
            article = _article_of(source, by_id, results)
            pairs += [article, sentences.add(squash(report.text))]
            counts[article] += 1
            held |= _names(report)
        for name in held:
            names[name] = names.get(name, 0) + 1
        rows.append((e, pairs, sorted(held)))
    # Entities by how many events name them, then by name.
    ranked = sorted(names, key=lambda n: (-names[n], n))
    entity_index = {n: i for i, n in enumerate(ranked)}
    events: list[list[Any]] = []
    for e, pairs, named in rows:
        interval = interval_of(e)
        flags = (0 if e.dated else UNDATED) | (TIMED if is_timed(e) else 0)
        events.append(
            [
                _day(interval.start),
                _day(interval.end),
                _GRAIN_INDEX[grain_of(e)],
                e.when.mod or "",
                e.when.value,
                phrase_of(e),
                squash(e.trigger) if e.trigger else "",
                flags,
                "" if e.factuality == "asserted" else e.factuality,
                pairs,
                sorted(entity_index[n] for n in named),
            ]
        )
    articles = [
        [squash(r.id), _published_day(r.published), r.published_from, count]
        for r, count in zip(results, counts, strict=True)
    ]
    return {
        "grains": list(GRAINS),
        "articles": articles,
        "events": events,
        "sentences": sentences.items,
        "entities": ranked,
    }


_HEAD_LINES = 6
_HEAD_CHARS = 600


_LOWER_WORD = re.compile(r"(?<![\w'’.])(?!(?:am|pm|a\.m\.|p\.m\.)(?!\w))[a-z]")
_SEPARATOR = ("—", "–", "-", ",", "|", ":", "·", "(", "/")


def _is_dateline(event: Event, results: Sequence[ArticleResult], by_id: dict[str, int]) -> bool:
    """True for a dateline: a date in an article's opening lines that names
    its publish day, alone on its line or after names and a separator
    ("Harbor City Ledger — 01/22/2025", "WASHINGTON, Jan. 22").  It is the
    reference the other dates are read from, and the page draws it as the
    publish-date marker instead.
    """
    if event.mention is None or not event.dated or not event.sources:
        return False
    interval = interval_of(event)
    for source in event.sources:
        article = results[_article_of(source, by_id, results)]
        text = article.text
        day = _dt.datetime(article.published.year, article.published.month, article.published.day)
        head = text[:_HEAD_CHARS].splitlines()[:_HEAD_LINES]
        head_end = sum(len(line) + 1 for line in head)
        line_start = text.rfind("\n", 0, source.start) + 1
        line_end = text.find("\n", source.end)
        before = text[line_start : source.start].rstrip()
        after = text[source.end : line_end if line_end >= 0 else len(text)]
        if before:
            placed = before.endswith(_SEPARATOR) and not _LOWER_WORD.search(before)
        else:
            placed = not _LOWER_WORD.search(after)
        if not (placed and source.end <= head_end and interval.start <= day < interval.end):
            return False
    return True


def _article_of(source: Source, by_id: dict[str, int], results: Sequence[ArticleResult]) -> int:
    """The article a report came from: by document id, else by publish date."""
    if source.document is not None and source.document in by_id:
        return by_id[source.document]
    for index, r in enumerate(results):
        if r.published == source.published:
            return index
    return 0


_CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  margin: 16px 22px; color: #1f2937; background: #fff; }
h1 { font-size: 20px; margin: 0 0 2px; }
h2 { font-size: 16px; margin: 18px 0 6px; }
p.note { margin: 0 0 10px; color: #4b5563; }
.bar { display: flex; flex-wrap: wrap; gap: 6px 16px; align-items: center; margin: 6px 0; }
.bar .group { display: inline-flex; gap: 4px; align-items: center; }
.bar input[type=search] { width: 11em; }
button { font: inherit; padding: 1px 9px; border: 1px solid #cbd5e1; border-radius: 4px;
  background: #f8fafc; cursor: pointer; }
button:hover { background: #e2e8f0; }
label.grain { white-space: nowrap; margin-right: 6px; }
.swatch { display: inline-block; width: 18px; height: 10px; border-radius: 2px;
  margin: 0 4px 0 2px; vertical-align: -1px; }
.swatch.time { background: #7c3aed; } .swatch.day { background: #2563eb; }
.swatch.week { background: #059669; } .swatch.month { background: #d97706; }
.swatch.season { background: #db2777; } .swatch.year { background: #64748b; }
.swatch.undated { background: #fff; border: 1.5px solid #2563eb; width: 8px; height: 8px;
  border-radius: 50%; }
.key { color: #475569; font-size: 13px; margin: 2px 0 6px; }
.key .pub { color: #dc2626; font-weight: 700; }
details { margin: 4px 0 8px; }
summary { cursor: pointer; color: #334155; }
#article-list { list-style: none; padding: 0; margin: 6px 0; max-height: 14em; overflow: auto;
  columns: 22em; font-size: 13px; }
#article-list .meta, .source { color: #64748b; }
#article-list button.only { font-size: 11px; padding: 0 5px; margin-left: 4px; }
#article-list li[hidden] { display: none; }
#chart-wrap { position: relative; border: 1px solid #e2e8f0; border-radius: 4px; }
#chart { display: block; width: 100%; touch-action: none; cursor: grab; }
#chart:focus { outline: 2px solid #93c5fd; }
#tip { position: absolute; max-width: 30em; background: #0f172a; color: #f8fafc; font-size: 12px;
  padding: 6px 8px; border-radius: 4px; pointer-events: none; z-index: 2; }
#tip strong { display: block; }
#status { color: #475569; font-size: 13px; margin: 4px 0; }
#detail { border-left: 3px solid #2563eb; padding: 2px 12px; margin: 10px 0; }
#detail h2 { margin: 4px 0; }
#detail .facts { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; margin: 2px 0; }
#detail ul { margin: 4px 0; padding-left: 18px; }
mark { background: #fef08a; }
.chip { font-size: 12px; margin: 0 4px 4px 0; border-radius: 10px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { text-align: left; padding: 3px 10px 3px 0; vertical-align: top;
  border-bottom: 1px solid #e5e7eb; }
th { color: #475569; font-weight: 600; }
tbody tr { cursor: pointer; }
tbody tr:hover, tbody tr.selected { background: #eff6ff; }
td.value, td.span { font-family: ui-monospace, "DejaVu Sans Mono", monospace; white-space: nowrap; }
td.phrase { font-weight: 600; white-space: nowrap; }
td.sources { color: #64748b; }
""".strip()


# The page's script: it reads the JSON data block and draws everything.
_SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("timeline-data").textContent);
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  var KIND_OF = {
    second: "time", minute: "time", hour: "time", "part-of-day": "time", day: "day",
    weekend: "week", week: "week", month: "month", season: "season", quarter: "season",
    half: "season", year: "year", decade: "year", century: "year"
  };
  var KINDS = [
    ["time", "time of day", "#7c3aed"], ["day", "day", "#2563eb"],
    ["week", "week, weekend", "#059669"], ["month", "month", "#d97706"],
    ["season", "season, quarter, half", "#db2777"], ["year", "year, decade, century", "#64748b"],
    ["undated", "undated (on the publish date)", "#2563eb"]
  ];
  var COLOR = {};
  KINDS.forEach(function (k) { COLOR[k[0]] = k[2]; });
  var PUB = "#dc2626", INK = "#111827", GRID = "#e2e8f0", MUTED = "#64748b";
  var FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  var BOLD = "600 12px system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  var ROW = 22, AXIS = 30, STRIP = 18, PAD = 14, LANE_HEAD = 20, FOOT = 24;
  var MAX_ROWS = 36, LANE_ROWS = 4, MAX_LANES = 40, LIST_LIMIT = 500;
  var MIN_SPAN = 1 / 96, FIT_SHARE = 0.6;

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Calendar: days since 1970-01-01 to and from a proleptic Gregorian date.
  function civil(z) {
    z = Math.floor(z) + 719468;
    var era = Math.floor(z / 146097), doe = z - era * 146097;
    var yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    var doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    var mp = Math.floor((5 * doy + 2) / 153);
    var d = doy - Math.floor((153 * mp + 2) / 5) + 1, m = mp < 10 ? mp + 3 : mp - 9;
    return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
  }
  function dayOf(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400), yoe = y - era * 400;
    var doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
    return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  }
  function pad2(n) { return n < 10 ? "0" + n : String(n); }
  function fmtDay(z) { var c = civil(z); return c[2] + " " + MONTHS[c[1] - 1] + " " + c[0]; }
  function fmtShort(z) { var c = civil(z); return c[2] + " " + MONTHS[c[1] - 1]; }
  function fmtMonth(z) { var c = civil(z); return MONTHS[c[1] - 1] + " " + c[0]; }
  function fmtClock(z) {
    var minutes = Math.round(z * 1440), day = Math.floor(minutes / 1440), m = minutes - day * 1440;
    return pad2(Math.floor(m / 60)) + ":" + pad2(m % 60);
  }
  function fmtMoment(z) {
    var minutes = Math.round(z * 1440), day = Math.floor(minutes / 1440);
    return fmtDay(day) + " " + fmtClock(z);
  }
  function spanText(ev) {
    if (ev.timed) return fmtMoment(ev.s) + " – " + fmtMoment(ev.e);
    var last = Math.ceil(ev.e) - 1;
    return last <= ev.s ? fmtDay(ev.s) : fmtDay(ev.s) + " – " + fmtDay(last);
  }

  // The data, unpacked.
  var articles = data.articles.map(function (a, i) {
    return { i: i, id: a[0], pub: a[1], from: a[2], count: a[3], on: true };
  });
  var events = data.events.map(function (r, i) {
    var grain = data.grains[r[2]], flags = r[7], src = [];
    for (var k = 0; k < r[9].length; k += 2) src.push({ a: r[9][k], sent: data.sentences[r[9][k + 1]] });
    var ev = {
      i: i, s: r[0], e: r[1], grain: grain, mod: r[3], value: r[4], phrase: r[5], trig: r[6],
      undated: (flags & 1) !== 0, timed: (flags & 2) !== 0, fact: r[8], src: src, ents: r[10]
    };
    ev.kind = ev.undated ? "undated" : KIND_OF[grain] || "day";
    ev.label = ev.phrase + (ev.trig ? " · " + ev.trig : "") + (src.length > 1 ? "  ×" + src.length : "");
    return ev;
  });
  var present = {};
  events.forEach(function (ev) { present[ev.kind] = true; });

  var state = {
    a: 0, b: 1, mode: "merged", keyword: "", entity: -1, kinds: {}, inView: false,
    selected: -1, hover: -1, listAll: false
  };
  KINDS.forEach(function (k) { state.kinds[k[0]] = true; });
  var shown = events.slice();   // the events that pass the filters
  var boxes = [];               // what the last draw put where: [x0, y0, x1, y1, event]
  var pubBoxes = [];
  var labelWidth = [];

  // Views: the robust fit (most events and the publish dates) and everything.
  function fullRange(list) {
    var lo = Infinity, hi = -Infinity;
    list.forEach(function (ev) { lo = Math.min(lo, ev.s); hi = Math.max(hi, ev.e); });
    articles.forEach(function (a) { if (a.on) { lo = Math.min(lo, a.pub); hi = Math.max(hi, a.pub + 1); } });
    if (!isFinite(lo)) { lo = 0; hi = 1; }
    return padded(lo, hi);
  }
  function padded(lo, hi) {
    if (hi - lo < 14) { var mid = (lo + hi) / 2; lo = mid - 7; hi = mid + 7; }
    var pad = (hi - lo) * 0.04;
    return [lo - pad, hi + pad];
  }
  function fitRange(list) {
    // The narrowest window holding 60% of the events' middles, widened to
    // their whole intervals (unless far wider than the window) and to the
    // middle publish dates.
    var byMid = list.map(function (ev) { return [(ev.s + ev.e) / 2, ev]; })
      .sort(function (x, y) { return x[0] - y[0] || x[1].i - y[1].i; });
    var pubs = articles.filter(function (a) { return a.on; }).map(function (a) { return a.pub + 0.5; })
      .sort(function (x, y) { return x - y; });
    var lo = Infinity, hi = -Infinity, first = 0, k = Math.max(1, Math.ceil(byMid.length * FIT_SHARE));
    if (byMid.length) {
      var best = Infinity;
      for (var i = 0; i + k - 1 < byMid.length; i++) {
        var w = byMid[i + k - 1][0] - byMid[i][0];
        if (w < best) { best = w; first = i; lo = byMid[i][0]; hi = byMid[i + k - 1][0]; }
      }
    }
    if (pubs.length) {
      lo = Math.min(lo, pubs[Math.floor((pubs.length - 1) * 0.1)] - 0.5);
      hi = Math.max(hi, pubs[Math.ceil((pubs.length - 1) * 0.9)] + 0.5);
    }
    if (!isFinite(lo)) return fullRange(list);
    var span = Math.max(hi - lo, 14), wlo = lo, whi = hi;
    for (var j = first; j < first + k && j < byMid.length; j++) {
      var ev = byMid[j][1];
      if (ev.e - ev.s <= span * 3) { wlo = Math.min(wlo, ev.s); whi = Math.max(whi, ev.e); }
    }
    return padded(wlo, whi);
  }
  function setView(lo, hi) {
    var full = fullRange(events), span = Math.max(hi - lo, MIN_SPAN);
    var limit = Math.max((full[1] - full[0]) * 1.5, 30);
    if (span > limit) { var mid = (lo + hi) / 2; lo = mid - limit / 2; span = limit; }
    lo = Math.max(lo, -719162 - span / 2);
    lo = Math.min(lo, 2932897 - span / 2);
    state.a = lo; state.b = lo + span;
  }

  // Filters.
  function passes(ev) {
    if (!state.kinds[ev.kind]) return false;
    var any = false;
    for (var k = 0; k < ev.src.length; k++) if (articles[ev.src[k].a].on) { any = true; break; }
    if (!any) return false;
    if (state.entity >= 0 && ev.ents.indexOf(state.entity) < 0) return false;
    if (state.keyword) {
      if (ev.haystack === undefined) {
        var parts = [ev.phrase, ev.trig, ev.value];
        ev.src.forEach(function (s) { parts.push(s.sent, articles[s.a].id); });
        ev.ents.forEach(function (n) { parts.push(data.entities[n]); });
        ev.haystack = parts.join("\n").toLowerCase();
      }
      var words = state.keyword.split(/\s+/);
      for (var w = 0; w < words.length; w++) if (words[w] && ev.haystack.indexOf(words[w]) < 0) return false;
    }
    return true;
  }
  function refilter() {
    shown = events.filter(passes);
    if (state.selected >= 0 && !passes(events[state.selected])) select(-1);
    if (shown.length && !shown.some(inView)) { var r = fitRange(shown); setView(r[0], r[1]); }
    draw();
    scheduleList();
  }

  // Drawing.
  var canvas = $("chart"), ctx = canvas.getContext("2d"), tip = $("tip");
  var W = 800, L = PAD, R = 800 - PAD;
  function X(t) { return L + (t - state.a) / (state.b - state.a) * (R - L); }
  function T(x) { return state.a + (x - L) / (R - L) * (state.b - state.a); }

  var STEPS = [
    [1 / 1440, "m", 1], [5 / 1440, "m", 5], [15 / 1440, "m", 15], [30 / 1440, "m", 30],
    [1 / 24, "h", 1], [3 / 24, "h", 3], [6 / 24, "h", 6], [12 / 24, "h", 12],
    [1, "d", 1], [2, "d", 2], [7, "w", 1], [30.44, "M", 1], [91.3, "M", 3], [182.6, "M", 6],
    [365.25, "y", 1], [730.5, "y", 2], [1826, "y", 5], [3652, "y", 10], [7305, "y", 20],
    [18262, "y", 50], [36525, "y", 100], [73050, "y", 200], [182625, "y", 500], [365250, "y", 1000]
  ];
  function ticks() {
    var perDay = (R - L) / (state.b - state.a), step = STEPS[STEPS.length - 1];
    for (var s = 0; s < STEPS.length; s++) if (STEPS[s][0] * perDay >= 96) { step = STEPS[s]; break; }
    var out = [], unit = step[1], n = step[2], t, c;
    if (unit === "m" || unit === "h" || unit === "d") {
      var size = unit === "m" ? n / 1440 : unit === "h" ? n / 24 : n;
      for (t = Math.ceil(state.a / size) * size; t <= state.b && out.length < 400; t += size) {
        var exact = Math.round(t * 1440) / 1440;
        var midnight = Math.abs(exact - Math.round(exact)) < 1e-9;
        // Clock times carry their day at midnight and on the first tick.
        var label = midnight ? fmtDay(Math.round(exact)) : (out.length ? "" : fmtShort(exact) + " ") + fmtClock(exact);
        out.push([exact, label, midnight]);
      }
    } else if (unit === "w") {
      for (t = Math.ceil((state.a - 4) / 7) * 7 + 4; t <= state.b && out.length < 400; t += 7) out.push([t, fmtDay(t), true]);
    } else if (unit === "M") {
      c = civil(state.a);
      var month = c[0] * 12 + (c[1] - 1);
      month = Math.ceil(month / n) * n;
      for (; out.length < 400; month += n) {
        t = dayOf(Math.floor(month / 12), month % 12 + 1, 1);
        if (t > state.b) break;
        if (t >= state.a) out.push([t, fmtMonth(t), true]);
      }
    } else {
      c = civil(state.a);
      for (var y = Math.ceil(c[0] / n) * n; out.length < 400; y += n) {
        t = dayOf(y, 1, 1);
        if (t > state.b) break;
        if (t >= state.a && y >= 1 && y <= 9999) out.push([t, String(y), true]);
      }
    }
    return out;
  }

  function portion(ev) {
    var s = ev.s, e = ev.e, third = (e - s) / 3;
    if (ev.mod === "START") return [s, s + third];
    if (ev.mod === "MID") return [s + third, e - third];
    if (ev.mod === "END") return [e - third, e];
    return [s, e];
  }
  function measure(ev) {
    var w = labelWidth[ev.i];
    if (w === undefined) { ctx.font = FONT; w = labelWidth[ev.i] = ctx.measureText(ev.label).width; }
    return w;
  }
  // Where an event's mark and label go along x (rows are chosen after).
  function place(ev) {
    var part = portion(ev), x0 = X(ev.s), x1 = X(ev.e);
    var item = { ev: ev, wide: x1 - x0 >= 8 && !ev.undated, x0: x0, x1: x1, p0: X(part[0]), p1: X(part[1]) };
    if (!item.wide) { var c = (item.p0 + item.p1) / 2; item.x0 = item.x1 = item.p0 = item.p1 = c; }
    var vs = Math.max(item.x0 - (item.wide ? 0 : 6), L - 8), ve = Math.min(item.x1 + (item.wide ? 0 : 6), R + 8);
    var w = measure(ev), lx = ve + 5;
    if (lx + w > W - 4) lx = vs - 5 - w;
    if (lx < 4) { lx = Math.max(item.x0, L) + 4; item.inside = true; }
    item.lx = lx; item.lw = w;
    item.lo = Math.min(vs, lx) - 3; item.hi = Math.max(ve, lx + w) + 3;
    item.mlo = vs - 1; item.mhi = ve + 1;
    return item;
  }
  // Rows: first fit, the event that is asked about first, then reports
  // shared by several articles, then the rest in time order, and bars that
  // span most of the view last.  Past the last row an event keeps its mark
  // but loses its label; with no room even for that it is not drawn in a
  // row but counted in the strip below them.
  function room(row, lo, hi) {
    var a = 0, b = row.length;
    while (a < b) { var m = (a + b) >> 1; if (row[m][1] <= lo) a = m + 1; else b = m; }
    return a === row.length || row[a][0] >= hi ? a : -1;
  }
  function pack(items, maxRows) {
    var wide = (R - L) * 0.6;
    items.forEach(function (it) {
      it.rank = it.ev.i === state.selected ? 0 : it.ev.src.length > 1 ? 1 : it.x1 - it.x0 > wide ? 3 : 2;
    });
    items.sort(function (p, q) { return p.rank - q.rank || p.lo - q.lo || p.ev.i - q.ev.i; });
    var rows = [], over = [];
    items.forEach(function (it) {
      var r, k;
      it.label = true;
      for (r = 0; r < rows.length; r++) if ((k = room(rows[r], it.lo, it.hi)) >= 0) break;
      if (r === rows.length && rows.length < maxRows) { rows.push([]); k = 0; }
      if (r === rows.length) {
        it.label = false;
        for (r = 0; r < rows.length; r++) if ((k = room(rows[r], it.mlo, it.mhi)) >= 0) break;
      }
      if (r === rows.length) { it.row = -1; over.push(it); return; }
      it.row = r;
      rows[r].splice(k, 0, it.label ? [it.lo, it.hi] : [it.mlo, it.mhi]);
    });
    return { rows: Math.max(rows.length, 1), over: over };
  }
  function inView(ev) { return ev.e > state.a && ev.s < state.b; }

  function draw() {
    W = Math.max(canvas.parentNode.clientWidth, 320);
    L = PAD; R = W - PAD;
    var visible = shown.filter(inView);
    var layout = state.mode === "lanes" ? laneLayout(visible) : mergedLayout(visible);
    canvas.dataset.mode = state.mode;
    var H = layout.height, dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(W * dpr); canvas.height = Math.round(H * dpr);
    canvas.style.height = H + "px";
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    boxes = []; pubBoxes = [];
    layout.bands.forEach(function (band, k) {
      ctx.fillStyle = k % 2 ? "#f1f5f9" : "#f8fafc";
      ctx.fillRect(0, band.y, W, band.h);
    });
    var tk = ticks();
    ctx.font = FONT; ctx.textAlign = "center"; ctx.textBaseline = "alphabetic";
    tk.forEach(function (t) {
      var x = Math.round(X(t[0])) + 0.5;
      ctx.strokeStyle = GRID; ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(x, AXIS - 4); ctx.lineTo(x, H); ctx.stroke();
      var half = ctx.measureText(t[1]).width / 2;
      if (x - half < 2 || x + half > W - 2) return;
      ctx.fillStyle = "#475569"; ctx.fillText(t[1], x, AXIS - 10);
    });
    ctx.strokeStyle = "#94a3b8"; ctx.beginPath(); ctx.moveTo(0, AXIS + 0.5); ctx.lineTo(W, AXIS + 0.5); ctx.stroke();
    drawPublished(layout);
    layout.bands.forEach(function (band) {
      if (band.title) {
        ctx.textAlign = "left"; ctx.font = BOLD; ctx.fillStyle = "#0f172a";
        ctx.fillText(band.title, L, band.y + 14);
        var tw = ctx.measureText(band.title).width;
        ctx.font = FONT; ctx.fillStyle = MUTED; ctx.fillText(band.meta, L + tw + 10, band.y + 14);
      }
    });
    layout.items.forEach(drawMark);
    layout.items.forEach(drawLabel);
    drawFoot(layout);
    status(visible.length - layout.over.length, layout.note, layout.over.length);
  }

  function mergedLayout(visible) {
    var items = visible.map(place), packed = pack(items, MAX_ROWS), rows = packed.rows, top = AXIS + STRIP + 6;
    var drawn = items.filter(function (it) { return it.row >= 0; });
    drawn.forEach(function (it) { it.y = top + it.row * ROW + ROW / 2; });
    var y = top + rows * ROW + 4;
    return {
      items: drawn, height: y + FOOT, foot: y, over: packed.over, lanes: null, note: "",
      bands: [{ y: top - 4, h: rows * ROW + 8 }]
    };
  }
  function laneLayout(visible) {
    var chosen = articles.filter(function (a) { return a.on; });
    chosen.sort(function (p, q) { return p.pub - q.pub || (p.id < q.id ? -1 : p.id > q.id ? 1 : p.i - q.i); });
    var note = chosen.length > MAX_LANES ? "lanes for the first " + MAX_LANES + " of " + chosen.length + " articles (filter by article)" : "";
    chosen = chosen.slice(0, MAX_LANES);
    var byArticle = {};
    chosen.forEach(function (a) { byArticle[a.i] = []; });
    visible.forEach(function (ev) {
      var seen = {};
      ev.src.forEach(function (s) {
        if (byArticle[s.a] && !seen[s.a]) { seen[s.a] = true; byArticle[s.a].push(ev); }
      });
    });
    var y = AXIS + STRIP + 6, items = [], bands = [], over = [];
    var laneRows = Math.max(LANE_ROWS, Math.min(24, Math.floor(MAX_ROWS * 1.5 / Math.max(chosen.length, 1))));
    chosen.forEach(function (a) {
      var mine = byArticle[a.i].map(place), packed = pack(mine, laneRows), h = LANE_HEAD + packed.rows * ROW + 8;
      mine.forEach(function (it) { if (it.row >= 0) { it.y = y + LANE_HEAD + it.row * ROW + ROW / 2; items.push(it); } });
      packed.over.forEach(function (it) { over.push(it); });
      bands.push({ y: y, h: h, title: a.id, meta: "published " + fmtDay(a.pub) + " · " + a.count + " event" + (a.count === 1 ? "" : "s"), article: a });
      y += h + 4;
    });
    return { items: items, height: y + FOOT, foot: y, over: over, bands: bands, lanes: true, note: note };
  }

  function drawPublished(layout) {
    var days = {}, order = [];
    articles.forEach(function (a) {
      if (!a.on || a.pub + 1 <= state.a || a.pub >= state.b) return;
      if (!days[a.pub]) { days[a.pub] = []; order.push(a.pub); }
      days[a.pub].push(a);
    });
    order.sort(function (p, q) { return p - q; });
    var y0 = AXIS + 3, bottom = layout.height;
    ctx.textAlign = "left"; ctx.font = FONT;
    var lastLabel = -Infinity;
    order.forEach(function (day) {
      var x0 = X(day), x1 = X(day + 1), x = (x0 + x1) / 2, list = days[day];
      if (x1 - x0 >= 3 && !layout.lanes) {
        ctx.fillStyle = "rgba(220, 38, 38, 0.07)"; ctx.fillRect(x0, y0, x1 - x0, bottom - y0);
      }
      ctx.fillStyle = PUB;
      ctx.beginPath(); ctx.moveTo(x - 5, y0); ctx.lineTo(x + 5, y0); ctx.lineTo(x, y0 + 8); ctx.closePath(); ctx.fill();
      if (list.length > 1 && x + 7 > lastLabel) {
        var text = String(list.length);
        ctx.fillText(text, x + 7, y0 + 9);
        lastLabel = x + 7 + ctx.measureText(text).width + 4;
      }
      pubBoxes.push([x - 6, y0 - 2, x + 6, y0 + STRIP - 4, list]);
    });
    ctx.strokeStyle = PUB; ctx.lineWidth = 1.25; ctx.setLineDash([4, 3]);
    if (layout.lanes) {
      layout.bands.forEach(function (band) {
        var a = band.article;
        if (a.pub + 1 <= state.a || a.pub >= state.b) return;
        var x = Math.round(X(a.pub + 0.5)) + 0.5, x0 = X(a.pub), x1 = X(a.pub + 1);
        if (x1 - x0 >= 3) {
          ctx.fillStyle = "rgba(220, 38, 38, 0.07)";
          ctx.fillRect(x0, band.y + LANE_HEAD - 2, x1 - x0, band.h - LANE_HEAD + 2);
        }
        ctx.beginPath(); ctx.moveTo(x, band.y + LANE_HEAD - 2); ctx.lineTo(x, band.y + band.h); ctx.stroke();
      });
    } else if (order.length <= 12) {
      order.forEach(function (day) {
        var x = Math.round(X(day + 0.5)) + 0.5;
        ctx.beginPath(); ctx.moveTo(x, y0 + 9); ctx.lineTo(x, bottom); ctx.stroke();
      });
    }
    ctx.setLineDash([]);
  }

  function drawMark(it) {
    var ev = it.ev, color = COLOR[ev.kind], y = it.y, hot = ev.i === state.selected || ev.i === state.hover;
    if (it.wide) {
      var x0 = Math.max(it.x0, -20), x1 = Math.min(it.x1, W + 20);
      var p0 = Math.max(it.p0, -20), p1 = Math.min(it.p1, W + 20);
      if (ev.mod === "START" || ev.mod === "MID" || ev.mod === "END") {
        ctx.globalAlpha = 0.16; ctx.fillStyle = color; ctx.fillRect(x0, y - 6, x1 - x0, 12);
        ctx.globalAlpha = 1; ctx.strokeStyle = color; ctx.lineWidth = 1;
        ctx.strokeRect(x0 + 0.5, y - 5.5, Math.max(x1 - x0 - 1, 1), 11);
        ctx.fillRect(p0, y - 6, Math.max(p1 - p0, 2), 12);
      } else {
        ctx.globalAlpha = ev.mod === "APPROX" ? 0.55 : 1;
        ctx.fillStyle = color; ctx.fillRect(x0, y - 6, x1 - x0, 12);
        ctx.globalAlpha = 1;
        if (ev.mod === "APPROX") {
          ctx.setLineDash([3, 2]); ctx.strokeStyle = color;
          ctx.strokeRect(x0 + 0.5, y - 5.5, Math.max(x1 - x0 - 1, 1), 11); ctx.setLineDash([]);
        }
      }
      if (ev.src.length > 1 || hot) {
        ctx.strokeStyle = INK; ctx.lineWidth = hot ? 2 : 1.25;
        ctx.strokeRect(x0 + 0.5, y - 6.5, Math.max(x1 - x0 - 1, 1), 13);
      }
      boxes.push([x0, y - 7, x1, y + 7, ev]);
    } else {
      var x = it.x0;
      ctx.beginPath();
      if (ev.kind === "time") { ctx.moveTo(x, y - 6.5); ctx.lineTo(x + 6.5, y); ctx.lineTo(x, y + 6.5); ctx.lineTo(x - 6.5, y); ctx.closePath(); }
      else ctx.arc(x, y, 5.5, 0, Math.PI * 2);
      if (ev.undated) { ctx.fillStyle = "#fff"; ctx.fill(); ctx.strokeStyle = color; ctx.lineWidth = 1.5; ctx.stroke(); }
      else { ctx.fillStyle = color; ctx.fill(); ctx.strokeStyle = "#fff"; ctx.lineWidth = 1; ctx.stroke(); }
      if (ev.src.length > 1 || hot) {
        ctx.beginPath(); ctx.arc(x, y, 8.5, 0, Math.PI * 2);
        ctx.strokeStyle = INK; ctx.lineWidth = hot ? 2 : 1.25; ctx.stroke();
      }
      boxes.push([x - 8, y - 8, x + 8, y + 8, ev]);
    }
  }
  function drawLabel(it) {
    if (!it.label) return;
    var ev = it.ev, y = it.y + 4;
    ctx.font = FONT; ctx.textAlign = "left";
    ctx.lineJoin = "round"; ctx.lineWidth = 4; ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
    ctx.strokeText(ev.label, it.lx, y);
    ctx.fillStyle = ev.i === state.selected ? INK : "#1f2937";
    ctx.fillText(ev.label, it.lx, y);
    if (ev.i === state.selected) { ctx.fillRect(it.lx, y + 2, it.lw, 1); }
    boxes.push([it.lx, it.y - 8, it.lx + it.lw, it.y + 8, ev]);
  }
  // The strip under the rows: how many events are off screen either side
  // (click to go to the nearest), and where the events that found no row are.
  var edgeBoxes = [];
  function drawFoot(layout) {
    var before = 0, after = 0, y = layout.foot + 3, h = FOOT - 6;
    shown.forEach(function (ev) { if (ev.e <= state.a) before++; else if (ev.s >= state.b) after++; });
    state.before = before; state.after = after;
    edgeBoxes = [];
    ctx.font = BOLD; ctx.textBaseline = "middle";
    var left = L, right = R;
    [[before, "◀ " + before + " earlier", -1], [after, after + " later ▶", 1]].forEach(function (edge) {
      if (!edge[0]) return;
      var w = ctx.measureText(edge[1]).width + 12, x = edge[2] < 0 ? 2 : W - w - 2;
      ctx.fillStyle = "rgba(15, 23, 42, 0.78)"; ctx.fillRect(x, y, w, h);
      ctx.fillStyle = "#fff"; ctx.textAlign = "left"; ctx.fillText(edge[1], x + 6, y + h / 2 + 0.5);
      edgeBoxes.push([x, y, x + w, y + h, edge[2]]);
      if (edge[2] < 0) left = x + w + 6; else right = x - 6;
    });
    if (layout.over.length) {
      var size = 3, counts = {}, most = 1;
      layout.over.forEach(function (it) {
        var a = Math.floor(Math.max(it.x0, left) / size), b = Math.floor(Math.min(it.x1, right) / size);
        for (var k = a; k <= b; k++) { counts[k] = (counts[k] || 0) + 1; most = Math.max(most, counts[k]); }
      });
      ctx.fillStyle = "#94a3b8";
      Object.keys(counts).forEach(function (k) {
        var bar = Math.max(2, h * Math.log(1 + counts[k]) / Math.log(1 + most));
        ctx.fillRect(Number(k) * size, y + h - bar, size - 1, bar);
      });
      var text = "+" + layout.over.length + " more here: zoom in or filter";
      ctx.font = FONT; ctx.textAlign = "right"; ctx.lineWidth = 4; ctx.strokeStyle = "#fff";
      ctx.strokeText(text, right, y + h / 2 + 0.5);
      ctx.fillStyle = "#334155"; ctx.fillText(text, right, y + h / 2 + 0.5);
    }
    ctx.textBaseline = "alphabetic";
  }
  function status(inview, note, over) {
    var text = "Drawn " + inview + " of " + shown.length + " events" + (over ? " (" + over + " more in view, in the strip)" : "") +
      (shown.length !== events.length ? " (" + events.length + " before filters)" : "") +
      " · " + (state.b - state.a < 3 ? fmtMoment(state.a) + " – " + fmtMoment(state.b)
        : fmtDay(Math.floor(state.a)) + " – " + fmtDay(Math.floor(state.b)));
    if (state.before || state.after) text += " · off screen: " + state.before + " earlier, " + state.after + " later";
    if (note) text += " · " + note;
    $("status").textContent = text;
  }

  // The list of events and the details of one.
  var listTimer = 0;
  function scheduleList() { clearTimeout(listTimer); listTimer = setTimeout(renderList, 120); }
  function renderList() {
    var rows = state.inView ? shown.filter(inView) : shown, body = $("event-rows");
    var limit = state.listAll ? rows.length : Math.min(rows.length, LIST_LIMIT);
    var frag = document.createDocumentFragment();
    for (var k = 0; k < limit; k++) {
      var ev = rows[k], tr = el("tr");
      tr.dataset.event = String(ev.i);
      tr.tabIndex = 0;
      if (ev.i === state.selected) tr.className = "selected";
      tr.appendChild(el("td", "value", ev.value));
      tr.appendChild(el("td", "span", spanText(ev)));
      tr.appendChild(el("td", "", ev.grain + (ev.mod ? " · " + ev.mod.toLowerCase() : "")));
      tr.appendChild(el("td", "phrase", ev.phrase));
      var td = el("td");
      if (ev.trig) { td.appendChild(el("strong", "", ev.trig)); td.appendChild(document.createTextNode(": ")); }
      td.appendChild(document.createTextNode(ev.src[0].sent));
      tr.appendChild(td);
      tr.appendChild(el("td", "sources", ev.src.map(function (s) { return articles[s.a].id; }).join(", ")));
      frag.appendChild(tr);
    }
    body.textContent = "";
    body.appendChild(frag);
    var more = $("more");
    more.hidden = limit >= rows.length;
    more.textContent = "Show all " + rows.length + " events";
    $("list-count").textContent = rows.length + (rows.length === 1 ? " event" : " events");
  }
  function marked(sentence, phrase) {
    var box = el("span"), at = phrase ? sentence.indexOf(phrase) : -1;
    if (at < 0) { box.textContent = sentence; return box; }
    box.appendChild(document.createTextNode(sentence.slice(0, at)));
    box.appendChild(el("mark", "", phrase));
    box.appendChild(document.createTextNode(sentence.slice(at + phrase.length)));
    return box;
  }
  function select(i) {
    state.selected = i;
    var panel = $("detail");
    panel.textContent = "";
    if (i < 0) { panel.hidden = true; return; }
    var ev = events[i];
    panel.hidden = false;
    var head = el("h2", "", ev.phrase + (ev.trig ? " · " + ev.trig : ""));
    panel.appendChild(head);
    var facts = [ev.value, ev.grain + (ev.mod ? ", " + ev.mod.toLowerCase() : ""), spanText(ev)];
    if (ev.undated) facts.push("undated: on the publish date");
    if (ev.fact) facts.push(ev.fact);
    panel.appendChild(el("p", "facts", facts.join(" · ")));
    var list = el("ul");
    ev.src.forEach(function (s) {
      var a = articles[s.a], li = el("li");
      li.appendChild(el("span", "source", a.id + " (published " + fmtDay(a.pub) + ")"));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(marked(s.sent, ev.undated ? ev.trig : ev.phrase));
      list.appendChild(li);
    });
    panel.appendChild(el("p", "sources-head", ev.src.length > 1 ? "Reported by " + ev.src.length + " articles:" : "Reported by:"));
    panel.appendChild(list);
    if (ev.ents.length) {
      var ents = el("p", "entities", "Names: ");
      ev.ents.forEach(function (n) {
        var b = el("button", "chip", data.entities[n]);
        b.type = "button";
        b.addEventListener("click", function () { $("entity").value = data.entities[n]; onEntity(); });
        ents.appendChild(b);
      });
      panel.appendChild(ents);
    }
  }

  // Interaction.
  function zoom(factor, at) {
    var t = T(at === undefined ? (L + R) / 2 : at), lo = t - (t - state.a) * factor, hi = t + (state.b - t) * factor;
    if (hi - lo < MIN_SPAN) return;
    setView(lo, hi); frame();
  }
  function pan(dx) {
    var shift = dx / (R - L) * (state.b - state.a);
    setView(state.a - shift, state.b - shift); frame();
  }
  // One drawing per frame however many events asked for it; a timer stands
  // in where no frames come (a hidden or headless page).
  var pending = false;
  function frame() {
    if (pending) return;
    pending = true;
    var run = function () {
      if (!pending) return;
      pending = false; draw();
      if (state.inView) scheduleList();
    };
    window.requestAnimationFrame(run);
    setTimeout(run, 100);
  }
  function hit(x, y, list) {
    for (var k = list.length - 1; k >= 0; k--) {
      var b = list[k];
      if (x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3]) return b;
    }
    return null;
  }
  function local(e) { var r = canvas.getBoundingClientRect(); return [e.clientX - r.left, e.clientY - r.top]; }
  function showTip(lines, px, py) {
    tip.textContent = "";
    lines.forEach(function (line, k) { tip.appendChild(el(k ? "div" : "strong", "", line)); });
    tip.hidden = false;
    var wrap = canvas.parentNode.getBoundingClientRect(), w = tip.offsetWidth;
    tip.style.left = Math.max(4, Math.min(px + 14, wrap.width - w - 4)) + "px";
    tip.style.top = (py + 18) + "px";
  }
  function eventTip(ev) {
    var lines = ["“" + ev.phrase + "” → " + ev.value];
    lines.push(ev.grain + (ev.mod ? ", " + ev.mod.toLowerCase() : "") + " · " + spanText(ev));
    var sent = ev.src[0].sent;
    if (sent.length > 240) sent = sent.slice(0, 239) + "…";
    lines.push((ev.trig ? ev.trig + ": " : "") + sent);
    var names = ev.src.map(function (s) { return articles[s.a].id; });
    lines.push(names.length > 1 ? "Reported by " + names.length + ": " + names.slice(0, 6).join(", ") + (names.length > 6 ? " …" : "") : names[0]);
    return lines;
  }
  var drag = null;
  canvas.addEventListener("pointerdown", function (e) {
    drag = { x: e.clientX, moved: 0 };
    try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* a pointer already gone */ }
  });
  canvas.addEventListener("pointermove", function (e) {
    var p = local(e);
    if (drag) {
      var dx = e.clientX - drag.x;
      if (dx) { drag.moved += Math.abs(dx); drag.x = e.clientX; pan(dx); }
      if (drag.moved > 3) { tip.hidden = true; return; }
    }
    var b = hit(p[0], p[1], boxes), before = state.hover;
    state.hover = b ? b[4].i : -1;
    if (b) showTip(eventTip(b[4]), p[0], p[1]);
    else {
      var pb = hit(p[0], p[1], pubBoxes);
      if (pb) {
        var ids = pb[4].map(function (a) { return a.id; });
        showTip(["Published " + fmtDay(pb[4][0].pub), ids.slice(0, 8).join(", ") + (ids.length > 8 ? " and " + (ids.length - 8) + " more" : "")], p[0], p[1]);
      } else tip.hidden = true;
    }
    canvas.style.cursor = b || hit(p[0], p[1], edgeBoxes) ? "pointer" : "grab";
    if (before !== state.hover) frame();
  });
  canvas.addEventListener("pointerleave", function () { tip.hidden = true; if (state.hover >= 0) { state.hover = -1; frame(); } });
  canvas.addEventListener("pointerup", function (e) {
    var moved = drag ? drag.moved : 0;
    drag = null;
    if (moved > 3) return;
    var p = local(e), edge = hit(p[0], p[1], edgeBoxes);
    if (edge) { jump(edge[4]); return; }
    var b = hit(p[0], p[1], boxes);
    select(b ? b[4].i : -1);
    frame(); scheduleList();
  });
  canvas.addEventListener("wheel", function (e) {
    e.preventDefault();
    var p = local(e), dy = e.deltaMode === 1 ? e.deltaY * 20 : e.deltaY, dx = e.deltaMode === 1 ? e.deltaX * 20 : e.deltaX;
    if (Math.abs(dx) > Math.abs(dy)) pan(-dx);
    else zoom(Math.exp(Math.max(-1, Math.min(1, dy / 300))), p[0]);
  }, { passive: false });
  canvas.addEventListener("dblclick", function (e) { zoom(0.5, local(e)[0]); });
  canvas.addEventListener("keydown", function (e) {
    var keys = { "+": function () { zoom(0.7); }, "=": function () { zoom(0.7); }, "-": function () { zoom(1 / 0.7); },
      ArrowLeft: function () { pan((R - L) / 5); }, ArrowRight: function () { pan(-(R - L) / 5); },
      "0": fit, Escape: function () { select(-1); frame(); } };
    if (keys[e.key]) { e.preventDefault(); keys[e.key](); }
  });
  // Off-screen events: centre the nearest one on that side.
  function jump(side) {
    var best = null;
    shown.forEach(function (ev) {
      if (side < 0 && ev.e <= state.a && (!best || ev.e > best.e)) best = ev;
      if (side > 0 && ev.s >= state.b && (!best || ev.s < best.s)) best = ev;
    });
    if (!best) return;
    var span = Math.max(state.b - state.a, (best.e - best.s) * 1.6), mid = (best.s + best.e) / 2;
    setView(mid - span / 2, mid + span / 2); frame();
  }
  function fit() { var r = fitRange(shown); setView(r[0], r[1]); frame(); }
  function fitAll() { var r = fullRange(shown); setView(r[0], r[1]); frame(); }
  $("zoom-in").addEventListener("click", function () { zoom(0.5); });
  $("zoom-out").addEventListener("click", function () { zoom(2); });
  $("fit").addEventListener("click", fit);
  $("fit-all").addEventListener("click", fitAll);
  Array.prototype.forEach.call(document.querySelectorAll("input[name=mode]"), function (input) {
    input.addEventListener("change", function () { state.mode = input.value; frame(); });
  });
  var keyTimer = 0;
  $("keyword").addEventListener("input", function () {
    clearTimeout(keyTimer);
    keyTimer = setTimeout(function () { state.keyword = $("keyword").value.trim().toLowerCase(); refilter(); }, 150);
  });
  var entityIndex = {};
  data.entities.forEach(function (name, i) { entityIndex[name.toLowerCase()] = i; });
  function onEntity() {
    var value = $("entity").value.trim().toLowerCase();
    state.entity = value ? (entityIndex[value] !== undefined ? entityIndex[value] : -2) : -1;
    refilter();
  }
  $("entity").addEventListener("change", onEntity);
  $("entity").addEventListener("input", function () { if (!$("entity").value) onEntity(); });
  $("in-view").addEventListener("change", function () { state.inView = $("in-view").checked; scheduleList(); });
  $("more").addEventListener("click", function () { state.listAll = true; renderList(); });
  $("event-rows").addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.closest("tr")) e.target.closest("tr").click();
  });
  $("event-rows").addEventListener("click", function (e) {
    var tr = e.target.closest("tr");
    if (!tr) return;
    var ev = events[Number(tr.dataset.event)];
    select(ev.i);
    if (!inView(ev)) { var span = Math.max(state.b - state.a, (ev.e - ev.s) * 1.6), mid = (ev.s + ev.e) / 2; setView(mid - span / 2, mid + span / 2); }
    frame(); scheduleList();
    canvas.scrollIntoView({ block: "nearest" });
  });

  // Controls built from the data: grains, entities, articles.
  var grainBox = $("grains");
  KINDS.forEach(function (k) {
    if (!present[k[0]]) return;
    var label = el("label", "grain"), box = el("input");
    box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () { state.kinds[k[0]] = box.checked; refilter(); });
    label.appendChild(box);
    label.appendChild(el("span", "swatch " + k[0]));
    label.appendChild(document.createTextNode(k[1]));
    grainBox.appendChild(label);
  });
  var options = $("entity-list"), frag = document.createDocumentFragment();
  data.entities.forEach(function (name) { var o = el("option"); o.value = name; frag.appendChild(o); });
  options.appendChild(frag);
  var listBox = $("article-list");
  frag = document.createDocumentFragment();
  var boxesByArticle = articles.map(function (a) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true;
    box.addEventListener("change", function () { a.on = box.checked; refilter(); });
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + a.id + " "));
    label.appendChild(el("span", "meta", fmtDay(a.pub) + " · " + a.count));
    var only = el("button", "only", "only");
    only.type = "button";
    only.title = "Show this article alone";
    only.addEventListener("click", function () {
      articles.forEach(function (b, i) { b.on = b === a; boxesByArticle[i].checked = b.on; });
      refilter();
    });
    li.appendChild(label); li.appendChild(only); frag.appendChild(li);
    li.dataset.text = a.id.toLowerCase();
    return box;
  });
  listBox.appendChild(frag);
  $("article-search").addEventListener("input", function () {
    var q = $("article-search").value.trim().toLowerCase();
    Array.prototype.forEach.call(listBox.children, function (li) {
      li.hidden = q !== "" && li.dataset.text.indexOf(q) < 0;
    });
  });
  function setAll(on) {
    articles.forEach(function (a, i) { a.on = on; boxesByArticle[i].checked = on; });
    refilter();
  }
  $("articles-all").addEventListener("click", function () { setAll(true); });
  $("articles-none").addEventListener("click", function () { setAll(false); });
  window.addEventListener("resize", frame);

  // A link can open the page in a given state: #lanes&q=ferry&entity=Kessel.
  window.location.hash.replace(/^#/, "").split("&").forEach(function (part) {
    var at = part.indexOf("="), key = at < 0 ? part : part.slice(0, at), value = "";
    try { value = at < 0 ? "" : decodeURIComponent(part.slice(at + 1)); } catch (err) { return; }
    if (key === "lanes") {
      state.mode = "lanes";
      document.querySelector("input[name=mode][value=lanes]").checked = true;
    } else if (key === "q") {
      $("keyword").value = value; state.keyword = value.trim().toLowerCase();
    } else if (key === "entity") {
      $("entity").value = value;
      var found = entityIndex[value.trim().toLowerCase()];
      state.entity = value.trim() ? (found !== undefined ? found : -2) : -1;
    }
  });
  shown = events.filter(passes);
  var start = fitRange(shown.length ? shown : events);
  setView(start[0], start[1]);
  draw();
  renderList();
  $("status").dataset.readyMs = String(Math.round(window.performance.now()));
})();
""".strip()


# The script is allowed by its hash: no other script may run.
_SCRIPT_HASH = base64.b64encode(hashlib.sha256(_SCRIPT.encode("utf-8")).digest()).decode("ascii")

CSP = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{_SCRIPT_HASH}'"


def _summary(results: Sequence[ArticleResult], data: dict[str, Any]) -> str:
    n_events = len(data["events"])
    shared = sum(len(row[9]) > 2 for row in data["events"])
    days = sorted(r.published for r in results)
    if not days:
        return "No articles."
    parts = [
        f"{len(results)} article{'s' if len(results) != 1 else ''}",
        f"{n_events} event{'s' if n_events != 1 else ''}"
        + (f", {shared} reported by several articles" if shared else ""),
        "published "
        + (
            fmt_day(days[0]) if days[0] == days[-1] else f"{fmt_day(days[0])} – {fmt_day(days[-1])}"
        ),
    ]
    return " · ".join(parts) + "."


_BODY = """\
<div class="bar" role="toolbar" aria-label="View">
<span class="group" role="radiogroup" aria-label="Layout">\
<label><input type="radio" name="mode" value="merged" checked> Merged</label>\
<label><input type="radio" name="mode" value="lanes"> By article</label></span>
<span class="group"><button type="button" id="zoom-out" title="Zoom out (-)">\u2212</button>\
<button type="button" id="zoom-in" title="Zoom in (+)">+</button>\
<button type="button" id="fit" title="Most events and the publish dates (0)">Fit</button>\
<button type="button" id="fit-all" title="Every event">All</button></span>
<label>Keyword <input id="keyword" type="search" autocomplete="off"></label>
<label>Entity <input id="entity" type="search" list="entity-list" autocomplete="off"></label>
<datalist id="entity-list"></datalist>
</div>
<div class="bar" id="grains" aria-label="Grains"></div>
<details id="articles"><summary>Articles ({n_articles})</summary>
<button type="button" id="articles-all">All</button> <button type="button" id="articles-none">None</button>
<input id="article-search" type="search" placeholder="find an article" autocomplete="off">
<ul id="article-list"></ul></details>
<p class="key">Drag to pan, scroll or double-click to zoom. Points are days, diamonds clock times, \
bars longer periods; a bar with a solid part is the start, middle or end of its period; a ring \
marks an event reported by several articles. <span class="pub">\u25bc</span> and the dashed line: \
an article's publish date.</p>
<div id="chart-wrap"><canvas id="chart" tabindex="0" role="img" aria-label="{aria}"></canvas>\
<div id="tip" role="tooltip" hidden></div></div>
<p id="status" aria-live="polite"></p>
<section id="detail" aria-live="polite" hidden></section>
<h2>Events <small id="list-count"></small></h2>
<label><input id="in-view" type="checkbox"> only those in view</label>
<table id="events"><thead><tr><th>Value</th><th>Interval</th><th>Grain</th><th>Phrase</th>\
<th>Event</th><th>Articles</th></tr></thead><tbody id="event-rows"></tbody></table>
<p><button type="button" id="more" hidden>Show all</button></p>
"""


def render_html(results: Sequence[ArticleResult]) -> str:
    """The story view of ``results`` as one self-contained HTML page."""
    data = story_data(results)
    if len(results) == 1:
        title = f"Timeline: {squash(results[0].id)}"
    else:
        title = f"Timeline of {len(results)} articles"
    body = _BODY.format(
        n_articles=len(results),
        aria=html.escape(
            f"Timeline of {len(data['events'])} events from {len(results)} article(s)"
        ),
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        # Nothing on this page may be fetched, and only its own script runs.
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="timeline">\n'
        f"<title>{html.escape(title)}</title>\n"
        f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n"
        f"<h1>{html.escape(title)}</h1>\n"
        f'<p class="note">{html.escape(_summary(results, data))}</p>\n'
        "<noscript><p><strong>This page draws the timeline with JavaScript.</strong> "
        "Turn it on, or use another format (json, csv, text).</p></noscript>\n"
        f"{body}"
        f'<script type="application/json" id="timeline-data">{script_json(data)}</script>\n'
        f"<script>{_SCRIPT}</script>\n"
        "</body>\n</html>\n"
    )
