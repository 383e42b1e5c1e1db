"""Diagnostic: would a non-linear ranker over the same features attach better?

    pip install lightgbm scipy      # not project dependencies
    python bench/attach_gbm.py [--corpora ../shared/corpora] [--leaves 15] [--trees 200]

Cross-validates, by document and with the same five folds and fold taggers as
``bench/train_attach.py``, a LightGBM LambdaRank model trained on the
ranker's own sparse features, and prints its share beside the shipped linear
(softmax) ranker's.  Gradient-boosted trees learn feature interactions that
the linear ranker cannot; if they do no better, the limit is in what the
features say, not in how they are combined.  Nothing here ships.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import train_attach as T  # noqa: E402

from timeline.attach.ranker import Model  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    try:
        import lightgbm as lgb
        import numpy as np
        import scipy.sparse as sp
    except ImportError:
        print("needs lightgbm and scipy: pip install lightgbm scipy")
        return 2
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpora", default=T.DEFAULT_CORPORA)
    ap.add_argument("--leaves", type=int, default=15)
    ap.add_argument("--trees", type=int, default=200)
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    root = Path(args.corpora)
    if not (root / "tbaq-cleaned").is_dir():
        print(f"skipped: {root / 'tbaq-cleaned'} is absent")
        return 0
    silver = [r for rows in T.tagger_rows(root / "te3-silver").values() for r in rows]
    gold_rows = T.tagger_rows(root / "tbaq-cleaned")
    names = sorted(gold_rows)

    def matrix(data: list[T.Example], index: dict[str, int]) -> tuple[object, object, list[int]]:
        rows: list[int] = []
        cols: list[int] = []
        labels: list[int] = []
        groups: list[int] = []
        r = 0
        for _doc, feats, gold, _h in data:
            for i, fs in enumerate(feats):
                for f in set(fs):
                    if f in index:
                        rows.append(r)
                        cols.append(index[f])
                labels.append(int(i in gold))
                r += 1
            groups.append(len(feats))
        ones = np.ones(len(rows), dtype=np.float32)
        x = sp.csr_matrix((ones, (rows, cols)), shape=(r, len(index)))
        return x, np.array(labels), groups

    gbm_hits = linear_hits = anchored = 0
    for k, held in enumerate(T.held_out_folds(names, args.folds)):
        model = Model(T.train_fold_tagger(silver, gold_rows, set(names) - held), {})
        train, _ = T.examples(root / "tbaq-cleaned", model, set(names) - held)
        test, n = T.examples(root / "tbaq-cleaned", model, held)
        anchored += n
        linear = T.train_averaged(train, T.EPOCHS, T.RATE, T.L2, T.SEEDS)
        linear_hits += T.correct(linear, test)
        train = [e for e in train if e[1] and e[2]]
        counts = Counter(f for e in train for fs in e[1] for f in set(fs))
        index = {f: i for i, f in enumerate(sorted(f for f, c in counts.items() if c >= 5))}
        x, y, groups = matrix(train, index)
        params = {
            "objective": "lambdarank",
            "lambdarank_truncation_level": 3,
            "num_leaves": args.leaves,
            "learning_rate": 0.05,
            "min_data_in_leaf": 10,
            "feature_fraction": 0.5,
            "lambda_l2": 1.0,
            "verbose": -1,
            "seed": 0,
        }
        booster = lgb.train(params, lgb.Dataset(x, y, group=groups), num_boost_round=args.trees)
        xt, _yt, test_groups = matrix(test, index)
        scores = booster.predict(xt)
        pos = 0
        for (_doc, _feats, gold, _h), size in zip(test, test_groups, strict=True):
            if size:
                gbm_hits += int(np.argmax(scores[pos : pos + size])) in gold
            pos += size
        print(f"fold {k}: done")
    print(f"anchored timexes {anchored}")
    print(f"linear ranker (shipped kind), cross-validated: {linear_hits / anchored:.3f}")
    print(
        f"LightGBM LambdaRank ({args.leaves} leaves, {args.trees} trees), "
        f"cross-validated: {gbm_hits / anchored:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
