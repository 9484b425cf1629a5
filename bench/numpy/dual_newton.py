"""NumPy reference for bench/interpolators.bench.ts: argmin psi_Delta(w) s.t. Xw = y by the dual Newton method of
lib/bias/interpolators.ts written the plain NumPy way (a new Newton matrix (X*s) @ X.T and its Cholesky factor at
every iteration, the same damped line search, trust region and stopping rule). Optional: the benchmark runs it only
where python3 has NumPy.

usage: python3 dual_newton.py FILE n d DELTAS REPEATS   (FILE: X row-major then y, float64; DELTAS comma-separated)
prints one JSON line per Delta: {"delta", "ms" (best of REPEATS), "iterations", "residual"}
"""
import json
import sys
import time

import numpy as np


def evaluate(z, D, lnq, need_weight):
    """w(z) = (D/2) sinh(2z), the weights D cosh(2z), the potential sum (D/4)(cosh 2z - 1); large |z| in the log domain."""
    a = 2 * np.abs(z)
    small = a < 20
    a_small = np.where(small, a, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        E = np.exp(np.where(small, 0.0, a) + lnq)
        mag = np.where(small, 0.5 * D * np.sinh(a_small), E)
        sh = np.sinh(0.5 * a_small)
        term = np.where(small, 0.5 * D * sh * sh, 0.5 * E - 0.25 * D)
        weight = np.where(small, D * np.cosh(a_small), 2 * E) if need_weight else None
    if not np.all(np.isfinite(mag)):
        return np.inf, None, None
    pot = term.sum()
    return (pot if np.isfinite(pot) else np.inf), np.copysign(mag, z), weight


def solve(X, y, delta, tol=1e-12, max_iterations=100):
    n, d = X.shape
    D = np.full(d, delta)
    lnq = np.log(0.25 * D)
    nu = np.zeros(n)
    z = X.T @ nu
    pot, w, weight = evaluate(z, D, lnq, True)
    G = nu @ y - pot
    r = y - X @ w
    r_norm = np.linalg.norm(r)
    scale = np.linalg.norm(y) or 1.0
    iterations = 0
    max_dz = 8.0
    while r_norm / scale > tol and iterations < max_iterations:
        iterations += 1
        L = np.linalg.cholesky((X * weight) @ X.T)
        s = np.linalg.solve(L.T, np.linalg.solve(L, r))
        q = X.T @ s
        q_max = np.abs(q).max()
        slope = r @ s
        capped = 2 * q_max > max_dz
        t = max_dz / (2 * q_max) if capped else 1.0
        t0 = t
        accepted = False
        for _ in range(60):
            z_trial = z + t * q
            pot_trial, w_trial, _ = evaluate(z_trial, D, lnq, False)
            if np.isfinite(pot_trial):
                G_trial = (nu + t * s) @ y - pot_trial
                if G_trial - G >= 1e-4 * t * slope and G_trial - G > 0:
                    accepted = True
                elif abs(G_trial - G) <= 1e-11 * (abs(G) + pot + 1):
                    accepted = np.linalg.norm(y - X @ w_trial) < r_norm
                if accepted:
                    G = G_trial
                    break
            t *= 0.5
        if not accepted:
            break
        if capped:
            max_dz = 2 * max_dz if t == t0 else max(8.0, 0.5 * max_dz)
        nu = nu + t * s
        z = z_trial
        pot, w, weight = evaluate(z, D, lnq, True)
        r = y - X @ w
        r_norm = np.linalg.norm(r)
    return w, iterations, r_norm / scale


def main():
    path, n, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    deltas = [float(x) for x in sys.argv[4].split(",")]
    repeats = int(sys.argv[5])
    data = np.fromfile(path, dtype=np.float64)
    X = data[: n * d].reshape(n, d).copy()
    y = data[n * d : n * d + n].copy()
    solve(X, y, 1e-2)  # warm-up
    for delta in deltas:
        best = np.inf
        for _ in range(repeats):
            t0 = time.perf_counter()
            _, iterations, residual = solve(X, y, delta)
            best = min(best, time.perf_counter() - t0)
        print(json.dumps({"delta": delta, "ms": best * 1000, "iterations": iterations, "residual": residual}), flush=True)


if __name__ == "__main__":
    main()
