"""Tests for the TempEval-3 style evaluation module (timeline.evaluation)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from timeline.evaluation.tempeval import (
    format_report,
    run_eval,
    score,
)
from timeline.io.timeml import (
    Document,
    DocumentError,
    Timex,
    dct_argument,
    find_documents,
    read_cat,
    read_document,
    read_timeml,
)

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


@dataclass(frozen=True)
class M:
    """A stand-in for an engine mention."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str | None = None


def timeml(body: str, dct: str = "1998-01-20", head: str = "") -> str:
    """A minimal TimeML document around ``body`` (the content of TEXT)."""
    return (
        '<?xml version="1.0" ?>\n<TimeML>\n<DOCID>X</DOCID>\n'
        f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" temporalFunction="false" '
        f'functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>\n{head}'
        f"<TEXT>{body}</TEXT>\n<TLINK lid='l1' relType='BEFORE'/>\n</TimeML>\n"
    )


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def doc(text: str, *gold: tuple[str, str, str], name: str = "d") -> Document:
    """A document whose gold timexes are given as (phrase, type, value), found left to right."""
    timexes = []
    pos = 0
    for phrase, type_, value in gold:
        start = text.index(phrase, pos)
        pos = start + len(phrase)
        timexes.append(Timex(start, pos, phrase, type_, value))
    return Document(name=name, text=text, dct="1998-01-20", gold=tuple(timexes))


def mention(text: str, phrase: str, type_: str = "DATE", value: str = "", nth: int = 0) -> M:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return M(start, start + len(phrase), phrase, type_, value)


# --------------------------------------------------------------------------- readers


def test_tags_stripped_entities_unescaped_offsets(tmp_path: Path) -> None:
    body = (
        '\nAT&amp;T <EVENT eid="e1" class="OCCURRENCE">said</EVENT> on '
        '<TIMEX3 tid="t1" type="DATE" value="1998-01-19">Monday</TIMEX3> that caf&#233; '
        '&lt;prices&gt; <ENAMEX TYPE="ORG">rose <TIMEX3 tid="t2" type="DURATION" value="P2W" '
        'mod="APPROX">about two weeks</TIMEX3></ENAMEX> &quot;ago&quot; &#x2014; '
        '<SIGNAL sid="s1">in</SIGNAL> <TIMEX3 tid="t3" type="SET" value="P1W" '
        'freq="1X">every week</TIMEX3>.\n'
    )
    d = read_timeml(write(tmp_path, "a.tml", timeml(body)))
    assert d.name == "a"
    assert d.text == (
        '\nAT&T said on Monday that café <prices> rose about two weeks "ago" — in every week.\n'
    )
    assert [(g.text, g.type, g.value, g.mod, g.tid) for g in d.gold] == [
        ("Monday", "DATE", "1998-01-19", None, "t1"),
        ("about two weeks", "DURATION", "P2W", "APPROX", "t2"),
        ("every week", "SET", "P1W", None, "t3"),
    ]
    for g in d.gold:
        assert d.text[g.start : g.end] == g.text
    assert d.gold[0].start == d.text.index("Monday")


def test_reader_tolerates_invalid_xml(tmp_path: Path) -> None:
    # A bare '&', a lone '<' and an unknown entity are kept as text; CRLF becomes LF.
    body = 'R&D < 5 &bogus; on\r\n<TIMEX3 tid="t1" type="DATE" value="1998">1998</TIMEX3><!-- c -->'
    d = read_timeml(write(tmp_path, "b.tml", timeml(body)))
    assert d.text == "R&D < 5 &bogus; on\n1998"
    assert [(g.start, g.end, g.text) for g in d.gold] == [(19, 23, "1998")]


def test_dct_from_creation_time(tmp_path: Path) -> None:
    d = read_timeml(write(tmp_path, "c.tml", timeml("x", dct="1998-02-19T08:02:00")))
    assert d.dct == "1998-02-19T08:02:00"
    assert d.gold == ()
    assert d.dct_span is None


def test_dct_fallback_to_dct_element(tmp_path: Path) -> None:
    raw = (
        '<TimeML><DCT><TIMEX3 tid="t0" type="DATE" value="2001-05-06">May 6</TIMEX3></DCT>'
        '<TEXT>on <TIMEX3 tid="t1" type="DATE" value="2001-05-05">Saturday</TIMEX3></TEXT>'
        "</TimeML>"
    )
    d = read_timeml(write(tmp_path, "d.tml", raw))
    assert d.dct == "2001-05-06"
    assert [g.text for g in d.gold] == ["Saturday"]


def test_creation_time_inside_text_is_not_gold(tmp_path: Path) -> None:
    raw = (
        '<TimeML><TEXT><TIMEX3 tid="t0" type="DATE" value="2005-06-06" '
        'functionInDocument="CREATION_TIME">June 6, 2005</TIMEX3> Jobs spoke '
        '<TIMEX3 tid="t1" type="DATE" value="2005-06-06">today</TIMEX3>.</TEXT></TimeML>'
    )
    d = read_timeml(write(tmp_path, "e.tml", raw))
    assert d.dct == "2005-06-06"
    assert d.dct_span == (0, 12)
    assert [g.text for g in d.gold] == ["today"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("<TimeML><DCT></DCT></TimeML>", "no <TEXT>"),
        (timeml('<TIMEX3 tid="t9" type="DATE" value="1998">1998 and more'), "never closed"),
        (timeml("a </TIMEX3> b"), "without <TIMEX3>"),
        ('<TimeML><TEXT>no dct <TIMEX3 tid="t1">1998</TIMEX3></TEXT></TimeML>', "creation time"),
        (timeml("x").replace("</TEXT>", ""), "<TEXT> is never closed"),
    ],
)
def test_malformed_timeml_raises(tmp_path: Path, raw: str, message: str) -> None:
    with pytest.raises(DocumentError, match=re.escape(message)):
        read_timeml(write(tmp_path, "bad.tml", raw))


CAT = """<?xml version="1.0" ?><Document doc_id="1" doc_name="apple" lang="en">
<token number="0" sentence="0" t_id="1">Apple</token>
<token number="1" sentence="0" t_id="2">news</token>
<token number="2" sentence="1" t_id="3">March</token>
<token number="3" sentence="1" t_id="4">6</token>
<token number="4" sentence="1" t_id="5">,</token>
<token number="5" sentence="1" t_id="6">2008</token>
<token number="6" sentence="2" t_id="7">Sales</token>
<token number="7" sentence="2" t_id="8">rose</token>
<token number="8" sentence="2" t_id="9">last</token>
<token number="9" sentence="2" t_id="10">week</token>
<token number="10" sentence="2" t_id="11">&amp;</token>
<token number="11" sentence="2" t_id="12">today</token>
<Markables>
<ENTITY_MENTION m_id="20"><token_anchor t_id="1"/></ENTITY_MENTION>
<TIMEX3 m_id="30" type="DATE" value="2008-03-06" functionInDocument="CREATION_TIME">
<token_anchor t_id="3"/><token_anchor t_id="4"/><token_anchor t_id="5"/><token_anchor t_id="6"/>
</TIMEX3>
<TIMEX3 m_id="31" type="DATE" value="2008-W09" functionInDocument="NONE">
<token_anchor t_id="9"/><token_anchor t_id="10"/>
</TIMEX3>
<TIMEX3 m_id="32" type="DATE" value="2008-03-06" functionInDocument="NONE">
<token_anchor t_id="12"/>
</TIMEX3>
<TIMEX3 m_id="33" type="DATE" value="2003" TAG_DESCRIPTOR="2003" functionInDocument="NONE"/>
</Markables>
</Document>
"""


def test_read_cat(tmp_path: Path) -> None:
    d = read_cat(write(tmp_path, "apple.xml", CAT))
    assert d.text == "Apple news\nMarch 6 , 2008\nSales rose last week & today"
    assert d.dct == "2008-03-06"
    assert d.dct_span == (11, 25)
    assert [(g.text, g.value, g.tid) for g in d.gold] == [
        ("last week", "2008-W09", "31"),
        ("today", "2008-03-06", "32"),
    ]
    for g in d.gold:
        assert d.text[g.start : g.end] == g.text
    assert [t.value for t in d.implicit] == ["2003"]
    assert read_document(tmp_path / "apple.xml") == d


# The CAT document with a fourth sentence that no markable points into: the
# annotation stops before it, as MEANTIME's stops after each article's first
# sentences.
CAT_PARTLY = CAT.replace(
    "<Markables>",
    '<token number="12" sentence="3" t_id="13">In</token>\n'
    '<token number="13" sentence="3" t_id="14">2009</token>\n'
    '<token number="14" sentence="3" t_id="15">too</token>\n<Markables>',
)


def test_read_cat_annotated_end(tmp_path: Path) -> None:
    whole = read_cat(write(tmp_path, "whole.xml", CAT))
    assert whole.annotated_end is None  # the last sentence holds a markable
    d = read_cat(write(tmp_path, "partly.xml", CAT_PARTLY))
    assert d.text.endswith("Sales rose last week & today\nIn 2009 too")
    assert d.annotated_end == len("Apple news\nMarch 6 , 2008\nSales rose last week & today")


def test_read_cat_timex_only_is_annotated_throughout(tmp_path: Path) -> None:
    # a file that marks up only its TIMEX3s says nothing of where annotation stops
    timex_only = CAT_PARTLY.replace(
        '<ENTITY_MENTION m_id="20"><token_anchor t_id="1"/></ENTITY_MENTION>', ""
    )
    assert "ENTITY_MENTION" not in timex_only
    assert read_cat(write(tmp_path, "timex.xml", timex_only)).annotated_end is None


def test_score_leaves_out_unannotated_text(tmp_path: Path) -> None:
    d = read_cat(write(tmp_path, "partly.xml", CAT_PARTLY))
    at = d.text.index("2009")
    mentions = [M(at, at + 4, "2009", "DATE", "2009")]
    r = score([(d, mentions)])
    assert (r.system, r.unannotated, len(r.spurious)) == (0, 1, 0)
    r = score([(d, mentions)], whole_text=True)
    assert (r.system, r.unannotated, len(r.spurious)) == (1, 0, 1)


def test_run_eval_whole_text(tmp_path: Path) -> None:
    write(tmp_path, "partly.xml", CAT_PARTLY)
    data = json.loads(run_eval(tmp_path, extractor=year_extractor, fmt="json")[0])
    assert (data["system"], data["unannotated"]) == (0, 1)
    assert any("annotated only up to a point" in n for n in data["notes"])
    data = json.loads(run_eval(tmp_path, extractor=year_extractor, fmt="json", whole_text=True)[0])
    assert (data["system"], data["unannotated"]) == (1, 0)
    text, _ = run_eval(tmp_path, extractor=year_extractor)
    assert "after the annotated text 1" in text


def test_find_documents(tmp_path: Path) -> None:
    write(tmp_path, "a/one.tml", timeml("x"))
    write(tmp_path, "a/._one.tml", "AppleDouble junk")
    write(tmp_path, "b/cat.xml", CAT)
    write(tmp_path, "b/other.xml", "<Something/>")
    write(tmp_path, "b/tml.xml", timeml("y"))
    write(tmp_path, "notes.txt", "hello")
    found = [p.relative_to(tmp_path).as_posix() for p in find_documents(tmp_path)]
    assert found == ["a/one.tml", "b/cat.xml", "b/tml.xml"]


def test_dct_argument() -> None:
    assert dct_argument("1998-01-20") == "1998-01-20"
    assert dct_argument("1998-02-19T08:02:00") == "1998-02-19T08:02:00"
    assert dct_argument(" 1998-02-19T08:02 ") == "1998-02-19T08:02"
    assert dct_argument("1998-02-19TMO") == "1998-02-19"
    assert dct_argument("2009") is None
    assert dct_argument("1998-W05") is None
    assert dct_argument("1998-02-30") is None


# --------------------------------------------------------------------------- scoring


def test_strict_versus_relaxed() -> None:
    d = doc("It fell last week and rose on Monday .", ("last week", "DATE", "1998-W03"),
            ("Monday", "DATE", "1998-01-19"))  # fmt: skip
    system = [mention(d.text, "week", value="1998-W03"), M(29, 37, " Monday ", "DATE", "x")]
    r = score([(d, system)])
    assert (r.strict.tp, r.relaxed.tp) == (1, 2)  # " Monday " is strict once stripped
    assert r.strict.precision == 0.5
    assert r.relaxed.f1 == 1.0


def test_one_to_one_matching() -> None:
    d = doc("from Monday to Friday .", ("Monday", "DATE", "1"), ("Friday", "DATE", "5"))
    r = score([(d, [mention(d.text, "Monday to Friday")])])
    assert r.relaxed.tp == 1
    assert r.relaxed.precision == 1.0
    assert r.relaxed.recall == 0.5
    assert len(r.misses) == 1
    assert r.misses[0].gold_text == "Friday"
    assert r.misses[0].system_text == "Monday to Friday"  # overlapping, but taken


def test_largest_overlap_wins() -> None:
    d = doc("in early 1998 and March 1999", ("early 1998", "DATE", "1998"),
            ("March 1999", "DATE", "1999-03"))  # fmt: skip
    # The system span touches gold 1 by one character and covers gold 2: it goes to gold 2.
    r = score([(d, [M(12, 28, "8 and March 1999", "DATE", "1999-03")])])
    assert r.relaxed.tp == 1
    assert r.value_correct == 1
    assert [e.gold_text for e in r.misses] == ["early 1998"]


def test_prf_arithmetic() -> None:
    text = "aaa bbb ccc ddd eee fff ggg"
    d = doc(text, ("aaa", "DATE", "1"), ("bbb ccc", "DATE", "2"), ("ddd", "DATE", "3"),
            ("fff", "DATE", "4"))  # fmt: skip
    system = [
        mention(text, "aaa", value="1"),  # strict
        mention(text, "ccc", value="2"),  # relaxed only
        mention(text, "ddd", value="3"),  # strict
        mention(text, "eee"),  # spurious
        mention(text, "ggg"),  # spurious
    ]  # gold "fff" is missed
    r = score([(d, system)])
    assert (r.gold, r.system, r.strict.tp, r.relaxed.tp) == (4, 5, 2, 3)
    assert r.strict.precision == pytest.approx(2 / 5)
    assert r.strict.recall == pytest.approx(2 / 4)
    assert r.strict.f1 == pytest.approx(4 / 9)
    assert r.relaxed.precision == pytest.approx(3 / 5)
    assert r.relaxed.recall == pytest.approx(3 / 4)
    assert r.relaxed.f1 == pytest.approx(2 / 3)
    assert [e.phrase for e in r.misses] == ["fff"]
    assert [e.phrase for e in r.spurious] == ["eee", "ggg"]


def test_micro_average_over_documents() -> None:
    d1 = doc("on Monday", ("Monday", "DATE", "1"), name="d1")
    d2 = doc("a b c", ("a", "DATE", "1"), ("b", "DATE", "1"), ("c", "DATE", "1"), name="d2")
    r = score([(d1, [mention(d1.text, "Monday", value="1")]), (d2, [])])
    assert r.docs == 2
    assert r.relaxed.recall == pytest.approx(1 / 4)
    assert r.relaxed.precision == 1.0


def test_type_and_value_accuracy() -> None:
    text = "Monday , two weeks , 1998 , daily"
    d = doc(text, ("Monday", "DATE", "1998-01-19"), ("two weeks", "DURATION", "P2W"),
            ("1998", "DATE", "1998"), ("daily", "SET", "P1D"))  # fmt: skip
    system = [
        mention(text, "Monday", "DATE", "1998-01-26"),  # right type, wrong value
        mention(text, "two weeks", "DATE", "P2W"),  # wrong type, right value
        mention(text, "1998", "DATE", " 1998 "),  # values are compared stripped
    ]  # "daily" missed
    r = score([(d, system)])
    assert r.relaxed.tp == 3
    assert r.type_accuracy == pytest.approx(2 / 3)
    assert r.value_accuracy == pytest.approx(2 / 3)
    assert r.relaxed.f1 == pytest.approx(2 * 1.0 * 0.75 / 1.75)
    assert r.value_f1 == pytest.approx(r.value_accuracy * r.relaxed.f1)
    assert r.type_f1 == pytest.approx(r.type_accuracy * r.relaxed.f1)
    assert [(e.gold_value, e.system_value) for e in r.wrong_values] == [
        ("1998-01-19", "1998-01-26")
    ]


def test_empty_gold_value_matches_only_empty_system_value() -> None:
    d = doc("now and then", ("now", "DATE", ""), ("then", "DATE", ""))
    r = score([(d, [mention(d.text, "now"), mention(d.text, "then", value="PAST_REF")])])
    assert r.value_correct == 1


def test_per_type_breakdown() -> None:
    text = "Monday , two weeks , noon , daily , 1998"
    d = doc(text, ("Monday", "DATE", "1"), ("two weeks", "DURATION", "P2W"),
            ("noon", "TIME", "T12"), ("daily", "SET", "P1D"), ("1998", "DATE", "1998"))  # fmt: skip
    system = [
        mention(text, "Monday", "DATE", "1"),
        mention(text, "two", "DURATION", "P2W"),
        mention(text, "noon", "DATE", "X"),
    ]
    rows = {row.type: row for row in score([(d, system)]).per_type}
    assert list(rows) == ["DATE", "TIME", "DURATION", "SET"]
    date, time_, dur, set_ = rows["DATE"], rows["TIME"], rows["DURATION"], rows["SET"]
    assert (date.gold, date.strict, date.relaxed, date.value_correct) == (2, 1, 1, 1)
    assert date.relaxed_recall == 0.5
    assert (date.system, date.system_matched) == (2, 2)  # "noon" was typed DATE
    assert (dur.gold, dur.strict, dur.relaxed, dur.value_accuracy) == (1, 0, 1, 1.0)
    assert (time_.relaxed, time_.type_correct, time_.value_correct, time_.system) == (1, 0, 0, 0)
    assert (set_.gold, set_.relaxed, set_.relaxed_recall) == (1, 0, 0.0)


def test_dct_span_mentions_are_ignored() -> None:
    text = "June 6 , 2005 Jobs spoke today"
    d = Document("d", text, "2005-06-06", (Timex(25, 30, "today", "DATE", "2005-06-06"),),
                 dct_span=(0, 13))  # fmt: skip
    r = score([(d, [mention(text, "June 6 , 2005"), mention(text, "today", value="2005-06-06")])])
    assert (r.system, r.ignored, r.relaxed.precision) == (1, 1, 1.0)


def test_error_kinds_group_by_normalised_phrase() -> None:
    d1 = doc("in 1998 .", ("in 1998", "DATE", "1998"), name="d1")
    d2 = doc("in 2001 , Monday", ("in 2001", "DATE", "2001"), name="d2")
    r = score([(d1, []), (d2, [mention(d2.text, "Monday")])])
    kinds = r.error_kinds()
    assert [(k.kind, k.key, k.count) for k in kinds] == [("miss", "in 9999", 2),
                                                         ("spurious", "monday", 1)]  # fmt: skip
    assert kinds[0].example.doc == "d1"


# --------------------------------------------------------------------------- report


def test_format_report_text_and_json() -> None:
    d = doc("on Monday and Tuesday", ("Monday", "DATE", "1"), ("Tuesday", "DATE", "2"))
    r = score([(d, [mention(d.text, "Monday", value="9"), mention(d.text, "on")])])
    text = format_report(r)
    assert "relaxed" in text and "strict" in text and "DATE" in text
    assert "misses" not in text
    full = format_report(r, errors=True)
    assert "misses (1)" in full and "spurious (1)" in full and "wrong values (1)" in full
    assert "[Tuesday]" in full
    data = json.loads(format_report(r, fmt="json", errors=True))
    assert data["relaxed"]["precision"] == 0.5
    assert data["value"]["accuracy"] == 0.0
    assert data["per_type"]["DATE"]["gold"] == 2
    assert data["errors"]["misses"][0]["gold_text"] == "Tuesday"
    assert "errors" not in json.loads(format_report(r, fmt="json"))
    with pytest.raises(ValueError):
        format_report(r, fmt="xml")


# --------------------------------------------------------------------------- run_eval


def year_extractor(text: str, dct: str) -> Sequence[M]:
    """Tags every four-digit year as a DATE with that year as value."""
    return [
        M(m.start(), m.end(), m.group(), "DATE", m.group())
        for m in re.finditer(r"\b(?:19|20)[0-9]{2}\b", text)
    ]


def test_run_eval_with_fake_extractor(tmp_path: Path) -> None:
    write(tmp_path, "a.tml", timeml('in <TIMEX3 tid="t1" type="DATE" value="1997">1997</TIMEX3>'))
    write(tmp_path, "sub/b.tml", timeml("<TIMEX3 tid='t1' type='DATE' value='P1Y'>a year</TIMEX3>"))
    seen: list[str] = []

    def extractor(text: str, dct: str) -> Sequence[M]:
        seen.append(dct)
        return year_extractor(text, dct)

    out, code = run_eval(tmp_path, extractor=extractor, fmt="json")
    assert code == 0
    assert seen == ["1998-01-20", "1998-01-20"]
    data = json.loads(out)
    assert (data["documents"], data["gold"], data["system"]) == (2, 2, 1)
    assert data["relaxed"]["recall"] == 0.5
    assert data["failures"] == []


def test_run_eval_reports_malformed_files_and_keeps_going(tmp_path: Path) -> None:
    write(tmp_path, "good.tml", timeml('<TIMEX3 tid="t1" type="DATE" value="1997">1997</TIMEX3>'))
    write(tmp_path, "broken.tml", timeml('<TIMEX3 tid="t1" type="DATE" value="1997">1997'))
    write(tmp_path, "yearonly.tml", timeml("x", dct="2009"))

    def boom(text: str, dct: str) -> Sequence[M]:
        if "boom" in text:
            raise RuntimeError("kaput")
        return year_extractor(text, dct)

    write(tmp_path, "crash.tml", timeml("boom"))
    out, code = run_eval(tmp_path, extractor=boom, errors=True)
    assert code == 1
    assert "documents 1" in out
    assert "failed files (3)" in out
    assert "broken.tml:" in out and "never closed" in out
    assert "yearonly.tml: creation time '2009' is not a full date" in out
    assert "crash.tml: extractor failed: RuntimeError: kaput" in out
    assert re.search(r"relaxed\s+100\.00\s+100\.00\s+100\.00", out)


def test_run_eval_without_documents(tmp_path: Path) -> None:
    out, code = run_eval(tmp_path, extractor=year_extractor)
    assert code == 2
    assert "no documents" in out
    assert run_eval(tmp_path / "missing", extractor=year_extractor)[1] == 2


def test_run_eval_skips_duplicate_documents(tmp_path: Path) -> None:
    write(tmp_path, "one/cat.xml", CAT)
    write(tmp_path, "two/cat.xml", CAT)
    out, code = run_eval(tmp_path, extractor=year_extractor, fmt="json")
    data = json.loads(out)
    assert code == 0
    assert (data["documents"], data["gold"]) == (1, 2)
    assert data["ignored"] == 1  # "2008" in the dateline is the creation time
    assert "skipped 1 file" in data["notes"][0]


# --------------------------------------------------------------------------- real corpora


def test_tbaq_cleaned_gold_counts() -> None:
    root = CORPORA / "tbaq-cleaned"
    if not root.is_dir():
        pytest.skip(f"{root} is not available")
    docs = [read_document(p) for p in find_documents(root)]
    assert len(docs) == 256
    assert sum(len(d.gold) for d in docs) == 1822
    counts: dict[str, int] = {}
    for d in docs:
        assert dct_argument(d.dct) is not None
        for g in d.gold:
            assert d.text[g.start : g.end] == g.text
            counts[g.type] = counts.get(g.type, 0) + 1
    assert counts == {"DATE": 1505, "DURATION": 257, "TIME": 30, "SET": 30}


def test_cli_eval_whole_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from timeline.cli import main

    write(tmp_path, "partly.xml", CAT_PARTLY)
    assert main(["eval", str(tmp_path), "--format", "json"]) == 0
    part = json.loads(capsys.readouterr().out)
    assert main(["eval", str(tmp_path), "--format", "json", "--whole-text"]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert part["unannotated"] == 1 and whole["unannotated"] == 0
    assert whole["system"] == part["system"] + 1  # "In 2009" counts only with --whole-text


# --------------------------------------------------------------------------- notation


@pytest.mark.parametrize(
    ("gold", "ours", "same"),
    [
        ("1968-XX", "1968", True),
        ("1994-XX-XX", "1994", True),
        ("2014-12-12-WXX-5", "2014-12-12", True),
        ("2014-12-12-WXX-6T16:30", "2014-12-12T16:30", True),
        ("2000-W7", "2000-W07", True),
        ("1989-11-06T17", "1989-11-06T17:00", True),
        ("199X", "199", True),
        ("19XX", "19", True),
        ("1998-08-04", "1998-W32", False),
        ("1998-XX", "1999", False),
        ("P1W", "1998-W33", False),
        ("1998", "1998", False),  # equal values are right, not a variant
        ("2000-W17", "2000-W07", False),
    ],
)
def test_same_in_other_notation(gold: str, ours: str, same: bool) -> None:
    from timeline.evaluation.tempeval import same_in_other_notation

    assert same_in_other_notation(gold, ours) is same


def test_report_counts_notation_variants_but_scores_them_wrong() -> None:
    text = "It was founded in 1949 and grew in week 7 of 2000."
    d = doc(text, ("1949", "DATE", "1949-XX"), ("2000", "DATE", "2000"))
    r = score([(d, [mention(text, "1949", value="1949"), mention(text, "2000", value="2001")])])
    assert r.value_correct == 0
    assert r.notation_variants == 1
    assert "1 of the wrong values" in format_report(r)
    assert json.loads(format_report(r, "json"))["value"]["notation_variants"] == 1


# --------------------------------------------------------------------------- splits


def test_run_eval_split(tmp_path: Path) -> None:
    corpus = tmp_path / "corpora" / "news" / "set"
    write(
        corpus, "a/one.tml", timeml("In <TIMEX3 tid='t1' type='DATE' value='1997'>1997</TIMEX3>.")
    )
    write(
        corpus, "a/two.tml", timeml("In <TIMEX3 tid='t1' type='DATE' value='1996'>1996</TIMEX3>.")
    )
    write(
        corpus, "three.tml", timeml("In <TIMEX3 tid='t1' type='DATE' value='1995'>1995</TIMEX3>.")
    )
    splits = write(tmp_path, "splits.toml", '["news/set"]\ntest = ["a/two.tml"]\n')

    def docs(split: str | None, where: Path = corpus) -> int:
        out, _ = run_eval(where, extractor=year_extractor, fmt="json", split=split, splits=splits)
        n: int = json.loads(out).get("documents", 0)
        return n

    assert (docs(None), docs("dev"), docs("test")) == (3, 2, 1)
    # a folder that holds the corpus keeps its test documents out of dev,
    # and a folder inside it has the test documents that lie in it
    assert (docs("dev", corpus.parent), docs("test", corpus.parent)) == (2, 1)
    assert (docs("dev", corpus / "a"), docs("test", corpus / "a")) == (1, 1)
    # a corpus the file does not name is all dev
    other = tmp_path / "other"
    write(other, "x.tml", timeml("y"))
    assert (docs("dev", other), docs("test", other)) == (1, 0)
    out, code = run_eval(other, extractor=year_extractor, split="test", splits=splits)
    assert code == 2 and "no test-split documents" in out
    with pytest.raises(ValueError, match="unknown split"):
        run_eval(corpus, extractor=year_extractor, split="train", splits=splits)
    bad = write(tmp_path, "bad.toml", '["news/set"]\ntest = 3\n')
    with pytest.raises(ValueError, match="needs a list"):
        run_eval(corpus, extractor=year_extractor, split="dev", splits=bad)


def test_committed_splits_match_the_hash() -> None:
    """bench/splits.toml is what bench/make_splits.py writes for the corpora present."""
    import hashlib
    import tomllib

    path = Path(__file__).resolve().parents[1] / "bench" / "splits.toml"
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(table) == {
        "tbaq-cleaned",
        "wikiwars/timeml-syntime",
        "tweets-syntime-train",
        "meantime-english-apple",
    }
    for key, entry in table.items():
        for rel in entry["test"]:
            assert hashlib.sha256(Path(rel).name.encode()).digest()[0] < 64, rel
        root = CORPORA / key
        if not root.is_dir():
            continue
        files = find_documents(root)
        names = {p.name for p in files}
        assert entry["documents"] == len(names)
        expected = {
            p.relative_to(root).as_posix()
            for p in files
            if hashlib.sha256(p.name.encode()).digest()[0] < 64
        }
        assert set(entry["test"]) == expected
        # about a quarter, never none and never all
        assert 0 < len({Path(t).name for t in entry["test"]}) < len(names)
