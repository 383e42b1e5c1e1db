"""The corpus of cases in cases.toml is the specification."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

import timeline
from timeline.find import grammar

SPEC = tomllib.loads((Path(__file__).parent / "cases.toml").read_text("utf-8"))
CASES: list[dict[str, Any]] = SPEC["case"]


def _find(case: dict[str, Any]) -> timeline.Mention:
    options = timeline.Options(domain=case.get("domain", "auto"))
    mentions = timeline.extract(
        case["text"], case.get("published", SPEC["published"]), options=options
    )
    if "phrase" in case:
        chosen = [m for m in mentions if m.text == case["phrase"]]
        assert chosen, f"no mention {case['phrase']!r} in {[m.text for m in mentions]}"
        return chosen[0]
    assert mentions, f"nothing found in {case['text']!r}"
    matching = [m for m in mentions if m.value == case["value"]]
    return matching[0] if matching else mentions[0]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:50] for c in CASES])
def test_case(case: dict[str, Any]) -> None:
    m = _find(case)
    assert m.value == case["value"], f"{m.text!r}: {m.value} ({m.why})"
    if "type" in case:
        assert m.type == case["type"]
    if "mod" in case:
        assert m.mod == case["mod"]


@pytest.mark.parametrize("text", SPEC["negative"]["texts"])
def test_negative(text: str) -> None:
    found = timeline.extract(text, SPEC["published"])
    assert found == [], [(m.text, m.value) for m in found]


def test_every_rule_is_exercised_by_a_case() -> None:
    fired: set[str] = set()
    for case in CASES:
        options = timeline.Options(domain=case.get("domain", "auto"))
        published = case.get("published", SPEC["published"])
        fired.update(m.why.rule for m in timeline.extract(case["text"], published, options=options))
    rules = {r.name for r in grammar().rules}
    assert rules - fired == set(), "rules without a corpus case"


@pytest.mark.parametrize("rule", grammar().rules, ids=[r.name for r in grammar().rules])
def test_rule_example_fires_its_rule(rule: Any) -> None:
    domain = next(iter(rule.domains), "auto")
    mentions = timeline.extract(
        rule.example, SPEC["published"], options=timeline.Options(domain=domain)
    )
    assert any(m.why.rule == rule.name for m in mentions), [(m.text, m.why.rule) for m in mentions]


def test_case_count_is_substantial() -> None:
    assert len(CASES) + len(SPEC["negative"]["texts"]) >= 150


def test_numeric_order_follows_the_texts_own_dates() -> None:
    """A day-first date elsewhere in the text settles "05/03/2011" as 5 March;
    without one it stays month first (the api composes the filter after the
    scan)."""
    from timeline.find import scan
    from timeline.find.expressions import CalDate
    from timeline.find.filters import numeric_order

    def dates(text: str) -> list[tuple[int | None, int | None, int | None]]:
        out = []
        for c in numeric_order(list(scan(text))):
            assert isinstance(c.expr, CalDate)
            out.append((c.expr.year, c.expr.month, c.expr.day))
        return out

    both = "Filed on 25/03/2011 and heard on 05/04/2011."
    assert dates(both) == [(2011, 3, 25), (2011, 4, 5)]
    assert dates("Filed on 25.03.2011, heard on 05/04/2011.") == [(2011, 3, 25), (2011, 4, 5)]
    assert dates("Filed on 03/25/2011 and heard on 05/04/2011.") == [(2011, 3, 25), (2011, 5, 4)]
    assert dates("Heard on 05/04/2011.") == [(2011, 5, 4)]
