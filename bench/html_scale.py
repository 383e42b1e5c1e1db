"""The story view at scale: 1,000 te3-silver articles on one HTML page.

Builds a timeline for each of the first N te3-silver documents (their text and
their DCT as the publish date), renders one ``html`` page for all of them, and
reports:

- the page's size in bytes (the goal: under 2 MB);
- the time to open it in headless Chromium, as the page measures it: from the
  start of navigation to the end of its first drawing (parsing the HTML and
  the JSON, filtering, laying out, drawing the canvas and the event list), read
  back from the DOM with ``--dump-dom`` (the goal: under 3 s);
- the wall time of the whole Chromium run (start-up, load, DOM dump), for
  reference;
- that the page drew every event: the status line counts them.

Usage::

    python bench/html_scale.py [--corpus ../shared/corpora/te3-silver] [-n 1000]
        [--runs 3] [--keep page.html] [--screenshot page.png]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import timeline
from timeline.io.article import ArticleResult
from timeline.io.html import render_html, story_data
from timeline.io.timeml import dct_argument, find_documents, read_document

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpora" / "te3-silver"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def articles(corpus: Path, n: int) -> list[ArticleResult]:
    out = []
    for path in find_documents(corpus):
        if len(out) == n:
            break
        doc = read_document(path)
        value = dct_argument(doc.dct) if doc.dct else None
        if value is None:
            continue
        published = dt.date.fromisoformat(value[:10])
        t = timeline.build(doc.text, published, document=path.name)
        out.append(ArticleResult(path.name, published, "option", doc.text, t))
    return out


def chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--proxy-server=127.0.0.1:9",
        "--window-size=1400,900",
        f"--user-data-dir={profile}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("-n", type=int, default=1000, help="articles (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="Chromium runs (default 3)")
    parser.add_argument("--keep", type=Path, help="also write the page here")
    parser.add_argument("--screenshot", type=Path, help="also take a 1400x900 screenshot")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    browser = next((b for b in map(shutil.which, BROWSERS) if b), None)

    t0 = time.perf_counter()
    results = articles(args.corpus, args.n)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    page = render_html(results)
    rendered = time.perf_counter() - t0
    size = len(page.encode("utf-8"))
    data = story_data(results)
    n_events = len(data["events"])
    n_reports = sum(len(row[9]) // 2 for row in data["events"])
    print(f"articles: {len(results)} (built in {built:.1f} s)")
    print(f"events on the page: {n_events} ({n_reports} reports)")
    print(f"render_html: {rendered:.2f} s")
    print(f"page size: {size:,} bytes ({size / 2**20:.2f} MiB; goal < 2 MB)")
    payload = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    print(f"  of which data: {payload:,} bytes")
    if args.keep:
        args.keep.write_text(page, "utf-8")
    if browser is None:
        print("no Chromium: open time not measured")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(page, "utf-8")
        drawn, walls = [], []
        for run in range(args.runs):
            profile = Path(tmp) / f"profile{run}"
            t0 = time.perf_counter()
            proc = chromium(browser, profile, "--dump-dom", path.as_uri())
            walls.append(time.perf_counter() - t0)
            found = re.search(r'id="status"[^>]*data-ready-ms="(\d+)"', proc.stdout)
            status = re.search(r'id="status"[^>]*>([^<]*)<', proc.stdout)
            if proc.returncode != 0 or not found or not status:
                print("Chromium failed:", proc.stderr[-2000:], file=sys.stderr)
                return 1
            drawn.append(int(found.group(1)) / 1000)
            print(
                f"run {run + 1}: drawn {drawn[-1]:.2f} s after navigation; Chromium run {walls[-1]:.2f} s"
            )
        print(f"status line: {status.group(1)}")
        print(
            f"open time (median of {args.runs}): {statistics.median(drawn):.2f} s "
            f"(goal < 3 s); whole Chromium run {statistics.median(walls):.2f} s"
        )
        if args.screenshot:
            chromium(browser, Path(tmp) / "shot", f"--screenshot={args.screenshot}", path.as_uri())
    return 0


if __name__ == "__main__":
    sys.exit(main())
