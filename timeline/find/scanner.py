"""Finding: the candidates of a text, in text order.

The scanner knows words and patterns but nothing about calendars.  Each match
of the grammar (:mod:`timeline.find.compiler`) becomes a
:class:`~timeline.find.expressions.Candidate`: the span, the rule that fired,
a modifier, an explicit direction if the words gave one, and an unresolved
expression.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .compiler import Grammar, grammar
from .expressions import Candidate
from .operations import ARTICLE_COMPOUND, OPS, RANGE_OPS, Groups, modifier

__all__ = ["scan"]


def scan(
    text: str, regex: re.Pattern[str] | None = None, *, compiled: Grammar | None = None
) -> Iterator[Candidate]:
    """Yield the candidates in ``text``, in text order, never overlapping.

    ``regex`` picks another compiled scanner of the grammar (the domain-only
    rules, or the ungated one in tests); the default is the main scanner.
    ``compiled`` is the grammar to use (by default :func:`grammar`'s).
    """
    g = compiled if compiled is not None else grammar()
    by_group = g.by_group
    tables = g.tables
    for m in regex.finditer(text) if regex is not None else g.matches(text):
        rule = by_group[m.lastgroup or ""]
        names = rule.global_names
        values = m.group(*names) if len(names) > 1 else (m.group(names[0]),) if names else ()
        groups: Groups = dict(zip(rule.local_names, values, strict=True))
        groups["_match"] = m.group()
        ranged = RANGE_OPS.get(rule.op)
        if ranged is not None:
            yield from ranged(m, rule, tables)
            continue
        result = OPS[rule.op](groups, tables, text, m.start())
        if result is None:
            continue
        expression, direction = result
        start, end = m.span()
        if rule.span_group is not None and m.group(rule.span_group) is not None:
            start, end = m.span(rule.span_group)
        # "#Friday", "#Christmas", "#10yrs": a hashtag is a label on the post,
        # not a phrase of its sentences (a clock time, "#720pm", still tells
        # when the post was written).
        if start and text[start - 1] == "#" and rule.op != "clock":
            continue
        # "the third-quarter results", "the two-week strike": before a
        # hyphenated compound adjective, the article belongs to the noun.
        if rule.op in ("duration", "quarter") and ARTICLE_COMPOUND.fullmatch(text, start, end):
            start += 4
        # Trailing punctuation that belongs to the sentence, not the expression.
        while end > start and text[end - 1] in ",;:":
            end -= 1
        yield Candidate(
            start, end, rule.name, expression, modifier(groups, tables), direction, rule.domains
        )
