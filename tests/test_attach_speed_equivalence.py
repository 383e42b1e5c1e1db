"""The attach stage's shortcuts give what the plain computations give: the
Tagging's word slices and cached sentences, the batched tagger, the
pre-lowered verb test and the backwards sentence scan."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from timeline.attach import ranker
from timeline.attach.attacher import Tagging
from timeline.attach.words import (
    _SENTENCE_END,
    _is_abbreviation,
    _sentence_ends,
    is_verb,
    sentence_bounds,
    word_spans,
)

# texts made of the pieces that matter: words (some long, some capitalised,
# some with apostrophes and hyphens), spaces, sentence ends and other marks
_PIECES = st.sampled_from(
    [
        "the",
        "The",
        "said",
        "had",
        "just",
        "ended",
        "talks",
        "Mr.",
        "U.S.",
        "a" * 40,
        "don't",
        "well-known",
        "’s",
        " ",
        "  ",
        ". ",
        ".\n\n",
        "? ",
        ", ",
        "; ",
        " - ",
        "1999",
        "(",
        ")",
        '"',
        "é",
    ]
)
TEXTS = st.lists(_PIECES, max_size=60).map("".join)


@settings(max_examples=300)
@given(TEXTS, st.data())
def test_spans_are_the_words_of_the_span(text: str, data: st.DataObject) -> None:
    tagging = Tagging(text, ranker.load())
    start = data.draw(st.integers(0, len(text) + 2))
    end = data.draw(st.integers(0, len(text) + 2))
    assert tagging.spans(start, end) == word_spans(text, start, end)


@settings(max_examples=300)
@given(TEXTS, st.data())
def test_cached_sentences_and_verbs_are_the_plain_ones(text: str, data: st.DataObject) -> None:
    tagging = Tagging(text, ranker.load())
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for _ in range(2):  # the first time computes, the second reads the cache
        assert tagging.sentence(start, end) == sentence_bounds(text, start, end)
    words = tagging.words
    for i in range(len(words)):
        assert tagging.verb(i) == is_verb(words, i) == is_verb(words, i, tagging.lows)


@settings(max_examples=200)
@given(TEXTS)
def test_batched_tags_are_one_by_one_tags(text: str) -> None:
    model = ranker.load()
    batched = Tagging(text, model)
    indices = list(range(len(batched.words)))[::-1]
    tags = batched.events(indices)
    for i, p in zip(indices, tags, strict=True):
        verb = is_verb(batched.words, i)
        assert p == model.event(batched.words, i, verb)


def _left_bound(text: str, start: int, reach: int = 400) -> int:
    """The left sentence bound as first written: a forward scan."""
    lo = max(0, start - reach)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, min(len(text), start + 4)):
        if m.end() > start:
            break
        if _is_abbreviation(text, m.start()):
            continue
        left = m.end()
    return left


@settings(max_examples=300)
@given(TEXTS, st.data())
def test_backwards_scan_finds_the_forward_scans_bound(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    assert sentence_bounds(text, start, start)[0] == _left_bound(text, start)


@settings(max_examples=300)
@given(st.lists(_PIECES, min_size=8, max_size=60).map("".join), st.data())
def test_features_of_some_candidates_are_theirs_among_all(text: str, data: st.DataObject) -> None:
    """The scans stop at the farthest candidate: what they gather for each
    candidate is what a scan of the whole window gathers."""
    tagging = Tagging(text, ranker.load())
    words = tagging.words
    if not words:
        return
    cut = data.draw(st.integers(0, len(words) - 1))  # the date sits after word ``cut - 1``
    start = words[cut][0]
    end = start + len(words[cut][1])
    window = [i for i in range(len(words)) if i != cut]
    events = tagging.events(window)
    verbs = tagging.verbs(window)
    every = list(range(len(window)))
    heuristic = data.draw(st.none() | st.sampled_from(every)) if every else None
    args = (text, [words[i] for i in window], cut, start, end, "DATE", events, verbs, heuristic)
    full = ranker.features(*args, every, "verb-left")
    mask = data.draw(st.lists(st.booleans(), min_size=len(every), max_size=len(every)))
    some = [k for k in every if mask[k]]
    assert ranker.features(*args, some, "verb-left") == [full[k] for k in some]


@settings(max_examples=300)
@given(TEXTS, st.data())
def test_sentence_ends_are_the_patterns_matches(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(text)))
    endpos = data.draw(st.integers(pos, len(text)))
    fast = [m.span() for m in _sentence_ends(text, pos, endpos)]
    assert fast == [m.span() for m in _SENTENCE_END.finditer(text, pos, endpos)]
