"""Finding: compile the rules in ``data/en.toml`` into one linear-time scanner.

The scanner knows words and patterns but nothing about calendars.  Each match
becomes a :class:`Candidate`: the span, the rule that fired, a modifier, an
explicit direction if the words gave one, and an unresolved expression from
:mod:`timeline.expr`.

All rules are joined into one regular expression, compiled once at first use.
Each rule's pattern uses only bounded quantifiers, so every match attempt
costs at most a constant and a scan is linear in the length of the text.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import resources
from typing import Any

import attrs

from . import expr as E
from ._first import NON_ASCII, Column, Prefix, analyse

__all__ = ["Candidate", "Grammar", "grammar", "scan"]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")
_GROUP = re.compile(r"\(\?P<([A-Za-z_][A-Za-z0-9_]*)>")
_SPACES = re.compile(r"\s+")


@attrs.frozen(slots=True)
class Candidate:
    """One match of one rule, before resolution."""

    start: int
    end: int
    rule: str
    expr: E.Expr
    mod: str | None = None
    # -1 / +1 when the words themselves fixed the direction ("last", "next",
    # "ago", "in two weeks"), None otherwise.
    direction: int | None = None
    # Non-empty when the rule applies only in some domains ("narrative").
    domains: frozenset[str] = frozenset()
    # +1 when a preposition makes a date lean ahead without fixing it
    # ("by Jan. 14": usually a deadline to come, sometimes one just passed).
    lean: int = 0


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


# Rules are picked by the first characters at a position: this many.
_KEY = 6
# Picks are cached by those characters; the cache starts over when this full.
_MAX_PICKS = 1 << 16


# A main rule's regex, FIRST set and prefixes.
Part = tuple[re.Pattern[str], frozenset[str] | None, frozenset[Prefix]]


def _bits(positions: list[int], size: int) -> int:
    """An integer with the bits at ``positions`` set."""
    found = bytearray((size + 7) // 8)
    for p in positions:
        found[p >> 3] |= 1 << (p & 7)
    return int.from_bytes(found, "little")


class _Router:
    """Which main rules can match at a position, and their regexes.

    Each rule has one regex of its own; a position
    tries, in rule order, only the rules whose prefixes
    (:func:`timeline._first.prefixes`) allow the first ``_KEY`` characters
    there.  Trying rules one by one in order finds what one alternation of
    all of them finds: the first rule that matches.  Every prefix of every
    rule is a bit, so a pick is a few integer operations; picks are cached.
    """

    def __init__(self, parts: tuple[Part, ...]) -> None:
        self._regexes = [regex for regex, _, _ in parts]
        self._firsts = [first for _, first, _ in parts]
        self._owner: list[int] = []  # the rule of each prefix (bit)
        self._low: list[int] = []  # each rule's first bit: a rule's bits are contiguous
        # For each position of the key, the prefixes with each column there
        # (None: any character).
        having: list[dict[Column, list[int]]] = [{} for _ in range(_KEY)]
        for index, (_, _, found) in enumerate(parts):
            self._low.append(len(self._owner))
            for prefix in found:
                bit = len(self._owner)
                self._owner.append(index)
                for i in range(_KEY):
                    column = prefix[i] if i < len(prefix) else None
                    having[i].setdefault(column, []).append(bit)
        self._low.append(len(self._owner))
        size = len(self._owner)
        # For each position: the prefixes allowing each character there, and
        # those allowing any character.
        self._allowing: list[dict[str, int]] = []
        self._anything: list[int] = []
        for columns in having:
            allowing: dict[str, list[int]] = {}
            for column, bits in columns.items():
                for ch in column or ():
                    allowing.setdefault(ch, []).extend(bits)
            self._allowing.append({ch: _bits(bits, size) for ch, bits in allowing.items()})
            self._anything.append(_bits(columns.get(None, []), size))
        self._by_first: dict[str, int] = {}
        self.picks: dict[str, tuple[re.Pattern[str], ...]] = {}

    def pick(self, key: str) -> tuple[re.Pattern[str], ...]:
        """The regexes of the rules that may match at a position where the
        text begins with ``key`` (``_KEY`` characters, fewer at the end)."""
        bits = self._first(key[0])
        for i, ch in enumerate(key):
            allowing = self._allowing[i]
            allowed = allowing.get(ch, 0) | self._anything[i]
            if not ch.isascii():
                allowed |= allowing.get(NON_ASCII, 0)
            bits &= allowed
        chosen: list[int] = []
        while bits:
            index = self._owner[bits.bit_length() - 1]
            chosen.append(index)
            bits &= (1 << self._low[index]) - 1
        found = tuple(self._regexes[index] for index in reversed(chosen))
        if len(self.picks) >= _MAX_PICKS:
            self.picks.clear()
        self.picks[key] = found
        return found

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
    domain_only: re.Pattern[str]
    # The gate alone, and for each main rule its renamed pattern and FIRST
    # set: the pieces of the dispatching scanner (:class:`_Router`).
    # These (and ``domain_only``) have their optional groups rewritten as
    # alternations (``_optional_as_branch``), which match the same but faster.
    # The gate finds the character before each gated position: a search for
    # one character of a class runs in the engine's fast loop, where a
    # look-behind would be tried at every position.
    gate: re.Pattern[str]
    parts: tuple[Part, ...]
    router: _Router = attrs.field(eq=False, repr=False)

    @router.default
    def _router(self) -> _Router:
        return _Router(self.parts)

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


@functools.lru_cache(maxsize=8192)
def _norm(word: str) -> str:
    # cached: the same few words ("last", "Friday", "the past") recur
    return _SPACES.sub(" ", word.strip().lower())


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


def _load_grammar() -> Grammar:
    raw = tomllib.loads(resources.files("timeline").joinpath("data/en.toml").read_text("utf-8"))
    tables: dict[str, Any] = raw["tables"]
    fragments: dict[str, str] = raw["fragments"]
    rules: list[Rule] = []
    parts: list[str] = []
    extra_parts: list[str] = []
    firsts: list[Part] = []
    by_group: dict[str, Rule] = {}
    for index, spec in enumerate(raw["rules"]):
        expanded = _expand(_ignorecase_to_trie(spec["pattern"]), fragments, tables)
        prefix = f"g{index}_"
        groups = tuple((name, prefix + name) for name in _GROUP.findall(expanded))
        renamed = _GROUP.sub(_renamer(prefix), expanded)
        rule = Rule(
            spec["name"],
            spec["op"],
            expanded,
            spec.get("example", ""),
            groups,
            frozenset(spec.get("domains", ())),
        )
        if rule.op not in _OPS:
            raise ValueError(f"rule {rule.name}: unknown op {rule.op}")
        outer = f"r{index}"
        fast = f"(?P<{outer}>{_optional_as_branch(renamed)})"
        try:  # fail early, naming the rule
            if rule.domains:
                re.compile(expanded)
                extra_parts.append(fast)
            else:
                regex = re.compile(rf"(?<!\w)(?:{fast})(?!\w)")
                firsts.append((regex, *analyse(expanded, _KEY)))
                parts.append(f"(?P<{outer}>{renamed})")
        except re.error as exc:
            raise ValueError(f"rule {rule.name}: bad pattern: {exc}") from exc
        by_group[outer] = rule
        rules.append(rule)
    body = "|".join(parts)
    gate = _gate({k: v for k, v in tables.items() if k not in _DOMAIN_TABLES}, raw.get("gate", {}))
    master = rf"(?<!\w)(?={gate})(?:{body})(?!\w)"
    lowered = {name: {_norm(k): v for k, v in table.items()} for name, table in tables.items()}
    ungated = rf"(?<!\w)(?:{body})(?!\w)"
    # Domain-only rules are few and rare: their own small scanner, run only
    # on documents of their domain.
    extra = re.compile(rf"(?<!\w)(?:{'|'.join(extra_parts) or '(?!)'})(?!\w)")
    return Grammar(
        lowered,
        tuple(rules),
        master,
        by_group,
        ungated,
        extra,
        re.compile(rf"\W(?={_optional_as_branch(gate)})"),
        tuple(firsts),
    )


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
    tree = _prefix_tree(dict.fromkeys(words, ()))

    def emit(node: dict[str, Any]) -> str:
        branches = []
        optional = "" in node
        for ch in sorted(k for k in node if k):
            atom = r"\s{1,3}" if ch == " " else re.escape(ch)
            branches.append(atom + emit(node[ch]))
        if not branches:
            return ""
        body = (
            branches[0] if len(branches) == 1 and not optional else "(?:" + "|".join(branches) + ")"
        )
        if optional:
            body = body + "?" if body.startswith("(?:") else "(?:" + body + ")?"
        return body

    return emit(tree)


def _variants(word: str) -> set[str]:
    """Spellings of a word or phrase as running text capitalises it."""
    first, _, rest = word.partition(" ")
    out = {word, word.lower(), word.capitalize(), word.upper(), word.title()}
    if rest:
        out.add(first.lower() + " " + rest.title())
        out.add(first.capitalize() + " " + rest.lower())
    return out


def _gate(tables: Mapping[str, Any], spec: Mapping[str, Any]) -> str:
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
        follow = {v for p in expand(after) if p for v in _variants(p)}
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
    parts = [r"[0-9'’]"]
    for follow, heads in groups:
        tail = r"[\s-]{1,3}(?:[0-9'’]|" + _trie(follow) + boundary + ")"
        if len({h[0].lower() for h in heads}) == 1 or len(tail) * len(heads) < _REPEATED:
            for h in heads:
                ends.setdefault(h, set()).add(tail)
        else:
            parts.append("(?:" + _trie(heads) + ")" + tail)
    parts.insert(1, _trie_ends(ends))
    return "|".join(parts)


# Follower lists this alike (shared words over all words) share a gate branch.
_SHARED = 0.9
# A branch's followers go after each of its words in the one trie when that
# repeats fewer characters than this.
_REPEATED = 20_000


def _trie_ends(ends: Mapping[str, set[str]]) -> str:
    """Like :func:`_trie`, but each word is followed by one of its own end
    patterns."""
    tree = _prefix_tree(ends)

    def emit(node: dict[str, Any]) -> str:
        branches = [
            (r"\s{1,3}" if ch == " " else re.escape(ch)) + emit(node[ch])
            for ch in sorted(k for k in node if k)
        ]
        branches += sorted(node.get("", ()))
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(tree)


@functools.cache
def grammar() -> Grammar:
    """The compiled grammar (built once, at first use)."""
    return _load_grammar()


# --- operations --------------------------------------------------------------------------------

Groups = dict[str, str | None]
Tables = Mapping[str, Mapping[str, Any]]
OpResult = tuple[E.Expr, int | None] | None

_POS_MODS = {
    "earlier": "START",
    "early": "START",
    "the beginning of": "START",
    "the start of": "START",
    "later": "END",
    "late": "END",
    "the end of": "END",
    "mid": "MID",
    "mid-": "MID",
    "the middle of": "MID",
}

_UNIT_CODES = {
    "second": ("T", "S", 1),
    "minute": ("T", "M", 1),
    "hour": ("T", "H", 1),
    "day": ("", "D", 1),
    "night": ("", "D", 1),
    "week": ("", "W", 1),
    "fortnight": ("", "W", 2),
    "weekend": ("", "WE", 1),
    "month": ("", "M", 1),
    "quarter": ("", "Q", 1),  # TimeML writes quarters in their own unit: P2Q
    "year": ("", "Y", 1),
    "decade": ("", "Y", 10),
    "century": ("", "Y", 100),
}

_CONTEXT_MONTHS = {3, 5, 6}  # March, May, June: also common verbs and names
_MONTH_DETERMINERS = frozenset("a an its his her their our".split())
_LOWER_NOUN_AFTER = re.compile(r"[ \t]{1,3}[a-z]{3,}")
_MONTH_CUES = frozenset(
    "in since until till by of during last next this early late mid before after through "
    "from to between and or each every the end beginning start middle until throughout "
    "around about on for".split()
)


_TENS = frozenset({20, 30, 40, 50, 60, 70, 80, 90})


def number(text: str | None, tables: Tables) -> float | None:
    """Parse a number written in digits or words; ``None`` for vague amounts."""
    if text is None:
        return None
    t = _norm(text)
    if t and t[0].isdigit():
        whole, half, rest = t.partition(" 1/2")
        return float(whole.replace(",", "")) + (0.5 if half and not rest else 0.0)
    if t.endswith(" and a half") and t.count(" ") == 3:
        whole_word = number(t.split(" ")[0], tables)
        return None if whole_word is None else whole_word + 0.5  # "two and a half"
    if "-" in t or " " in t:
        tens, _, ones = t.replace(" ", "-").partition("-")
        a = tables["numbers"].get(tens)
        b = tables["numbers"].get(ones)
        if isinstance(a, int) and isinstance(b, int) and a in _TENS and 1 <= b <= 9:
            return float(a + b)
    value = tables["numbers"].get(t)
    if isinstance(value, int | float):
        return float(value)
    return None


def _int(g: Groups, key: str) -> int | None:
    value = g.get(key)
    return int(value) if value else None


def _month(text: str, tables: Tables) -> int:
    t = _norm(text)
    if t.isdigit():
        return int(t)
    if t in tables["months"]:
        return int(tables["months"][t])
    return int(tables["month_abbrs"][t])


def _year(text: str) -> tuple[int, bool]:
    t = text.strip().lstrip("'’")
    if len(t) == 2:
        return int(t), True
    return int(t), False


def _mod(g: Groups, tables: Tables) -> str | None:
    if g.get("ye"):
        return "END"  # "year-end"
    if g.get("mod"):
        found = tables["modifiers"].get(_norm(g["mod"] or ""))
        return str(found) if found else None
    for key in ("pos", "dpos"):
        if g.get(key):
            return _POS_MODS.get(
                _norm(g[key] or "").rstrip("-") if _norm(g[key] or "") != "mid-" else "mid"
            )
    return None


def _rel(g: Groups, tables: Tables) -> tuple[int | None, bool]:
    rel = g.get("rel")
    if not rel:
        return None, False
    key = _norm(rel)
    if key.startswith("the "):
        key = key[4:]
    info = tables["relatives"].get(key)
    if info is None:
        return None, False
    return int(info["shift"]), info["anchor"] == "anaphoric"


def _weekday(text: str, tables: Tables) -> int:
    key = _norm(text)
    if key in tables["weekdays"]:
        return int(tables["weekdays"][key])
    return int(tables["weekday_abbrs"][key.rstrip(".")])  # "sat", "Thurs."


def _op_date(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    month = _month(g["month"] or "", t)
    if g.get("era"):
        return E.CalDate(-int(g["bcy"] or 0), month), None  # "April 480 BC"
    if g.get("thatyear"):
        # "August of that year": the month in the story's year (or the next one)
        rel = _norm(g["thatyear"] or "")
        offset = (
            1
            if rel.endswith(("following", "next"))
            else -1
            if rel.endswith(("previous", "preceding"))
            else 0
        )
        return E.CalDate(None, month, _int(g, "day"), story_offset=offset), None
    day = _int(g, "day")
    year: int | None = None
    short = False
    if g.get("year"):
        year, short = _year(g["year"] or "")
    if not 1 <= month <= 12:
        return None
    if day is not None and day > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        return None
    hour = _int(g, "hour")
    minute = _int(g, "minute")
    pod = t["parts_of_day"].get(_norm(g["pod"] or "")) if g.get("pod") else None
    wd = _weekday(g["wd"] or "", t) if g.get("wd") else None
    return E.CalDate(
        year, month, day, hour, minute, short_year=short, part_of_day=pod, weekday=wd
    ), None


def _op_holiday(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    key = t["holidays"][_norm(g["holiday"] or "")]
    year = _int(g, "year")
    shift, _ = _rel(g, t)
    if "-" in key:
        mm, dd = key.split("-")
        return E.CalDate(year, int(mm), int(dd)), shift
    return E.Holiday(key, year, shift), shift


def _op_clock(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if g.get("named"):
        hour = 0 if _norm(g["named"] or "") == "midnight" else 12
        minute: int | None = 0
    elif g.get("inthe"):
        hour = int(g["hour"] or 0)
        minute = None
        if _norm(g["inthe"] or "") in ("afternoon", "evening", "night") and hour < 12:
            hour += 12
        if _norm(g["inthe"] or "") == "night" and hour in (13, 14, 15, 16):
            hour -= 12  # "2 in the night" is early morning
    else:
        hour = int(g["hour"] or 0)
        minute = _int(g, "minute")
        ampm = _norm(g.get("ampm") or "")
        if ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm.startswith("a") and hour == 12:
            hour = 0
    if g.get("month") and g.get("day"):
        # "5 p.m. EST, Nov. 6": the time on that day
        month = _month(g["month"] or "", t)
        return E.CalDate(_int(g, "year"), month, _int(g, "day"), hour, minute), None
    day: E.Weekday | E.RelDay | None = None
    if g.get("wd"):
        day = E.Weekday(_weekday(g["wd"] or "", t), _rel(g, t)[0])
    elif g.get("relday"):
        day = E.RelDay(_RELDAYS[_norm(g["relday"] or "")])
    return E.Clock(hour, minute, day), None


def _op_weekday(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    shift, _anaphoric = _rel(g, t)
    pod = t["parts_of_day"].get(_norm(g["pod"] or "")) if g.get("pod") else None
    return E.Weekday(_weekday(g["wd"] or "", t), shift, pod), (shift if shift in (-1, 1) else None)


_RELDAYS = {
    "today": 0,
    "tdy": 0,
    "tonight": 0,
    "tonite": 0,
    "yesterday": -1,
    "yday": -1,
    "tomorrow": 1,
    "tmr": 1,
    "tmrw": 1,
    "tomo": 1,
    "tomolo": 1,
    "2moro": 1,
    "2morrow": 1,
}


def _op_relday(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    rd = _norm(g["relday"] or "")
    pod = t["parts_of_day"].get(_norm(g["pod"] or "")) if g.get("pod") else None
    if not rd:  # "by mid-afternoon": the day of the text
        return E.RelDay(0, pod), None
    if rd in ("tonight", "tonite", "2nite", "2night", "overnight"):
        return E.RelDay(0, "NI"), None
    if rd == "this":
        return E.RelDay(0, pod), None
    if rd == "last":
        return E.RelDay(-1 if pod == "NI" else 0, pod), -1
    if rd.startswith("the day before"):
        return E.RelDay(-2), -1
    if rd.startswith("the day after"):
        return E.RelDay(2), 1
    days = _RELDAYS[rd]
    return E.RelDay(days, pod), (days or None)


_ARTICLE_COMPOUND = re.compile(r"[Tt]he [A-Za-z0-9]{1,12}-[A-Za-z]{1,12}")

_UNIT_ALIASES = {
    "fiscal year": "year",
    "financial year": "year",
    "calendar year": "year",
    "yr": "year",
    "wk": "week",
    "mth": "month",
    "morning": "day",
    "afternoon": "day",
    "evening": "day",
    "night": "day",
}


_DAY_UNITS = frozenset({"day", "morning", "afternoon", "evening", "night"})


def _op_shift(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if g.get("theunit"):
        # "over the weekend": the weekend nearest publication, by tense
        return E.Shift("weekend", 0, definite=True), None
    if g.get("thisunit"):
        # "the end of the year" (the modifier comes from the pos group)
        unit = _norm(g["thisunit"] or "").split(" ")[-1]
        return E.Shift(unit, 0, definite=True), None
    raw_unit = _norm(g["unit"] or "")
    unit = _UNIT_ALIASES.get(raw_unit, raw_unit)
    pod = (
        t["parts_of_day"].get(raw_unit)
        if raw_unit in ("morning", "afternoon", "evening", "night")
        else None
    )
    rel = "that" if g.get("inthe") else _norm(g.get("rel") or "")
    definite = rel.startswith("the ") or _norm(g.get("_match") or "").startswith("the ")
    if rel.startswith("the "):
        rel = rel[4:]
    # "that day", "that month": the day or month of the story's last date;
    # "the fiscal year" is the current one
    info: Mapping[str, Any] | None = (
        {"shift": 0, "anchor": "anaphoric"}
        if rel in ("that", "that same")
        else {"shift": 0, "anchor": "deictic"}
        if rel in ("", "the") and raw_unit in ("fiscal year", "financial year")
        else t["relatives"].get(rel)
    )
    if info is None:
        return None
    n = int(info["shift"])
    if (
        unit in ("decade", "century")
        and n == -1
        and _norm(g.get("_match") or "").startswith("the ")
    ):
        # "the past decade" is a length of time, ten years up to now
        return E.Duration(duration_value(1, unit)), None
    # "the next day" looks from the story's last date, "next week" from today;
    # "the next year" does too in a story (see the resolver).
    anaphoric = info["anchor"] == "anaphoric" or (definite and raw_unit in _DAY_UNITS)
    return E.Shift(unit, n, anaphoric, pod, definite=definite), (n if n else None)


def _op_month(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    month = _month(g["month"] or "", t)
    if g.get("yrel"):
        # "June last year": a month of a year named relative to publication
        offset = {"last": -1, "next": 1, "this": 0}[_norm(g["yrel"] or "")]
        return E.CalDate(None, month, _int(g, "day"), year_offset=offset), None
    shift, _ = _rel(g, t)
    if shift is None and not g.get("mod") and not g.get("pos") and month in _CONTEXT_MONTHS:
        # "May", "March" and "June" are also verbs and names: ask for a cue word.
        before = text[max(0, start - 24) : start].split()
        cue = _norm(before[-1]).strip(",") if before else ""
        if cue not in _MONTH_CUES and not (
            # "a June meeting", "its May outlook", "Japan's March exports"
            (cue in _MONTH_DETERMINERS or cue.endswith(("'s", "’s")))
            and _LOWER_NOUN_AFTER.match(text, start + len(g["month"] or ""))
        ):
            return None
    return E.CalDate(None, month), shift


# A record or a first before "in <N units>": "the first time in 12 years", "the
# biggest monthly jump in 30 years", "the second attack in three days" (but not
# across a clause or a "will": "will be the biggest in a year" is ahead).
_RECORD = re.compile(
    r"\b(?:first|second|third|only|worst|best|most|least|biggest|largest|highest|lowest|"
    r"smallest|greatest|strongest|weakest|longest|shortest|fastest|slowest|deadliest|"
    r"busiest|heaviest|sharpest|steepest|warmest|coldest|hottest|wettest|driest|worst-ever|"
    r"lightest|deepest|widest|closest|toughest|hardest|poorest|richest|cheapest|safest)"
    r"(?:-[a-z]{1,10})?(?:[ \t]{1,3}[\w'’-]{1,20}){0,5}[ \t]{1,3}in[ \t]{1,3}\Z"
)
# ... unless the clause looks ahead: "the first shipment will arrive in three weeks"
_AHEAD_WORDS = re.compile(
    r"\b(?:will|would|shall|could|can|may|might|going|expected|due|set|plans?|'ll)\b"
)


def _op_offset(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    unit = t["units"].get(_norm(g["unit"] or ""), _norm(g["unit"] or ""))
    # "year-earlier" writes no number: one year; "days later", none at all
    if g.get("num") is not None:
        n = number(g["num"], t)
    else:
        n = None if _norm(g["unit"] or "").endswith("s") else 1.0
    period = _norm(g.get("period") or "")
    if unit == "year" and n == 1 and period in ("quarter", "period"):
        # "the year-ago quarter": the reported quarter, a year back
        return E.Period(
            "Q" if period == "quarter" else "P", None, None, anaphoric=True, year_offset=-1
        ), None
    word = _norm(g.get("dir") or "")
    if g.get("in") is not None or word in ("later", "hence", "from now", "on", "after"):
        sign = 1
    else:
        sign = -1
    anaphoric = word in ("earlier", "later", "before", "after", "on")
    if g.get("in") is not None:
        record = _RECORD.search(text, max(0, start - 60), start)
        if record is not None and _AHEAD_WORDS.search(record.group()):
            record = None
        if n is None or g.get("the") or record is not None:
            # "in the next five years", "in the last few weeks", "the first
            # time in 12 years", "the worst drought in a decade": a length of time
            return E.Duration(duration_value(n, unit)), None
        return E.Offset(unit, n, sign, anaphoric, within=True), None
    return E.Offset(unit, n, sign, anaphoric), sign


def _op_quarter(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    year = _int(g, "year")
    if g.get("year_pre"):
        year = int(g["year_pre"] or 0)
    if g.get("qn"):
        qn = g["qn"] or ""
        if g.get("yr2"):
            year = 2000 + int(g["yr2"] or 0)
        kind = qn[0]
        n = int(qn[1])
        if kind == "H" and n > 2:
            return None
        return E.Period(kind, n, year), None
    if g.get("spunit") or g.get("spunit2") or g.get("spunit3"):
        # "the same period last year": the reported period, a year back;
        # "the 1988 quarter": the reported quarter, in 1988
        unit = g.get("spunit") or g.get("spunit2") or g.get("spunit3") or ""
        kind = "Q" if _norm(unit) == "quarter" else "P"
        year = _int(g, "spyear") or year
        if year is not None:
            return E.Period(kind, None, year, anaphoric=True), None
        return E.Period(kind, None, None, anaphoric=True, year_offset=-1), None
    if g.get("theq"):
        # "the quarter" is the one just named; "the latest quarter" the last
        # one reported, whatever was named before
        latest = "latest" in _norm(g["theq"] or "") or "recent" in _norm(g["theq"] or "")
        if "current" in _norm(g["theq"] or ""):
            return E.Period("Q", None, None, 0), None  # the quarter now running
        return E.Period("Q", None, None, None, anaphoric=not latest), None
    q = _norm(g["q"] or "")
    kind = "H" if q.startswith("half") else "Q"
    ordinal = t["ordinals"].get(_norm(g["ord"] or ""))
    if ordinal is None:
        return None
    n = int(ordinal)
    top = 2 if kind == "H" else 4
    if n == -1:
        n = top
    if not 1 <= n <= top:
        return None
    shift, anaphoric = _rel(g, t)
    if g.get("qyrel") or g.get("qyrel2"):
        # "this year's third quarter", "the first quarter of next year"
        offset = {"this": 0, "last": -1, "next": 1}[_norm(g.get("qyrel") or g.get("qyrel2") or "")]
        return E.Period(kind, n, None, None, False, year_offset=offset), None
    if g.get("qago"):
        # "the year-ago third quarter": the same quarter a year before
        return E.Period(kind, n, None, None, False, year_offset=-1), None
    if year is None and shift is None and _is_game_period(text, start, len(g["_match"] or "")):
        return None
    return E.Period(kind, n, year, shift, anaphoric), shift if shift in (-1, 1) else None


# A half or quarter of a game: "six minutes into the second half", "a
# first-half goal", "23 seconds left in the third quarter".
_GAME_WORDS = re.compile(
    r"\b(?:goals?|penalty|penalties|seconds|scored|scoring|striker|kick-?off|"
    r"half-?time|match|touchdowns?|quarterback|rebounds|innings|wickets?|header|"
    r"equali[sz]er|equali[sz]ed|substitute|referee|free-throw|field\s{1,3}goal|"
    r"minutes?\s{1,3}(?:into|left|remaining|before|after))\b",
    re.IGNORECASE,
)
_MONEY_WORDS = re.compile(
    r"\b(?:profits?|sales|earnings|revenues?|growth|economy|economic|percent|fiscal|"
    r"billion|million|shares|prices?|output|exports?|imports?|quarterly|GDP|inflation|"
    r"forecasts?|year|trading|market|index|registrations|basis|yields?|unemployment|"
    r"housing|bonds?|rates?|government)\b|%",
    re.IGNORECASE,
)


_OF_AFTER = re.compile(r"\s{1,3}of\b")


def _is_game_period(text: str, start: int, length: int) -> bool:
    """Whether the half or quarter at ``start`` is one of a game: a sports word
    near it, no money word, and no "of" after it ("the second half of 2006")."""
    end = start + length
    if _OF_AFTER.match(text, end):
        return False
    lo, hi = max(0, start - 80), min(len(text), end + 80)
    return (
        _GAME_WORDS.search(text, lo, hi) is not None and _MONEY_WORDS.search(text, lo, hi) is None
    )


def _op_season(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    code = str(t["seasons"][_norm(g["season"] or "")])
    year = _int(g, "year") or _int(g, "bcy")
    if g.get("era") and year is not None:
        year = -year
    shift, _ = _rel(g, t)
    return E.Season(code, year, shift), shift if shift in (-1, 1) else None


_DECADE_WORDS = {
    "twenties": 20,
    "thirties": 30,
    "forties": 40,
    "fifties": 50,
    "sixties": 60,
    "seventies": 70,
    "eighties": 80,
    "nineties": 90,
}


def _op_decade(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if g.get("decword"):
        return E.Decade(_DECADE_WORDS[_norm(g["decword"] or "")], century_known=False), None
    raw = (g["dec"] or "").lstrip("'’")
    if len(raw) == 2:
        return E.Decade(int(raw), century_known=False), None
    return E.Decade(int(raw)), None


def _op_century(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    ordinal = t["ordinals"].get(_norm(g["ord"] or ""))
    if not isinstance(ordinal, int) or ordinal < 1:
        return None
    if g.get("era"):
        return E.Century(-ordinal), None  # "the 4th century BC" is BC04
    return E.Century(ordinal - 1), None


def _op_year(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    year, short = _year(g["year"] or "")
    if g.get("era"):
        return E.CalDate(-year, None), None
    return E.CalDate(year, None, short_year=short), None


_SPOKEN_UNITS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "hundred": 0,
}


def _op_spoken_year(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    """ "nineteen ninety-six" is 1996; "two thousand and one" is 2001;
    "January nineteen ninety-seven" and "the winter of nineteen ninety-four"
    are that month and season."""
    year = _spoken_year(_norm(g["spoken"] or ""), t)
    if g.get("month"):
        return E.CalDate(year, _month(g["month"] or "", t)), None
    if g.get("season"):
        return E.Season(str(t["seasons"][_norm(g["season"] or "")]), year, None), None
    return E.CalDate(year, None), None


def _spoken_year(spoken: str, t: Tables) -> int:
    words = spoken.replace("-", " ").split()
    if words[0] == "two":
        rest = [w for w in words[2:] if w != "and"]
        value = number(rest[0], t) if rest else 0.0
        return 2000 + int(value or 0)
    century = 1800 if words[0] == "eighteen" else 1900
    tail = words[1:]
    if len(tail) == 1 and tail[0] in _SPOKEN_UNITS:
        return century + _SPOKEN_UNITS[tail[0]]
    return century + sum(int(number(w, t) or 0) for w in tail)


def _op_week_of_month(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if g.get("wday"):
        # "the week of March 6": the week holding that day
        day = int(g["wday"] or 0)
        if not 1 <= day <= 31:
            return None
        return E.WeekOfMonth(0, _month(g["month"] or "", t), _int(g, "year"), day), None
    ordinal = _norm(g["ord"] or "")
    n = {"first": 1, "second": 2, "third": 3, "fourth": 4}.get(ordinal, -1)
    return E.WeekOfMonth(n, _month(g["month"] or "", t), _int(g, "year")), None


def _op_year_end(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    """ "year-end", "by year's end": the end of the publication's year."""
    return E.Shift("year", 0), None


def _op_year_range(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    # Handled in scan(), which yields one candidate per year.
    return E.CalDate(int(g["year"] or 0), None), None


_SET_UNITS = {
    "day": "P1D",
    "night": "P1D",
    "morning": "P1D",
    "evening": "P1D",
    "week": "P1W",
    "month": "P1M",
    "quarter": "P1Q",
    "year": "P1Y",
    "season": "P3M",
    "hour": "PT1H",
    "minute": "PT1M",
    "decade": "P10Y",
}


# A lower-case "daily" or "weekly" before a capitalised name on the same
# line is a paper ("the party daily Granma", "the weekly Der Spiegel"), not
# a recurrence; before a month, a weekday or a capitalised function word it
# still is one ("open daily April to October", "run daily Monday").
_PAPER_NAME = re.compile(r"[ \t]{1,3}([A-Z][a-z]+)")
_NOT_PAPER = frozenset("in on at for from to and or but".split())


# A newspaper ("the daily said", "the business daily reported").
_PAPER_VERB = re.compile(
    r"[ \t]{1,3}(?:said|says|reported|reports|quoted|quotes|cited|cites|wrote|writes|"
    r"added|carried|published|claimed|warned|noted|commented|revealed|disclosed)\b"
)
_LOWER_WORD_AFTER = re.compile(r"[ \t]{1,3}[a-z]")
_PAPER_ADJECTIVE_ENDINGS = ("al", "ic", "-run", "-language", "-based", "-owned", "ist")
_PAPER_ADJECTIVES = frozenset(
    "business sports leading independent party popular local mass-circulation influential "
    "conservative liberal tabloid evening morning financial official daily".split()
)
_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’-]*)[ \t]{1,3}\Z")
_SENTENCE_START = re.compile(r"(?:\A|[.!?\"'`“”‘’(\n]\s{0,3})\Z")


def _is_paper(adv: str, text: str, start: int, t: Tables) -> bool:
    """Whether the set adverb at ``start`` names a publication: a lower-case
    one before a capitalised name ("the party daily Granma"), and "daily" or
    "weekly" as a paper ("China Daily", "the Daily Telegraph", "the business
    daily said")."""
    end = start + len(adv)
    if adv[:1].islower():
        name = _PAPER_NAME.match(text, end)
        word = _norm(name.group(1)) if name is not None else ""
        if word and not (word in t["weekdays"] or word in t["months"] or word in _NOT_PAPER):
            return True
    if _norm(adv) not in ("daily", "weekly"):
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    prev = before.group(1) if before is not None else ""
    if adv[:1].isupper():
        # Inside a sentence, a name: "China Daily said", "People's Daily",
        # "the Daily Telegraph"; but in a title ("National Geographic Daily
        # Dozen", "Daily and Weekly Winners", "How To Meditate Daily") the
        # capitals say nothing.
        if _SENTENCE_START.search(text, max(0, start - 4), start) is not None:
            return False
        if _PAPER_NAME.match(text, end) is not None:
            return prev.lower() == "the" or prev.endswith(("'s", "’s"))
        return prev[:1].isupper() and _LOWER_WORD_AFTER.match(text, end) is not None
    if _PAPER_VERB.match(text, end):
        # "the economic daily said", "the Haaretz daily reported"; but
        # "commuters who travel daily said" is how often
        return (
            prev.lower() in ("the", "a", "an")
            or prev[:1].isupper()
            or prev.lower().endswith(_PAPER_ADJECTIVE_ENDINGS)
            or prev.lower() in _PAPER_ADJECTIVES
        )
    # "according to the daily."
    return text.endswith("the ", max(0, start - 4), start) and text[end : end + 1] in (",", ".")


def _op_set(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    if g.get("adv"):
        adv = g["adv"] or ""
        if _is_paper(adv, text, start, t):
            return None
        info = t["sets"][_norm(adv)]
        return E.SetExpr(str(info["value"]), str(info["quant"])), None
    if g.get("wdpl"):
        wd = _weekday(_norm(g["wdpl"] or "")[:-1], t)
        return E.SetExpr(f"XXXX-WXX-{wd}", None), None
    every = _norm(g.get("every") or "")
    quant = "EACH" if every in ("each", "per") else "EVERY"
    if g.get("wd"):
        wd = _weekday(g["wd"] or "", t)
        pod = t["parts_of_day"].get(_norm(g["pod"] or "")) if g.get("pod") else None
        return E.SetExpr(f"XXXX-WXX-{wd}" + (f"T{pod}" if pod else ""), quant), None
    if g.get("month"):
        return E.SetExpr(f"XXXX-{_month(g['month'] or '', t):02d}", quant), None
    unit = _norm(g["unit"] or "")
    if unit in t["seasons"]:
        return E.SetExpr(f"XXXX-{t['seasons'][unit]}", quant), None
    value = _SET_UNITS[unit]
    num2 = _norm(g.get("num2") or "")
    if num2:
        k = 2 if num2 == "other" else int(number(num2, t) or 2)
        value = value.replace("1", str(k), 1)
    return E.SetExpr(value, quant), None


def duration_value(n: float | None, unit: str) -> str:
    """The TIMEX3 duration value for ``n`` units (``None`` means unknown: X)."""
    time_part, code, factor = _UNIT_CODES[unit]
    if n is None:
        amount = "X"
    else:
        total = n * factor
        if total >= 1 and total - int(total) == 0.5 and unit in ("year", "hour", "minute"):
            # "2 1/2 years", "5 1/2 hours", "a minute and a half": whole units
            # and the half in the next smaller one (P2Y6M, PT5H30M, PT1M30S)
            half = {"year": "6M", "hour": "30M", "minute": "30S"}[unit]
            return f"P{time_part}{int(total)}{code}{half}"
        if total != int(total):
            # Half units: express in the next smaller unit where one exists.
            smaller = {
                "Y": ("M", 12),
                "M": ("D", 30),
                "W": ("D", 7),
                "D": ("H", 24),
                "H": ("M", 60),
            }
            if code in smaller:
                code, mult = smaller[code]
                if code in ("H",) or (code == "M" and unit in ("hour",)):
                    time_part = "T"
                total = total * mult
            amount = f"{total:g}"
        else:
            amount = str(int(total))
    if code == "WE":
        return f"P{amount}WE"
    return f"P{time_part}{amount}{code}"


_RATE_BEFORE = re.compile(r"(?:[0-9%]|million|billion|thousand|hundred|[a-z]s)\s{1,3}\Z")


_ONE_DAY_GAME = re.compile(
    r"(?<=[Oo]ne-[Dd]ay)\s{1,3}(?:internationals?|series|squad|side|cricket|matches|"
    r"match|games?|format|cup|rankings?|specialists?|team|players?|captain|debut)\b"
)


def _op_duration(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    unit = t["units"].get(
        _norm(g["unit"] or ""), "half" if _norm(g["unit"] or "") == "half" else None
    )
    if unit is None:
        return None
    if unit == "half":
        return E.Duration("P6M"), None
    if unit == "day" and _ONE_DAY_GAME.match(text, start + len(g["_match"] or "")):
        return None  # "the one-day squad": a kind of cricket match
    if "num" not in g or g.get("num") is None:
        raw_unit = _norm(g["unit"] or "")
        if raw_unit.endswith("s") or raw_unit.endswith("centuries"):
            return E.Duration(duration_value(None, unit)), None
        return E.Duration(duration_value(1, unit)), None
    n = number(g["num"], t)
    if unit == "second" and _norm(g["num"] or "") in ("a", "an"):
        return None  # "a second opinion"
    end = start + len(g.get("_match") or "")
    after = text[end : end + 8].lstrip().lower()
    if unit == "quarter" and (
        (after.startswith("of") and n is not None)
        or (g["unit"] or "").lower().endswith("s")
        and "-" in (g.get("_match") or "")
    ):
        return None  # "three-quarters of its food", "a quarter of the market"
    if after.startswith(("old", "of age")):
        return None  # ages: "52 years old"
    if _norm(g["num"] or "") in ("a", "an") and _RATE_BEFORE.search(
        text, max(0, start - 24), start
    ):
        # "$1.76 a year", "four flights a week": a rate, not a length of time
        return E.SetExpr(_SET_UNITS.get(unit, "P1Y"), "EACH"), None
    if g.get("num_hi"):
        hi = number(g["num_hi"], t)
        if hi is not None and n is not None and hi <= n:
            return None
    if n is not None and n == 0:
        return None
    if n is not None and g.get("andhalf"):
        n += 0.5  # "a year and a half"
    return E.Duration(duration_value(n, unit)), None


def _op_ref(g: Groups, t: Tables, text: str, start: int) -> OpResult:
    key = _norm(g["ref"] or "")
    value = t["refs"].get(key) or t["modal_refs"].get(key) or t["narrative_refs"][key]
    return E.Ref(str(value)), None


_OPS: dict[str, Callable[[Groups, Tables, str, int], OpResult]] = {
    "date": _op_date,
    "holiday": _op_holiday,
    "clock": _op_clock,
    "weekday": _op_weekday,
    "relday": _op_relday,
    "shift": _op_shift,
    "month": _op_month,
    "offset": _op_offset,
    "quarter": _op_quarter,
    "season": _op_season,
    "decade": _op_decade,
    "century": _op_century,
    "year": _op_year,
    "year_range": _op_year_range,
    "year_end": _op_year_end,
    "day_range": _op_year_range,
    "week_of_month": _op_week_of_month,
    "spoken_year": _op_spoken_year,
    "set": _op_set,
    "duration": _op_duration,
    "ref": _op_ref,
}


def _year_range(m: re.Match[str], rule: Rule) -> Iterator[Candidate]:
    """ "1915-17" and "1990/1991" name two years: one candidate each."""
    names = dict(rule.groups)
    first = int(m.group(names["year"]))
    raw = m.group(names["year2"])
    if "era" in names and m.group(names["era"]):
        # "499-493 BC": both years before the common era, counting down
        a, b = -first, -int(raw)
        if a <= b:
            yield Candidate(
                m.start(names["year"]), m.end(names["year"]), rule.name, E.CalDate(a, None)
            )
            yield Candidate(m.start(names["year2"]), m.end(), rule.name, E.CalDate(b, None))
        return
    second = int(raw) if len(raw) == 4 else first - first % 100 + int(raw)
    if second <= first:
        # "1990-85" is no range: take the first year alone.
        yield Candidate(
            m.start(names["year"]), m.end(names["year"]), rule.name, E.CalDate(first, None)
        )
        return
    yield Candidate(m.start(names["year"]), m.end(names["year"]), rule.name, E.CalDate(first, None))
    yield Candidate(
        m.start(names["year2"]), m.end(names["year2"]), rule.name, E.CalDate(second, None)
    )


def _day_range(m: re.Match[str], rule: Rule, tables: Tables) -> Iterator[Candidate]:
    """ "10-12 October" and "Oct. 5-7" name two days of one month: one
    candidate each, the bare number and the day written with its month."""
    names = dict(rule.groups)
    month = _month(m.group(names["month"]), tables)
    year = int(m.group(names["year"])) if m.group(names["year"]) else None
    d1, d2 = int(m.group(names["day"])), int(m.group(names["day2"]))
    if not d1 < d2 <= 31:
        return
    m_start, m_end = m.span(names["month"])
    y_end = m.end(names["year"]) if m.group(names["year"]) else None
    if m_start < m.start(names["day"]):
        # "Oct. 5-7, 2025": "Oct. 5" and "7" (with the year when written)
        first = (m.start(), m.end(names["day"]))
        second = (m.start(names["day2"]), y_end or m.end(names["day2"]))
    else:
        # "10-12 October 2013": "10" and "12 October 2013"
        first = (m.start(names["day"]), m.end(names["day"]))
        second = (m.start(names["day2"]), y_end or m_end)
    yield Candidate(first[0], first[1], rule.name, E.CalDate(year, month, d1))
    yield Candidate(second[0], second[1], rule.name, E.CalDate(year, month, d2))


def scan(text: str, regex: re.Pattern[str] | None = None) -> Iterator[Candidate]:
    """Yield the candidates in ``text``, in text order, never overlapping.

    ``regex`` picks another compiled scanner of the grammar (the domain-only
    rules, or the ungated one in tests); the default is the main scanner.
    """
    g = grammar()
    by_group = g.by_group
    tables = g.tables
    for m in regex.finditer(text) if regex is not None else g.matches(text):
        rule = by_group[m.lastgroup or ""]
        names = rule.global_names
        values = m.group(*names) if len(names) > 1 else (m.group(names[0]),) if names else ()
        groups: Groups = dict(zip(rule.local_names, values, strict=True))
        groups["_match"] = m.group()
        if rule.op == "year_range":
            yield from _year_range(m, rule)
            continue
        if rule.op == "day_range":
            yield from _day_range(m, rule, tables)
            continue
        result = _OPS[rule.op](groups, tables, text, m.start())
        if result is None:
            continue
        expression, direction = result
        start, end = m.span()
        if rule.span_group is not None and m.group(rule.span_group) is not None:
            start, end = m.span(rule.span_group)
        # "the third-quarter results", "the two-week strike": before a
        # hyphenated compound adjective, the article belongs to the noun.
        if rule.op in ("duration", "quarter") and _ARTICLE_COMPOUND.fullmatch(text, start, end):
            start += 4
        # Trailing punctuation that belongs to the sentence, not the expression.
        while end > start and text[end - 1] in ",;:":
            end -= 1
        yield Candidate(
            start, end, rule.name, expression, _mod(groups, tables), direction, rule.domains
        )
