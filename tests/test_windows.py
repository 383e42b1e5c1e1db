"""Long texts attached window by window give exactly the whole-text timeline."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import timeline
from timeline.cli import example_text
from timeline.io.windows import build_windowed, cuts

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
# Every document of every corpus with TIMELINE_FULL_CORPUS=1 (a few minutes);
# otherwise the first documents of each.
FULL = os.environ.get("TIMELINE_FULL_CORPUS") == "1"
SAMPLE = 12


def test_cuts_cover_the_text_in_order() -> None:
    text = "First paragraph here.\n\nSecond one, longer than the first.\nA line.\n\nThird."
    for window in (1, 5, 17, 30, len(text), len(text) + 5):
        spans = list(cuts(text, window))
        assert spans[0][0] == 0 and spans[-1][1] == len(text)
        assert all(a < b for a, b in spans)
        assert all(spans[i][1] == spans[i + 1][0] for i in range(len(spans) - 1))
        assert all(b - a <= window for a, b in spans)


def test_cuts_prefer_a_paragraph_break() -> None:
    text = "a" * 80 + "\n\n" + "b" * 5 + "\n" + "c" * 100
    assert next(cuts(text, 100)) == (0, 82)  # after the blank line, not the later line break
    # A break too far back (before the window's last quarter) is not taken.
    assert next(cuts("a" * 60 + "\n\n" + "b" * 100, 100)) == (0, 100)


def test_cuts_reject_an_empty_window() -> None:
    with pytest.raises(ValueError, match="window"):
        list(cuts("text", 0))
    with pytest.raises(ValueError, match="margin"):
        build_windowed("text", "2025-01-22", margin=-1)


def test_a_short_text_is_one_build() -> None:
    calls: list[tuple[int, int]] = []
    text = example_text()
    got = build_windowed(
        text, "2025-01-22", document="x", progress=lambda d, t: calls.append((d, t))
    )
    assert got == timeline.build(text, "2025-01-22", document="x")
    assert calls == [(len(text), len(text))]


@pytest.mark.parametrize("undated", [False, True])
@pytest.mark.parametrize("window", [60, 300, 1_000])
def test_windowed_equals_whole_on_a_long_article(window: int, undated: bool) -> None:
    # The example article, then variations of it: dates relative to earlier
    # ones ("two days later") cross window edges.
    base = example_text()
    text = "\n\n".join(
        [base, base.replace("Friday", "Monday"), "Two days later, the boats sailed.", base]
    )
    calls: list[tuple[int, int]] = []
    got = build_windowed(
        text,
        "2025-01-22",
        document="a",
        undated=undated,
        window=window,
        progress=lambda d, t: calls.append((d, t)),
    )
    whole = timeline.build(text, "2025-01-22", document="a", undated=undated)
    assert got == whole
    assert len(got) > 20
    assert calls[-1] == (len(text), len(text)) and len(calls) > len(text) // window // 2
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_offsets_stay_exact() -> None:
    text = example_text() * 3
    got = build_windowed(text, "2025-01-22", window=200)
    for e in got:
        assert e.mention is not None
        assert text[e.mention.start : e.mention.end] == e.mention.text
        assert e.trigger is None or (
            e.trigger_start is not None
            and text[e.trigger_start : e.trigger_start + len(e.trigger)] == e.trigger
        )
        assert " ".join(text[e.text_start :].split())[: len(e.text)] == e.text


def _corpus_documents(name: str) -> list[tuple[str, str, str]]:
    from timeline.io import timeml

    root = CORPORA / name
    if not root.is_dir():
        pytest.skip(f"corpus {name} not found under {CORPORA}")
    out: list[tuple[str, str, str]] = []
    for path in timeml.find_documents(root):
        try:
            doc = timeml.read_document(path)
        except (OSError, ValueError):
            continue
        dct = timeml.dct_argument(doc.dct)
        if dct:
            out.append((str(path), doc.text, dct))
        if not FULL and len(out) >= SAMPLE:
            break
    return out


@pytest.mark.parametrize(
    "corpus",
    [
        "tbaq-cleaned",
        "wikiwars",
        "te3-silver",
        "meantime-english-apple",
        "semeval2015-task4-timeline-trial",
        "tweets-syntime-train",
    ],
)
def test_windowed_equals_whole_on_the_corpora(corpus: str) -> None:
    """Windows of 300 characters cut nearly every document many times (with
    ``undated=True``: both kinds of event)."""
    docs = _corpus_documents(corpus)
    assert docs
    for path, text, dct in docs:
        got = build_windowed(text, dct, document=path, undated=True, window=300)
        assert got == timeline.build(text, dct, document=path, undated=True), path
