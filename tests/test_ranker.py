"""The learned event tagger and attachment ranker."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import timeline
from timeline.attach import ranker
from timeline.attach.attacher import Tagging, attach_one, candidates
from timeline.attach.words import WORD as _WORD
from timeline.attach.words import is_verb as _is_verb

PUB = "2025-01-22"


def probabilities(text: str) -> dict[str, float]:
    words = [(m.start(), m.group()) for m in _WORD.finditer(text)]
    verbs = [_is_verb(words, i) for i in range(len(words))]
    model = ranker.load()
    return {w: model.event(words, i, verbs[i]) for i, (_, w) in enumerate(words)}


@pytest.mark.parametrize(
    ("text", "events", "not_events"),
    [
        (
            "The ministers met in Geneva and signed an agreement.",
            ["met", "signed"],
            ["The", "in", "Geneva"],
        ),
        (
            "Protesters marched through the capital after the election.",
            ["marched", "election"],
            ["the", "capital"],
        ),
        ("The company said its quarterly profit rose sharply.", ["said", "rose"], ["The", "its"]),
    ],
)
def test_tagger_finds_event_words(text: str, events: list[str], not_events: list[str]) -> None:
    p = probabilities(text)
    for w in events:
        assert p[w] > 0.5, (w, p[w])
    for w in not_events:
        assert p[w] < 0.5, (w, p[w])


def test_model_file_records_its_training() -> None:
    raw = resources.files("timeline.attach").joinpath("weights.json").read_text("utf-8")
    data = json.loads(raw)
    assert set(data) >= {"tagger", "ranker", "cross_validated", "trained_on"}
    assert 0.0 < data["cross_validated"] < 1.0
    model = ranker.load()
    assert model.weights and model.tagger


def test_rank_of_nothing_is_none() -> None:
    assert ranker.rank(ranker.load(), []) is None


def test_a_given_model_replaces_the_shipped_one() -> None:
    # A model that only trusts the staged heuristic answers as the heuristic does,
    # and one that prefers the farthest word on the right picks the last word.
    text = "The ministers met on Monday and the talks ended in a deal."
    (mention,) = [m for m in timeline.extract(text, PUB) if m.text == "Monday"]
    shipped = ranker.load()
    heuristic = ranker.Model(shipped.tagger, {"h": 1.0})
    assert attach_one(text, mention, model=heuristic).trigger == "met"
    farthest = ranker.Model(shipped.tagger, {"dR16": 1.0, "dR11": 0.5, "dR7": 0.25})
    words, _feats, _h = candidates(text, mention, Tagging(text, farthest))
    assert attach_one(text, mention, model=farthest).trigger in {w for _, w in words[-4:]}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_attachment_never_fails_and_points_into_the_sentence(noise: str) -> None:
    text = noise + " The council voted on Friday to close the ferry. " + noise
    for event in timeline.build(text, PUB):
        if event.trigger is not None and event.trigger_start is not None:
            assert (
                text[event.trigger_start : event.trigger_start + len(event.trigger)]
                == event.trigger
            )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["The", "ministers", "met", "on", "Friday", "said", "talks", "a", "deal", "Kessel"]
        ),
        min_size=1,
        max_size=12,
    )
)
def test_cached_tagging_equals_the_feature_sum(tokens: list[str]) -> None:
    import math

    model = ranker.load()
    words = []
    offset = 0
    for t in tokens:
        words.append((offset, t))
        offset += len(t) + 1
    for i in range(len(words)):
        for verb in (False, True):
            s = sum(model.tagger.get(f, 0.0) for f in ranker.token_features(words, i, verb))
            direct = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s))))
            assert math.isclose(model.event(words, i, verb), direct, rel_tol=1e-12, abs_tol=1e-15)
