/**
 * ℓ1 interpolators through the HiGHS LP solver: basis pursuit min ‖w‖₁ s.t. Xw = y (the Δ → 0 limit of argmin ψ_Δ)
 * and its weighted version.
 */
import highsLoader from "highs";
import { choleskyInPlace, choleskySolve, matTVec } from "../core/linalg";
import { checkNumber, checkVector } from "../core/validate";
import { checkInterpolant, checkSystem, equilibrate, unscaleSolution, type LinearSystem, type ScaledSystem } from "./linear-system";

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
  /** Relative residual of the returned w, each equation divided by ‖x_i‖ (see checkInterpolant). */
  residual: number;
}

function fmt(x: number): string {
  // shortest round-trip decimal; the LP reader takes "1e-30" but not "1e+21"
  return String(x).replace("e+", "e");
}

/**
 * min Σ_i c_i|w_i| subject to Xw = y, as the LP min Σ c_i(w⁺_i + w⁻_i), X(w⁺ − w⁻) = y, w± ≥ 0, solved by HiGHS on
 * the system equilibrated by powers of two (HiGHS's tolerances are absolute, ~1e-7, and it drops matrix entries
 * below 1e-9: data of scale 1e-12 would otherwise give w = 0 as "Optimal"). The answer is then checked: it must
 * satisfy Xw = y (row-wise backward error ≤ 1e-6) and HiGHS's dual must certify it optimal (|Xᵀν| ≤ c, duality gap
 * ≤ 1e-6); otherwise the promise is rejected, whatever status HiGHS reported.
 * @param p Problem or {X, n, d, y}
 * @param weights c ≥ 0, a number or one entry per coordinate (c_i = 0 leaves w_i free of cost)
 * @returns Promise of {w, objective, status, polished, residual}
 * @throws RangeError (rejected promise) if the LP is not solved to optimality (the status is named) or the result
 *   fails its check (the residual or duality gap is named)
 */
export async function weightedL1(p: LinearSystem, weights: number | Float64Array, options: L1Options = {}): Promise<L1Result> {
  checkSystem(p);
  const { d } = p;
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
  // One common solution scale keeps the objective's argmin: Σ c|s·w̃| = s·Σ c|w̃|.
  const q = equilibrate(p, { always: true });
  const highs = await loadHighs();
  let sol: ReturnType<HighsModule["solve"]>;
  try {
    sol = highs.solve(lpModel(q, c), { output_flag: false, time_limit: timeLimit } as Parameters<HighsModule["solve"]>[1]);
  } catch (e) {
    throw new RangeError(`weighted ℓ1 LP (HiGHS) could not be solved: ${(e as Error).message.split(" (see")[0]}`);
  }
  if (sol.Status !== "Optimal") {
    throw new RangeError(`weighted ℓ1 LP (HiGHS) ended with status "${sol.Status}", not "Optimal"`);
  }
  const wt = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const P = sol.Columns[`p${j}`];
    const M = sol.Columns[`m${j}`];
    wt[j] = (P ? P.Primal : 0) - (M ? M.Primal : 0);
  }
  let polished = false;
  const better = polish ? polishOnSupport(q, wt) : null;
  if (better && residualOf(q, better) <= residualOf(q, wt)) {
    wt.set(better);
    polished = true;
  }
  const what = "weighted ℓ1 LP (HiGHS)";
  const w = unscaleSolution(q, wt, what);
  const residual = checkInterpolant(p, w, what, 1e-6);
  checkDualCertificate(q, c, wt, Float64Array.from(sol.Rows, (r) => (r as { Dual?: number }).Dual ?? NaN), what);
  let objective = 0;
  for (let j = 0; j < d; j++) objective += c[j] * Math.abs(w[j]);
  return { w, objective, status: sol.Status, polished, residual };
}

/** The LP in CPLEX LP format: min Σ c(p + m) s.t. X(p − m) = y, p, m ≥ 0 (HiGHS's default bounds). */
function lpModel(q: LinearSystem, c: Float64Array): string {
  const { X, n, d, y } = q;
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
  return lines.join("\n");
}

/** max_i |x̃_i·w − ỹ_i| on the equilibrated system (rows of scale ~1). */
function residualOf(q: LinearSystem, w: Float64Array): number {
  const { X, n, d, y } = q;
  let worst = 0;
  for (let i = 0; i < n; i++) {
    let s = -y[i];
    for (let j = 0; j < d; j++) s += X[i * d + j] * w[j];
    worst = Math.max(worst, Math.abs(s));
  }
  return worst;
}

/**
 * LP duality certifies w optimal: a ν with |X̃ᵀν|_j ≤ c_j for every j and ỹᵀν = Σ c_j|w̃_j| exists (HiGHS's row
 * duals), up to a relative 1e-6.
 * @throws RangeError naming the violated condition
 */
function checkDualCertificate(q: ScaledSystem, c: Float64Array, wt: Float64Array, nu: Float64Array, what: string): void {
  const { X, n, d, y } = q;
  if (nu.length !== n || !nu.every(Number.isFinite)) throw new RangeError(`${what}: HiGHS returned no dual solution to certify w`);
  const g = matTVec(X, n, d, nu);
  let cMax = 0;
  let primal = 0;
  for (let j = 0; j < d; j++) { cMax = Math.max(cMax, c[j]); primal += c[j] * Math.abs(wt[j]); }
  let dualValue = 0;
  for (let i = 0; i < n; i++) dualValue += y[i] * nu[i];
  let infeasible = 0;
  for (let j = 0; j < d; j++) infeasible = Math.max(infeasible, Math.abs(g[j]) - c[j]);
  const gap = Math.abs(primal - dualValue) / Math.max(primal, Math.abs(dualValue), Number.MIN_VALUE);
  if (infeasible > 1e-6 * Math.max(cMax, 1) || (primal > 0 && gap > 1e-6)) {
    throw new RangeError(`${what}: the solution is not certified optimal (duality gap ${gap.toExponential(2)}, ` +
      `dual infeasibility ${infeasible.toExponential(2)}); the LP is too badly conditioned for HiGHS`);
  }
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
