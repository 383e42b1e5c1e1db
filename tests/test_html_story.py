"""The story view (``--format html``): its data, its safety and its size,
read from the page without a browser (``test_html_browser.py`` opens it)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline.cli import example_text
from timeline.io.article import ArticleResult, events_of
from timeline.io.formats import render
from timeline.io.html import GRAINS, render_html, script_json, story_data

REPO = Path(__file__).resolve().parents[1]
TE3 = REPO.parent / "shared" / "corpora" / "te3-silver"

# Two follow-up reports of the example's story (written for these tests).
LEDGER = (
    "Harbor City Ledger — 01/24/2025\n\n"
    "The Harbor City council approved the ferry route to Kessel on Tuesday, and the first "
    "boats sailed this morning. Mayor Irene Dovek said the route will be reviewed by the end "
    "of the year. The fishing association's chair, Tomas Vell, said the group reached an "
    "agreement with the operator last week.\n"
)
ISLAND = (
    "Kessel Island News — 02/03/2025\n\n"
    "Ferry tickets to Kessel rose on Saturday, a week after the first sailing. "
    "The fishing association reached an agreement with the operator in mid-January, "
    "Tomas Vell said. The island council will meet late next month.\n"
)
# Everything a page has to escape, in the text and in the document id.
HOSTILE_ID = 'wire/</script><!-- "x" & <b>.txt'
HOSTILE = (
    "Wire — 03/02/2025\n\n"
    "Shares of </script><script>alert(1)</script> & Co <!-- rose --> on Friday, "
    "and the board said \u2028 talks ended late on Monday.\n"
)


def article(doc_id: str, published: dt.date, text: str) -> ArticleResult:
    t = timeline.build(text, published, document=doc_id)
    return ArticleResult(doc_id, published, "dateline", text, t)


@pytest.fixture(scope="module")
def story() -> list[ArticleResult]:
    return [
        article("<example>", dt.date(2025, 1, 22), example_text()),
        article("ledger-0124.txt", dt.date(2025, 1, 24), LEDGER),
        article("kessel-0203.txt", dt.date(2025, 2, 3), ISLAND),
    ]


def embedded(page: str) -> dict[str, Any]:
    found = re.search(
        r'<script type="application/json" id="timeline-data">(.*?)</script>', page, re.S
    )
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def days(t: dt.datetime) -> float:
    return (t - dt.datetime(1970, 1, 1)).total_seconds() / 86400


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)


def test_every_report_is_in_the_data_once(story: list[ArticleResult]) -> None:
    data = embedded(render(story, "html"))
    assert data == story_data(story)
    ids = [a[0] for a in data["articles"]]
    assert ids == [r.id for r in story]
    # Each report (an event of one article) is one source of one drawn event,
    # except each article's dateline, which is drawn as its publish date.
    expected: dict[tuple[int, str, str], int] = {}
    for index, r in enumerate(story):
        for e in events_of(r.timeline):
            if e.mention is not None and e.mention.start < 40:
                assert e.when.value == r.published.isoformat()  # the dateline
                continue
            key = (index, e.when.value, e.mention.text if e.mention else "")
            expected[key] = expected.get(key, 0) + 1
    seen: dict[tuple[int, str, str], int] = {}
    for row in data["events"]:
        start, end, grain, mod, value, phrase, trigger, flags, fact, sources, names = row
        assert start < end and GRAINS[grain]
        for k in range(0, len(sources), 2):
            key = (sources[k], value, phrase)
            seen[key] = seen.get(key, 0) + 1
            assert 0 <= sources[k + 1] < len(data["sentences"])
        assert all(0 <= n < len(data["entities"]) for n in names)
    assert seen == expected
    assert [a[3] for a in data["articles"]] == [
        sum(v for (i, _, _), v in expected.items() if i == index) for index in range(3)
    ]
    assert [a[1] for a in data["articles"]] == [
        (r.published - dt.date(1970, 1, 1)).days for r in story
    ]


def test_one_event_reported_twice_is_drawn_once(story: list[ArticleResult]) -> None:
    data = story_data(story)
    approved = [row for row in data["events"] if row[6] == "approved"]
    assert len(approved) == 1
    row = approved[0]
    assert row[4] == "2025-01-21"
    articles = row[9][0::2]
    assert articles == [0, 1]  # the example and the ledger
    sentences = [data["sentences"][s] for s in row[9][1::2]]
    assert "on Tuesday approved a ferry route" in sentences[0]
    assert "approved the ferry route to Kessel on Tuesday" in sentences[1]
    names = {data["entities"][n] for n in row[10]}
    assert "Harbor City" in names and "Kessel" in names
    # Month and weekday names are dates, not participants to filter by.
    assert not {"Tuesday", "March"} & set(data["entities"])


def test_intervals_grains_and_modifiers(story: list[ArticleResult]) -> None:
    data = story_data(story)
    rows = {(row[5], row[6]): row for row in data["events"]}
    end = rows[("the end of the year", "reviewed")]
    # The whole year with its END modifier: the page draws the last part.
    assert (end[0], end[1]) == (days(dt.datetime(2025, 1, 1)), days(dt.datetime(2026, 1, 1)))
    assert GRAINS[end[2]] == "year" and end[3] == "END"
    assert rows[("early next year", "publish")][3] == "START"
    assert rows[("mid-January", "reached")][3] == "MID"
    morning = rows[("this morning", "sailed")]
    assert morning[7] & 2  # a clock time
    assert isinstance(morning[0], float) and morning[0] == days(dt.datetime(2025, 1, 24, 6))
    assert rows[("Friday", "sail")][8] == "future"


def test_the_dateline_is_a_marker_not_an_event(story: list[ArticleResult]) -> None:
    data = story_data(story)
    phrases = {row[5] for row in data["events"]}
    assert "01/22/2025" not in phrases and "01/24/2025" not in phrases
    # The same date in the body is an event.
    text = "Wire — 01/22/2025\n\nThe talks ended on 01/22/2025, officials said."
    r = article("w.txt", dt.date(2025, 1, 22), text)
    assert [e.mention.text for e in r.timeline if e.mention] == ["01/22/2025"] * 2
    rows = story_data([r])["events"]
    assert [(row[5], row[6]) for row in rows] == [("01/22/2025", "ended")]
    # A text that opens with its date in a sentence keeps it as an event.
    r = article("s.txt", dt.date(2025, 1, 22), "On 01/22/2025 the talks ended.")
    assert [row[5] for row in story_data([r])["events"]] == ["01/22/2025"]


def test_page_is_deterministic_and_self_contained(story: list[ArticleResult]) -> None:
    page = render(story, "html")
    assert page == render_html(story)
    again = [article(r.id, r.published, r.text) for r in story]
    assert render(again, "html") == page
    parser = _Tags()
    parser.feed(page)
    tags = [t for t, _ in parser.tags]
    assert not {"link", "img", "iframe", "object", "embed", "base", "form"} & set(tags)
    assert not [a for _, attrs in parser.tags for a in attrs if a in ("src", "href")]
    lowered = page.lower()
    for word in ("http:", "https:", "url(", "@import", "@font-face", "fetch(", "xmlhttprequest"):
        assert word not in lowered, word
    # Two scripts: the data (never run) and the code, which the policy names by hash.
    scripts = [attrs for t, attrs in parser.tags if t == "script"]
    assert scripts == [{"type": "application/json", "id": "timeline-data"}, {}]
    code = parser.scripts[-1]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert policy is not None
    assert policy.group(1) == (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'"
    )


def test_article_text_cannot_break_out(story: list[ArticleResult]) -> None:
    hostile = article(HOSTILE_ID, dt.date(2025, 3, 2), HOSTILE)
    page = render([*story, hostile], "html")
    # Only the page's own two scripts close, and no comment opens.
    assert page.lower().count("</script") == 2
    assert "<!--" not in page and "\u2028" not in page
    assert "<b>" not in page and "alert(1)</script>" not in page
    parser = _Tags()
    parser.feed(page)
    assert [t for t, _ in parser.tags].count("script") == 2
    data = embedded(page)
    assert data["articles"][-1][0] == HOSTILE_ID
    sentences = "\n".join(data["sentences"])
    assert "</script><script>alert(1)</script> & Co <!-- rose -->" in sentences
    assert "<title>Timeline of 4 articles</title>" in page


def test_script_json_escapes() -> None:
    text = script_json({"a": "</script><!--&>\u2028\u2029\ud800é"})
    assert text == ('{"a":"\\u003c/script\\u003e\\u003c!--\\u0026\\u003e\\u2028\\u2029\\ud800é"}')
    assert json.loads(text.replace("\\ud800", "")) == {"a": "</script><!--&>\u2028\u2029é"}


def test_single_and_empty_pages() -> None:
    one = article("a.txt", dt.date(2025, 1, 22), "Talks were held on Friday.")
    page = render([one], "html")
    assert "<title>Timeline: a.txt</title>" in page
    assert "1 article · 1 event · published 22 Jan 2025." in page
    assert len(embedded(page)["events"]) == 1
    empty = render_html([])
    assert embedded(empty)["events"] == [] and "No articles." in empty
    text = "The minister said the talks were useful. Talks were held on Friday."
    undated = timeline.build(text, dt.date(2025, 1, 22), document="u.txt", undated=True)
    rows = story_data([ArticleResult("u.txt", dt.date(2025, 1, 22), "option", text, undated)])
    assert sorted((row[5], row[7] & 1) for row in rows["events"]) == [
        ("(undated)", 1),
        ("Friday", 0),
    ]


@pytest.mark.skipif(not TE3.is_dir(), reason="needs ../shared/corpora/te3-silver")
def test_many_articles_stay_small() -> None:
    from timeline.io.timeml import dct_argument, find_documents, read_document

    results = []
    for path in find_documents(TE3)[:200]:
        doc = read_document(path)
        value = dct_argument(doc.dct) if doc.dct else None
        if value is None:
            continue
        published = dt.date.fromisoformat(value[:10])
        results.append(article(path.name, published, doc.text))
    page = render_html(results)
    data = embedded(page)
    reports = sum(len(events_of(r.timeline)) for r in results)
    sources = sum(len(row[9]) // 2 for row in data["events"])
    assert reports - len(results) <= sources <= reports  # at most one dateline each
    # The budget is 2 MB for 1,000 articles; keep well inside it.
    assert len(page.encode("utf-8")) < 2_000_000 * len(results) / 1000 * 0.8
