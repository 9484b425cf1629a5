/**
 * argmin ψ_Δ(w) s.t. Xw = y: the implicit bias of GF/MGF on the diagonal network, and its Bregman (offset) version,
 * by damped Newton on the n-dimensional dual. The minimum-ℓ2 and ℓ1 interpolators are in min-norm.ts and l1.ts.
 */
import { gradPsi } from "./entropy";
import { choleskyInPlace, choleskySolve, matTVec, matVec, norm2 } from "../core/linalg";
import { checkInteger, checkNumber, checkVector, positiveScalarOrVector } from "../core/validate";
import { checkSystem, dotN, equilibratedPsi, gramFactor, gramScaled, type LinearSystem } from "./linear-system";

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
  // Extreme scales: solve the equilibrated system and check the answer against the data (linear-system.ts).
  return equilibratedPsi(p, positiveScalarOrVector("Delta", Delta, p.d), options, solveMinPsi);
}

function solveMinPsi(p: LinearSystem, Delta: number | Float64Array, options: MinPsiOptions): MinPsiResult {
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
