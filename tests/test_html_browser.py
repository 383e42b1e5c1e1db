"""The story view in a real browser: headless Chromium.

Skipped where no Chromium is installed (Debian: ``apt-get install chromium``).
Chromium runs with a dead proxy, so even its own background traffic never
leaves the machine, and with a network log, which shows any request the page
itself starts (there must be none).  The page's script runs: the DOM read back
with ``--dump-dom`` is what the script built, and screenshots show its canvas.

``TIMELINE_UPDATE_SCREENSHOTS=1`` also rewrites ``docs/img/example-timeline.png``
and ``docs/img/story-view.png``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

import timeline
from timeline.cli import example_text
from timeline.io.formats import ArticleResult, render
from timeline.io.html import story_data

from .test_html_story import ISLAND, LEDGER

REPO = Path(__file__).resolve().parents[1]
IMAGES = REPO / "docs" / "img"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
UPDATE = os.environ.get("TIMELINE_UPDATE_SCREENSHOTS") == "1"


@pytest.fixture(scope="module")
def browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium binary (apt-get install chromium)")


def article(doc_id: str, published: dt.date, text: str) -> ArticleResult:
    t = timeline.build(text, published, document=doc_id)
    return ArticleResult(doc_id, published, "dateline", text, t)


@pytest.fixture(scope="module")
def example() -> ArticleResult:
    return article("<example>", dt.date(2025, 1, 22), example_text())


@pytest.fixture(scope="module")
def story(example: ArticleResult) -> list[ArticleResult]:
    return [
        example,
        article("ledger-0124.txt", dt.date(2025, 1, 24), LEDGER),
        article("kessel-0203.txt", dt.date(2025, 2, 3), ISLAND),
    ]


def run_chromium(browser: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium with no way out to the network."""
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    command = [
        browser,
        "--headless",
        "--no-sandbox",  # CI runs as root
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--proxy-server=127.0.0.1:9",  # the discard port: any fetch fails
        "--virtual-time-budget=3000",  # timers (the event list) have run
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def page_requests(net_log: Path) -> list[str]:
    """URLs the page asked for, from Chromium's network log.

    Chromium's own requests (update checks ...) have no initiator ("not an
    origin"); anything the page loads carries the file's origin.
    """
    log = json.loads(net_log.read_text("utf-8"))
    start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls = []
    for event in log["events"]:
        params = event.get("params", {})
        page_made = params.get("initiator") != "not an origin"
        if event["type"] == start_job and "url" in params and page_made:
            urls.append(params["url"])
    return urls


def load(browser: str, tmp: Path, page: str, fragment: str = "") -> tuple[str, list[str]]:
    """The DOM Chromium built from ``page`` and the requests the page made."""
    path = tmp / "page.html"
    path.write_text(page, "utf-8")
    net_log = tmp / "net.json"
    url = path.as_uri() + fragment
    proc = run_chromium(browser, tmp, f"--log-net-log={net_log}", "--dump-dom", url)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, page_requests(net_log)


def listed(dom: str) -> dict[int, list[str]]:
    """The event list the script built: event index -> the row's cells as text."""
    rows: dict[int, list[str]] = {}
    for index, body in re.findall(r'<tr data-event="(\d+)"[^>]*>(.*?)</tr>', dom, re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)
        rows[int(index)] = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in cells]
    return rows


def status(dom: str) -> str:
    found = re.search(r'<p id="status"[^>]*>(.*?)</p>', dom, re.S)
    assert found is not None, "no status line"
    return html.unescape(found.group(1))


def day_text(days: float) -> str:
    d = dt.date(1970, 1, 1) + dt.timedelta(days=int(days // 1))
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def span_text(start: float, end: float, timed: bool) -> str:
    """The interval as the page writes it, computed here independently."""
    if timed:
        a = dt.datetime(1970, 1, 1) + dt.timedelta(minutes=round(start * 1440))
        b = dt.datetime(1970, 1, 1) + dt.timedelta(minutes=round(end * 1440))
        return f"{day_text(start)} {a:%H:%M} – {day_text(end)} {b:%H:%M}"
    last = -(-end // 1) - 1
    return day_text(start) if last <= start else f"{day_text(start)} – {day_text(last)}"


def test_page_lists_every_event_and_fetches_nothing(
    browser: str, story: list[ArticleResult], tmp_path: Path
) -> None:
    page = render(story, "html")
    data = story_data(story)
    dom, requests = load(browser, tmp_path, page)
    assert requests == []
    assert 'data-mode="merged"' in dom and 'data-ready-ms="' in dom
    rows = listed(dom)
    assert sorted(rows) == list(range(len(data["events"])))
    for index, row in enumerate(data["events"]):
        start, end, _, mod, value, phrase, trigger, flags, _, sources, _ = row
        cells = rows[index]
        assert cells[0] == value and cells[3] == phrase
        assert cells[1] == span_text(start, end, bool(flags & 2))  # the calendar in JS
        assert cells[2].startswith(data["grains"][row[2]])
        if mod:
            assert cells[2].endswith(mod.lower())
        assert cells[4].startswith(f"{trigger}: ")
        assert cells[5] == ", ".join(data["articles"][a][0] for a in sources[0::2])
    n = len(data["events"])
    line = status(dom)
    assert re.match(rf"Drawn (\d+) of {n} events", line), line
    drawn = int(line.split()[1])
    off = re.search(r"off screen: (\d+) earlier, (\d+) later", line)
    hidden = sum(map(int, off.groups())) if off else 0
    assert drawn + hidden == n  # every event is drawn or counted off screen
    # The controls the script builds from the data.
    listed_articles = re.findall(r'<li data-text="([^"]*)"><label><input type="checkbox">', dom)
    assert [html.unescape(t) for t in listed_articles] == [r.id.lower() for r in story]
    assert dom.count('<button class="only" type="button"') == len(story)
    kinds = {_kind(data["grains"][r[2]]) for r in data["events"]}
    assert dom.count('<label class="grain">') == len(kinds)
    assert dom.count("<option value=") == len(data["entities"])


def _kind(grain: str) -> str:
    return {
        "second": "time",
        "minute": "time",
        "hour": "time",
        "part-of-day": "time",
        "weekend": "week",
        "quarter": "season",
        "half": "season",
        "decade": "year",
        "century": "year",
    }.get(grain, grain)


def test_filters_from_the_link(browser: str, story: list[ArticleResult], tmp_path: Path) -> None:
    data = story_data(story)
    page = render(story, "html")
    # A keyword: only events whose sentence, phrase, trigger, article or names hold it.
    dom, _ = load(browser, tmp_path, page, "#q=agreement")
    rows = listed(dom)
    expected = [
        i
        for i, row in enumerate(data["events"])
        if any("agreement" in data["sentences"][s].lower() for s in row[9][1::2])
    ]
    assert sorted(rows) == expected and len(expected) >= 2
    assert f"of {len(expected)} events ({len(data['events'])} before filters)" in status(dom)
    # An entity: only events whose sentences name it.
    dom, _ = load(browser, tmp_path, page, "#entity=Irene%20Dovek")
    who = data["entities"].index("Irene Dovek")
    assert sorted(listed(dom)) == [i for i, row in enumerate(data["events"]) if who in row[10]]
    # Lanes: the same events, drawn per article.
    dom, _ = load(browser, tmp_path, page, "#lanes")
    assert sorted(listed(dom)) == list(range(len(data["events"])))
    assert 'data-mode="lanes"' in dom


# Played in the page after its own script (the test allows it by its hash):
# zoom with the wheel, drag to pan, click a mark on the canvas, turn off a grain,
# show one article alone.
HARNESS = """
(function () {
  var canvas = document.getElementById("chart"), status = document.getElementById("status");
  var out = {}, log = document.createElement("pre");
  log.id = "harness";
  document.body.appendChild(log);
  function span() {
    var m = status.textContent.match(/\\u00b7 (\\d+ \\w+ -?\\d+) \\u2013 (\\d+ \\w+ -?\\d+)/);
    return m ? [m[1], m[2]] : null;
  }
  function pointer(type, x, y) {
    var r = canvas.getBoundingClientRect();
    canvas.dispatchEvent(new PointerEvent(type, {
      clientX: r.left + x, clientY: r.top + y, bubbles: true, cancelable: true,
      pointerId: 1, isPrimary: true
    }));
  }
  var steps = [
    function () {
      var r = canvas.getBoundingClientRect();
      out.start = span();
      canvas.dispatchEvent(new WheelEvent("wheel", {
        deltaY: -300, clientX: r.left + r.width / 2, clientY: r.top + 60,
        bubbles: true, cancelable: true
      }));
    },
    function () {
      out.zoomed = span();
      pointer("pointerdown", 300, 60); pointer("pointermove", 500, 60); pointer("pointerup", 500, 60);
    },
    function () {
      out.panned = span();
      var w = canvas.width, h = canvas.height;
      var img = canvas.getContext("2d").getImageData(0, 0, w, h).data, found = null;
      var marks = [0x2563eb, 0xd97706, 0x059669, 0xdb2777];  // days, months, weeks, seasons
      for (var y = 50; y < h && !found; y++) {
        for (var x = 0; x < w; x++) {
          var k = (y * w + x) * 4;
          var rgb = img[k] * 65536 + img[k + 1] * 256 + img[k + 2];
          if (marks.indexOf(rgb) >= 0) { found = [x, y]; break; }
        }
      }
      out.found = found;
      if (found) { pointer("pointerdown", found[0], found[1] + 3); pointer("pointerup", found[0], found[1] + 3); }
    },
    function () {
      var detail = document.getElementById("detail");
      out.detail = detail.hidden ? null : detail.textContent;
      out.before = status.textContent;
      document.querySelector("#grains input").click();
    },
    function () {
      out.after = status.textContent;
      document.querySelector("#article-list li:nth-child(2) button.only").click();
    },
    function () { out.only = status.textContent; log.textContent = JSON.stringify(out); }
  ];
  var i = 0;
  (function next() { if (i < steps.length) { steps[i++](); setTimeout(next, 200); } })();
})();
"""


def parse_day(text: str) -> dt.date:
    day, month, year = text.split()
    return dt.date(int(year), MONTHS.index(month) + 1, int(day))


def test_zoom_pan_select_and_filter(
    browser: str, story: list[ArticleResult], tmp_path: Path
) -> None:
    page = render(story, "html")
    digest = base64.b64encode(hashlib.sha256(HARNESS.encode("utf-8")).digest()).decode()
    page = page.replace("script-src ", f"script-src 'sha256-{digest}' ", 1)
    page = page.replace("</body>", f"<script>{HARNESS}</script>\n</body>", 1)
    dom, requests = load(browser, tmp_path, page)
    assert requests == []
    found = re.search(r'<pre id="harness">(.*?)</pre>', dom, re.S)
    assert found is not None, "the harness did not finish"
    out = json.loads(html.unescape(found.group(1)))
    start = [parse_day(d) for d in out["start"]]
    zoomed = [parse_day(d) for d in out["zoomed"]]
    panned = [parse_day(d) for d in out["panned"]]
    # The wheel zooms in around the pointer; dragging right shows earlier days.
    assert (zoomed[1] - zoomed[0]) * 2 < start[1] - start[0]
    assert start[0] < zoomed[0] and zoomed[1] < start[1]
    assert panned[0] < zoomed[0] and panned[1] < zoomed[1]
    assert abs((panned[1] - panned[0]) - (zoomed[1] - zoomed[0])).days <= 1  # days shown whole
    # A click on a mark opens the event's details, with its articles.
    assert out["found"] is not None
    assert out["detail"] is not None and "Reported by" in out["detail"]
    # Turning off the first grain (clock times: "this morning") hides it.
    before = int(out["before"].split()[3])
    after = re.match(r"Drawn \d+ of (\d+) events \((\d+) before filters\)", out["after"])
    assert after is not None
    assert int(after.group(1)) == before - 1 and int(after.group(2)) == before
    # "only" on the second article: its events that are not clock times.
    data = story_data(story)
    kinds = data["grains"]
    second = [row for row in data["events"] if 1 in row[9][0::2] and _kind(kinds[row[2]]) != "time"]
    only = re.match(r"Drawn \d+ of (\d+) events", out["only"])
    assert only is not None and int(only.group(1)) == len(second) >= 2


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and rows of RGB(A) pixels of an 8-bit, non-interlaced PNG."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and color in (2, 6) and interlace == 0
    bpp = 3 if color == 2 else 4
    raw, stride, rows = zlib.decompress(idat), width * bpp, []
    prev = bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if bpp == 3 else bytes(v for i, v in enumerate(line) if i % 4 != 3))
        prev = line
    return width, height, rows


def colour_count(rows: list[bytes], rgb: tuple[int, int, int]) -> int:
    needle = bytes(rgb)
    total = 0
    for row in rows:
        total += sum(1 for i in range(0, len(row), 3) if row[i : i + 3] == needle)
    return total


def screenshot(
    browser: str, tmp: Path, page: str, name: str, fragment: str = "", *, docs: bool = False
) -> Path:
    """A 1400x900 screenshot of ``page`` (into ``docs/img`` when updating the docs' ones)."""
    path = tmp / "shot.html"
    path.write_text(page, "utf-8")
    target = IMAGES / name if UPDATE and docs else tmp / name
    target.parent.mkdir(parents=True, exist_ok=True)
    proc = run_chromium(
        browser, tmp, f"--screenshot={target}", "--window-size=1400,900", path.as_uri() + fragment
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return target


def test_screenshot_of_one_article(browser: str, example: ArticleResult, tmp_path: Path) -> None:
    page = render([example], "html")
    target = screenshot(browser, tmp_path, page, "example-timeline.png", docs=True)
    width, height, rows = png_pixels(target)
    assert (width, height) == (1400, 900)
    # The canvas is drawn: day points, month bars and the publish-date marker,
    # in their own colours, and not a blank page.
    assert colour_count(rows, (0x25, 0x63, 0xEB)) > 300  # days
    assert colour_count(rows, (0xD9, 0x77, 0x06)) > 300  # months
    assert colour_count(rows, (0xDC, 0x26, 0x26)) > 40  # the publish date
    assert target.stat().st_size > 20_000


def test_screenshot_of_a_story_in_lanes(
    browser: str, story: list[ArticleResult], tmp_path: Path
) -> None:
    page = render(story, "html")
    target = screenshot(browser, tmp_path, page, "story-view.png", "#lanes", docs=True)
    width, height, rows = png_pixels(target)
    assert (width, height) == (1400, 900)
    assert colour_count(rows, (0x25, 0x63, 0xEB)) > 300
    assert colour_count(rows, (0x11, 0x18, 0x27)) > 30  # rings: reported twice
    # Three lanes: their alternating backgrounds.
    assert colour_count(rows, (0xF1, 0xF5, 0xF9)) > 10_000


@pytest.mark.parametrize(
    ("phrase", "mod"),
    [
        ("early next year", "START"),
        ("in the middle of next year", "MID"),
        ("late next year", "END"),
    ],
)
def test_modifier_is_part_of_the_bar(browser: str, tmp_path: Path, phrase: str, mod: str) -> None:
    """ "Late next year" is not the whole year: a pale bar over the year with
    its last third solid."""
    text = f"Wire — 01/22/2025\n\nThe council will publish a review {phrase}."
    r = article("w.txt", dt.date(2025, 1, 22), text)
    assert [(row[4], row[3]) for row in story_data([r])["events"]] == [("2026", mod)]
    _, _, rows = png_pixels(screenshot(browser, tmp_path, render([r], "html"), "mod.png"))
    grey = bytes((0x64, 0x74, 0x8B))  # the year colour

    def runs(row: bytes) -> list[tuple[int, int]]:
        out, start = [], None
        for x in range(len(row) // 3 + 1):
            hit = row[3 * x : 3 * x + 3] == grey
            if hit and start is None:
                start = x
            elif not hit and start is not None:
                out.append((start, x - 1))
                start = None
        return out

    # The bar's rows: those with a long run of the year colour; in its middle
    # row, the solid part is that run and the bar goes on, pale, until the
    # chart's background.
    bar = [y for y, row in enumerate(rows) if any(b - a >= 50 for a, b in runs(row))]
    assert bar, "no bar drawn"
    row = rows[(bar[0] + bar[-1]) // 2]
    solid = max(runs(row), key=lambda run: run[1] - run[0])
    background = bytes((0xF8, 0xFA, 0xFC))
    left, right = solid[0], solid[1]
    while row[3 * (left - 1) : 3 * left] != background:
        left -= 1
    while row[3 * (right + 1) : 3 * (right + 2)] != background:
        right += 1
    share = (solid[1] - solid[0] + 1) / (right - left + 1)
    assert 0.28 < share < 0.40, (left, solid, right)
    if mod == "START":
        assert solid[0] - left <= 2
    elif mod == "END":
        assert right - solid[1] <= 2
    else:
        assert abs((solid[0] + solid[1]) - (left + right)) <= 4
        assert solid[0] > left and solid[1] < right


def test_network_log_would_show_a_request(browser: str, tmp_path: Path) -> None:
    """The check above can fail: a page that loads an image is caught."""
    page = '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png">hi</body></html>'
    _, requests = load(browser, tmp_path, page)
    assert requests == ["http://127.0.0.1:9/x.png"]
