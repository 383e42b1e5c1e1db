"""Output formats: each one on the built-in example and on awkward text."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline.cli import example_text
from timeline.io.formats import (
    FORMATS,
    JSON_SCHEMA,
    JSONL_SCHEMA,
    ArticleResult,
    render,
    split_timeml,
)
from timeline.io.serialize import event_from_dict, mention_from_dict
from timeline.order import RECORD_COLUMNS, to_pandas, to_records

REPO = Path(__file__).resolve().parents[1]
SCHEMAS = REPO / "docs" / "schema"
PUBLISHED = dt.date(2025, 1, 22)

# Quotes, ampersands, tags, non-ASCII, CRLF, a tab, U+2028 and a control
# character: everything an output format has to escape or keep.
TRICKY = (
    'Shares of Ünïcødé & Co <rose> "sharply" this morning,\r\n'
    "and the board met at 3 p.m. on Monday.\tProfits fell in the third quarter; "
    "Zürich's 日本 desk said \u2028 talks were held on Friday & ended <b>late</b>.\x07 "
    "The firm was founded in the 1990s and will report results next month. "
    "Analysts expect a recovery this weekend, then every Monday."
)
TRICKY_ID = 'markets/q3 & "earnings" <b>.txt'


def result(
    doc_id: str, text: str, published: dt.date = PUBLISHED, source: str = "option"
) -> ArticleResult:
    return ArticleResult(
        doc_id, published, source, text, timeline.build(text, published, document=doc_id)
    )


def generated_texts(n: int = 4) -> list[str]:
    """A few articles put together from phrases the engine reads (fixed seed)."""
    rng = random.Random(20250122)
    openers = ["The council", "Ministers", "The operator", "Police", "The court"]
    verbs = ["met", "voted", "will meet", "announced a deal", "will decide", "opened talks"]
    dates = [
        "on Friday",
        "last week",
        "next month",
        "yesterday",
        "in March",
        "two days ago",
        "on 5 March 2019",
        "in 2019",
        "next year",
        "this weekend",
        "at 9 a.m. on Tuesday",
        "in the third quarter",
        "early next year",
        "last month",
        "tomorrow",
        "in the 1990s",
    ]
    texts = []
    for _ in range(n):
        sentences = [
            f"{rng.choice(openers)} {rng.choice(verbs)} {rng.choice(dates)}."
            for _ in range(rng.randint(3, 7))
        ]
        texts.append(" ".join(sentences))
    return texts


@pytest.fixture(scope="module")
def example() -> ArticleResult:
    return result("<example>", example_text(), source="dateline")


@pytest.fixture(scope="module")
def tricky() -> ArticleResult:
    return result(TRICKY_ID, TRICKY, dt.date(2025, 1, 24))


@pytest.fixture(scope="module")
def corpus(example: ArticleResult, tricky: ArticleResult) -> list[ArticleResult]:
    generated = [result(f"gen-{i}.txt", t) for i, t in enumerate(generated_texts())]
    return [example, tricky, *generated, result("empty.txt", "Nothing is dated here.")]


def dated_events(r: ArticleResult) -> list[timeline.Event]:
    return [e for e in r.timeline if e.when.interval is not None]


# --------------------------------------------------------------------------
# All formats
# --------------------------------------------------------------------------


def test_unknown_format_is_a_value_error(example: ArticleResult) -> None:
    with pytest.raises(ValueError, match="unknown format 'yaml'"):
        render([example], "yaml")


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders_every_input(fmt: str, corpus: list[ArticleResult]) -> None:
    out = render(corpus, fmt)
    assert out and isinstance(out, str)
    assert render(corpus, fmt) == out  # same input, same output
    assert render([], fmt) is not None  # no articles at all is not an error


def test_byte_identical_across_hash_seeds(corpus: list[ArticleResult]) -> None:
    """A fresh interpreter with another hash seed writes the same bytes."""
    here = {fmt: hashlib.sha256(render(corpus, fmt).encode()).hexdigest() for fmt in FORMATS}
    script = (
        "import hashlib, json, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "import test_formats as t\n"
        "from timeline.io.formats import FORMATS, render\n"
        "ex = t.result('<example>', t.example_text(), source='dateline')\n"
        "tr = t.result(t.TRICKY_ID, t.TRICKY, t.dt.date(2025, 1, 24))\n"
        "gen = [t.result(f'gen-{i}.txt', x) for i, x in enumerate(t.generated_texts())]\n"
        "docs = [ex, tr, *gen, t.result('empty.txt', 'Nothing is dated here.')]\n"
        "print(json.dumps({f: hashlib.sha256(render(docs, f).encode()).hexdigest()"
        " for f in FORMATS}))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    proc = subprocess.run(
        [sys.executable, "-c", script, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    assert json.loads(proc.stdout) == here


# --------------------------------------------------------------------------
# text
# --------------------------------------------------------------------------


def test_text_table_is_aligned(example: ArticleResult) -> None:
    out = render([example], "text")
    lines = out.splitlines()
    assert lines[0] == "<example>  (published 2025-01-22, from dateline)"
    assert lines[1].split() == ["DATE", "GRAIN", "PHRASE", "EVENT"]
    phrase_col = lines[1].index("PHRASE")
    event_col = lines[1].index("EVENT")
    rows = lines[2 : 2 + len(dated_events(example))]
    for row, e in zip(rows, dated_events(example), strict=True):
        assert row[phrase_col:].startswith(e.mention.text if e.mention else "(undated)")
        assert row[event_col - 2 : event_col] == "  " and row[event_col] != " "
    assert "\x1b[" not in out


def test_text_colour_only_when_asked(example: ArticleResult) -> None:
    plain = render([example], "text")
    coloured = render([example], "text", color=True)
    assert "\x1b[" in coloured
    import re

    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


def test_text_keeps_control_characters_off_the_terminal(tricky: ArticleResult) -> None:
    out = render([tricky], "text")
    assert "\x07" not in out and "\r" not in out and "\u2028" not in out
    assert "日本" in out or "Ünïcødé" in out
    blocks = render([tricky, tricky], "text").split("\n\n")
    assert len(blocks) == 2


# --------------------------------------------------------------------------
# json and jsonl, with their schemas
# --------------------------------------------------------------------------


def _validators() -> tuple[Any, Any]:
    jsonschema = pytest.importorskip("jsonschema")
    referencing = pytest.importorskip("referencing")
    from referencing.jsonschema import DRAFT202012

    main = json.loads((SCHEMAS / "timeline-v1.json").read_text("utf-8"))
    line = json.loads((SCHEMAS / "timeline-event-v1.jsonl.json").read_text("utf-8"))
    registry = referencing.Registry().with_resources(
        [(s["$id"], DRAFT202012.create_resource(s)) for s in (main, line)]
    )
    for schema in (main, line):
        jsonschema.Draft202012Validator.check_schema(schema)
    return (
        jsonschema.Draft202012Validator(main, registry=registry),
        jsonschema.Draft202012Validator(line, registry=registry),
    )


def test_schemas_are_versioned() -> None:
    main = json.loads((SCHEMAS / "timeline-v1.json").read_text("utf-8"))
    line = json.loads((SCHEMAS / "timeline-event-v1.jsonl.json").read_text("utf-8"))
    assert main["$schema"] == line["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert main["properties"]["schema"]["const"] == JSON_SCHEMA
    assert line["properties"]["schema"]["const"] == JSONL_SCHEMA


def test_json_validates_and_round_trips(corpus: list[ArticleResult]) -> None:
    validator, _ = _validators()
    data = json.loads(render(corpus, "json"))
    validator.validate(data)
    assert data["schema"] == JSON_SCHEMA
    assert [d["id"] for d in data["documents"]] == [r.id for r in corpus]
    for doc, r in zip(data["documents"], corpus, strict=True):
        assert doc["published"] == r.published.isoformat()
        assert doc["published_from"] == r.published_from
        # Every API field is kept: the dicts read back into equal values.
        assert [mention_from_dict(m) for m in doc["mentions"]] == list(r.timeline.mentions)
        assert [event_from_dict(e) for e in doc["events"]] == list(r.timeline.events)
        for m in doc["mentions"]:
            assert r.text[m["start"] : m["end"]] == m["text"]


def test_json_schema_rejects_drift(example: ArticleResult) -> None:
    validator, line_validator = _validators()
    data = json.loads(render([example], "json"))
    data["documents"][0]["events"][0]["surprise"] = 1
    assert not validator.is_valid(data)
    record = json.loads(render([example], "jsonl").splitlines()[0])
    del record["when"]
    assert not line_validator.is_valid(record)


def test_jsonl_one_event_per_line(corpus: list[ArticleResult]) -> None:
    _, validator = _validators()
    out = render(corpus, "jsonl")
    lines = out.splitlines()  # splits on U+2028 too: it must be escaped
    assert len(lines) == sum(len(r.timeline) for r in corpus)
    assert "\u2028" not in out
    records = [json.loads(line) for line in lines]
    for record in records:
        validator.validate(record)
    expected = [(r.id, r.published.isoformat(), e.when.value) for r in corpus for e in r.timeline]
    assert [(x["id"], x["published"], x["when"]["value"]) for x in records] == expected


# --------------------------------------------------------------------------
# csv
# --------------------------------------------------------------------------


def test_csv_rows_read_back(corpus: list[ArticleResult]) -> None:
    out = render(corpus, "csv")
    assert out.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == [
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
    ]
    body = rows[1:]
    events = [(r, e) for r in corpus for e in dated_events(r)]
    assert len(body) == len(events)
    for row, (r, e) in zip(body, events, strict=True):
        assert e.when.interval is not None
        assert row[0] == r.id and row[1] == r.published.isoformat()
        assert row[2] == e.when.value
        assert row[4] == e.when.interval.start.isoformat()
        assert row[6] == (e.mention.text if e.mention else "")
        assert row[10] == e.text


def test_csv_quotes_awkward_fields(tricky: ArticleResult) -> None:
    out = render([tricky], "csv")
    assert '"markets/q3 & ""earnings"" <b>.txt"' in out


# --------------------------------------------------------------------------
# timeml
# --------------------------------------------------------------------------


def _timexes(text_el: ET.Element) -> tuple[str, list[tuple[int, int, dict[str, str]]]]:
    """The plain text of <TEXT> and the (start, end, attributes) of each TIMEX3."""
    parts: list[str] = [text_el.text or ""]
    spans: list[tuple[int, int, dict[str, str]]] = []
    at = len(parts[0])
    for child in text_el:
        inner = "".join(child.itertext())
        spans.append((at, at + len(inner), dict(child.attrib)))
        parts += [inner, child.tail or ""]
        at += len(inner) + len(child.tail or "")
    return "".join(parts), spans


def test_timeml_round_trip(corpus: list[ArticleResult]) -> None:
    docs = split_timeml(render(corpus, "timeml"))
    assert len(docs) == len(corpus)
    for xml, r in zip(docs, corpus, strict=True):
        root = ET.fromstring(xml.encode("utf-8"))
        assert root.tag == "TimeML"
        assert root.findtext("DOCID") == r.id
        dct = root.find("DCT/TIMEX3")
        assert dct is not None
        assert dct.get("functionInDocument") == "CREATION_TIME"
        assert dct.get("value") == r.published.isoformat() and dct.get("tid") == "t0"
        text_el = root.find("TEXT")
        assert text_el is not None
        text, spans = _timexes(text_el)
        expected = r.text.replace("\x07", "\N{REPLACEMENT CHARACTER}")
        assert text == expected
        assert [(s, e, a["type"], a["value"], a.get("mod")) for s, e, a in spans] == [
            (m.start, m.end, m.type, m.value, m.mod) for m in r.timeline.mentions
        ]
        tids = [a["tid"] for _, _, a in spans]
        assert len(set(tids)) == len(tids) and "t0" not in tids


def test_timeml_reads_back_with_evaluate(
    tmp_path: Path, example: ArticleResult, tricky: ArticleResult
) -> None:
    from timeline.io.timeml import read_timeml

    for name, r in (("example", example), ("tricky", tricky)):
        path = tmp_path / f"{name}.tml"
        path.write_text(render([r], "timeml"), "utf-8")
        doc = read_timeml(path)
        assert doc.dct == r.published.isoformat()
        assert doc.text == r.text.replace("\x07", "\N{REPLACEMENT CHARACTER}")
        assert [(g.start, g.end, g.text, g.type, g.value, g.mod) for g in doc.gold] == [
            (m.start, m.end, m.text, m.type, m.value, m.mod) for m in r.timeline.mentions
        ]


# --------------------------------------------------------------------------
# timelinejs
# --------------------------------------------------------------------------


def test_timelinejs_dates_follow_the_grain(example: ArticleResult, tricky: ArticleResult) -> None:
    data = json.loads(render([example, tricky], "timelinejs"))
    assert set(data) == {"title", "events"}
    slides = data["events"]
    assert len(slides) == len(dated_events(example)) + len(dated_events(tricky))
    assert all(s["start_date"]["year"] for s in slides)
    month = next(s for s in slides if s["display_date"] == "Dec 2024")
    assert month["start_date"] == {"year": 2024, "month": 12} and "end_date" not in month
    week = next(s for s in slides if s["display_date"].startswith("2025-W03"))
    assert week["start_date"] == {"year": 2025, "month": 1, "day": 13}
    assert week["end_date"] == {"year": 2025, "month": 1, "day": 19}
    year = next(s for s in slides if s["display_date"] == "1998")
    assert year["start_date"] == {"year": 1998}
    day = next(s for s in slides if s["display_date"] == "24 Jan 2025")
    assert day["start_date"] == {"year": 2025, "month": 1, "day": 24}
    assert {s["group"] for s in slides} == {"<example>", TRICKY_ID}
    # TimelineJS renders text as HTML: nothing from the article is live markup.
    for s in slides:
        assert "<" not in s["text"]["headline"] + s["text"]["text"]
    assert len({s["unique_id"] for s in slides}) == len(slides)


# --------------------------------------------------------------------------
# ics
# --------------------------------------------------------------------------


def test_ics_one_vevent_per_dated_event(corpus: list[ArticleResult]) -> None:
    icalendar = pytest.importorskip("icalendar")
    out = render(corpus, "ics")
    assert "\r\n" in out
    cal = icalendar.Calendar.from_ical(out)
    vevents = [c for c in cal.walk() if c.name == "VEVENT"]
    events = [(r, e) for r in corpus for e in dated_events(r)]
    assert len(vevents) == len(events)
    assert len({str(v["UID"]) for v in vevents}) == len(vevents)
    timed = 0
    for v, (r, e) in zip(vevents, events, strict=True):
        assert e.when.interval is not None
        stamp = v.decoded("DTSTAMP")
        assert stamp == dt.datetime(
            r.published.year, r.published.month, r.published.day, tzinfo=dt.UTC
        )
        start, end = v.decoded("DTSTART"), v.decoded("DTEND")
        if e.when.type == "TIME":
            timed += 1
            assert isinstance(start, dt.datetime) and start == e.when.interval.start
        else:
            assert type(start) is dt.date and start == e.when.interval.start.date()
            assert end == e.when.interval.end.date()
        # iCalendar text cannot carry control characters.
        assert str(v["DESCRIPTION"]) == e.text.replace("\x07", "\N{REPLACEMENT CHARACTER}")
        if e.mention is not None:
            assert " ".join(e.mention.text.split()) in str(v["SUMMARY"])
    assert timed >= 1  # "3 p.m. on Monday", "this morning"


def test_ics_needs_icalendar(monkeypatch: pytest.MonkeyPatch, example: ArticleResult) -> None:
    monkeypatch.setitem(sys.modules, "icalendar", None)
    with pytest.raises(ImportError, match="pip install icalendar"):
        render([example], "ics")


# --------------------------------------------------------------------------
# records and pandas
# --------------------------------------------------------------------------


def test_records(example: ArticleResult) -> None:
    records = to_records(example.timeline)
    assert len(records) == len(example.timeline)
    assert all(tuple(r) == RECORD_COLUMNS for r in records)
    first = records[0]
    assert isinstance(first["start"], dt.datetime) and first["document"] == "<example>"


def test_to_pandas(example: ArticleResult) -> None:
    pytest.importorskip("pandas")
    frame = to_pandas(example.timeline)
    assert list(frame.columns) == list(RECORD_COLUMNS)
    assert len(frame) == len(example.timeline)
    empty = to_pandas(timeline.build("Nothing here.", PUBLISHED))
    assert list(empty.columns) == list(RECORD_COLUMNS) and len(empty) == 0


def test_to_pandas_install_hint(monkeypatch: pytest.MonkeyPatch, example: ArticleResult) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'news-timeline\[pandas\]'"):
        to_pandas(example.timeline)


# --------------------------------------------------------------------------
# Undated events
# --------------------------------------------------------------------------


def test_undated_events_in_every_format() -> None:
    text = "The minister said the talks were useful. Talks were held on Friday."
    t = timeline.build(text, PUBLISHED, document="u.txt", undated=True)
    assert any(not e.dated for e in t)
    r = ArticleResult("u.txt", PUBLISHED, "option", text, t)
    for fmt in FORMATS:
        if fmt == "ics":
            pytest.importorskip("icalendar")
        assert render([r], fmt)
    validator, _ = _validators()
    validator.validate(json.loads(render([r], "json")))
    assert "(undated)" in render([r], "text")


def test_dates_at_the_edges_of_the_calendar() -> None:
    """Year 1 and year 9999 (and publish dates there) do not overflow any format."""
    from timeline.model import Grain, Interval, Mention, Provenance, TimeValue

    def event(
        start: dt.datetime, end: dt.datetime, grain: Grain, value: str, at: int
    ) -> timeline.Event:
        when = TimeValue("DATE", value, grain, Interval(start, end, grain))
        mention = Mention(at, at + 4, value, when, Provenance("test"))
        return timeline.Event(
            when=when,
            mention=mention,
            trigger="did",
            trigger_start=None,
            text=f"It did {value}.",
            text_start=0,
            position=at,
            document="edge",
        )

    events = [
        event(dt.datetime(1, 1, 1), dt.datetime(2, 1, 1), Grain.YEAR, "0001", 0),
        event(dt.datetime(9999, 12, 1), dt.datetime(9999, 12, 31), Grain.MONTH, "9999-12", 10),
    ]
    t = timeline.Timeline.from_events(events, [e.mention for e in events if e.mention])
    for published in (dt.date(1, 1, 1), dt.date(2025, 1, 22), dt.date(9999, 12, 31)):
        r = ArticleResult("edge", published, "option", "0001 and 9999-12 here", t)
        for fmt in FORMATS:
            if fmt == "ics":
                pytest.importorskip("icalendar")
            assert render([r], fmt)
