"""Train the event tagger and the attachment ranker (``timeline/attach/weights.json``).

    python bench/train_attach.py [--corpora ../shared/corpora] [--folds 5] [--write]

1. The event tagger: logistic regression on every word of the TempEval-3
   silver corpus (automatic EVENT tags), scored on tbaq-cleaned's gold EVENT
   tags, which it never sees.
2. The examples: every TIMEX3 of tbaq-cleaned that a TLINK ties to an EVENT in
   the same sentence (the set ``timeline eval --events`` scores), with the
   candidate words and features that :func:`timeline.attach.attacher.candidates`
   gives at run time, so training and use share one code path.
3. A softmax ranker trained with AdaGrad and L2 (the mean of five example
   orders), cross-validated by document
   (the figure to quote), then trained on all documents and written out with
   ``--write``.

Nothing here runs in CI; the shipped weights are data.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections import Counter
from pathlib import Path

from timeline.attach.attacher import Tagging, candidates
from timeline.attach.ranker import Model, token_features
from timeline.attach.words import WORD as _WORD
from timeline.attach.words import is_verb as _is_verb
from timeline.evaluation.events import anchored_mentions, read_events

Rows = list[tuple[list[str], bool]]

DEFAULT_CORPORA = str(Path(__file__).resolve().parents[2] / "shared/corpora")
# The shipped models' settings (the command-line defaults).
GOLD_WEIGHT = 3  # copies of tbaq's gold EVENT words added to the tagger's silver data
EPOCHS, RATE, L2, SEEDS = 6, 0.1, 1e-2, 5  # the ranker's training


def tagger_rows(corpus: Path) -> dict[str, Rows]:
    """Each word of a TimeML corpus, by document: tagger features, and whether it is an EVENT."""
    out = {}
    for p in sorted(corpus.rglob("*.tml")):
        doc = read_events(p)
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


def train_fold_tagger(
    silver: Rows, gold_rows: dict[str, Rows], docs: set[str], gold_weight: int = GOLD_WEIGHT
) -> dict[str, float]:
    """The event tagger trained on the silver words and ``gold_weight`` copies
    of the gold EVENT words of ``docs``."""
    extra = [r for d in sorted(docs) for r in gold_rows[d]] * gold_weight
    return train_tagger(silver + extra)


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


Example = tuple[str, list[list[str]], set[int], int | None]  # doc, feats, gold, heuristic


def examples(
    tbaq: Path, model: Model, only: set[str] | None = None, gold_events: bool = False
) -> tuple[list[Example], int]:
    """The ranker's examples.  With ``gold_events`` each candidate also learns
    whether it is a gold EVENT and how many gold EVENTs lie between it and the
    date: a diagnostic ceiling for perfect event detection, never shipped."""
    out: list[Example] = []
    anchored = 0
    for p in sorted(tbaq.rglob("*.tml")):
        doc = read_events(p)
        if only is not None and doc.name not in only:
            continue
        tagging = Tagging(doc.text, model)
        for _tid, eids, mention in anchored_mentions(doc):
            anchored += 1
            if mention is None:
                continue
            words, feats, h = candidates(doc.text, mention, tagging)
            gold_spans = [doc.events[e] for e in eids]
            gold = {
                i
                for i, (o, w) in enumerate(words)
                if any(gs < o + len(w) and o < ge for gs, ge in gold_spans)
            }
            if gold_events:
                starts = sorted(s for s, _ in doc.events.values())
                for (o, w), fs in zip(words, feats, strict=True):
                    if o not in starts:
                        continue
                    lo, hi = (o + len(w), mention.start) if o < mention.start else (mention.end, o)
                    k = sum(1 for s in starts if lo <= s < hi)
                    side = "L" if o < mention.start else "R"
                    fs += ["G", f"G{min(k, 3)}{side}"]
            out.append((doc.name, feats, gold, h))
    return out, anchored


def train(
    data: list[Example], epochs: int, rate: float, l2: float, min_count: int = 5, seed: int = 0
) -> dict[str, float]:
    counts = Counter(f for _d, feats, _g, _h in data for fs in feats for f in set(fs))
    index: dict[str, int] = {}
    rows = []
    for _doc, feats, gold, _h in data:
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


def correct(weights: dict[str, float], data: list[Example]) -> int:
    hits = 0
    for _doc, feats, gold, _h in data:
        if not feats:
            continue
        scores = [sum(weights.get(f, 0.0) for f in fs) for fs in feats]
        best = max(range(len(scores)), key=scores.__getitem__)
        hits += best in gold
    return hits


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
        help="copies of tbaq's gold EVENT words added to the tagger's silver data (0: none)",
    )
    ap.add_argument(
        "--gold-events",
        action="store_true",
        help="diagnostic: give the ranker TimeBank's gold EVENT tags (cross-validation only)",
    )
    ap.add_argument("--write", action="store_true", help="write timeline/attach/weights.json")
    args = ap.parse_args(argv)
    root = Path(args.corpora)
    silver = [r for rows in tagger_rows(root / "te3-silver").values() for r in rows]
    gold_rows = tagger_rows(root / "tbaq-cleaned")

    def tagger_for(docs: set[str]) -> dict[str, float]:
        return train_fold_tagger(silver, gold_rows, docs, args.gold_weight)

    names = sorted(gold_rows)
    hits = heur = anchored = 0
    for k, held in enumerate(held_out_folds(names, args.folds)):
        tagger = tagger_for(set(names) - held)
        model = Model(tagger, {})
        train_data, _ = examples(root / "tbaq-cleaned", model, set(names) - held, args.gold_events)
        test_data, n = examples(root / "tbaq-cleaned", model, held, args.gold_events)
        weights = train_averaged(train_data, args.epochs, args.rate, args.l2, args.seeds)
        hits += correct(weights, test_data)
        heur += sum(1 for _d, _f, gold, h in test_data if h is not None and h in gold)
        anchored += n
        held_rows = [r for d in sorted(held) for r in gold_rows[d]]
        print(f"fold {k}: tagger on held-out gold EVENT tags {tagger_scores(tagger, held_rows)}")
    print(f"anchored timexes {anchored}; heuristic alone {heur / anchored:.3f}")
    cv_share = hits / anchored
    print(f"cross-validated ({args.folds} folds by document): {cv_share:.3f}")
    if args.gold_events:
        return 0  # a diagnostic: nothing to ship
    tagger = tagger_for(set(names))
    data, anchored = examples(root / "tbaq-cleaned", Model(tagger, {}))
    weights = train_averaged(data, args.epochs, args.rate, args.l2, args.seeds)
    print(
        f"trained on all (in-sample): {correct(weights, data) / anchored:.3f}  "
        f"tagger features {len(tagger)}, ranker features {len(weights)}"
    )
    if args.write:
        out = {
            "about": "event tagger and attachment ranker; regenerate: bench/train_attach.py --write",
            "cross_validated": round(cv_share, 3),
            "trained_on": "tagger: te3-silver + tbaq-cleaned EVENT tags; ranker: tbaq-cleaned TLINKs",
            "tagger": tagger,
            "ranker": {f: round(v, 4) for f, v in sorted(weights.items())},
        }
        path = Path(__file__).resolve().parents[1] / "timeline/attach/weights.json"
        text = json.dumps(out, sort_keys=True, separators=(",", ":"))
        path.write_text(text.replace(',"', ',\n"') + "\n", "utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
