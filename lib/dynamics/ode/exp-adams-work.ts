/** The state, history and scratch of one exponential Adams run (lib/dynamics/ode/exp-adams.ts). */
import { AdamsWeights, Moments } from "./exp-adams-weights";

/**
 * λẍ + ẋ = f(t, x) with `dim` positions, and optionally two kinds of quadratures appended to the state:
 * `extras` integrals of G(t, x, ẋ) that use what `force` computed, and `velocityExtras` integrals of a pure function
 * H(t, x, ẋ).
 */
export interface DampedSystem {
  /** The mass λ > 0 (λ = γ/(1−β)² for MGF). */
  lambda: number;
  /** Number of positions (x and ẋ each have `dim` entries). */
  dim: number;
  /** Writes f(t, x) into `out` (length dim); must not keep x. */
  force: (t: number, x: Float64Array, out: Float64Array) => void;
  /** Number of quadratures I' = G (default 0), integrated by Adams–Moulton from the accepted points. */
  extras?: number;
  /**
   * Writes G(t, x, ẋ) into `out` (length extras). Always called right after `force` at the same (t, x), so it may
   * reuse what `force` computed.
   */
  integrand?: (t: number, x: Float64Array, p: Float64Array, out: Float64Array) => void;
  /**
   * Number of quadratures J' = H(t, x, ẋ) (default 0), integrated over each step by Gauss–Legendre on the dense
   * output, so that the initial transient of ẋ (time scale λ) is resolved without shortening the steps.
   */
  velocityExtras?: number;
  /** Writes H(t, x, ẋ) into `out` (length velocityExtras); may be called at any (t, x, ẋ). */
  velocityIntegrand?: (t: number, x: Float64Array, p: Float64Array, out: Float64Array) => void;
}

/** The accepted forces fₙ, fₙ₋₁, … and quadrature integrands Gₙ, … (newest first), with their times. */
export class History {
  readonly t: Float64Array;
  readonly f: Float64Array[];
  readonly g: Float64Array[];
  count = 0;

  constructor(dim: number, extras: number, capacity: number) {
    this.t = new Float64Array(capacity);
    this.f = Array.from({ length: capacity }, () => new Float64Array(dim));
    this.g = Array.from({ length: capacity }, () => new Float64Array(extras));
  }

  /** Push the newest point, reusing the oldest buffers: the caller fills f[0] and g[0] after this call. */
  shift(t: number): void {
    const cap = this.f.length;
    const f = this.f[cap - 1], g = this.g[cap - 1];
    for (let i = cap - 1; i > 0; i--) {
      this.f[i] = this.f[i - 1];
      this.g[i] = this.g[i - 1];
      this.t[i] = this.t[i - 1];
    }
    this.f[0] = f;
    this.g[0] = g;
    this.t[0] = t;
    this.count = Math.min(this.count + 1, cap);
  }
}

/** State [x, p, I, J], candidate step, forces, history and weights of one run. */
export class ExpAdamsWork {
  readonly x: Float64Array;
  readonly p: Float64Array;
  readonly I: Float64Array;
  readonly J: Float64Array;
  readonly xPred: Float64Array;
  readonly xNew: Float64Array;
  readonly pNew: Float64Array;
  readonly pLow: Float64Array;
  readonly INew: Float64Array;
  readonly JNew: Float64Array;
  /** f at the predicted point (f̃), and the last accepted step's copy of it for the dense output. */
  fPred: Float64Array;
  fPredOld: Float64Array;
  readonly fNew: Float64Array;
  readonly gNew: Float64Array;
  /** The full state [x, p, I, J], as the hook and the sampler see it. */
  readonly y: Float64Array;
  readonly hist: History;
  readonly pred = new AdamsWeights();
  readonly corr = new AdamsWeights();
  readonly low = new AdamsWeights();
  readonly mom = new Moments();

  constructor(readonly dim: number, readonly extras: number, readonly velocityExtras: number, order: number, y0: Float64Array) {
    const n = dim;
    this.x = y0.slice(0, n);
    this.p = y0.slice(n, 2 * n);
    this.I = y0.slice(2 * n, 2 * n + extras);
    this.J = y0.slice(2 * n + extras);
    [this.xPred, this.xNew, this.pNew, this.pLow, this.fPred, this.fPredOld, this.fNew] = Array.from({ length: 7 }, () => new Float64Array(n));
    this.INew = new Float64Array(extras);
    this.gNew = new Float64Array(extras);
    this.JNew = new Float64Array(velocityExtras);
    this.y = Float64Array.from(y0);
    this.hist = new History(n, extras, order);
  }

  /** Copy the accepted candidate into the state (y was filled from it already). */
  advance(): void {
    this.x.set(this.xNew);
    this.p.set(this.pNew);
    this.I.set(this.INew);
    this.J.set(this.JNew);
  }
}
