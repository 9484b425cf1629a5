"""NumPy reference for bench/optimizers.bench.ts: K iterations of MGD (heavy ball) on the diagonal linear network,
the update of lib/dynamics/optimizers.ts written the plain NumPy way (r = X @ w - y, g = X.T @ r). Optional.

usage: python3 mgd.py FILE n d K gamma beta alpha REPEATS   (FILE: X row-major then y, float64)
prints one JSON line: {"us": best microseconds per iteration, "loss": final loss}
"""
import json
import sys
import time

import numpy as np


def run(X, y, K, gamma, beta, alpha):
    n, d = X.shape
    u = np.full(d, np.sqrt(2.0) * alpha)
    v = np.zeros(d)
    up, vp = u.copy(), v.copy()
    w = np.zeros(d)
    c = gamma / n
    for _ in range(K):
        g = c * (X.T @ (X @ w - y))
        un = u + beta * (u - up) - g * v
        vn = v + beta * (v - vp) - g * u
        up, vp, u, v = u, v, un, vn
        w = u * v
    r = X @ w - y
    return r @ r / (2 * n)


def main():
    path, n, d, K = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    gamma, beta, alpha, repeats = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7]), int(sys.argv[8])
    data = np.fromfile(path, dtype=np.float64)
    X = data[: n * d].reshape(n, d).copy()
    y = data[n * d : n * d + n].copy()
    run(X, y, min(K, 100), gamma, beta, alpha)  # warm-up
    best = np.inf
    loss = np.nan
    for _ in range(repeats):
        t0 = time.perf_counter()
        loss = run(X, y, K, gamma, beta, alpha)
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({"us": best * 1e6 / K, "loss": loss}), flush=True)


if __name__ == "__main__":
    main()
