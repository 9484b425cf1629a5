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

/** Views of one state buffer [x, p, I, J]. */
interface StateViews {
  all: Float64Array;
  x: Float64Array;
  p: Float64Array;
  I: Float64Array;
  J: Float64Array;
}

function views(all: Float64Array, n: number, extras: number): StateViews {
  return { all, x: all.subarray(0, n), p: all.subarray(n, 2 * n), I: all.subarray(2 * n, 2 * n + extras), J: all.subarray(2 * n + extras) };
}

/**
 * State [x, p, I, J] and the candidate of the step being attempted (two buffers swapped on acceptance, so nothing is
 * copied), the forces, the history and the weights of one run.
 */
export class ExpAdamsWork {
  private cur: StateViews;
  private next: StateViews;
  readonly xPred: Float64Array;
  readonly pLow: Float64Array;
  /** The same at one order lower, for the choice of order. */
  readonly xPredLo: Float64Array;
  readonly pLow2: Float64Array;
  /** Squared error norms of the attempt: position and velocity at the step's order, and one order lower. */
  readonly errs = new Float64Array(4);
  /** The step's six history weights per point (see historySums). */
  readonly coef = new Float64Array(6 * 13);
  /** f at the predicted point (f̃), and the last accepted step's for the dense output (swapped, not copied). */
  fPred: Float64Array;
  fPredOld: Float64Array;
  /** f and G at the candidate point (swapped into the history on acceptance). */
  fNew: Float64Array;
  gNew: Float64Array;
  readonly hist: History;
  readonly pred = new AdamsWeights();
  readonly corr = new AdamsWeights();
  readonly low = new AdamsWeights();
  readonly predLo = new AdamsWeights();
  readonly low2 = new AdamsWeights();
  readonly mom = new Moments();

  constructor(readonly dim: number, readonly extras: number, readonly velocityExtras: number, order: number, y0: Float64Array) {
    const n = dim;
    this.cur = views(Float64Array.from(y0), n, extras);
    this.next = views(new Float64Array(y0.length), n, extras);
    [this.xPred, this.pLow, this.xPredLo, this.pLow2, this.fPred, this.fPredOld, this.fNew] = Array.from({ length: 7 }, () => new Float64Array(n));
    this.gNew = new Float64Array(extras);
    this.hist = new History(n, extras, order);
  }

  /** The accepted state [x, p, I, J] (the whole buffer) and its parts. */
  get y(): Float64Array {
    return this.cur.all;
  }
  get x(): Float64Array {
    return this.cur.x;
  }
  get p(): Float64Array {
    return this.cur.p;
  }
  get I(): Float64Array {
    return this.cur.I;
  }
  get J(): Float64Array {
    return this.cur.J;
  }

  /** The candidate state of the step being attempted, and its parts. */
  get yNew(): Float64Array {
    return this.next.all;
  }
  get xNew(): Float64Array {
    return this.next.x;
  }
  get pNew(): Float64Array {
    return this.next.p;
  }
  get INew(): Float64Array {
    return this.next.I;
  }
  get JNew(): Float64Array {
    return this.next.J;
  }

  /**
   * Accept the candidate: it becomes the state (the old state's buffer is kept as the next candidate, so the dense
   * output can read it until the next attempt), and fNew, gNew enter the history at time t.
   */
  advance(t: number): void {
    [this.cur, this.next] = [this.next, this.cur];
    const hist = this.hist;
    hist.shift(t);
    [hist.f[0], this.fNew] = [this.fNew, hist.f[0]];
    [hist.g[0], this.gNew] = [this.gNew, hist.g[0]];
  }
}
