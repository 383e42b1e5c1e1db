"""The clause a date belongs to: the cases in events_cases.toml, through build()."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

import timeline

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "events_cases.toml").read_text("utf-8")
)["case"]


def _id(case: dict[str, Any]) -> str:
    want = case.get("trigger") or "not " + case["not"]
    return f"{case['kind']}: {case['date']} -> {want}"


def test_cases_are_well_formed() -> None:
    for case in CASES:
        assert ("trigger" in case) != ("not" in case), case
        assert case["date"] in case["text"], case
        word = case.get("trigger") or case["not"]
        assert word in case["text"], case


def _param(case: dict[str, Any]) -> Any:
    marks = [pytest.mark.xfail(reason=case["known"], strict=True)] if "known" in case else []
    return pytest.param(case, id=_id(case), marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_date_dates_its_clause(case: dict[str, Any]) -> None:
    t = timeline.build(case["text"], case.get("published", "2025-01-22"))
    got = [e.trigger for e in t if e.mention is not None and e.mention.text == case["date"]]
    assert len(got) == 1, [(e.mention and e.mention.text, e.trigger) for e in t]
    if "trigger" in case:
        assert got[0] == case["trigger"]
    else:
        assert got[0] != case["not"]
