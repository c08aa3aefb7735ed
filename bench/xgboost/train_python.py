#!/usr/bin/python3
"""The Python side of the training benchmark, with Debian's python3-xgboost: load the CSV with
numpy, 80/20 split (seeded), XGBoost hist, depth 6, eta 0.3, 100 rounds, 2 threads, holdout AUC.
Prints one JSON line with the timings.
    train_python.py DATA.csv"""
import json
import sys
import time

import numpy as np
import xgboost as xgb


def auc(scores, labels):
    """ROC AUC by ranks (Mann-Whitney), ties averaged."""
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(len(s))
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2 + 1
        i = j + 1
    r = np.empty(len(s))
    r[order] = ranks
    pos = labels == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return (r[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


start = time.perf_counter()
data = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1, dtype=np.float32)
loaded = time.perf_counter()
x, y = data[:, :-1], data[:, -1]
rng = np.random.default_rng(42)
perm = rng.permutation(len(y))
cut = int(round(len(y) * 0.8))
train, test = perm[:cut], perm[cut:]
dtrain = xgb.DMatrix(x[train], label=y[train], nthread=2)
dtest = xgb.DMatrix(x[test], label=y[test], nthread=2)
split = time.perf_counter()
params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 6, "eta": 0.3, "nthread": 2, "seed": 42}
booster = xgb.train(params, dtrain, num_boost_round=100)
trained = time.perf_counter()
holdout_auc = auc(booster.predict(dtest), y[test])
end = time.perf_counter()
print(json.dumps({"rows": len(y), "load_s": loaded - start, "split_s": split - loaded, "train_s": trained - split,
                  "evaluate_s": end - trained, "total_s": end - start, "auc": holdout_auc,
                  "ingest_rows_per_s": len(y) / (loaded - start), "xgboost": xgb.__version__, "numpy": np.__version__}))
