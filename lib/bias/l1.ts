/**
 * ℓ1 interpolators through the HiGHS LP solver: basis pursuit min ‖w‖₁ s.t. Xw = y (the Δ → 0 limit of argmin ψ_Δ)
 * and its weighted version.
 */
import highsLoader from "highs";
import { choleskyInPlace, choleskySolve, matVec, norm2 } from "../core/linalg";
import { checkNumber, checkVector, positiveScalarOrVector } from "../core/validate";
import { checkSystem, type LinearSystem } from "./linear-system";

type HighsModule = Awaited<ReturnType<typeof highsLoader>>;
let highsPromise: Promise<HighsModule> | null = null;

/** The HiGHS solver module, loaded once (it compiles ~3.5 MB of WebAssembly). */
export function loadHighs(): Promise<HighsModule> {
  if (!highsPromise) highsPromise = highsLoader();
  return highsPromise;
}

export interface L1Options {
  /** Re-solve Xw = y exactly on the LP's support when that keeps the signs (default true; LP tolerances are ~1e-7). */
  polish?: boolean;
  /** HiGHS time limit in seconds (default 60). */
  timeLimit?: number;
}

export interface L1Result {
  /** The minimiser w. */
  w: Float64Array;
  /** Σ c_i|w_i| at w (‖w‖₁ for basis pursuit). */
  objective: number;
  /** HiGHS model status ("Optimal" whenever a result is returned). */
  status: string;
  /** Whether the support re-solve was applied. */
  polished: boolean;
  /** Relative residual ‖Xw − y‖/‖y‖ of the returned w. */
  residual: number;
}

function fmt(x: number): string {
  // shortest round-trip decimal; LP format accepts exponents
  return String(x);
}

/**
 * min Σ_i c_i|w_i| subject to Xw = y, as the LP min Σ c_i(w⁺_i + w⁻_i), X(w⁺ − w⁻) = y, w± ≥ 0, solved by HiGHS.
 * @param p Problem or {X, n, d, y}
 * @param weights c ≥ 0, a number or one entry per coordinate (c_i = 0 leaves w_i free of cost)
 * @returns Promise of {w, objective, status, polished, residual}
 * @throws RangeError (rejected promise) if the LP is not solved to optimality (the status is named)
 */
export async function weightedL1(p: LinearSystem, weights: number | Float64Array, options: L1Options = {}): Promise<L1Result> {
  checkSystem(p);
  const { X, n, d, y } = p;
  let c: Float64Array;
  if (typeof weights === "number") {
    checkNumber("weights", weights, { min: 0 });
    c = new Float64Array(d).fill(weights);
  } else {
    c = checkVector("weights", weights, d);
    for (let j = 0; j < d; j++) if (!(c[j] >= 0)) throw new RangeError(`weights[${j}] must be ≥ 0, got ${c[j]}`);
  }
  const polish = options.polish ?? true;
  const timeLimit = checkNumber("timeLimit", options.timeLimit ?? 60, { min: 0, minOpen: true });

  const lines: string[] = ["Minimize", " obj:"];
  let objLine = "";
  for (let j = 0; j < d; j++) {
    if (c[j] === 0) continue;
    objLine += ` + ${fmt(c[j])} p${j} + ${fmt(c[j])} m${j}`;
    if (objLine.length > 200) {
      lines.push(objLine);
      objLine = "";
    }
  }
  if (objLine) lines.push(objLine);
  if (lines.length === 2) lines.push(" 0 p0");
  lines.push("Subject To");
  for (let i = 0; i < n; i++) {
    let line = ` r${i}:`;
    let any = false;
    for (let j = 0; j < d; j++) {
      const a = X[i * d + j];
      if (a === 0) continue;
      any = true;
      const sp = a > 0 ? "+" : "-";
      const sm = a > 0 ? "-" : "+";
      const m = fmt(Math.abs(a));
      line += ` ${sp} ${m} p${j} ${sm} ${m} m${j}`;
      if (line.length > 200) {
        lines.push(line);
        line = "";
      }
    }
    if (!any) line += " 0 p0";
    lines.push(`${line} = ${fmt(y[i])}`);
  }
  lines.push("End");
  const highs = await loadHighs();
  const sol = highs.solve(lines.join("\n"), { output_flag: false, time_limit: timeLimit } as Parameters<HighsModule["solve"]>[1]);
  if (sol.Status !== "Optimal") {
    throw new RangeError(`weighted ℓ1 LP (HiGHS) ended with status "${sol.Status}", not "Optimal"`);
  }
  const w = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const P = sol.Columns[`p${j}`];
    const M = sol.Columns[`m${j}`];
    w[j] = (P ? P.Primal : 0) - (M ? M.Primal : 0);
  }
  const yNorm = norm2(y) || 1;
  const rel = (v: Float64Array) => {
    const r = matVec(X, n, d, v);
    for (let i = 0; i < n; i++) r[i] -= y[i];
    return norm2(r) / yNorm;
  };
  let residual = rel(w);
  let polished = false;
  if (polish) {
    const better = polishOnSupport(p, w);
    if (better) {
      const res2 = rel(better);
      if (res2 <= residual) {
        w.set(better);
        residual = res2;
        polished = true;
      }
    }
  }
  let objective = 0;
  for (let j = 0; j < d; j++) objective += c[j] * Math.abs(w[j]);
  return { w, objective, status: sol.Status, polished, residual };
}

/** Least-squares re-solve of Xw = y restricted to supp(w) (≤ n coordinates); null if that changes a sign. */
function polishOnSupport(p: LinearSystem, w: Float64Array): Float64Array | null {
  const { X, n, d, y } = p;
  let wmax = 0;
  for (let j = 0; j < d; j++) wmax = Math.max(wmax, Math.abs(w[j]));
  if (wmax === 0) return null;
  const S: number[] = [];
  for (let j = 0; j < d; j++) if (Math.abs(w[j]) > 1e-9 * wmax) S.push(j);
  const k = S.length;
  if (k === 0 || k > n) return null;
  // normal equations X_Sᵀ X_S a = X_Sᵀ y (k ≤ n small)
  const A = new Float64Array(k * k);
  const b = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    for (let bb = 0; bb <= a; bb++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += X[i * d + S[a]] * X[i * d + S[bb]];
      A[a * k + bb] = acc;
      A[bb * k + a] = acc;
    }
    let acc = 0;
    for (let i = 0; i < n; i++) acc += X[i * d + S[a]] * y[i];
    b[a] = acc;
  }
  if (!choleskyInPlace(A, k)) return null;
  const sol = choleskySolve(A, k, b);
  const out = new Float64Array(d);
  for (let a = 0; a < k; a++) {
    if (Math.sign(sol[a]) !== Math.sign(w[S[a]])) return null;
    out[S[a]] = sol[a];
  }
  return out;
}

/**
 * Basis pursuit: min ‖w‖₁ subject to Xw = y (the Δ → 0 limit of argmin ψ_Δ), by HiGHS.
 * @example const bp = await basisPursuit(sparseRegression()); // recovers w* for n = 40, d = 100, k = 5
 * @throws RangeError (rejected promise) if the LP status is not optimal
 */
export async function basisPursuit(p: LinearSystem, options: L1Options = {}): Promise<L1Result> {
  return weightedL1(p, 1, options);
}
