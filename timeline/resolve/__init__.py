"""Resolving: from what the text said to a TIMEX3 value, a grain and an interval.

- :mod:`.calendar`: calendar arithmetic (checked against pendulum in the tests);
- :mod:`.tense`: the tense of the clause around a mention;
- :mod:`.resolver`: :func:`~.resolver.resolve`, a pure function of one
  candidate and its :class:`~.resolver.Context`, and the one place where
  direction (past or future) is decided;
- :mod:`.discourse`: what the rest of the text tells a resolution (the
  reading of the text, cues, the previous date, the story's date);
- :mod:`.era`: stories told in years before the common era.
"""

from .resolver import Context, resolve

__all__ = ["Context", "resolve"]
