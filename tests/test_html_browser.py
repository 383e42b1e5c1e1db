"""The HTML timeline in a real browser: headless Chromium.

Skipped where no Chromium is installed (Debian: ``apt-get install chromium``).
Chromium runs with a dead proxy, so even its own background traffic never
leaves the machine, and with a network log, which shows any request the page
itself starts (there must be none).

``TIMELINE_UPDATE_SCREENSHOTS=1`` also rewrites ``docs/img/example-timeline.png``.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

import timeline
from timeline.cli import example_text
from timeline.io.formats import ArticleResult, render

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT = REPO / "docs" / "img" / "example-timeline.png"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


@pytest.fixture(scope="module")
def browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("no Chromium binary (apt-get install chromium)")


@pytest.fixture(scope="module")
def example() -> ArticleResult:
    published = dt.date(2025, 1, 22)
    text = example_text()
    t = timeline.build(text, published, document="<example>")
    return ArticleResult("<example>", published, "dateline", text, t)


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


def load(browser: str, tmp: Path, page: str) -> tuple[str, list[str]]:
    """The DOM Chromium built from ``page`` and the requests the page made."""
    path = tmp / "page.html"
    path.write_text(page, "utf-8")
    net_log = tmp / "net.json"
    proc = run_chromium(browser, tmp, f"--log-net-log={net_log}", "--dump-dom", path.as_uri())
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, page_requests(net_log)


def test_page_renders_every_event_and_fetches_nothing(
    browser: str, example: ArticleResult, tmp_path: Path
) -> None:
    dom, requests = load(browser, tmp_path, render([example], "html"))
    assert requests == []
    assert "<svg" in dom and "</svg>" in dom
    assert dom.count('class="ev"') == len(example.timeline)
    text = html.unescape(dom)
    for e in example.timeline:
        assert e.mention is not None
        assert e.mention.text in text, e.mention.text


def test_network_log_would_show_a_request(browser: str, tmp_path: Path) -> None:
    """The check above can fail: a page that loads an image is caught."""
    page = '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png">hi</body></html>'
    _, requests = load(browser, tmp_path, page)
    assert requests == ["http://127.0.0.1:9/x.png"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_screenshot(browser: str, example: ArticleResult, tmp_path: Path) -> None:
    page = tmp_path / "example.html"
    page.write_text(render([example], "html"), "utf-8")
    update = os.environ.get("TIMELINE_UPDATE_SCREENSHOTS") == "1"
    target = SCREENSHOT if update else tmp_path / "example-timeline.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    proc = run_chromium(
        browser, tmp_path, f"--screenshot={target}", "--window-size=1400,900", page.as_uri()
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert png_size(target) == (1400, 900)
    assert target.stat().st_size > 20_000  # a drawn page, not a blank one
