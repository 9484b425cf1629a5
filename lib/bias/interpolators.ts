/**
 * Interpolators of Xw = y singled out by a potential: argmin ψ_Δ (the implicit bias of GF/MGF on the diagonal
 * network, science.md §1.5, §3.2–3.3), its Bregman/offset version, the minimum-ℓ2 interpolator (Δ → ∞) and basis
 * pursuit, min ‖w‖₁ (Δ → 0), the last one through the HiGHS LP solver.
 */
import highsLoader from "highs";
import { gradPsi } from "./entropy";
import { choleskyInPlace, choleskySolve, matTVec, matVec, norm2 } from "../core/linalg";
import { checkInteger, checkNumber, checkVector, positiveScalarOrVector } from "../core/validate";

/** The constraint data: any Problem works, or a bare {X, n, d, y} (X row-major n×d). */
export interface LinearSystem {
  X: Float64Array;
  n: number;
  d: number;
  y: Float64Array;
}

function checkSystem(p: LinearSystem): void {
  if (p == null || typeof p !== "object") throw new TypeError("p must be a Problem or {X, n, d, y}");
  checkInteger("p.n", p.n, { min: 1 });
  checkInteger("p.d", p.d, { min: 1 });
  checkVector("p.X", p.X, p.n * p.d);
  checkVector("p.y", p.y, p.n);
  if (p.n > p.d) {
    throw new RangeError(`interpolators need n ≤ d (an underdetermined system Xw = y), got n = ${p.n} > d = ${p.d}`);
  }
}

/**
 * Cholesky factor of XXᵀ, or a RangeError saying whether the rows are dependent but consistent (redundant rows)
 * or inconsistent (no interpolator exists).
 */
function gramFactor(p: LinearSystem): Float64Array {
  const { X, n, d, y } = p;
  const G = new Float64Array(n * n);
  gramScaled(X, n, d, new Float64Array(d).fill(1), G, new Float64Array(n * d));
  const diag = new Float64Array(n);
  for (let i = 0; i < n; i++) diag[i] = G[i * n + i];
  const L = Float64Array.from(G);
  let ok = choleskyInPlace(L, n);
  let worst = Infinity;
  let worstRow = -1;
  if (ok) {
    // squared distance of row i to the span of the previous rows, relative to ‖x_i‖²
    for (let i = 0; i < n; i++) {
      const rel = diag[i] > 0 ? (L[i * n + i] * L[i * n + i]) / diag[i] : 0;
      if (rel < worst) {
        worst = rel;
        worstRow = i;
      }
    }
    if (worst < 1e-13) ok = false;
  }
  if (ok) return L;
  // Diagnose: ridge-regularised least squares tells a consistent from an inconsistent system.
  const R = Float64Array.from(G);
  let tr = 0;
  for (let i = 0; i < n; i++) tr += diag[i];
  const mu = (1e-10 * tr) / n;
  for (let i = 0; i < n; i++) R[i * n + i] += mu;
  let consistent = "";
  if (choleskyInPlace(R, n) && tr > 0) {
    const a = choleskySolve(R, n, y);
    const w = matTVec(X, n, d, a);
    const r = matVec(X, n, d, w);
    for (let i = 0; i < n; i++) r[i] -= y[i];
    const rel = norm2(r) / Math.max(norm2(y), Number.MIN_VALUE);
    consistent = rel > 1e-6
      ? ` and Xw = y is inconsistent (best least-squares relative residual ${rel.toExponential(2)}): no interpolator exists`
      : " (the rows are linearly dependent but y is consistent: drop the redundant rows)";
  }
  const where = worstRow >= 0 ? ` (row ${worstRow} is within relative distance ${Math.sqrt(Math.max(worst, 0)).toExponential(2)} of the span of the previous rows)` : "";
  throw new RangeError(`X must have full row rank${where}${consistent}`);
}

/**
 * The minimum-ℓ2 interpolator Xᵀ(XXᵀ)⁻¹y (the Δ → ∞ limit of argmin ψ_Δ; the implicit bias of GD/MGD on plain
 * linear regression from 0), by Cholesky with one step of iterative refinement.
 * @throws RangeError if n > d or X lacks full row rank (saying whether y is then consistent)
 * @example minNormInterpolator(toyProblem()) // ≈ [0.8, 0.4]
 */
export function minNormInterpolator(p: LinearSystem): Float64Array {
  checkSystem(p);
  const { X, n, d, y } = p;
  const L = gramFactor(p);
  const a = choleskySolve(L, n, y);
  const w = matTVec(X, n, d, a);
  const r = matVec(X, n, d, w);
  for (let i = 0; i < n; i++) r[i] = y[i] - r[i];
  const da = choleskySolve(L, n, r);
  const dw = matTVec(X, n, d, da);
  for (let j = 0; j < d; j++) w[j] += dw[j];
  return w;
}

export interface MinPsiOptions {
  /** c in argmin_{Xw=y} ψ_Δ(w) − ⟨c, w⟩ (default 0). Give at most one of offset / offsetPoint. */
  offset?: Float64Array;
  /** w̃₀: sets c = ∇ψ_Δ(w̃₀), i.e. solves the Bregman problem argmin_{Xw=y} D_ψΔ(w, w̃₀). */
  offsetPoint?: Float64Array;
  /** Stop when ‖Xw − y‖/‖y‖ ≤ tol (default 1e-12). */
  tol?: number;
  /** Newton iterations allowed (default 100). */
  maxIterations?: number;
  /** Starting dual point ν₀ ∈ ℝⁿ (default 0, i.e. w = (Δ/2)·sinh(2c)); a previous `nu` warm-starts. */
  nu0?: Float64Array;
  /** Throw if not converged (default true); false returns the last iterate with converged = false. */
  throwOnFailure?: boolean;
}

export interface MinPsiResult {
  /** The interpolator w (the paper's β∞ prediction). */
  w: Float64Array;
  /** Dual variable ν: ∇ψ_Δ(w) − c = Xᵀν exactly (stationarity holds by construction). */
  nu: Float64Array;
  /** Newton iterations used. */
  iterations: number;
  /** Relative primal residual ‖Xw − y‖/‖y‖ (‖Xw − y‖ if y = 0). */
  kktResidual: number;
  converged: boolean;
}

/**
 * argmin_{w: Xw=y} ψ_Δ(w) − ⟨c, w⟩, the implicit-regularisation problem (science.md §3.3). With offsetPoint w̃₀
 * it is the Bregman problem argmin D_ψΔ(w, w̃₀), the exact MGF limit for w̃₀ = β̃₀ (§3.2).
 *
 * Method: w(ν) = (Δ/2)⊙sinh(2z), z = c + Xᵀν; damped Newton on ν for Xw(ν) = y, Jacobian X diag(Δ⊙cosh 2z) Xᵀ
 * (SPD), with the concave dual ⟨ν, y⟩ − Σ(Δ_i/4)(cosh 2z_i − 1) as line-search merit (the residual once the dual
 * no longer resolves progress). Steps are capped so that no 2z_i moves by more than 8 at once, which keeps the
 * exponentials from overshooting when Δ is tiny; e^{2|z|} is formed in the log domain.
 * @param p Problem or {X, n, d, y}, n ≤ d, X of full row rank
 * @param Delta balancedness Δ > 0: a number or one entry per coordinate (1e-300 … 1e300 are fine)
 * @returns {w, nu, iterations, kktResidual, converged}
 * @throws RangeError for n > d, rank-deficient X, both offset and offsetPoint, or no convergence (names the residual)
 * @example minPsiInterpolator(sparseRegression(), 1e-10).w // ≈ basis pursuit solution
 */
export function minPsiInterpolator(p: LinearSystem, Delta: number | Float64Array, options: MinPsiOptions = {}): MinPsiResult {
  checkSystem(p);
  const { X, n, d, y } = p;
  const D = positiveScalarOrVector("Delta", Delta, d);
  const tol = checkNumber("tol", options.tol ?? 1e-12, { min: 0, minOpen: true });
  const maxIterations = checkInteger("maxIterations", options.maxIterations ?? 100, { min: 1 });
  const throwOnFailure = options.throwOnFailure ?? true;
  if (options.offset !== undefined && options.offsetPoint !== undefined) {
    throw new RangeError("give at most one of offset (c) and offsetPoint (w̃₀, which sets c = ∇ψ_Δ(w̃₀))");
  }
  const c = new Float64Array(d);
  if (options.offset !== undefined) c.set(checkVector("offset", options.offset, d));
  if (options.offsetPoint !== undefined) gradPsi(checkVector("offsetPoint", options.offsetPoint, d), D, c);
  const nu = new Float64Array(n);
  if (options.nu0 !== undefined) nu.set(checkVector("nu0", options.nu0, n));

  // Full row rank is checked on the first Newton matrix X diag(s) Xᵀ (s > 0 has the rank of X): if its relative
  // Cholesky pivots are fine, X has full row rank; otherwise the unweighted Gram decides (and throws with a reason).
  let rankChecked = false;
  const jDiag = new Float64Array(n);

  const lnQuarter = new Float64Array(d);
  for (let j = 0; j < d; j++) lnQuarter[j] = Math.log(0.25 * D[j]);
  const yNorm = norm2(y);
  const scale = yNorm > 0 ? yNorm : 1;

  const z = new Float64Array(d);
  const zTrial = new Float64Array(d);
  const w = new Float64Array(d);
  const wTrial = new Float64Array(d);
  const weight = new Float64Array(d);
  const r = new Float64Array(n);
  const rTrial = new Float64Array(n);
  const J = new Float64Array(n * n);
  const s = new Float64Array(n);
  const q = new Float64Array(d);
  const rowBuf = new Float64Array(n * d);

  // Evaluates w(z) (and Δ cosh 2z into `wt` if given); returns Σ(Δ/4)(cosh 2z − 1), or Infinity on overflow.
  const evaluate = (zz: Float64Array, ww: Float64Array, wt: Float64Array | null): number => {
    let pot = 0;
    for (let j = 0; j < d; j++) {
      const a = 2 * Math.abs(zz[j]);
      let mag: number;
      let ch: number;
      let term: number;
      if (a < 20) {
        mag = 0.5 * D[j] * Math.sinh(a);
        ch = D[j] * Math.cosh(a);
        const sh = Math.sinh(0.5 * a);
        term = 0.5 * D[j] * sh * sh;
      } else {
        const E = Math.exp(a + lnQuarter[j]); // (Δ/4)e^{2|z|}
        mag = E;
        ch = 2 * E;
        term = 0.5 * E - 0.25 * D[j];
      }
      if (!Number.isFinite(mag) || !Number.isFinite(ch)) return Infinity;
      ww[j] = zz[j] < 0 ? -mag : mag;
      if (wt) wt[j] = ch;
      pot += term;
    }
    return Number.isFinite(pot) ? pot : Infinity;
  };
  const residual = (ww: Float64Array, out: Float64Array): number => {
    matVec(X, n, d, ww, out);
    for (let i = 0; i < n; i++) out[i] = y[i] - out[i];
    return norm2(out);
  };

  matTVec(X, n, d, nu, z);
  for (let j = 0; j < d; j++) z[j] += c[j];
  let pot = evaluate(z, w, weight);
  if (!Number.isFinite(pot)) throw new RangeError("minPsiInterpolator: the starting point overflows (|offset| or |nu0| too large for this Delta)");
  let G = dotN(nu, y, n) - pot;
  let rNorm = residual(w, r);
  let iterations = 0;
  let stalled = false;
  // Trust region on the largest change of any 2z_j in one step: exponentials overshoot badly from a flat start
  // (tiny Δ), so start at 8 and double it while full capped steps are accepted (reaching 2|z| ≈ ln(1/Δ) fast).
  let maxDz = 8;

  while (rNorm / scale > tol && iterations < maxIterations) {
    iterations++;
    gramScaled(X, n, d, weight, J, rowBuf);
    for (let i = 0; i < n; i++) jDiag[i] = J[i * n + i];
    let factored = choleskyInPlace(J, n);
    if (!rankChecked) {
      let worst = factored ? Infinity : 0;
      for (let i = 0; factored && i < n; i++) worst = Math.min(worst, (J[i * n + i] * J[i * n + i]) / jDiag[i]);
      if (!(worst >= 1e-13)) gramFactor(p); // throws "X must have full row rank …" if it is not
      rankChecked = true;
    }
    if (!factored) {
      // J is SPD in exact arithmetic; extreme weights can break the factorisation: add a small ridge
      let maxDiag = 0;
      for (let j = 0; j < d; j++) maxDiag = Math.max(maxDiag, weight[j]);
      for (let k = 0; k < 8 && !factored; k++) {
        gramScaled(X, n, d, weight, J, rowBuf);
        let dmax = 0;
        for (let i = 0; i < n; i++) dmax = Math.max(dmax, J[i * n + i]);
        const mu = dmax * 1e-15 * 100 ** k;
        for (let i = 0; i < n; i++) J[i * n + i] += mu;
        factored = choleskyInPlace(J, n);
      }
      if (!factored) throw new RangeError(`minPsiInterpolator: Newton matrix X diag(Δ cosh 2z) Xᵀ could not be factored at iteration ${iterations}`);
    }
    choleskySolve(J, n, r, s);
    matTVec(X, n, d, s, q);
    let qMax = 0;
    for (let j = 0; j < d; j++) qMax = Math.max(qMax, Math.abs(q[j]));
    const slope = dotN(r, s, n); // directional derivative of the dual G along s (> 0)
    const capped = 2 * qMax > maxDz;
    let t = capped ? maxDz / (2 * qMax) : 1;
    const t0 = t;
    let accepted = false;
    for (let half = 0; half < 60; half++) {
      for (let j = 0; j < d; j++) zTrial[j] = z[j] + t * q[j];
      const potT = evaluate(zTrial, wTrial, null);
      if (Number.isFinite(potT)) {
        let GT = -potT;
        for (let i = 0; i < n; i++) GT += (nu[i] + t * s[i]) * y[i];
        if (GT - G >= 1e-4 * t * slope && GT - G > 0) {
          accepted = true;
          G = GT;
        } else if (Math.abs(GT - G) <= 1e-11 * (Math.abs(G) + pot + 1)) {
          // the dual no longer resolves progress at this precision: use the residual as merit
          const rT = residual(wTrial, rTrial);
          if (rT < rNorm) {
            accepted = true;
            G = GT;
          }
        }
        if (accepted) break;
      }
      t *= 0.5;
    }
    if (!accepted) {
      stalled = true;
      break;
    }
    if (capped) maxDz = t === t0 ? 2 * maxDz : Math.max(8, 0.5 * maxDz);
    for (let i = 0; i < n; i++) nu[i] += t * s[i];
    z.set(zTrial);
    pot = evaluate(z, w, weight);
    rNorm = residual(w, r);
  }

  const kktResidual = rNorm / scale;
  const converged = kktResidual <= tol;
  if (!converged && throwOnFailure) {
    const why = stalled ? `the line search stalled after ${iterations} iterations` : `it did not converge in maxIterations = ${maxIterations} iterations`;
    const hint = kktResidual < 1e-6
      ? `Loosen tol (e.g. tol: ${Math.max(10 * kktResidual, 1e-10).toExponential(0)}) or raise maxIterations`
      : `Raise maxIterations (or warm-start with nu0 from a solve at a larger Delta)`;
    throw new RangeError(
      `minPsiInterpolator: ${why}; relative residual ‖Xw − y‖/‖y‖ reached ${kktResidual.toExponential(3)} > tol = ${tol}. ` +
        `${hint}, or pass throwOnFailure: false to get the iterate.`,
    );
  }
  return { w: Float64Array.from(w), nu: Float64Array.from(nu), iterations, kktResidual, converged };
}

/**
 * J = X diag(s) Xᵀ for s > 0, as B Bᵀ with B = X diag(√s) (rows in `buf`), four rows at a time so that each row
 * of B is streamed from memory once per block: the hot spot of the Newton solver (n²d/2 multiply-adds).
 */
function gramScaled(X: Float64Array, n: number, d: number, s: Float64Array, J: Float64Array, buf: Float64Array): void {
  for (let j = 0; j < d; j++) {
    const r = Math.sqrt(s[j]);
    for (let i = 0; i < n; i++) buf[i * d + j] = X[i * d + j] * r;
  }
  for (let i0 = 0; i0 < n; i0 += 4) {
    const nb = Math.min(4, n - i0);
    const a0 = i0 * d;
    const a1 = nb > 1 ? a0 + d : a0;
    const a2 = nb > 2 ? a0 + 2 * d : a0;
    const a3 = nb > 3 ? a0 + 3 * d : a0;
    const kEnd = i0 + nb;
    for (let k = 0; k < kEnd; k++) {
      const b = k * d;
      let c0 = 0, c1 = 0, c2 = 0, c3 = 0;
      for (let j = 0; j < d; j++) {
        const v = buf[b + j];
        c0 += buf[a0 + j] * v;
        c1 += buf[a1 + j] * v;
        c2 += buf[a2 + j] * v;
        c3 += buf[a3 + j] * v;
      }
      for (let t = 0; t < nb; t++) {
        const i = i0 + t;
        if (k <= i) {
          const c = t === 0 ? c0 : t === 1 ? c1 : t === 2 ? c2 : c3;
          J[i * n + k] = c;
          J[k * n + i] = c;
        }
      }
    }
  }
}

function dotN(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i] * b[i];
  return s;
}

// ---------------------------------------------------------------------------------------------------------------
// ℓ1 interpolators through HiGHS (WebAssembly, loaded once on first use).

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
