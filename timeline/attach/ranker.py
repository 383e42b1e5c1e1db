"""Which word of the sentence is the event a date anchors: two small learned models.

1. An **event tagger**: for each word, the probability that it names an event
   ("met", "talks", "bombing"), from the word, its suffixes, its shape and its
   neighbours.  A logistic model trained on the EVENT tags of the TempEval-3
   silver corpus.
2. A **ranker**: every word of the sentence around a date is a candidate, with
   sparse features (distance and side, the tagger's probability, how many
   event words lie in between, a comma or clause boundary in between, the
   preposition before the date, what the staged heuristic in
   :mod:`timeline.events` chose, ...).  A conditional log-linear (softmax)
   model trained on TimeBank's same-sentence TLINKs scores them; the best wins.

``bench/train_attach.py`` trains both and reports the ranker's
cross-validated share; the weights ship in ``weights.json`` (in this package).  Scoring is
pure Python, one dictionary look-up per feature, and the file is read once,
on first use.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from functools import cache
from importlib import resources

from .lexicon import AUXILIARIES, DETERMINERS, REPORTING_VERBS
from .words import LazyLows, Lowered

__all__ = [
    "Model",
    "arbitrate",
    "cell",
    "current",
    "features",
    "load",
    "rank",
    "token_features",
    "using",
]

_CUT_GAP = re.compile(r"[;:()]|\s[-—–]{1,2}\s")
_CUT_WORDS = frozenset("that which who while because although when".split())
_MODALS = frozenset("will would shall should can could may might must".split())
_PREPOSITIONS = frozenset(
    "on in at of during for since by from until through after before over within".split()
)
_CONJUNCTIONS = frozenset("and or but".split())


# Each closed-class word's class; the first class a word belongs to wins, in
# this order.
_CLASS_OF: dict[str, str] = {}
for _name, _words in (
    ("det", DETERMINERS),
    ("to", ("to",)),
    ("mod", _MODALS),
    ("aux", AUXILIARIES),
    ("prep", _PREPOSITIONS),
    ("conj", _CONJUNCTIONS),
):
    for _w in _words:
        _CLASS_OF.setdefault(_w, _name)


def _cls(w: str) -> str:
    """A coarse class for a neighbouring word (one dict lookup: it runs for
    every neighbour of every word tagged)."""
    return _CLASS_OF.get(w) or ("w" if w else "none")


def _shape(raw: str) -> str:
    if raw.isupper():
        return "A"
    if raw[:1].isupper():
        return "Aa"
    return "a" if raw.isalpha() else "a-"


def token_features(words: Sequence[tuple[int, str]], i: int, verb: bool) -> list[str]:
    """Features of word ``i`` for the event tagger (does this word name an event?)."""
    raw = words[i][1]
    w = raw.lower()
    prev = words[i - 1][1].lower() if i else "<s>"
    prev2 = words[i - 2][1].lower() if i > 1 else "<s>"
    nxt = words[i + 1][1].lower() if i + 1 < len(words) else "</s>"
    return [
        "b",
        "w=" + w,
        "s2=" + w[-2:],
        "s3=" + w[-3:],
        "s4=" + w[-4:],
        "sh=" + _shape(raw) + ("0" if i == 0 else ""),
        "p=" + prev,
        "pc=" + _cls(prev),
        "p2=" + _cls(prev2),
        "n=" + nxt,
        "nc=" + _cls(nxt),
        f"pw={_cls(prev)}|{w}",
        f"v={int(verb)}",
        f"v={int(verb)}|s3={w[-3:]}",
    ]


def _distance(d: int, exact: int, bounds: tuple[int, ...]) -> str:
    """A signed word distance as a feature: its side, then the distance itself
    up to ``exact`` and beyond that the first distance of its bucket (buckets
    end at ``bounds``; the last one is open)."""
    side = "L" if d < 0 else "R"
    a = abs(d)
    if a <= exact:
        return f"{side}{a}"
    low = exact
    for bound in bounds:
        if a <= bound:
            break
        low = bound
    return f"{side}{low + 1}"


def _coarse(d: int) -> str:
    return _distance(d, 2, (4, 8))


def _fine(d: int) -> str:
    return _distance(d, 6, (10, 15))


# "c" and whether a comma, and a clause boundary, lie between a word and the date
_COMMA_CUT = (("c00", "c01"), ("c10", "c11"))


# The first eight features of a candidate, which depend only on its signed
# distance, its tagger bin, whether it reads as a verb and the event words in
# between: cached (the distances of a sentence's words are few), with the
# coarse distance first.
_HEAD: dict[tuple[int, int, bool, int], tuple[str, ...]] = {}


def _head(d: int, ev: int, verb: bool, kk: int) -> tuple[str, ...]:
    side = "L" if d < 0 else "R"
    co = _coarse(d)
    v = "v" if verb else "n"
    head = (
        co,
        "b",
        "d" + _fine(d),
        f"e{ev}",
        f"e{ev}|{co}",
        f"{v}|{co}",
        f"{v}|e{ev}",
        f"k{kk}|{side}",
        f"k{kk}|{v}|e{ev}",
    )
    if len(_HEAD) >= 100_000:
        _HEAD.clear()  # bounded, whatever distances callers give
    _HEAD[(d, ev, verb, kk)] = head
    return head


def features(
    text: str,
    words: Sequence[tuple[int, str]],
    n: int,
    mention_start: int,
    mention_end: int,
    mention_type: str,
    events: Sequence[float],
    verbs: Sequence[bool],
    heuristic: int | None,
    keep: Sequence[int],
    stage: str = "",
    lows: Sequence[str] | None = None,
) -> list[list[str]]:
    """Sparse features for each candidate word.

    ``words`` are the sentence's words with the date's own words removed;
    the first ``n`` lie before the date.  ``events[i]`` is the tagger's
    probability that word ``i`` names an event, ``verbs[i]`` whether it reads
    as a verb, ``heuristic`` the index the staged heuristic chose and
    ``stage`` the rule that chose it.  The word itself is not a feature
    (only its suffixes and closed classes), so that what is learned carries
    beyond the training corpora's vocabulary.
    Features are made for the words in ``keep`` only, in that order; the
    others still count as words in between.  ``lows``, the words
    lower-cased, saves lowering them again.
    """
    if lows is None:
        lows = [w.lower() for _, w in words]
    # What lies between a word and the date is gathered outwards from the
    # date, and only read for the candidates: so the scans stop at the
    # farthest one on each side.
    first = min(keep, default=n)
    last = max(keep, default=n - 1)

    # comma and clause boundaries between each word and the date: the gaps
    # between words, and the words that open a clause ("that", "which", ...)
    comma = [False] * len(words)
    cut = [False] * len(words)
    seen_comma = seen_cut = False
    edge = mention_start
    for i in range(n - 1, first - 1, -1):
        if seen_comma and seen_cut:
            comma[: i + 1] = cut[: i + 1] = [True] * (i + 1)  # both seen: so for all beyond
            break
        gap = text[words[i][0] + len(words[i][1]) : edge]
        if gap != " ":  # the usual gap, that holds neither
            seen_comma = seen_comma or "," in gap
            seen_cut = seen_cut or _CUT_GAP.search(gap) is not None
        comma[i], cut[i] = seen_comma, seen_cut
        seen_cut = seen_cut or lows[i] in _CUT_WORDS
        edge = words[i][0]
    seen_comma = seen_cut = False
    edge = mention_end
    for i in range(n, last + 1):
        if seen_comma and seen_cut:
            comma[i:] = cut[i:] = [True] * (len(words) - i)
            break
        gap = text[edge : words[i][0]]
        if gap != " ":
            seen_comma = seen_comma or "," in gap
            seen_cut = seen_cut or _CUT_GAP.search(gap) is not None
        comma[i], cut[i] = seen_comma, seen_cut
        seen_cut = seen_cut or lows[i] in _CUT_WORDS
        edge = words[i][0] + len(words[i][1])

    prep = lows[n - 1] if n and lows[n - 1] in _PREPOSITIONS else "x"
    tail = text[mention_end : mention_end + 2]
    after_mark = "poss" if tail in ("'s", "’s") else ("comma" if tail[:1] == "," else "x")
    opening = "open" if n == 0 or text[words[n - 1][0] : mention_start].count(",") else "mid"
    out: list[list[str]] = []
    # for each word: how many event-like words, and how many prepositions, lie
    # between it and the date (the preposition just before the date is not
    # counted); the nearest event-like word on each side, and the nearest
    # reporting verb on the left (None when beyond every candidate, as no
    # candidate can then be it or lie beyond it)
    between = [0] * len(words)
    preps = [0] * len(words)
    near_left: int | None = None
    reporting_left: int | None = None
    k = p = 0
    for i in range(n - 1, first - 1, -1):
        between[i] = k
        if events[i] >= 0.5:
            if near_left is None:
                near_left = i
            k += 1
        low = lows[i]
        if reporting_left is None and low in REPORTING_VERBS:
            reporting_left = i
        if i < n - 1:
            preps[i] = p
            if low in _PREPOSITIONS:
                p += 1
    near_right: int | None = None
    k = p = 0
    for i in range(n, last + 1):
        between[i] = k
        if events[i] >= 0.5:
            if near_right is None:
                near_right = i
            k += 1
        preps[i] = p
        if lows[i] in _PREPOSITIONS:
            p += 1
    first_verb = next((i for i in range(len(words)) if verbs[i] and events[i] >= 0.5), None)
    head_get = _HEAD.get
    for i in keep:
        raw = words[i][1]
        w = lows[i]
        d = i - n if i < n else i - n + 1
        side = "L" if d < 0 else "R"
        ev = min(int(events[i] * 7), 6)
        verb = verbs[i]
        v = "v" if verb else "n"
        kk = min(between[i], 3)
        head = head_get((d, ev, verb, kk)) or _head(d, ev, verb, kk)
        co = head[0]
        prev_cls = _cls(lows[i - 1] if i > 0 else "")
        c = _COMMA_CUT[comma[i]][cut[i]]
        s3 = w[-3:]
        f = [
            *head[1:],
            "s3=" + s3,
            f"s3={s3}|{side}",
            "s2=" + w[-2:],
            "p=" + prev_cls,
            "n=" + _cls(lows[i + 1] if i + 1 < len(lows) else ""),
            f"p={prev_cls}|{v}",
            f"{c}|{side}",
            f"{c}|{co}",
            f"t={mention_type}|{co}",
            f"pp={prep}|{co}",
            f"pp={prep}|{v}|{side}",
            f"am={after_mark}|{co}",
            f"op={opening}|{co}",
        ]
        if i in (near_left, near_right):
            f.append(f"near|{co}")
        if reporting_left is not None and i < reporting_left:
            f.append("beyond-rep")
        if i == first_verb:
            f.append(f"first-verb|{side}")
        f.append(f"pr{min(preps[i], 2)}|{v}|{side}")
        if raw[:1].isupper() and i > 0:
            f.append("cap")
        if w in REPORTING_VERBS:
            f.append(f"rep|{co}")
        if not verbs[i]:
            # the object of a verb just before it ("reached the summit of ..."):
            # its verb is more often what a date dates
            for k in range(i - 1, max(-1, i - 4), -1):
                if verbs[k]:
                    f.append(f"obj|{side}")
                    break
                if lows[k] not in DETERMINERS and (
                    lows[k] in _PREPOSITIONS or lows[k] in AUXILIARIES
                ):
                    break
        if heuristic is not None and i == heuristic:
            f.append("h")
            f.append(f"h|e{ev}")
            f.append(f"h|{v}")
            f.append(f"h|st={stage}")
        out.append(f)
    return out


class Model:
    """The event tagger's and the ranker's weights."""

    def __init__(
        self,
        tagger: Mapping[str, float],
        weights: Mapping[str, float],
        trained_on: str = "",
        cross_validated: float | None = None,
        documents: frozenset[str] = frozenset(),
        held_out: Mapping[str, str] | None = None,
        arbiter: frozenset[str] = frozenset(),
    ) -> None:
        self.tagger = tagger
        self.weights = weights
        self.trained_on = trained_on
        self.cross_validated = cross_validated
        self.documents = documents  # the names of the documents the ranker was trained on
        self.held_out = dict(held_out or {})  # corpus -> its held-out figure, as measured
        self.arbiter = arbiter  # the (stage, confidence) cells where the heuristic wins
        self._own_cache: dict[tuple[str, bool, bool], tuple[float, str, float, float]] = {}
        self._around_cache: dict[str, tuple[float, str, float, float, float, float]] = {}

    def _own(self, raw: str, first: bool, verb: bool) -> tuple[float, str, float, float]:
        """The weights of the features a word carries whatever its neighbours,
        cached per word: the sum of the first six of :func:`token_features`,
        the lower-cased word, and the weights of the two verb features."""
        key = (raw, first, verb)
        hit = self._own_cache.get(key)
        if hit is None:
            get = self.tagger.get
            w = raw.lower()
            s = 0.0
            for f in (
                "b",
                "w=" + w,
                "s2=" + w[-2:],
                "s3=" + w[-3:],
                "s4=" + w[-4:],
                "sh=" + _shape(raw) + ("0" if first else ""),
            ):
                s += get(f, 0.0)
            v = f"v={int(verb)}"
            hit = (s, w, get(v, 0.0), get(f"{v}|s3={w[-3:]}", 0.0))
            if len(self._own_cache) >= 100_000:
                self._own_cache.clear()  # bounded, for long-running processes
            self._own_cache[key] = hit
        return hit

    def _around(self, word: str) -> tuple[float, str, float, float, float, float]:
        """The weights of the features a lower-cased word gives its neighbours,
        cached per word: as the previous word ("p=", its class, "pc="), as
        the one before that ("p2=") and as the next ("n=", "nc=")."""
        hit = self._around_cache.get(word)
        if hit is None:
            get = self.tagger.get
            c = _cls(word)
            hit = (
                get("p=" + word, 0.0),
                c,
                get("pc=" + c, 0.0),
                get("p2=" + c, 0.0),
                get("n=" + word, 0.0),
                get("nc=" + c, 0.0),
            )
            if len(self._around_cache) >= 100_000:
                self._around_cache.clear()  # bounded, for long-running processes
            self._around_cache[word] = hit
        return hit

    def event(
        self,
        words: Sequence[tuple[int, str]],
        i: int,
        verb: bool,
        lows: Lowered | None = None,
    ) -> float:
        """The probability that word ``i`` names an event (see :meth:`events`).

        ``lows``, the words lower-cased, saves lowering them again."""
        return self.events(words, [i], [verb], lows)[0]

    def events(
        self,
        words: Sequence[tuple[int, str]],
        indices: Sequence[int],
        verbs: Sequence[bool],
        lows: Lowered | None = None,
    ) -> list[float]:
        """The probability that each word ``indices[k]`` names an event, given
        whether it reads as a verb (``verbs[k]``).

        The same sum, in the same order, as over :func:`token_features`; the
        word's own features and those of its neighbours come from caches.
        ``lows``, the words lower-cased, saves lowering them again."""
        if lows is None:
            lows = LazyLows(words)
        get = self.tagger.get
        own_get, own = self._own_cache.get, self._own
        around_get, around = self._around_cache.get, self._around
        exp = math.exp
        last = len(words) - 1
        out: list[float] = []
        for i, verb in zip(indices, verbs, strict=True):
            raw = words[i][1]
            first = i == 0
            s, w, verb_weight, verb_suffix_weight = own_get((raw, first, verb)) or own(
                raw, first, verb
            )
            word = lows[i - 1] if i else "<s>"
            p, prev_cls, pc, _, _, _ = around_get(word) or around(word)
            word = lows[i - 2] if i > 1 else "<s>"
            p2 = (around_get(word) or around(word))[3]
            word = lows[i + 1] if i < last else "</s>"
            _, _, _, _, n, nc = around_get(word) or around(word)
            s += p
            s += pc
            s += p2
            s += n
            s += nc
            s += get(f"pw={prev_cls}|{w}", 0.0)
            s += verb_weight
            s += verb_suffix_weight
            # max(-30.0, min(30.0, s)), without the calls
            s = s if s < 30.0 else 30.0
            s = s if s > -30.0 else -30.0
            out.append(1.0 / (1.0 + exp(-s)))
        return out

    def scores(self, feats: Sequence[Sequence[str]]) -> list[float]:
        """The ranker's score of each candidate."""
        get = self.weights.get
        zero = itertools.repeat(0.0)
        return [sum(map(get, fs, zero)) for fs in feats]


def rank(model: Model, feats: Sequence[Sequence[str]]) -> int | None:
    """The index of the best candidate (the first on ties), or None if there is none."""
    if not feats:
        return None
    scores = model.scores(feats)
    return max(range(len(scores)), key=scores.__getitem__)


CONFIDENCE = (0.5, 0.7, 0.9)  # the bounds of the ranker's confidence bins


def confidence(scores: Sequence[float], i: int) -> str:
    """The bin of the ranker's softmax probability for candidate ``i``."""
    top = max(scores)
    z = sum(math.exp(s - top) for s in scores)
    p = math.exp(scores[i] - top) / z
    return f"p{sum(1 for b in CONFIDENCE if p >= b)}"


def cell(stage: str, scores: Sequence[float], i: int) -> str:
    """The arbiter's cell for a disagreement: the heuristic's stage and the
    ranker's confidence in its own choice ``i``."""
    return f"{stage}|{confidence(scores, i)}"


def arbitrate(
    model: Model, feats: Sequence[Sequence[str]], heuristic: int | None, stage: str
) -> int | None:
    """The ranker's choice, unless it disagrees with the heuristic in a cell
    where, on held-out folds, the heuristic was right more often."""
    if not feats:
        return None
    scores = model.scores(feats)
    best = max(range(len(scores)), key=scores.__getitem__)
    if (
        model.arbiter
        and heuristic is not None
        and best != heuristic
        and cell(stage, scores, best) in model.arbiter
    ):
        return heuristic
    return best


def from_json(raw: str) -> Model:
    """A model from its JSON form: ``{"tagger": {...}, "ranker": {...}}``."""
    data = json.loads(raw)
    cv = data.get("cross_validated")
    return Model(
        {str(k): float(v) for k, v in data["tagger"].items()},
        {str(k): float(v) for k, v in data["ranker"].items()},
        str(data.get("trained_on", "")),
        float(cv) if cv is not None else None,
        frozenset(str(d) for d in data.get("documents", ())),
        {str(k): str(v) for k, v in data.get("held_out", {}).items()},
        frozenset(str(c) for c in data.get("arbiter", ())),
    )


@cache
def load() -> Model:
    """The shipped model (read once, on first use)."""
    raw = resources.files("timeline.attach").joinpath("weights.json").read_text("utf-8")
    return from_json(raw)


_ACTIVE: ContextVar[Model | None] = ContextVar("timeline_attach_model", default=None)


def current() -> Model:
    """The model in use: the one :func:`using` set in this context, else the shipped one."""
    model = _ACTIVE.get()
    return model if model is not None else load()


@contextlib.contextmanager
def using(model: Model) -> Iterator[Model]:
    """Within the ``with`` block (in this thread or task), :func:`timeline.build`
    attaches with ``model`` instead of the shipped one: how held-out figures are
    measured on the public output with a model retrained per fold."""
    token = _ACTIVE.set(model)
    try:
        yield model
    finally:
        _ACTIVE.reset(token)
