"""Which characters can begin a match of a regular expression (its FIRST set),
and which strings of a few characters (its prefixes).

Used to build the scanner's dispatch table: at a candidate position only the
rules that can begin with the characters found there are tried.  The analysis
walks the parse tree of Python's own regex compiler; anything it does not know
answers "any character", which is always safe (the rule is then tried at every
position, exactly as without dispatch).

That parse tree comes from CPython's private modules ``re._parser`` and
``re._constants``.  A Python that lacks them, or whose tree no longer looks as
this module expects, must not make the scanner miss matches: at import the
analysis is checked on known patterns (:func:`_self_check`), and if the
modules are missing or the check fails, :data:`AVAILABLE` is False and
:func:`analyse` answers "any character" for every rule.  The scanner then tries
every rule at every gated position: slower, with the same results.
"""

from __future__ import annotations

import string
from typing import Any

try:  # CPython's private regex parser (3.11+); guarded, see the module docstring
    from re import _constants as C  # type: ignore[attr-defined]
    from re import _parser as P  # type: ignore[attr-defined]

    _ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
    _REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", C.MAX_REPEAT)}
    _IMPORTED = True
except (ImportError, AttributeError):  # pragma: no cover - only on other Pythons
    _IMPORTED = False

__all__ = ["AVAILABLE", "NON_ASCII", "Column", "Prefix", "analyse", "first_chars", "prefixes"]

_SPACES = frozenset(" \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000")
_SPACES = _SPACES | frozenset(chr(c) for c in range(0x2000, 0x200B))
_DIGITS = frozenset(string.digits)


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
    return _first_of(P.parse(pattern))


def _first_of(tree: Any) -> frozenset[str] | None:
    try:
        chars, nullable = _seq(list(tree), bool(tree.state.flags & C.SRE_FLAG_IGNORECASE))
    except _Any:
        return None
    if nullable:
        return None
    return frozenset(chars)


# --- prefixes ----------------------------------------------------------------------------------

# One position of a prefix: the characters that can stand there (None: any).
Column = frozenset[str] | None
# In a column, stands for every character beyond ASCII.
NON_ASCII = ""
# The first characters of some matches, one column each.  Shorter than the
# length asked for only when those matches are that short.
Prefix = tuple[Column, ...]

# Past this many prefixes, those of each length are merged column by column:
# fewer, looser prefixes (any string the merged ones allowed, they still allow).
_MAX_PREFIXES = 1000


def prefixes(pattern: str, k: int) -> frozenset[Prefix]:
    """Prefixes of length ``k`` (or less, for shorter matches) that cover
    every match of ``pattern``: each match begins with a string that one of
    them allows.  Zero-width assertions are ignored, so this may allow more
    than the pattern matches, never less.

    >>> found = prefixes(r"(?:the\\s)?Q[1-4]", 3)
    >>> sorted("|".join("".join(sorted(column or "*")) for column in f) for f in found)
    ['Q|1234', 't|h|e']
    """
    return _prefixes_of(P.parse(pattern), k)


#: What :func:`analyse` answers when the analysis cannot be trusted: any first
#: character, and the empty prefix (which allows every string).
ANYTHING: tuple[None, frozenset[Prefix]] = (None, frozenset({()}))


def analyse(pattern: str, k: int) -> tuple[frozenset[str] | None, frozenset[Prefix]]:
    """``first_chars(pattern)`` and ``prefixes(pattern, k)``, parsing once.

    Without a trusted parser (:data:`AVAILABLE` False), or when the parser
    fails on ``pattern``, the answer allows every string (:data:`ANYTHING`).
    """
    if not AVAILABLE:
        return ANYTHING
    try:
        tree = P.parse(pattern)
        return _first_of(tree), _prefixes_of(tree, k)
    except Exception:  # noqa: BLE001 - a parser that changed shape: be safe, not fast
        return ANYTHING


def _prefixes_of(tree: Any, k: int) -> frozenset[Prefix]:
    try:
        found = _p_seq(list(tree), k, bool(tree.state.flags & C.SRE_FLAG_IGNORECASE))
    except _Any:
        return frozenset({()})
    return frozenset(found)


def _concat(heads: set[Prefix], tails: set[Prefix], k: int) -> set[Prefix]:
    out: set[Prefix] = set()
    for h in heads:
        if len(h) >= k:
            out.add(h)
        else:
            out.update((h + t)[:k] for t in tails)
    return _bounded(out)


def _bounded(found: set[Prefix]) -> set[Prefix]:
    """At most ``_MAX_PREFIXES`` prefixes: past that, those of one length that
    begin alike are merged column by column, looking at fewer first columns
    until few enough remain."""
    for shared in (3, 2, 1, 0):
        if len(found) <= _MAX_PREFIXES:
            break
        groups: dict[tuple[int, Prefix], list[Prefix]] = {}
        for f in found:
            groups.setdefault((len(f), f[:shared]), []).append(f)
        found = {
            tuple(_union([f[i] for f in group]) for i in range(n))
            for (n, _), group in groups.items()
        }
    return found


def _union(columns: list[Column]) -> Column:
    out: set[str] = set()
    for c in columns:
        if c is None:
            return None
        out |= c
    return frozenset(out)


def _column(items: list[tuple[Any, Any]], ignorecase: bool) -> Column:
    """The characters an ``IN`` set matches; None for any (or unknown)."""
    out: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            out.add(chr(av))
        elif op is C.RANGE:
            lo, hi = av
            if hi - lo > 2000:
                return None
            out.update(chr(code) for code in range(lo, hi + 1))
        elif op is C.CATEGORY and av is C.CATEGORY_SPACE:
            out |= _SPACES
        else:  # NEGATE, digit and word classes: Unicode-wide
            return None
    if ignorecase and any(ch.lower() != ch.upper() for ch in out):
        if not all(ch.isascii() for ch in out):
            return None
        # An ASCII letter matches its other case, and a few letters beyond
        # ASCII ("K", the Kelvin sign, for "k"): say any of those.
        out |= {ch.swapcase() for ch in out}
        out.add(NON_ASCII)
    return frozenset(out)


def _p_seq(items: list[tuple[Any, Any]], k: int, ignorecase: bool) -> set[Prefix]:
    found: set[Prefix] = {()}
    for item in items:
        shortest = min(len(f) for f in found)
        if shortest >= k:
            break
        # the item's prefixes need only as many characters as the shortest lacks
        found = _concat(found, _p_item(item, k - shortest, ignorecase), k)
    return found


def _p_item(item: tuple[Any, Any], k: int, ignorecase: bool) -> set[Prefix]:
    op, av = item
    if op is C.LITERAL:
        return {(_column([item], ignorecase),)}
    if op is C.IN:
        return {(_column(av, ignorecase),)}
    if op in (C.ANY, C.NOT_LITERAL):
        return {(None,)}
    if op is C.BRANCH:
        out: set[Prefix] = set()
        for seq in av[1]:
            out |= _p_seq(list(seq), k, ignorecase)
        return _bounded(out)
    if op is C.SUBPATTERN:
        _group, add_flags, _del_flags, pattern = av
        return _p_seq(list(pattern), k, ignorecase or bool(add_flags & C.SRE_FLAG_IGNORECASE))
    if op in _REPEATS:
        low, high, pattern = av
        once = _p_seq(list(pattern), k, ignorecase)
        found: set[Prefix] = set()
        repeated: set[Prefix] = {()}
        # k repetitions cover k characters, however many the pattern allows
        for n in range(min(high, max(low, k)) + 1):
            if n >= low:
                found |= repeated
            repeated = _concat(repeated, once, k)
        return _bounded(found)
    if op in _ZERO_WIDTH:
        return {()}
    raise _Any


# Known patterns and what the analysis must say of them.  A Python whose
# private parser gives other answers is not trusted.
_CHECKS: tuple[tuple[str, int, frozenset[str] | None, frozenset[tuple[str, ...]]], ...] = (
    (r"(?:the\s)?Q[1-4]", 3, frozenset("tQ"), frozenset({("t", "h", "e"), ("Q", "1234")})),
    (r"(?i:may)\s{1,3}[0-9]", 2, frozenset("mM"), frozenset({("Mm", "Aa")})),
    (r"[0-9]{4}s?", 2, frozenset("0123456789"), frozenset({("0123456789", "0123456789")})),
    (r"\w+", 2, None, frozenset({("*",), ("*", "*")})),
)


def _flat(found: frozenset[Prefix]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple("".join(sorted(c)) if c else "*" for c in f) for f in found)


def _self_check() -> bool:
    """Whether the private parser answers the known patterns as expected."""
    if not _IMPORTED:
        return False
    try:
        for pattern, k, first, expected in _CHECKS:
            tree = P.parse(pattern)
            got_first = _first_of(tree)
            got = _flat(_prefixes_of(tree, k))
            want = frozenset(tuple("".join(sorted(c)) for c in f) for f in expected)
            if got_first != first or got != want:
                return False
    except Exception:  # noqa: BLE001 - any surprise means: do not trust it
        return False
    return True


#: True when the prefix analysis runs; False makes every rule "any character".
AVAILABLE: bool = _self_check()
