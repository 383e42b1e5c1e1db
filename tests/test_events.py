"""Events: attachment, factuality, the timeline model, merging and queries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline.io.serialize import timeline_from_dict, timeline_to_dict
from timeline.model import CONVERSE
from timeline.order import Timeline

PUB = "2025-01-22"


def only(text: str) -> timeline.Event:
    (event,) = list(timeline.build(text, PUB))
    return event


def test_two_dates_in_a_sentence_date_two_events() -> None:
    t = timeline.build(
        "In a briefing on Monday, the spokesman said the ministers reached an agreement last week.",
        PUB,
    )
    by_phrase = {e.mention.text: e.trigger for e in t if e.mention}
    assert by_phrase["last week"] == "reached"
    assert by_phrase["Monday"] in ("said", "briefing")


@pytest.mark.parametrize(
    ("text", "trigger", "factuality", "aspect"),
    [
        ("The ministers met on Monday.", "met", "asserted", "NONE"),
        ("The ministers did not meet on Monday.", "meet", "negated", "NONE"),
        ("The ministers never met on Monday.", "met", "negated", "NONE"),
        ("The ministers may meet on Monday.", "meet", "hypothetical", "NONE"),
        ("The ministers would meet on Monday.", "meet", "hypothetical", "NONE"),
        ("The ministers plan to meet on Monday.", "meet", "future", "NONE"),
        ("The ministers will meet on Monday.", "meet", "future", "NONE"),
        ("The ministers have met twice since Monday.", "met", "asserted", "PERFECTIVE"),
        ("The ministers were meeting on Monday.", "meeting", "asserted", "PROGRESSIVE"),
        ("Friday's blast shook the capital.", "blast", "asserted", "NONE"),
        ("The company reported a third-quarter loss.", "loss", "asserted", "NONE"),
        ("The bombings on Aug. 7 killed 224 people.", "bombings", "asserted", "NONE"),
        ("Shares fell in price yesterday.", "fell", "asserted", "NONE"),
        ("On Friday, the bomb exploded.", "exploded", "asserted", "NONE"),
        (
            "Two days ago, the island's fishing association dropped its case.",
            "dropped",
            "asserted",
            "NONE",
        ),
    ],
)
def test_trigger_and_factuality(text: str, trigger: str, factuality: str, aspect: str) -> None:
    e = only(text)
    assert (e.trigger, e.factuality, e.aspect) == (trigger, factuality, aspect)


def test_asserted_keeps_only_what_happened() -> None:
    t = timeline.build(
        "Talks were held on Friday. The ministers did not meet on Monday. They will sign next week.",
        PUB,
    )
    assert [e.trigger for e in t.asserted()] == ["held"]


def test_undated_reporting_events_sit_on_the_publish_date() -> None:
    text = "Talks were held on Friday. Officials said the plan was ready."
    assert len(timeline.build(text, PUB)) == 1
    t = timeline.build(text, PUB, undated=True)
    undated = [e for e in t if not e.dated]
    assert [(e.trigger, e.when.value, e.mention) for e in undated] == [("said", PUB, None)]


def test_queries() -> None:
    t = timeline.build(
        "Kessel voted on Friday. The port reopened last month. Kessel will vote again next week.",
        PUB,
        document="a",
    )
    assert [e.trigger for e in t.between(dt.date(2025, 1, 1), dt.date(2025, 1, 22))] == ["voted"]
    assert [e.trigger for e in t.mentioning("kessel")] == ["voted", "vote"]


def test_relation_respects_grain() -> None:
    t = timeline.build("Talks began last week. The deal closed on Friday.", "2025-01-22")
    week, friday = list(t)
    assert (week.when.value, friday.when.value) == ("2025-W03", "2025-01-17")
    assert Timeline.relation(week, friday) == "includes"
    assert Timeline.relation(friday, week) == "during"


def test_merge_groups_one_event_reported_twice() -> None:
    a = timeline.build("Paris and Berlin signed the accord on Friday.", "2025-01-22", document="a")
    b = timeline.build(
        "Berlin signed a trade accord with Paris on Friday.", "2025-01-23", document="b"
    )
    merged = Timeline.merge([a, b])
    assert len(merged) == 1
    assert [s.document for s in merged[0].sources] == ["a", "b"]


ARTICLES = [
    ("Paris and Berlin signed the accord on Friday. Talks resume next week.", "2025-01-22"),
    ("Berlin signed the accord with Paris on Friday. Rome will join in March.", "2025-01-23"),
    ("Rome said on Monday it would join the accord in March.", "2025-01-21"),
    ("The storm hit Lisbon yesterday. Repairs began last week.", "2025-01-20"),
]


def _article(i: int) -> Timeline:
    text, pub = ARTICLES[i]
    return timeline.build(text, pub, document=f"doc{i}")


articles = st.integers(min_value=0, max_value=len(ARTICLES) - 1).map(_article)


@settings(max_examples=40)
@given(articles, articles)
def test_merge_is_commutative(a: Timeline, b: Timeline) -> None:
    assert Timeline.merge([a, b]) == Timeline.merge([b, a])


@settings(max_examples=40)
@given(articles, articles, articles)
def test_merge_is_associative(a: Timeline, b: Timeline, c: Timeline) -> None:
    assert Timeline.merge([Timeline.merge([a, b]), c]) == Timeline.merge(
        [a, Timeline.merge([b, c])]
    )


@settings(max_examples=20)
@given(articles)
def test_merge_is_idempotent(a: Timeline) -> None:
    assert Timeline.merge([a, a]) == Timeline.merge([a])
    assert Timeline.merge([a]).events == a.events


@settings(max_examples=40)
@given(st.lists(articles, min_size=1, max_size=4), st.randoms())
def test_merged_order_does_not_depend_on_input_order(ts: list[Timeline], rnd: object) -> None:
    shuffled = list(ts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert Timeline.merge(ts).events == Timeline.merge(shuffled).events


@settings(max_examples=40)
@given(st.lists(articles, min_size=1, max_size=3))
def test_relation_is_the_converse_of_the_reverse(ts: list[Timeline]) -> None:
    events = list(Timeline.merge(ts))
    for a in events:
        for b in events:
            assert Timeline.relation(a, b) == CONVERSE[Timeline.relation(b, a)]


def test_timeline_json_round_trips_exactly() -> None:
    merged = Timeline.merge([_article(i) for i in range(len(ARTICLES))])
    data = json.loads(json.dumps(timeline_to_dict(merged)))
    assert timeline_from_dict(data) == merged


# --- the attachment scorer (timeline eval --events) ---------------------------------

_TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>toy</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2025-01-22" functionInDocument="CREATION_TIME">2025-01-22</TIMEX3></DCT>
<TEXT>
The ministers <EVENT eid="e1" class="OCCURRENCE">met</EVENT> on <TIMEX3 tid="t1" type="DATE" value="2025-01-20">Monday</TIMEX3>. They <EVENT eid="e2" class="OCCURRENCE">talked</EVENT> for <TIMEX3 tid="t2" type="DURATION" value="PT3H">three hours</TIMEX3>. The deal <EVENT eid="e3" class="OCCURRENCE">closed</EVENT> after the <EVENT eid="e4" class="OCCURRENCE">vote</EVENT> on <TIMEX3 tid="t3" type="DATE" value="2025-01-17">Friday</TIMEX3>.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1"/>
<MAKEINSTANCE eventID="e2" eiid="ei2"/>
<MAKEINSTANCE eventID="e3" eiid="ei3"/>
<MAKEINSTANCE eventID="e4" eiid="ei4"/>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t1"/>
<TLINK lid="l2" relType="DURING" eventInstanceID="ei2" relatedToTime="t2"/>
<TLINK lid="l3" relType="IS_INCLUDED" eventInstanceID="ei3" relatedToTime="t3"/>
</TimeML>
"""


def test_event_scorer_reads_public_output_over_date_and_time_timexes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from timeline.evaluation.events import read_events, score_events

    (tmp_path / "toy.tml").write_text(_TML, "utf-8")
    doc = read_events(tmp_path / "toy.tml")
    # the DURATION is not scored; the two DATEs are
    assert sorted(doc.anchors) == ["t1", "t3"]
    reports = score_events([doc], methods=("build", "heuristic", "nearest-verb"))
    built = timeline.build(doc.text, "2025-01-22")
    by_text = {e.mention.text: e.trigger for e in built if e.mention is not None}
    expected = int(by_text.get("Monday") == "met") + int(by_text.get("Friday") == "closed")
    assert reports["build"].anchored == 2
    assert reports["build"].correct == expected
    # the nearest verb of "Friday" is "closed" only through "vote": a noun, so it is right
    assert reports["nearest-verb"].correct == 2


def test_event_scorer_counts_an_undated_timex_as_wrong(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from timeline.evaluation.events import read_events, score_events

    text = _TML.replace(
        '<TIMEX3 tid="t1" type="DATE" value="2025-01-20">Monday</TIMEX3>',
        '<TIMEX3 tid="t1" type="DATE" value="2025-01-20">the zorblax</TIMEX3>',
    )
    (tmp_path / "toy.tml").write_text(text, "utf-8")
    report = score_events([read_events(tmp_path / "toy.tml")])["build"]
    assert report.anchored == 2 and report.found == 1
    assert report.errors[0][1:3] == ("the zorblax", "")


_CAT = """<?xml version="1.0" ?><Document doc_id="7" doc_name="7_toy">
<token t_id="1" sentence="0" number="0">May</token>
<token t_id="2" sentence="0" number="1">3</token>
<token t_id="3" sentence="0" number="2">,</token>
<token t_id="4" sentence="0" number="3">2010</token>
<token t_id="5" sentence="1" number="4">Apple</token>
<token t_id="6" sentence="1" number="5">launched</token>
<token t_id="7" sentence="1" number="6">the</token>
<token t_id="8" sentence="1" number="7">phone</token>
<token t_id="9" sentence="1" number="8">on</token>
<token t_id="10" sentence="1" number="9">Friday</token>
<token t_id="11" sentence="1" number="10">.</token>
<Markables>
<EVENT_MENTION m_id="1" pos="VERB"><token_anchor t_id="6"/></EVENT_MENTION>
<TIMEX3 m_id="2" type="DATE" value="2010-04-30" functionInDocument="NONE"><token_anchor t_id="10"/></TIMEX3>
<TIMEX3 m_id="3" type="DATE" value="2010-05-03" functionInDocument="CREATION_TIME"><token_anchor t_id="1"/><token_anchor t_id="2"/><token_anchor t_id="3"/><token_anchor t_id="4"/></TIMEX3>
</Markables>
<Relations>
<TLINK r_id="1" reltype="IS_INCLUDED"><source m_id="1"/><target m_id="2"/></TLINK>
<TLINK r_id="2" reltype="BEFORE"><source m_id="1"/><target m_id="3"/></TLINK>
</Relations>
</Document>
"""


def test_event_scorer_reads_cat_documents(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from timeline.evaluation.events import read_corpus, run_events, score_events

    (tmp_path / "7_toy.xml").write_text(_CAT, "utf-8")
    docs, failed = read_corpus(tmp_path)
    assert failed == [] and len(docs) == 1
    # the creation time is never scored
    assert list(docs[0].anchors) == ["2"]
    assert score_events(docs)["build"].correct == 1
    out, code = run_events(tmp_path)
    assert code == 0 and "share 1.000" in out and "held out" in out


def test_event_scorer_uses_the_given_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from timeline.attach import ranker
    from timeline.evaluation.events import read_corpus, score_events

    (tmp_path / "7_toy.xml").write_text(_CAT, "utf-8")
    docs, _ = read_corpus(tmp_path)
    # a tagger that takes every word for an event, and a ranker that refuses the right one
    contrary = ranker.Model({"b": 10.0}, {"w=launched": -100.0})
    assert score_events(docs, model=contrary)["build"].correct == 0
    assert score_events(docs)["build"].correct == 1


# --- an event for every dated expression ---------------------------------------------


def _kinds(text: str) -> list[tuple[str | None, str, bool, str | None, str | None]]:
    return [
        (e.mention.text if e.mention else None, e.kind, e.dated, e.duration, e.frequency)
        for e in timeline.build(text, "2025-01-22")
    ]


def test_present_reference_dates_its_event_on_the_publish_date() -> None:
    (e,) = timeline.build("The company is now owned by a bank.", "2025-01-22")
    assert (e.kind, e.when.value, e.dated, e.trigger) == ("present", "2025-01-22", True, "owned")
    assert e.mention is not None and e.mention.text == "now"


def test_duration_up_to_publication_is_an_interval() -> None:
    (e,) = timeline.build("The two sides have negotiated for three years.", "2025-01-22")
    assert (e.kind, e.dated, e.duration, e.when.value) == ("duration", True, "P3Y", "P3Y")
    assert e.when.interval is not None
    assert e.when.interval.start == dt.datetime(2022, 1, 22)
    assert e.when.interval.end == dt.datetime(2025, 1, 23)


def test_duration_of_a_dated_event_is_its_attribute() -> None:
    kinds = _kinds("Talks last week went on for three hours.")
    assert kinds == [("last week", "date", True, "PT3H", None)]
    kinds = _kinds("The war lasted 30 years and ended in 1648.")
    assert kinds == [("1648", "date", True, "P30Y", None)]


def test_unanchored_duration_and_frequency_are_undated_events_with_the_attribute() -> None:
    assert _kinds("They talked for three hours.") == [
        ("three hours", "duration", False, "PT3H", None)
    ]
    assert _kinds("Trains run daily between the towns.") == [
        ("daily", "frequency", False, None, "P1D")
    ]
    # a past perfect does not reach publication
    (e,) = timeline.build("Prices had risen for three years before the crash.", "2025-01-22")
    assert (e.kind, e.dated) == ("duration", False)


def test_frequency_of_a_dated_event_is_its_attribute() -> None:
    assert _kinds("They met daily last week.") == [("last week", "date", True, None, "P1D")]


def test_new_kinds_keep_the_order_defined_and_round_trip() -> None:
    t = timeline.build(
        "The firms have talked for two years. They met daily last week. "
        "Trains now run hourly. Officials talked for an hour.",
        "2025-01-22",
    )
    starts = [e.when.interval.start for e in t if e.when.interval is not None]
    assert len(starts) == len(t) and starts == sorted(starts)
    data = json.loads(json.dumps(timeline_to_dict(t)))
    assert timeline_from_dict(data) == t
