"""Finding: where a text says *when*, and what it said, before any calendar.

``scan(text)`` yields :class:`Candidate` values in text order: the span, the
rule that fired, and an unresolved expression (:mod:`.expressions`) such as
``Weekday(5)`` for "on Friday" or ``Shift("month", -1)`` for "last month".

- :mod:`.expressions`: the unresolved expressions and :class:`Candidate`;
- ``en.toml``: the English grammar as data (tables, fragments, rules);
- :mod:`.operations`: what each rule's ``op`` makes of a match;
- :mod:`.compiler`: the rules compiled into a linear-time router;
- :mod:`.prefixes`: which characters each rule can begin with;
- :mod:`.scanner`: :func:`scan`.
"""

from .compiler import Grammar, grammar
from .expressions import Candidate
from .scanner import scan

__all__ = ["Candidate", "Grammar", "grammar", "scan"]
