"""Train the event tagger and the attachment ranker (``timeline/attach/weights.json``).

    python bench/train_attach.py [--corpora ../shared/corpora] [--folds 5] [--write]

1. The event tagger: logistic regression on every word of the TempEval-3
   silver corpus (automatic EVENT tags) and the gold EVENT tags of the
   training documents.
2. The examples: every DATE/TIME timex of the training documents that a
   TLINK ties to an EVENT in its sentence, with the candidate words and
   features that :func:`timeline.attach.attacher.candidates` gives at run
   time, so training and use share one code path.
3. A softmax ranker trained with AdaGrad and L2 (the mean of five example
   orders).

The figures are those of ``timeline eval --events``: the events the public
``timeline.build()`` outputs, matched by offsets, scored with a model
retrained per fold (:func:`timeline.attach.ranker.using`).  Folds are
cross-corpus: each fifth of tbaq-cleaned (by document) is held out from a
model trained on the rest of it and on MEANTIME (meantime-english-apple);
MEANTIME is held out from a model trained on tbaq-cleaned alone.  The
shipped model is then trained on both and written with ``--write``.

Nothing here runs in CI; the shipped weights are data.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
from collections import Counter
from pathlib import Path
from typing import Any

from timeline.attach.attacher import Tagging, staged_candidates
from timeline.attach.ranker import CONFIDENCE, Model, cell, token_features
from timeline.attach.words import WORD as _WORD
from timeline.attach.words import is_verb as _is_verb
from timeline.evaluation.events import (
    METHODS,
    EventDoc,
    anchored_mentions,
    read_corpus,
    score_events,
)

Rows = list[tuple[list[str], bool]]

DEFAULT_CORPORA = str(Path(__file__).resolve().parents[2] / "shared/corpora")
MEANTIME = "meantime-english-apple/intra-doc_annotation"
# The shipped models' settings (the command-line defaults).
GOLD_WEIGHT = 3  # copies of tbaq's gold EVENT words added to the tagger's silver data
EPOCHS, RATE, L2, SEEDS = 6, 0.1, 1e-2, 5  # the ranker's training


def tagger_rows(docs: list[EventDoc]) -> dict[str, Rows]:
    """Each word of each document: tagger features, and whether it starts a gold EVENT."""
    out = {}
    for doc in docs:
        starts = {s for s, _ in doc.events.values()}
        words = [(m.start(), m.group()) for m in _WORD.finditer(doc.text)]
        out[doc.name] = [
            (token_features(words, i, _is_verb(words, i)), words[i][0] in starts)
            for i in range(len(words))
        ]
    return out


def held_out_folds(names: list[str], folds: int) -> list[set[str]]:
    """The documents held out in each fold: every ``folds``-th in name order."""
    return [{d for i, d in enumerate(names) if i % folds == k} for k in range(folds)]


def _sigmoid(s: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, s))))


def train_tagger(
    rows: list[tuple[list[str], bool]], epochs: int = 3, min_count: int = 8, seed: int = 0
) -> dict[str, float]:
    """Logistic regression (AdaGrad, light L2) on features seen ``min_count`` times."""
    counts = Counter(f for fs, _ in rows for f in fs)
    index: dict[str, int] = {}
    data = [
        ([index.setdefault(f, len(index)) for f in fs if counts[f] >= min_count], y)
        for fs, y in rows
    ]
    w = [0.0] * len(index)
    g2 = [1e-8] * len(index)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(data)
        for fs, y in data:
            c = _sigmoid(sum(w[f] for f in fs)) - (1.0 if y else 0.0)
            for f in fs:
                gr = c + 1e-4 * w[f]
                g2[f] += gr * gr
                w[f] -= 0.2 * gr / math.sqrt(g2[f])
    names = sorted(index, key=index.__getitem__)
    return {n: round(w[i], 3) for i, n in enumerate(names) if abs(w[i]) >= 5e-4}


def tagger_scores(weights: dict[str, float], rows: list[tuple[list[str], bool]]) -> str:
    tp = fp = fn = 0
    for fs, y in rows:
        hit = sum(weights.get(f, 0.0) for f in fs) >= 0
        tp += hit and y
        fp += hit and not y
        fn += y and not hit
    p, r = tp / (tp + fp), tp / (tp + fn)
    return f"P {p:.3f}  R {r:.3f}  F1 {2 * p * r / (p + r):.3f}"


# doc, feats, gold, the heuristic's pick and its stage
Example = tuple[str, list[list[str]], set[int], int | None, str]


def examples(docs: list[EventDoc], model: Model) -> list[Example]:
    """The ranker's examples: each anchored timex's candidates, features and gold."""
    out: list[Example] = []
    for doc in docs:
        tagging = Tagging(doc.text, model)
        for _tid, eids, mention in anchored_mentions(doc):
            if mention is None:
                continue
            words, feats, h, stage = staged_candidates(doc.text, mention, tagging)
            gold_spans = [doc.events[e] for e in eids]
            gold = {
                i
                for i, (o, w) in enumerate(words)
                if any(gs < o + len(w) and o < ge for gs, ge in gold_spans)
            }
            out.append((doc.name, feats, gold, h, stage))
    return out


def train(
    data: list[Example], epochs: int, rate: float, l2: float, min_count: int = 5, seed: int = 0
) -> dict[str, float]:
    counts = Counter(f for _d, feats, _g, _h, _s in data for fs in feats for f in set(fs))
    index: dict[str, int] = {}
    rows = []
    for _doc, feats, gold, _h, _s in data:
        if not gold or not feats:
            continue
        rows.append(
            (
                [
                    [index.setdefault(f, len(index)) for f in fs if counts[f] >= min_count]
                    for fs in feats
                ],
                gold,
            )
        )
    w = [0.0] * len(index)
    g2 = [1e-8] * len(index)
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(rows)
        for feats, gold in rows:
            scores = [sum(w[f] for f in fs) for fs in feats]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            z = sum(exps)
            zg = sum(exps[i] for i in gold)
            grad: dict[int, float] = {}
            for i, fs in enumerate(feats):
                p = exps[i] / z
                q = exps[i] / zg if i in gold else 0.0
                c = p - q
                if abs(c) < 1e-6:
                    continue
                for f in fs:
                    grad[f] = grad.get(f, 0.0) + c
            for f, gr in grad.items():
                gr += l2 * w[f]
                g2[f] += gr * gr
                w[f] -= rate * gr / math.sqrt(g2[f])
    names = sorted(index, key=index.__getitem__)
    return {n: w[i] for i, n in enumerate(names) if abs(w[i]) >= 1e-4}


def train_averaged(
    data: list[Example], epochs: int, rate: float, l2: float, seeds: int
) -> dict[str, float]:
    """The mean of rankers trained in ``seeds`` different example orders (less variance)."""
    runs = [train(data, epochs, rate, l2, seed=s) for s in range(seeds)]
    keys = sorted(set().union(*runs))
    mean = {k: sum(r.get(k, 0.0) for r in runs) / seeds for k in keys}
    return {k: v for k, v in mean.items() if abs(v) >= 1e-4}


def disagreements(weights: dict[str, float], data: list[Example]) -> list[tuple[str, bool, bool]]:
    """Where the ranker and the heuristic disagree: the arbiter's cell, and
    whether the heuristic and the ranker were right."""
    out = []
    for _doc, feats, gold, h, stage in data:
        if not feats or h is None:
            continue
        scores = [sum(weights.get(f, 0.0) for f in fs) for fs in feats]
        best = max(range(len(scores)), key=scores.__getitem__)
        if best != h:
            out.append((cell(stage, scores, best), h in gold, best in gold))
    return out


def fit_arbiter(
    data: list[Example], epochs: int, rate: float, l2: float, seeds: int
) -> frozenset[str]:
    """The cells where the heuristic should win: rankers trained on one half
    of the documents judge the other half (so their confidence is held out),
    and a cell goes to the heuristic when it was right more often there."""
    names = sorted({d for d, *_ in data})
    halves = [set(names[0::2]), set(names[1::2])]
    tally: dict[str, list[int]] = {}
    for half in halves:
        weights = train_averaged([e for e in data if e[0] not in half], epochs, rate, l2, seeds)
        for c, h_right, r_right in disagreements(weights, [e for e in data if e[0] in half]):
            t = tally.setdefault(c, [0, 0])
            t[0] += h_right
            t[1] += r_right
    return frozenset(monotone_cells(tally))


def monotone_cells(tally: dict[str, list[int]]) -> list[str]:
    """The cells the heuristic wins, with its share of wins made monotone in
    the ranker's confidence (pool adjacent violators, per stage): where the
    ranker is less sure, the heuristic wins at least as often."""
    out: list[str] = []
    stages = sorted({c.split("|")[0] for c in tally})
    bins = [f"p{b}" for b in range(len(CONFIDENCE) + 1)]
    for stage in stages:
        # blocks of [heuristic wins, ranker wins, cells], from the least confident bin up
        blocks: list[list[Any]] = []
        for b in bins:
            h, r = tally.get(f"{stage}|{b}", [0, 0])
            blocks.append([h, r, [f"{stage}|{b}"]])
            # the heuristic's share must not rise with the ranker's confidence
            while len(blocks) > 1 and _share(blocks[-1]) > _share(blocks[-2]):
                last = blocks.pop()
                blocks[-1][0] += last[0]
                blocks[-1][1] += last[1]
                blocks[-1][2] += last[2]
        for h, r, cells in blocks:
            if h > r:
                out.extend(cells)
    return out


def _share(block: list[Any]) -> float:
    h, r = block[0], block[1]
    return h / (h + r) if h + r else 0.0


class Tally:
    """Held-out counts, summed over folds."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {m: [0, 0] for m in METHODS}
        self.model_only = self.heuristic_only = self.neither = 0
        # the arbiter's decisions: (kept the heuristic, it was right)
        self.kept: Counter[tuple[bool, bool]] = Counter()

    def add(self, docs: list[EventDoc], model: Model) -> None:
        for m, r in score_events(docs, model=model, methods=METHODS).items():
            self.counts[m][0] += r.correct
            self.counts[m][1] += r.anchored
        # where the heuristic and the ranker disagree, which one was right
        for c, h_right, r_right in disagreements(dict(model.weights), examples(docs, model)):
            self.model_only += r_right and not h_right
            self.heuristic_only += h_right and not r_right
            self.neither += not (h_right or r_right)
            keep = c in model.arbiter
            self.kept[keep, h_right if keep else r_right] += 1

    def share(self, method: str = "build") -> float:
        c, n = self.counts[method]
        return c / n if n else 0.0

    def line(self, label: str) -> str:
        c, n = self.counts["build"]
        return (
            f"{label}: build() {c}/{n} = {self.share():.3f}   heuristic alone "
            f"{self.share('heuristic'):.3f}   nearest verb {self.share('nearest-verb'):.3f}\n"
            f"  where ranker and heuristic disagree: ranker right {self.model_only}, "
            f"heuristic right {self.heuristic_only}, neither {self.neither}\n"
            f"  the arbiter kept the heuristic {self.kept[True, True]} times rightly, "
            f"{self.kept[True, False]} wrongly; the ranker {self.kept[False, True]} rightly, "
            f"{self.kept[False, False]} wrongly"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default=DEFAULT_CORPORA)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=EPOCHS)
    ap.add_argument("--rate", type=float, default=RATE)
    ap.add_argument("--l2", type=float, default=L2)
    ap.add_argument("--seeds", type=int, default=SEEDS, help="rankers averaged (example orders)")
    ap.add_argument(
        "--gold-weight",
        type=int,
        default=GOLD_WEIGHT,
        help="copies of the gold EVENT words added to the tagger's silver data (0: none)",
    )
    ap.add_argument("--write", action="store_true", help="write timeline/attach/weights.json")
    ap.add_argument("--cache", default="", help="a directory to keep the fold taggers in")
    ap.add_argument(
        "--arbiter",
        action="store_true",
        help="fit the arbiter (the heuristic kept where it won on held-out halves); "
        "measured not to help held out, so the shipped model has none",
    )
    args = ap.parse_args(argv)
    root = Path(args.corpora)
    silver_docs, _ = read_corpus(root / "te3-silver")
    silver = [r for rows in tagger_rows(silver_docs).values() for r in rows]
    tbaq, _ = read_corpus(root / "tbaq-cleaned")
    mt, _ = read_corpus(root / MEANTIME)
    gold_rows = tagger_rows(tbaq + mt)

    cache = Path(args.cache) if args.cache else None

    def fit(train_docs: list[EventDoc]) -> tuple[Model, dict[str, float]]:
        names = sorted(d.name for d in train_docs)
        key = hashlib.sha256(f"{args.gold_weight}|{'|'.join(names)}".encode()).hexdigest()[:16]
        cached = cache / f"tagger-{key}.json" if cache else None
        if cached is not None and cached.exists():
            tagger = json.loads(cached.read_text("utf-8"))
        else:
            extra = [r for d in names for r in gold_rows[d]] * args.gold_weight
            tagger = train_tagger(silver + extra)
            if cached is not None:
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_text(json.dumps(tagger), "utf-8")
        data = examples(train_docs, Model(tagger, {}))
        weights = train_averaged(data, args.epochs, args.rate, args.l2, args.seeds)
        arbiter = (
            fit_arbiter(data, args.epochs, args.rate, args.l2, 2) if args.arbiter else frozenset()
        )
        return Model(tagger, weights, arbiter=arbiter), weights

    # cross-corpus folds: each tbaq fold is held out from a model trained on the
    # rest of tbaq and all of MEANTIME; MEANTIME is held out from one trained on tbaq
    names = sorted(d.name for d in tbaq)
    cv = Tally()
    for k, held in enumerate(held_out_folds(names, args.folds)):
        model, weights = fit([d for d in tbaq if d.name not in held] + mt)
        test = [d for d in tbaq if d.name in held]
        cv.add(test, model)
        rows = [r for d in sorted(held) for r in gold_rows[d]]
        print(f"fold {k}: tagger on held-out gold EVENT tags {tagger_scores(model.tagger, rows)}")
    print(cv.line(f"tbaq-cleaned, {args.folds} folds by document (+ MEANTIME in training)"))
    cross = Tally()
    model, weights = fit(tbaq)
    cross.add(mt, model)
    print(cross.line("meantime-english-apple, trained on tbaq-cleaned only"))
    model, weights = fit(tbaq + mt)
    final = Tally()
    final.add(tbaq, model)
    print(final.line("tbaq-cleaned in-sample (the shipped model)"))
    if args.write:
        out = {
            "about": "event tagger and attachment ranker; regenerate: bench/train_attach.py --write",
            "cross_validated": round(cv.share(), 3),
            "held_out": {
                "tbaq-cleaned": f"{cv.share():.3f} cross-validated by document "
                f"({args.folds} folds, models retrained per fold)",
                "meantime-english-apple": f"{cross.share():.3f} trained on tbaq-cleaned only",
            },
            "documents": sorted(d.name for d in tbaq + mt),
            "trained_on": "tagger: te3-silver + tbaq-cleaned and meantime-english-apple EVENT "
            "tags; ranker: tbaq-cleaned and meantime-english-apple TLINKs",
            "tagger": model.tagger,
            "ranker": {f: round(v, 4) for f, v in sorted(weights.items())},
            "arbiter": sorted(model.arbiter),
        }
        path = Path(__file__).resolve().parents[1] / "timeline/attach/weights.json"
        text = json.dumps(out, sort_keys=True, separators=(",", ":"))
        path.write_text(text.replace(',"', ',\n"') + "\n", "utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
