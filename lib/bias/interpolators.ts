/**
 * argmin ψ_Δ(w) s.t. Xw = y: the implicit bias of GF/MGF on the diagonal network, and its Bregman (offset) version,
 * by damped Newton on the n-dimensional dual. The minimum-ℓ2 and ℓ1 interpolators are in min-norm.ts and l1.ts.
 *
 * The solver in named parts: setupDual (checks, offset c, start ν₀) → evaluateDual (w(z), the Newton weights and
 * the dual's potential) → newtonDirection (a new Cholesky factor of J = X diag(Δ cosh 2z) Xᵀ, or conjugate
 * gradients on J preconditioned by the last factor when that is cheaper) → lineSearch → the result or an error
 * naming the residual. The linear algebra runs on newton-workspace.ts (WebAssembly, bit-identical TypeScript
 * reference).
 */
import { gradPsi } from "./entropy";
import { norm2 } from "../core/linalg";
import { checkInteger, checkNumber, checkVector, positiveScalarOrVector } from "../core/validate";
import { checkSystem, dotN, equilibratedPsi, gramFactor, type LinearSystem } from "./linear-system";
import { createNewtonWorkspace, type NewtonWorkspace } from "./newton-workspace";

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
  /** Newton matrices X diag(·) Xᵀ formed and factored (the other iterations reuse the last factor). */
  factorizations: number;
  /** Relative primal residual ‖Xw − y‖/‖y‖ (‖Xw − y‖ if y = 0). */
  kktResidual: number;
  converged: boolean;
}

/** The checked problem: data, Δ, the offset c, the tolerances. */
interface DualProblem {
  sys: LinearSystem;
  n: number;
  d: number;
  y: Float64Array;
  D: Float64Array;
  /** ln(Δ/4), for e^{2|z|} formed in the log domain. */
  lnQuarter: Float64Array;
  c: Float64Array;
  tol: number;
  maxIterations: number;
  throwOnFailure: boolean;
  /** ‖y‖ (1 if y = 0): the residual's scale. */
  scale: number;
  /** Conjugate-gradient iterations that cost about as much as one new factor (0: never use them). */
  cgBudget: number;
}

/** The Newton iterate: ν, z = c + Xᵀν, the dual's potential and value, the residual; w and r live in the workspace. */
interface DualState {
  nu: Float64Array;
  z: Float64Array;
  zTrial: Float64Array;
  /** Σ(Δ/4)(cosh 2z − 1). */
  pot: number;
  /** The dual G(ν) = ⟨ν, y⟩ − pot (concave, maximised). */
  G: number;
  rNorm: number;
  iterations: number;
  factorizations: number;
  /** Trust region on the largest change of any 2z_j in one step. */
  maxDz: number;
  /** True once a factor exists (of an earlier Newton matrix, to precondition with). */
  haveFactor: boolean;
  rankChecked: boolean;
  stalled: boolean;
}

// Conjugate gradients stop at ‖r − Js‖ ≤ CG_FORCING·‖r‖ (an inexact Newton step; measured: 1e-2 needs a few more
// Newton iterations than exact steps but far fewer factors), and give up after a budget of iterations whose cost
// is CG_BUDGET times one new factor (multiply-adds: 2nd + n² per iteration against n²d/2 + n³/6 per factor).
const CG_FORCING = 1e-2;
const CG_BUDGET = 0.5;

/**
 * argmin_{w: Xw=y} ψ_Δ(w) − ⟨c, w⟩, the implicit-regularisation problem (notebooks/08-theory.ipynb#implicit-problem). With offsetPoint w̃₀
 * it is the Bregman problem argmin D_ψΔ(w, w̃₀), the exact MGF limit for w̃₀ = β̃₀ (§3.2).
 *
 * Method: w(ν) = (Δ/2)⊙sinh(2z), z = c + Xᵀν; damped Newton on ν for Xw(ν) = y, Jacobian X diag(Δ⊙cosh 2z) Xᵀ
 * (SPD), with the concave dual ⟨ν, y⟩ − Σ(Δ_i/4)(cosh 2z_i − 1) as line-search merit (the residual once the dual
 * no longer resolves progress). Steps are capped so that no 2z_i moves by more than 8 at once, which keeps the
 * exponentials from overshooting when Δ is tiny; e^{2|z|} is formed in the log domain. A Newton step solves
 * with a new Cholesky factor of the Jacobian, or by conjugate gradients preconditioned with the last factor
 * when they converge within the cost of a new one (an inexact Newton step, to relative accuracy 1e-2).
 * @param p Problem or {X, n, d, y}, n ≤ d, X of full row rank
 * @param Delta balancedness Δ > 0: a number or one entry per coordinate (1e-300 … 1e300 are fine)
 * @returns {w, nu, iterations, factorizations, kktResidual, converged}
 * @throws RangeError for n > d, rank-deficient X, both offset and offsetPoint, or no convergence (names the residual)
 * @example minPsiInterpolator(sparseRegression(), 1e-10).w // ≈ basis pursuit solution
 */
export function minPsiInterpolator(p: LinearSystem, Delta: number | Float64Array, options: MinPsiOptions = {}): MinPsiResult {
  checkSystem(p);
  // Extreme scales: solve the equilibrated system and check the answer against the data (linear-system.ts).
  return equilibratedPsi(p, positiveScalarOrVector("Delta", Delta, p.d), options, solveMinPsi);
}

/** The dual Newton solver on a (well-scaled) system. */
function solveMinPsi(p: LinearSystem, Delta: number | Float64Array, options: MinPsiOptions): MinPsiResult {
  const { prob, nu } = setupDual(p, Delta, options);
  const ws = createNewtonWorkspace(prob.sys.X, prob.n, prob.d);
  const st = startDual(prob, ws, nu);
  while (st.rNorm / prob.scale > prob.tol && st.iterations < prob.maxIterations) {
    st.iterations++;
    newtonDirection(prob, ws, st);
    if (!lineSearch(prob, ws, st)) {
      st.stalled = true;
      break;
    }
  }
  const kktResidual = st.rNorm / prob.scale;
  const converged = kktResidual <= prob.tol;
  if (!converged && prob.throwOnFailure) throw convergenceError(prob, st, kktResidual);
  const { iterations, factorizations } = st;
  return { w: Float64Array.from(ws.vec.w), nu: Float64Array.from(st.nu), iterations, factorizations, kktResidual, converged };
}

/** Checks the arguments; returns the problem and the starting ν. */
function setupDual(p: LinearSystem, Delta: number | Float64Array, options: MinPsiOptions): { prob: DualProblem; nu: Float64Array } {
  checkSystem(p);
  const { n, d, y } = p;
  const D = positiveScalarOrVector("Delta", Delta, d);
  const tol = checkNumber("tol", options.tol ?? 1e-12, { min: 0, minOpen: true });
  const maxIterations = checkInteger("maxIterations", options.maxIterations ?? 100, { min: 1 });
  if (options.offset !== undefined && options.offsetPoint !== undefined) {
    throw new RangeError("give at most one of offset (c) and offsetPoint (w̃₀, which sets c = ∇ψ_Δ(w̃₀))");
  }
  const c = new Float64Array(d);
  if (options.offset !== undefined) c.set(checkVector("offset", options.offset, d));
  if (options.offsetPoint !== undefined) gradPsi(checkVector("offsetPoint", options.offsetPoint, d), D, c);
  const nu = new Float64Array(n);
  if (options.nu0 !== undefined) nu.set(checkVector("nu0", options.nu0, n));
  const lnQuarter = new Float64Array(d);
  for (let j = 0; j < d; j++) lnQuarter[j] = Math.log(0.25 * D[j]);
  const yNorm = norm2(y);
  const factorCost = (n * n * d) / 2 + (n * n * n) / 6;
  const cgCost = 2 * n * d + n * n;
  const cgBudget = Math.floor((CG_BUDGET * factorCost) / cgCost);
  const prob: DualProblem = {
    sys: p, n, d, y, D, lnQuarter, c, tol, maxIterations, throwOnFailure: options.throwOnFailure ?? true, scale: yNorm > 0 ? yNorm : 1, cgBudget,
  };
  return { prob, nu };
}

/**
 * w(z) = (Δ/2)⊙sinh(2z) into ww (and the Newton weights Δ⊙cosh 2z into wt if given); returns the potential
 * Σ(Δ/4)(cosh 2z − 1), or Infinity on overflow. Large |z| go through the log domain: (Δ/4)e^{2|z|}.
 */
function evaluateDual(prob: DualProblem, zz: Float64Array, ww: Float64Array, wt: Float64Array | null): number {
  const { D, lnQuarter, d } = prob;
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
}

/** r = y − X·w (into `dst`); returns ‖r‖. */
function residual(prob: DualProblem, ws: NewtonWorkspace, src: "w" | "wTrial", dst: "r" | "rTrial"): number {
  ws.matVec(src, dst);
  const out = ws.vec[dst];
  for (let i = 0; i < prob.n; i++) out[i] = prob.y[i] - out[i];
  return norm2(out);
}

function startDual(prob: DualProblem, ws: NewtonWorkspace, nu: Float64Array): DualState {
  const z = new Float64Array(prob.d);
  const rNu = ws.vec.s; // ν through an n-buffer of the workspace, for Xᵀν
  rNu.set(nu);
  ws.matTVec("s", "q");
  for (let j = 0; j < prob.d; j++) z[j] = ws.vec.q[j] + prob.c[j];
  const pot = evaluateDual(prob, z, ws.vec.w, ws.vec.weight);
  if (!Number.isFinite(pot)) throw new RangeError("minPsiInterpolator: the starting point overflows (|offset| or |nu0| too large for this Delta)");
  return {
    nu, z, zTrial: new Float64Array(prob.d), pot, G: dotN(nu, prob.y, prob.n) - pot, rNorm: residual(prob, ws, "w", "r"),
    iterations: 0, factorizations: 0, maxDz: 8, haveFactor: false, rankChecked: false, stalled: false,
  };
}

/** The Newton step s (in ws.vec.s) for J s = r: conjugate gradients on the last factor if they converge in budget, else a new factor. */
function newtonDirection(prob: DualProblem, ws: NewtonWorkspace, st: DualState): void {
  if (st.haveFactor && prob.cgBudget > 0 && preconditionedCG(prob, ws, st)) return;
  factorNewtonMatrix(prob, ws, st);
  ws.solve("r", "s");
}

/**
 * Conjugate gradients on J s = r from s = 0 (every iterate is an ascent direction of the dual), preconditioned
 * by the last Cholesky factor; true if ‖r − Js‖ ≤ CG_FORCING·‖r‖ within the budget.
 */
function preconditionedCG(prob: DualProblem, ws: NewtonWorkspace, st: DualState): boolean {
  const { vec } = ws;
  const n = prob.n;
  const s = vec.s;
  const res = vec.cgR;
  const zc = vec.cgZ;
  const pc = vec.cgP;
  const Jp = vec.cgJp;
  s.fill(0);
  res.set(vec.r);
  ws.solve("cgR", "cgZ");
  pc.set(zc);
  let rz = dotN(res, zc, n);
  const target = CG_FORCING * st.rNorm;
  for (let k = 0; k < prob.cgBudget; k++) {
    ws.applyJ("cgP", "cgJp");
    const pJp = dotN(pc, Jp, n);
    if (!(pJp > 0) || !(rz > 0)) return false;
    const alpha = rz / pJp;
    for (let i = 0; i < n; i++) {
      s[i] += alpha * pc[i];
      res[i] -= alpha * Jp[i];
    }
    if (norm2(res) <= target) return true;
    ws.solve("cgR", "cgZ");
    const rzNext = dotN(res, zc, n);
    const beta = rzNext / rz;
    for (let i = 0; i < n; i++) pc[i] = zc[i] + beta * pc[i];
    rz = rzNext;
  }
  return false;
}

/**
 * A new factor of J = X diag(weight) Xᵀ. Full row rank is checked on the first one (s > 0 has the rank of X): if
 * its relative Cholesky pivots are fine, X has full row rank; otherwise the unweighted Gram decides (and throws
 * with a reason). J is SPD in exact arithmetic; if extreme weights break the factorisation, a small ridge is added.
 */
function factorNewtonMatrix(prob: DualProblem, ws: NewtonWorkspace, st: DualState): void {
  st.factorizations++;
  let factored = ws.factor();
  if (!st.rankChecked) {
    let worst = factored ? Infinity : 0;
    for (let i = 0; factored && i < prob.n; i++) worst = Math.min(worst, (ws.pivot(i) * ws.pivot(i)) / ws.jDiag[i]);
    if (!(worst >= 1e-13)) gramFactor(prob.sys); // throws "X must have full row rank …" if it is not
    st.rankChecked = true;
  }
  if (!factored) {
    let dmax = 0;
    for (let i = 0; i < prob.n; i++) dmax = Math.max(dmax, ws.jDiag[i]);
    for (let k = 0; k < 8 && !factored; k++) factored = ws.factor(dmax * 1e-15 * 100 ** k);
    if (!factored) throw new RangeError(`minPsiInterpolator: Newton matrix X diag(Δ cosh 2z) Xᵀ could not be factored at iteration ${st.iterations}`);
  }
  st.haveFactor = true;
}

/**
 * Backtracking on the dual along s (from a step capped so that no 2z_j moves by more than maxDz), accepting
 * sufficient ascent, or a smaller residual once the dual no longer resolves progress; on success the iterate
 * moves (ν, z, w, weights, r). Returns false if no step was accepted (stalled).
 */
function lineSearch(prob: DualProblem, ws: NewtonWorkspace, st: DualState): boolean {
  const { n, d, y } = prob;
  const { s, q, wTrial } = ws.vec;
  ws.matTVec("s", "q");
  let qMax = 0;
  for (let j = 0; j < d; j++) qMax = Math.max(qMax, Math.abs(q[j]));
  const slope = dotN(ws.vec.r, s, n); // directional derivative of the dual G along s (> 0)
  const capped = 2 * qMax > st.maxDz;
  let t = capped ? st.maxDz / (2 * qMax) : 1;
  const t0 = t;
  let accepted = false;
  for (let half = 0; half < 60 && !accepted; half++) {
    for (let j = 0; j < d; j++) st.zTrial[j] = st.z[j] + t * q[j];
    const potT = evaluateDual(prob, st.zTrial, wTrial, null);
    if (Number.isFinite(potT)) {
      let GT = -potT;
      for (let i = 0; i < n; i++) GT += (st.nu[i] + t * s[i]) * y[i];
      if (GT - st.G >= 1e-4 * t * slope && GT - st.G > 0) accepted = true;
      // the dual no longer resolves progress at this precision: use the residual as merit
      else if (Math.abs(GT - st.G) <= 1e-11 * (Math.abs(st.G) + st.pot + 1)) accepted = residual(prob, ws, "wTrial", "rTrial") < st.rNorm;
      if (accepted) st.G = GT;
    }
    if (!accepted) t *= 0.5;
  }
  if (!accepted) return false;
  // Doubling the trust region while full capped steps are accepted reaches 2|z| ≈ ln(1/Δ) fast.
  if (capped) st.maxDz = t === t0 ? 2 * st.maxDz : Math.max(8, 0.5 * st.maxDz);
  for (let i = 0; i < n; i++) st.nu[i] += t * s[i];
  st.z.set(st.zTrial);
  st.pot = evaluateDual(prob, st.z, ws.vec.w, ws.vec.weight);
  st.rNorm = residual(prob, ws, "w", "r");
  return true;
}

function convergenceError(prob: DualProblem, st: DualState, kktResidual: number): RangeError {
  const why = st.stalled ? `the line search stalled after ${st.iterations} iterations` : `it did not converge in maxIterations = ${prob.maxIterations} iterations`;
  const hint = kktResidual < 1e-6
    ? `Loosen tol (e.g. tol: ${Math.max(10 * kktResidual, 1e-10).toExponential(0)}) or raise maxIterations`
    : `Raise maxIterations (or warm-start with nu0 from a solve at a larger Delta)`;
  return new RangeError(
    `minPsiInterpolator: ${why}; relative residual ‖Xw − y‖/‖y‖ reached ${kktResidual.toExponential(3)} > tol = ${prob.tol}. ` +
      `${hint}, or pass throwOnFailure: false to get the iterate.`,
  );
}
