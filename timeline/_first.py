"""Which characters can begin a match of a regular expression (its FIRST set).

Used to build the scanner's dispatch table: at a candidate position only the
rules that can begin with the character found there are tried.  The analysis
walks the parse tree of Python's own regex compiler; anything it does not know
answers "any character", which is always safe (the rule is then tried at every
position, exactly as without dispatch).
"""

from __future__ import annotations

import string
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

__all__ = ["first_chars"]

_SPACES = frozenset(" \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000")
_SPACES = _SPACES | frozenset(chr(c) for c in range(0x2000, 0x200B))
_DIGITS = frozenset(string.digits)
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}


class _Any(Exception):
    """The FIRST set is every character."""


def _cased(ch: str, ignorecase: bool) -> set[str]:
    return {ch.lower(), ch.upper(), ch} if ignorecase else {ch}


def _in(items: list[tuple[Any, Any]], ignorecase: bool) -> set[str]:
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out |= _cased(chr(av), ignorecase)
        elif op is C.RANGE:
            lo, hi = av
            if hi - lo > 2000:
                raise _Any
            for code in range(lo, hi + 1):
                out |= _cased(chr(code), ignorecase)
        elif op is C.CATEGORY and av is C.CATEGORY_DIGIT:
            out |= _DIGITS
        elif op is C.CATEGORY and av is C.CATEGORY_SPACE:
            out |= _SPACES
        else:  # NEGATE, word classes, anything else
            raise _Any
    return out


def _seq(items: list[tuple[Any, Any]], ignorecase: bool) -> tuple[set[str], bool]:
    """FIRST set of a sequence, and whether the sequence can match empty."""
    out: set[str] = set()
    for item in items:
        chars, nullable = _item(item, ignorecase)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _item(item: tuple[Any, Any], ignorecase: bool) -> tuple[set[str], bool]:
    op, av = item
    if op is C.LITERAL:
        return _cased(chr(av), ignorecase), False
    if op is C.IN:
        return _in(av, ignorecase), False
    if op is C.BRANCH:
        out: set[str] = set()
        nullable = False
        for seq in av[1]:
            chars, n = _seq(seq, ignorecase)
            out |= chars
            nullable = nullable or n
        return out, nullable
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, pattern = av
        return _seq(list(pattern), ignorecase or bool(add_flags & C.SRE_FLAG_IGNORECASE))
    if op in _REPEATS:
        low, _high, pattern = av
        chars, n = _seq(list(pattern), ignorecase)
        return chars, n or low == 0
    if op in _ZERO_WIDTH:
        return set(), True
    raise _Any


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can begin with; ``None`` for any.

    >>> sorted(first_chars(r"(?:[Tt]he )?[0-9]{4}"))
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'T', 't']
    >>> first_chars(r"\\w+") is None
    True
    """
    try:
        tree = P.parse(pattern)
        chars, nullable = _seq(list(tree), bool(tree.state.flags & C.SRE_FLAG_IGNORECASE))
    except _Any:
        return None
    if nullable:
        return None
    return frozenset(chars)
