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
