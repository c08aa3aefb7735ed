#!/usr/bin/python3
"""Writes the training benchmark's CSV: N rows (default 1,000,000) of 20 standard-normal features
x0..x19 and a binary label from a noisy logistic-like rule on a few of them (some interactions and
a non-linearity, so trees have something to find). Seeded: the same file every time.
    generate_csv.py OUT.csv [ROWS]"""
import sys
import numpy as np

out = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rng = np.random.default_rng(42)
x = rng.standard_normal((n, 20))
z = 1.5 * x[:, 0] - 2 * x[:, 1] + x[:, 2] * x[:, 3] + np.sin(3 * x[:, 4]) + 0.5 * x[:, 5] ** 2 - 0.5 \
    + rng.standard_normal(n)
label = (z > 0).astype(np.int64)
header = ",".join([f"x{i}" for i in range(20)] + ["label"])
with open(out, "w") as f:
    f.write(header + "\n")
    # 6 decimals: a realistic CSV, and the same text both sides read
    np.savetxt(f, np.column_stack([x, label]), delimiter=",", fmt=["%.6f"] * 20 + ["%d"])
