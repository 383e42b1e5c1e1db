"""Compiling the rules of ``en.toml`` into one linear-time scanner.

The grammar is data: word tables, named pattern fragments, and rules that map
a pattern to one of the operations of :mod:`timeline.find.operations`.  This
module expands the fragments, rewrites the patterns into forms CPython's
engine runs fast (case-variant tries, optional groups as alternations), and
builds the router that picks, at each position, only the rules whose
prefixes (:mod:`timeline.find.prefixes`) allow the characters found there.

Each rule's pattern uses only bounded quantifiers, so every match attempt
costs at most a constant and a scan is linear in the length of the text.
"""

from __future__ import annotations

import array
import base64
import functools
import re
import sys
import tomllib
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import resources
from typing import Any

import attrs

try:  # CPython's regex engine, for the shipped compiled code (see _precompiled)
    import _sre  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - only on other Pythons
    _sre = None

from .operations import OPS, norm
from .prefixes import ANYTHING, AVAILABLE, NON_ASCII, Column, Prefix, analyse

__all__ = ["Grammar", "Rule", "grammar", "plan_key", "write_plan"]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
_GROUP = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>")


@attrs.frozen
class Rule:
    name: str
    op: str
    pattern: str
    example: str
    groups: tuple[tuple[str, str], ...]
    # The domains a rule applies in; empty for every domain.
    domains: frozenset[str] = frozenset()
    # The group names split, for one C call per match in scan().
    local_names: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    global_names: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)
    # The group that gives the span when it matched ("in the summer": "the summer").
    span_group: str | None = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "local_names", tuple(local for local, _ in self.groups))
        object.__setattr__(self, "global_names", tuple(glob for _, glob in self.groups))
        spans = [glob for local, glob in self.groups if local == "span"]
        object.__setattr__(self, "span_group", spans[-1] if spans else None)


# Rules are picked by the first characters at a position: this many.  Ten
# reach past a short word into the next one ("the end of", "a number o",
# "the Middle", "the curren"), which rules out more of the rules that would be
# tried and fail there than six did (4.2% fewer instructions per extract()).
_KEY = 10
# Picks are cached by those characters; the cache starts over when this full.
_MAX_PICKS = 1 << 16


# A main rule's regex source, FIRST set and compiled code (see _precompiled).
Part = tuple[str, frozenset[str] | None, Mapping[str, Any] | None]
# The prefixes of every main rule as an index by key position: for each
# position, each column (``None``: any character) with the prefixes (bits) that
# have it there; and each rule's first bit (a rule's bits are contiguous).
Index = tuple[tuple[tuple[tuple[Column, tuple[int, ...]], ...], ...], tuple[int, ...]]


def _bits(positions: Iterable[int], size: int) -> int:
    """An integer with the bits at ``positions`` set."""
    found = bytearray((size + 7) // 8)
    for p in positions:
        found[p >> 3] |= 1 << (p & 7)
    return int.from_bytes(found, "little")


def _index(found_by_rule: list[frozenset[Prefix]]) -> Index:
    """The prefix index of the rules with these prefixes (see :data:`Index`)."""
    low: list[int] = []
    having: list[dict[Column, list[int]]] = [{} for _ in range(_KEY)]
    bit = 0
    for found in found_by_rule:
        low.append(bit)
        for prefix in sorted(found, key=_prefix_order):
            for i in range(_KEY):
                column = prefix[i] if i < len(prefix) else None
                having[i].setdefault(column, []).append(bit)
            bit += 1
    low.append(bit)
    return (
        tuple(
            tuple(
                sorted(((c, tuple(b)) for c, b in h.items()), key=lambda cb: _column_order(cb[0]))
            )
            for h in having
        ),
        tuple(low),
    )


def _column_order(column: Column) -> tuple[int, list[str]]:
    return (0, []) if column is None else (1, sorted(column))


def _prefix_order(prefix: Prefix) -> list[tuple[int, list[str]]]:
    return [_column_order(c) for c in prefix]


class _Router:
    """Which main rules can match at a position, and their regexes.

    Each rule has one regex of its own; a position
    tries, in rule order, only the rules whose prefixes
    (:func:`timeline.find.prefixes.prefixes`) allow the first ``_KEY``
    characters there.  Trying rules one by one in order finds what one
    alternation of all of them finds: the first rule that matches.  Every
    prefix of every rule is a bit, so a pick is a few integer operations;
    picks are cached.
    """

    def __init__(self, parts: tuple[Part, ...], index: Index) -> None:
        # Each rule's regex is compiled the first time a position picks it:
        # a short text pays only for the rules its words can begin.
        self._parts = parts
        self._regexes: list[re.Pattern[str] | None] = [None] * len(parts)
        self._firsts = [first for _, first, _ in parts]
        having, low = index
        self._low = low
        self._size = low[-1]
        # The rule of each prefix (bit).
        self._owner = [rule for rule in range(len(parts)) for _ in range(low[rule], low[rule + 1])]
        # For each position of the key, the prefixes allowing each character
        # there (made when a character is first seen there), and those
        # allowing any.
        self._having = having
        self._allowing: list[dict[str, int]] = [{} for _ in range(_KEY)]
        self._anything = [
            _bits((b for c, bits in columns if c is None for b in bits), self._size)
            for columns in having
        ]
        self._by_first: dict[str, int] = {}
        self.picks: dict[str, tuple[re.Pattern[str], ...]] = {}

    def pick(self, key: str) -> tuple[re.Pattern[str], ...]:
        """The regexes of the rules that may match at a position where the
        text begins with ``key`` (``_KEY`` characters, fewer at the end)."""
        bits = self._first(key[0])
        for i, ch in enumerate(key):
            allowing = self._allowing[i]
            here = allowing.get(ch)
            if here is None:
                here = self._allowed(i, ch)
            allowed = here | self._anything[i]
            if not ch.isascii():
                beyond = allowing.get(NON_ASCII)
                allowed |= beyond if beyond is not None else self._allowed(i, NON_ASCII)
            bits &= allowed
        chosen: list[int] = []
        while bits:
            index = self._owner[bits.bit_length() - 1]
            chosen.append(index)
            bits &= (1 << self._low[index]) - 1
        found = tuple(self._regex(index) for index in reversed(chosen))
        if len(self.picks) >= _MAX_PICKS:
            self.picks.clear()
        self.picks[key] = found
        return found

    def _allowed(self, i: int, ch: str) -> int:
        """The prefixes whose column ``i`` holds ``ch`` (computed once)."""
        positions = [
            bit
            for column, bits in self._having[i]
            if column is not None and ch in column
            for bit in bits
        ]
        found = self._allowing[i][ch] = _bits(positions, self._size)
        return found

    def _regex(self, index: int) -> re.Pattern[str]:
        regex = self._regexes[index]
        if regex is None:
            source, _, packed = self._parts[index]
            regex = self._regexes[index] = _precompiled(source, packed)
        return regex

    def _first(self, ch: str) -> int:
        """The bits of the rules that can begin with ``ch`` in either case
        (their FIRST sets, :func:`timeline._first.first_chars`)."""
        key = ch.lower()
        if key not in self._by_first:
            up = key.upper()
            bits = 0
            for index, first in enumerate(self._firsts):
                if first is None or key in first or up in first:
                    bits |= (1 << self._low[index + 1]) - (1 << self._low[index])
            self._by_first[key] = bits
        return self._by_first[key]


@attrs.frozen
class Grammar:
    """The compiled English grammar: the tables, the rules and the scanner."""

    tables: Mapping[str, Mapping[str, Any]]
    rules: tuple[Rule, ...]
    # The source of the single master regex (all main rules behind the gate)
    # and of the same without the gate: the reference the dispatching scanner
    # is tested against.  Compiled only when asked for.
    master_source: str
    by_group: Mapping[str, Rule]
    ungated_source: str
    # The domain-only rules' scanner, compiled when a text of their domain needs it.
    domain_source: str
    # The gate alone, and for each main rule its renamed pattern and FIRST
    # set: the pieces of the dispatching scanner (:class:`_Router`).
    # These (and ``domain_only``) have their optional groups rewritten as
    # alternations (``_optional_as_branch``), which match the same but faster.
    # The gate finds the character before each gated position: a search for
    # one character of a class runs in the engine's fast loop, where a
    # look-behind would be tried at every position.
    gate: re.Pattern[str]
    parts: tuple[Part, ...]
    index: Index = attrs.field(repr=False)
    router: _Router = attrs.field(eq=False, repr=False)

    @router.default
    def _router(self) -> _Router:
        return _Router(self.parts, self.index)

    @property
    def domain_only(self) -> re.Pattern[str]:
        """The scanner of the domain-only rules (compiled at first use)."""
        return _compiled(self.domain_source)

    @property
    def regex(self) -> re.Pattern[str]:
        """The single master regex (gate, then every main rule in order)."""
        return re.compile(self.master_source)

    @property
    def ungated(self) -> re.Pattern[str]:
        """Every main rule in order, tried at every position."""
        return re.compile(self.ungated_source)

    def matches(self, text: str) -> Iterator[re.Match[str]]:
        """The matches the master regex finds, leftmost first, never
        overlapping; at each gated position only the rules that can begin with
        the characters found there are tried, in order."""
        picks = self.router.picks
        pick = self.router.pick
        end = 0
        # A space before the text stands for its start (the gate's look-ahead
        # looks no further back), so the positions come out one too far on.
        for g in self.gate.finditer(" " + text):
            p = g.end() - 1
            if p < end:
                continue  # inside the last match
            key = text[p : p + _KEY]
            regexes = picks.get(key)
            if regexes is None:
                regexes = pick(key)
            for regex in regexes:
                m = regex.match(text, p)
                if m is not None:
                    yield m
                    end = m.end()
                    break


# Tables whose words are whole expressions by themselves.
_STANDALONE_TABLES = frozenset({"refs", "sets", "holidays", "weekdays", "months", "units"})
# Tables used only by domain-only rules: kept out of the main gate.
_DOMAIN_TABLES = frozenset({"narrative_refs"})
# Tables whose words are capitalised in running text ("March" the month, not
# "march" the verb): matched as written or in capitals, never in lower case.
_CASED_TABLES = frozenset({"weekdays", "months", "month_abbrs", "holidays"})
# Tables matched exactly as their keys are written ("sat" and "Sat", never "SAT").
_LITERAL_TABLES = frozenset({"weekday_abbrs"})
_SIMPLE_IGNORECASE = re.compile(r"\(\?i:((?:[A-Za-z'-]|\{S\})+(?:\|(?:[A-Za-z'-]|\{S\})+)*)\)")


def _alternation(name: str, keys: list[str]) -> str:
    if name in _LITERAL_TABLES:
        words = set(keys)
    elif name in _CASED_TABLES:
        words = {v for k in keys for v in (k, k.upper())}
    else:
        words = {v for k in keys for v in _variants(k)}
    return "(?:" + _trie(words) + ")"


def _ignorecase_to_trie(pattern: str) -> str:
    """Rewrite ``(?i:word|word)`` groups of plain words into case-variant tries.

    Case-insensitive literals defeat the regex engine's first-character
    dispatch; a trie of the lower, Capitalised and UPPER spellings keeps it.
    """

    def sub(m: re.Match[str]) -> str:
        words = {v for w in m.group(1).replace("{S}", " ").split("|") for v in _variants(w)}
        return "(?:" + _trie(words) + ")"

    return _SIMPLE_IGNORECASE.sub(sub, pattern)


def _expand(
    pattern: str, fragments: Mapping[str, str], tables: Mapping[str, Any], depth: int = 0
) -> str:
    if depth > 8:
        raise ValueError(f"fragment nesting too deep in {pattern!r}")

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.startswith("tables."):
            return _alternation(name[7:], list(tables[name[7:]]))
        if name in fragments:
            return _expand(fragments[name], fragments, tables, depth + 1)
        raise KeyError(f"unknown fragment {{{name}}} in pattern {pattern!r}")

    return _PLACEHOLDER.sub(sub, _ignorecase_to_trie(pattern))


_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")
_PLAIN = re.compile(r"[^\\\[()]+")  # up to the next escape, class or parenthesis


def _optional_as_branch(pattern: str) -> str:
    """Rewrite each optional group ``(...)?`` as ``(?:(...)|)``.

    Both forms try the group first and then nothing, so they find the same
    matches with the same groups.  But CPython's engine runs a quantified
    group through a repeat context, allocated at each attempt, inside which
    every alternative saves all group marks; an alternation with an empty
    branch costs nothing extra.  The rules' many optional prefixes ("{MOD}?",
    "(?:{THE})?") and the tries' optional tails are tried several times
    faster this way.

    >>> _optional_as_branch(r"(?:the\\s)?(?P<n>[0-9]+)(?:[.?)]x)?(?=a)?b??")
    '(?:(?:the\\\\s)|)(?P<n>[0-9]+)(?:(?:[.?)]x)|)(?=a)?b??'
    """
    out: list[str] = []
    opens: list[tuple[int, int]] = []  # each open group: its index in out and in pattern
    i, n = 0, len(pattern)
    while i < n:
        plain = _PLAIN.match(pattern, i)
        if plain is not None:
            out.append(plain.group())
            i = plain.end()
            continue
        ch = pattern[i]
        step = 1
        if ch == "\\":
            step = 2
        elif ch == "[":
            j = i + 1
            if pattern.startswith("^", j):
                j += 1
            if pattern.startswith("]", j):
                j += 1  # a "]" first in a class is literal
            while j < n and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            step = j + 1 - i
        elif ch == "(":
            opens.append((len(out), i))
        elif ch == ")":
            at, source = opens.pop()
            q = next((q for q in ("?", "{0,1}") if pattern.startswith(q, i + 1)), "")
            if (
                q
                and not pattern.startswith(("?", "+"), i + 1 + len(q))  # lazy or possessive
                and not pattern.startswith(_LOOKAROUND, source)
            ):
                group = "".join(out[at:]) + ")"
                del out[at:]
                out.append(f"(?:{group}|)")
                i += 1 + len(q)
                continue
        out.append(pattern[i : i + step])
        i += step
    return "".join(out)


def _renamer(prefix: str) -> Callable[[re.Match[str]], str]:
    def rename(m: re.Match[str]) -> str:
        return f"(?P<{prefix}{m.group(1)}>"

    return rename


def _load_grammar(analysed: bool = True) -> Grammar:
    """Compile ``en.toml``.

    The pure-Python part of the work (expanding fragments, building tries and
    the gate, the prefix analysis) gives a *plan* of plain data, which ships
    precomputed in ``en.compiled.json`` beside ``en.toml``: it is used when
    its key (a hash of ``en.toml`` and of the code that makes plans) matches,
    and made afresh otherwise.  Only the regexes are compiled at run time, the
    gate at once and each rule when a position first picks it.

    With ``analysed`` False every rule is taken to begin with any characters
    (what :mod:`.prefixes` answers on a Python whose private regex parser it
    cannot trust): the same matches, found slower.
    """
    plan = _shipped_plan() if analysed and AVAILABLE else None
    return _from_plan(plan if plan is not None else _make_plan(analysed))


_FORMAT = 3
_PLAN_FILE = "en.compiled.json"
_PLAN_SOURCES = ("en.toml", "compiler.py", "prefixes.py")


def plan_key() -> str | None:
    """The hash a shipped plan must carry: of ``en.toml`` and of the modules
    that make plans (``None`` when their sources cannot be read)."""
    import hashlib  # here, not at import: only the first grammar() needs it

    digest = hashlib.sha256(f"plan format {_FORMAT}, key {_KEY}".encode())
    here = resources.files("timeline.find")
    try:
        for name in _PLAN_SOURCES:
            digest.update(here.joinpath(name).read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def _shipped_plan() -> dict[str, Any] | None:
    import json

    key = plan_key()
    if key is None:
        return None
    try:
        plan: dict[str, Any] = json.loads(
            resources.files("timeline.find").joinpath(_PLAN_FILE).read_text("utf-8")
        )
    except (OSError, ValueError):
        return None
    return plan if plan.get("key") == key else None


def write_plan(path: str | None = None) -> str:
    """Write the plan that :func:`_load_grammar` uses to ``path`` (by default
    ``en.compiled.json`` in this package's folder); returns the path.

    Run ``python -m timeline.find.compiler`` after changing ``en.toml`` or the
    code that makes plans (a test fails while the shipped plan is stale).
    """
    import json

    plan = _make_plan(True)
    target = path or str(resources.files("timeline.find").joinpath(_PLAN_FILE))
    with open(target, "w", encoding="utf-8") as f:
        json.dump(plan, f, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    return target


def _column_index(column: Column, columns: dict[tuple[str, ...], int]) -> int:
    """The index of ``column`` in the plan's list of columns (-1 for any character)."""
    if column is None:
        return -1
    return columns.setdefault(tuple(sorted(column)), len(columns))


def _make_plan(analysed: bool) -> dict[str, Any]:
    """Everything about the grammar that is not a compiled regex, as plain data."""
    raw = tomllib.loads(resources.files("timeline.find").joinpath("en.toml").read_text("utf-8"))
    tables: dict[str, Any] = raw["tables"]
    fragments: dict[str, str] = raw["fragments"]
    rules: list[list[Any]] = []
    outer_names: list[str] = []
    bodies: list[str] = []
    extra_parts: list[str] = []
    parts: list[list[Any]] = []
    found_by_rule: list[frozenset[Prefix]] = []
    # compiled code ships only from a parser the prefix analysis trusts
    ship = analysed and AVAILABLE
    for index, spec in enumerate(raw["rules"]):
        expanded = _expand(_ignorecase_to_trie(spec["pattern"]), fragments, tables)
        prefix = f"g{index}_"
        groups = [[name, prefix + name] for name in _GROUP.findall(expanded)]
        renamed = _GROUP.sub(_renamer(prefix), expanded)
        name, op, domains = spec["name"], spec["op"], sorted(spec.get("domains", ()))
        if op not in OPS:
            raise ValueError(f"rule {name}: unknown op {op}")
        outer = f"r{index}"
        fast = f"(?P<{outer}>{_optional_as_branch(renamed)})"
        try:  # fail early, naming the rule
            if domains:
                re.compile(expanded)
                extra_parts.append(fast)
            else:
                source = rf"(?<!\w)(?:{fast})(?!\w)"
                re.compile(source)
                first, found = analyse(expanded, _KEY) if analysed else ANYTHING
                parts.append(
                    [
                        source,
                        None if first is None else sorted(first),
                        _packed(source) if ship else None,
                    ]
                )
                found_by_rule.append(found)
                bodies.append(f"(?P<{outer}>{renamed})")
        except re.error as exc:
            raise ValueError(f"rule {name}: bad pattern: {exc}") from exc
        rules.append([name, op, expanded, spec.get("example", ""), groups, domains])
        outer_names.append(outer)
    gate, compact = _gate(
        {k: v for k, v in tables.items() if k not in _DOMAIN_TABLES}, raw.get("gate", {})
    )
    gate_scan = rf"\W(?={_optional_as_branch(gate)})"
    lowered = {name: {norm(k): v for k, v in table.items()} for name, table in tables.items()}
    having, low = _index(found_by_rule)
    # Each column written once: the index refers to it by number (-1: any character).
    columns: dict[tuple[str, ...], int] = {}
    return {
        "format": _FORMAT,
        "key": plan_key(),
        "tables": lowered,
        "rules": rules,
        "outer": outer_names,
        "body": "|".join(bodies),
        "gate": gate,
        # The gate as the scanner searches it: the character before each gated position.
        "gate_scan": gate_scan,
        # ... and as this Python's regex engine runs it (see _precompiled).
        "gate_code": _packed(gate_scan) if ship else None,
        # ... and the same positions in the compact form, compiled where that code cannot be used.
        "gate_compact": rf"\W(?={_optional_as_branch(compact)})",
        # Domain-only rules are few and rare: their own small scanner, run
        # only on documents of their domain.
        "domain": rf"(?<!\w)(?:{'|'.join(extra_parts) or '(?!)'})(?!\w)",
        "parts": parts,
        "having": [[[_column_index(c, columns), list(b)] for c, b in h] for h in having],
        "low": list(low),
        "columns": [list(c) for c in sorted(columns, key=columns.__getitem__)],
    }


def _from_plan(plan: dict[str, Any]) -> Grammar:
    """The grammar of a plan: the rules, and the gate compiled."""
    rules = tuple(
        Rule(name, op, pattern, example, tuple((a, b) for a, b in groups), frozenset(domains))
        for name, op, pattern, example, groups, domains in plan["rules"]
    )
    for rule in rules:
        if rule.op not in OPS:
            raise ValueError(f"rule {rule.name}: unknown op {rule.op}")
    columns = [frozenset(c) for c in plan["columns"]]
    parts = tuple(
        (source, None if first is None else frozenset(first), packed)
        for source, first, packed in plan["parts"]
    )
    index: Index = (
        tuple(
            tuple((None if c < 0 else columns[c], tuple(bits)) for c, bits in h)
            for h in plan["having"]
        ),
        tuple(plan["low"]),
    )
    body, gate = plan["body"], plan["gate"]
    return Grammar(
        plan["tables"],
        rules,
        rf"(?<!\w)(?={gate})(?:{body})(?!\w)",
        dict(zip(plan["outer"], rules, strict=True)),
        rf"(?<!\w)(?:{body})(?!\w)",
        plan["domain"],
        _precompiled(plan["gate_scan"], plan.get("gate_code"), plan["gate_compact"]),
        parts,
        index,
    )


def _engine() -> dict[str, Any] | None:
    """What compiled regex code depends on: the Python version and the regex
    engine's magic number and code size (None without CPython's engine)."""
    if _sre is None:  # pragma: no cover - only on other Pythons
        return None
    return {
        "implementation": sys.implementation.name,
        "python": list(sys.version_info[:2]),
        "magic": _sre.MAGIC,
        "codesize": _sre.CODESIZE,
        "byteorder": sys.byteorder,
    }


def _packed(source: str) -> dict[str, Any] | None:
    """The code CPython's regex compiler makes of ``source``, to ship in the
    plan: compiling the gate (a large pattern) and the rules is most of the
    first ``extract()`` in a fresh process, nearly all of it in ``re``'s
    pure-Python parser, which the shipped code lets a process skip.

    Only called where :mod:`.prefixes` trusts the private parser (its
    self-check passed): a plan made without that trust ships no code."""
    engine = _engine()
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]
    except ImportError:  # pragma: no cover - only on other Pythons
        return None
    if engine is None:  # pragma: no cover
        return None
    parsed = _parser.parse(source, 0)
    code = array.array(_CODE_TYPE, _compiler._code(parsed, 0))
    if code.itemsize != engine["codesize"]:  # pragma: no cover - odd platforms
        return None
    packed = {
        **engine,
        "flags": parsed.state.flags,
        "groups": parsed.state.groups,
        "groupindex": dict(parsed.state.groupdict),
        "code": base64.b64encode(zlib.compress(code.tobytes(), 9)).decode("ascii"),
    }
    packed["digest"] = _digest(source, packed)
    return packed


_CODE_TYPE = "I"


def _digest(source: str, packed: Mapping[str, Any]) -> str:
    """A hash of a regex's source and every field shipped with its code (the
    plan's JSON writes dict keys sorted, so mappings are hashed as sorted items)."""
    import hashlib

    fields = [
        (k, sorted(v.items()) if isinstance(v, Mapping) else v)
        for k, v in sorted(packed.items())
        if k != "digest"
    ]
    return hashlib.sha256(repr([source, fields]).encode("utf-8")).hexdigest()


def _precompiled(
    source: str, packed: Mapping[str, Any] | None, fallback: str | None = None
) -> re.Pattern[str]:
    """A compiled ``source``: from the shipped code when it was made by this
    Python's regex engine, else ``re.compile(fallback or source)`` (a pattern
    that matches the same, cheaper to compile).

    CPython checks code it is handed only in part, and a damaged program can
    crash the interpreter, so the code is used only when the digest made with
    it still matches its source, its metadata and itself (a hand edit or a
    bad merge of ``en.compiled.json`` falls back), and when its groups are
    consistent. Any other failure falls back as well: the shipped code can
    make the first ``extract()`` faster, never different.
    """
    engine = _engine()
    if packed is not None and engine is not None:
        try:
            groups = packed["groups"]
            groupindex = dict(packed["groupindex"])
            if (
                all(packed[k] == v for k, v in engine.items())
                and packed["digest"] == _digest(source, packed)
                and isinstance(groups, int)
                and 1 <= groups <= len(source) + 1
                and sorted(groupindex.values()) == list(range(1, groups))
            ):
                code = array.array(_CODE_TYPE)
                code.frombytes(zlib.decompress(base64.b64decode(packed["code"])))
                indexgroup: list[str | None] = [None] * groups
                for name, i in groupindex.items():
                    indexgroup[i] = name
                compiled: re.Pattern[str] = _sre.compile(
                    source,
                    packed["flags"],
                    code.tolist(),
                    groups - 1,
                    groupindex,
                    tuple(indexgroup),
                )
                return compiled
        except Exception:  # noqa: BLE001 - any failure means: compile the pattern
            pass
    return re.compile(fallback or source)


@functools.lru_cache(maxsize=8)
def _compiled(source: str) -> re.Pattern[str]:
    return re.compile(source)


def _prefix_tree(ends: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """The words as a tree of characters; the key "" marks a word's end and
    holds what may follow it there."""
    tree: dict[str, Any] = {}
    for word, after in ends.items():
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node.setdefault("", set()).update(after)
    return tree


def _trie(words: set[str]) -> str:
    """A regex for a set of literal words, factored by prefix so that the
    engine dispatches on one character at a time instead of trying every word."""
    return _emit_words(_prefix_tree(dict.fromkeys(words, ())), sorted)


def _emit_words(node: dict[str, Any], order: Callable[[Iterable[str]], list[str]]) -> str:
    """The regex of a prefix tree's words (of its subtree at ``node``): at
    each character the branches in ``order``, and a word's end made optional."""
    branches = [_atom(ch) + _emit_words(node[ch], order) for ch in order(k for k in node if k)]
    optional = "" in node
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
    if optional:
        body = body + "?" if body.startswith("(?:") else "(?:" + body + ")?"
    return body


def _emit_ends(node: dict[str, Any], order: Callable[[Iterable[str]], list[str]]) -> str:
    """Like :func:`_emit_words`, but each word is followed by one of its own
    end patterns (the tree's "" keys)."""
    branches = [_atom(ch) + _emit_ends(node[ch], order) for ch in order(k for k in node if k)]
    branches += sorted(node.get("", ()))
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


def _atom(ch: str) -> str:
    """A tree's character as a regex: a space stands for one to three spaces."""
    return r"\s{1,3}" if ch == " " else re.escape(ch)


# Letters by how often English words begin with them, most often first: the
# gate's alternatives are tried in turn, so a common first letter is found
# after few tries.  (Alternatives at one node begin with different characters:
# their order changes the time a match takes, never the match.)
_BY_FREQUENCY = "tasowimcbpfhdrlegnuyvkjqz"
_RANK = {ch: rank for rank, ch in enumerate(_BY_FREQUENCY + _BY_FREQUENCY.upper() + "0123456789")}


def _by_frequency(chars: Iterable[str]) -> list[str]:
    return sorted(chars, key=lambda ch: (_RANK.get(ch, len(_RANK)), ch))


def _variants(word: str) -> set[str]:
    """Spellings of a word or phrase as running text capitalises it."""
    first, _, rest = word.partition(" ")
    out = {word, word.lower(), word.capitalize(), word.upper(), word.title()}
    if rest:
        out.add(first.lower() + " " + rest.title())
        out.add(first.capitalize() + " " + rest.lower())
    return out


def _gate(tables: Mapping[str, Any], spec: Mapping[str, Any]) -> tuple[str, str]:
    """The look-ahead that a position must pass before any rule is tried.

    It holds every table key (multi-word keys in full), the extra words of the
    ``[gate]`` section, and for common short words ("the", "in", "this", and
    every number and ordinal) the words that must follow them.  Named lists
    ("@when") and tables ("@units") expand in place.
    """
    raw: dict[str, list[str]] = {k: list(v) for k, v in spec.get("followers", {}).items()}
    for table in ("numbers", "ordinals"):
        for key in tables[table]:
            words = str(key).split()
            if len(words) == 1 and not words[0][0].isdigit():
                raw.setdefault(words[0].lower(), []).extend(raw[f"@after_{table}"])
    followers = {k: v for k, v in raw.items() if not k.startswith("@")}

    def expand(words: list[str], depth: int = 0) -> set[str]:
        out: set[str] = set()
        for word in words:
            if "@" not in word:
                out.add(word)
                continue
            head, _, name = word.partition("@")
            if f"@{name}" in raw and depth < 4:
                out.update(head + w for w in expand(raw[f"@{name}"], depth + 1))
            else:
                out.update(head + str(k).rstrip(".") for k in tables[name])
        return out

    phrases: set[str] = set(spec.get("words", []))
    for name, table in tables.items():
        for key in table:
            key = str(key).replace("-", " ").strip()
            first = key.split(" ")[0].lower()
            if first in followers:
                rest = key.partition(" ")[2]
                if rest:
                    followers[first].append(rest)
                elif name in _STANDALONE_TABLES:
                    phrases.add(key)  # "current" alone is an expression too
            elif key:
                phrases.add(key.rstrip("."))
    boundary = r"(?![^\W\d_])"
    # Words that take nearly the same followers ("the", "last", "next" ...)
    # share one branch, with all their followers: a slightly looser gate (the
    # rules, tried next, decide) in fewer branches.
    groups: list[tuple[set[str], set[str]]] = []
    for word, after in sorted(followers.items()):
        # The followers are matched in any case ("(?i:" below): one spelling
        # each keeps the gate, which is compiled at every start, small.  A
        # looser gate loses nothing; the rules decide.
        follow = {p.lower() for p in expand(after) if p}
        for known, heads in groups:
            if len(known & follow) >= _SHARED * len(known | follow):
                known |= follow
                heads |= _variants(word)
                break
        else:
            groups.append((follow, _variants(word)))
    # Every phrase, and the words of each branch whose heads begin with one
    # letter only (in its cases) or whose followers are few, go into one
    # trie, so that the engine dispatches on a word's first letter once
    # instead of trying each branch in turn; each word ends with what must
    # follow it (repeated after each word: hence "few").
    ends: dict[str, set[str]] = {v: {boundary} for p in phrases for v in _variants(p)}
    apart: list[tuple[set[str], str]] = []
    for follow, heads in groups:
        tail = r"[\s-]{1,3}(?:[0-9'’]|(?i:" + _trie(follow) + ")" + boundary + ")"
        if len({h[0].lower() for h in heads}) == 1 or len(tail) * len(heads) < _REPEATED:
            for h in heads:
                ends.setdefault(h, set()).add(tail)
        else:
            apart.append((heads, tail))
    # One alternative per first character, the common first letters first:
    # the engine finds a position's letter in a few tries and then tries only
    # the words that begin with it, whether they end in the trie or in a
    # branch's followers (a branch's followers are repeated once for each of
    # its first letters, not for each of its words).
    by_first: dict[str, list[str]] = {}
    for ch, node in _prefix_tree(ends).items():
        by_first.setdefault(ch, []).append(_emit_ends(node, _by_frequency))
    for heads, tail in apart:
        for ch, node in _prefix_tree(dict.fromkeys(heads, ())).items():
            by_first.setdefault(ch, []).append(
                "(?:" + _emit_words(node, _by_frequency) + ")" + tail
            )
    digits = r"[0-9'’]"  # a number or an elided year ("'82") passes as it is
    dispatched = "|".join(
        [digits]
        + [
            re.escape(ch) + (alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")")
            for ch, alts in ((ch, by_first[ch]) for ch in _by_frequency(by_first))
            if not re.fullmatch(digits, ch)
        ]
    )
    # The same words in a third of the source (a trie, then each branch with
    # its followers once): slower to run, but three times faster to compile,
    # for a Python that cannot use the shipped code of the dispatched form.
    compact = "|".join(
        [digits, _emit_ends(_prefix_tree(ends), sorted)]
        + ["(?:" + _trie(heads) + ")" + tail for heads, tail in apart]
    )
    return dispatched, compact


# Follower lists this alike (shared words over all words) share a gate branch.
_SHARED = 0.9
# A branch's followers go after each of its words in the one trie when that
# repeats fewer characters than this.
_REPEATED = 20_000


@functools.cache
def grammar() -> Grammar:
    """The compiled grammar (built once, at first use)."""
    return _load_grammar()


if __name__ == "__main__":
    print(write_plan())
