"""The spaCy component: nlp.add_pipe("timeline")."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import timeline

from .test_corpus_api import te3_sample

spacy = pytest.importorskip("spacy")

from spacy.training import Example  # noqa: E402


@pytest.fixture(scope="module")
def nlp() -> Any:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("timeline")
    return pipeline


def spans(doc: Any) -> list[tuple[str, int, int, str, str]]:
    return [
        (s.text, s.start_char, s.end_char, s.label_, s._.timex.value) for s in doc.spans["timeline"]
    ]


def test_publish_date_from_the_doc_the_config_or_the_dateline(nlp: Any) -> None:
    text = "Talks were held on Friday."
    for published in (dt.date(2025, 1, 22), dt.datetime(2025, 1, 22, 9, 30), "2025-01-22"):
        doc = nlp.make_doc(text)
        doc._.published = published
        assert spans(nlp(doc)) == [("Friday", 19, 25, "DATE", "2025-01-17")]
    configured = spacy.blank("en")
    configured.add_pipe("timeline", config={"published": "2024-06-05"})
    assert spans(configured(text))[0][-1] == "2024-05-31"
    doc = nlp.make_doc(text)
    doc._.published = "2025-01-22"
    assert spans(configured(doc))[0][-1] == "2025-01-17"  # the doc's own date wins
    dated = nlp("PARIS, March 3, 2021 - Talks were held on Friday.")
    assert [s[-1] for s in spans(dated)] == ["2021-03-03", "2021-02-26"]


def test_clear_errors(nlp: Any) -> None:
    with pytest.raises(ValueError, match="no publish date for this document: set doc._.published"):
        nlp("Talks were held on Friday.")
    doc = nlp.make_doc("Talks were held on Friday.")
    doc._.published = "next Tuesday"
    with pytest.raises(ValueError, match="doc._.published: published: 'next Tuesday' is not"):
        nlp(doc)
    with pytest.raises(ValueError, match="not an ISO 8601 date"):
        spacy.blank("en").add_pipe("timeline", config={"published": "soon"})
    with pytest.raises(ValueError, match="domain must be one of"):
        spacy.blank("en").add_pipe("timeline", config={"published": "2025-01-01", "domain": "x"})


def test_alignment_with_odd_whitespace_and_emoji(nlp: Any) -> None:
    text = (
        "🎉🎉  Talks were held on\u00a0Friday 👍,\t\tand  the vote is\n\n"
        "next   week.\u2003Since 2019-03-04T10:00 🇫🇷 prices rose 3% in mid-2020, "
        "in the 2019/20 season and on 5/6/2024.Then talks(Friday) 🙂."
    )
    doc = nlp.make_doc(text)
    doc._.published = "2025-01-22"
    doc = nlp(doc)
    mentions = timeline.extract(text, "2025-01-22")
    assert len(doc.spans["timeline"]) == len(mentions) >= 4
    for span, m in zip(doc.spans["timeline"], mentions, strict=True):
        assert span._.timex == m
        assert text[m.start : m.end] == m.text  # code points, as spaCy's offsets
        assert span.start_char <= m.start and m.end <= span.end_char
        if doc.char_span(m.start, m.end) is not None:  # on token boundaries: the exact span
            assert (span.start_char, span.end_char, span.text) == (m.start, m.end, m.text)
    assert [s.text for s in doc.spans["timeline"]][:2] == ["Friday", "next   week"]
    # inside one token: widened to it, the mention kept apart by the span's id
    widened = [(s.text, s._.timex.text) for s in doc.spans["timeline"] if s.text != s._.timex.text]
    assert widened == [
        ("2019/20", "2019"),
        ("2019/20", "20"),
        ("5/6/2024.Then", "5/6/2024"),
        ("talks(Friday", "Friday"),
    ]


def test_a_doc_keeps_its_timeline_through_bytes(nlp: Any) -> None:
    doc = nlp.make_doc("Talks were held on Friday. The minister will travel next week.")
    doc._.published = "2025-01-22"
    doc = nlp(doc)
    again = spacy.tokens.Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert again._.timeline == doc._.timeline
    assert spans(again) == spans(doc)
    assert spacy.blank("en")("no component")._.timeline is None


def trained_tagger(path: Path) -> Path:
    """A tiny trained pipeline: a tagger trained for 20 steps on four sentences,
    saved to ``path`` (no pretrained model can be downloaded here)."""
    random.seed(0)
    spacy.util.fix_random_seed(0)
    pipeline = spacy.blank("en")
    pipeline.add_pipe("tagger")
    data = [
        ("Talks were held on Friday", ["NOUN", "AUX", "VERB", "ADP", "PROPN"]),
        ("The minister will travel", ["DET", "NOUN", "AUX", "VERB"]),
        ("Prices rose last week", ["NOUN", "VERB", "ADJ", "NOUN"]),
        ("Officials met on Monday", ["NOUN", "VERB", "ADP", "PROPN"]),
    ]
    examples = [Example.from_dict(pipeline.make_doc(t), {"tags": tags}) for t, tags in data]
    optimizer = pipeline.initialize(lambda: examples)
    for _ in range(20):
        pipeline.update(examples, sgd=optimizer)
    pipeline.to_disk(path)
    return path


def test_on_a_trained_pipeline_saved_and_loaded(tmp_path: Path) -> None:
    trained = spacy.load(trained_tagger(tmp_path / "tagger"))
    trained.add_pipe("timeline", config={"published": "2025-01-22"})
    doc = trained("Officials met on Monday and talks were held on Friday.")
    assert [t.tag_ for t in doc][:3] == ["NOUN", "VERB", "ADP"]  # the tagger ran and learned
    assert [s[-1] for s in spans(doc)] == ["2025-01-20", "2025-01-17"]
    trained.to_disk(tmp_path / "with-timeline")
    # In a fresh process that never imports timeline, spaCy finds the factory
    # through the entry point: for add_pipe and for a saved pipeline's config.
    code = (
        "import sys, spacy\n"
        "assert 'timeline' not in sys.modules\n"
        "blank = spacy.blank('en')\n"
        "blank.add_pipe('timeline', config={'published': '2025-01-22'})\n"
        "first = blank('Talks were held on Friday.')\n"
        "print(first.spans['timeline'][0]._.timex.value)\n"
        f"nlp = spacy.load({str(tmp_path / 'with-timeline')!r})\n"
        "doc = nlp('Officials met on Monday.')\n"
        "print(nlp.pipe_names, doc.spans['timeline'][0]._.timex.value)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["2025-01-17", "['tagger', 'timeline'] 2025-01-20"]


def test_pipe_with_two_processes_equals_serial_build_on_te3_silver(nlp: Any) -> None:
    sample = te3_sample()
    docs = []
    for _, text, published in sample:
        doc = nlp.make_doc(text)
        doc._.published = published
        docs.append(doc)
    out = list(nlp.pipe(docs, n_process=2, batch_size=25))
    assert len(out) == len(sample)
    mentions = 0
    for doc, (_, text, published) in zip(out, sample, strict=True):
        serial = timeline.build(text, published)
        assert doc._.timeline == serial
        assert [s._.timex for s in doc.spans["timeline"]] == list(serial.mentions)
        mentions += len(serial.mentions)
    assert mentions > 500
