/**
 * What the network flows watch at every accepted step: the first sign change of each u_j ± v_j (located by bisection
 * on the solver's dense output) and the stop rule on the training loss.
 */
import { trainLoss, type Problem } from "../../model/problems";
import type { Interpolant, StepHook } from "../ode/types";

/** The first time coordinate `coordinate` of u+v or u−v changed sign (relative to its initial sign). */
export interface SignChange {
  coordinate: number;
  time: number;
  which: "u+v" | "u-v";
}

/**
 * Tracks the signs of s = u + v and d = u − v against their initial signs (a zero start adopts the first nonzero
 * sign), and the stop rule; `hook` is the solver's onStep (the solver's state starts with [u, v]).
 */
export class FlowWatch {
  readonly signChanges: SignChange[] = [];
  readonly hook: StepHook;
  private readonly signS: Int8Array;
  private readonly signD: Int8Array;
  private readonly doneS: Uint8Array;
  private readonly doneD: Uint8Array;
  private readonly zq: Float64Array;
  private readonly w: Float64Array;

  /** @param bisect locate crossings by plain bisection (dopri5's runs, bit for bit as before) or by Illinois */
  constructor(
    private readonly p: Problem,
    u0: Float64Array,
    v0: Float64Array,
    stateLength: number,
    private readonly stopLoss: number | undefined,
    private readonly bisect = true,
  ) {
    const d = p.d;
    this.signS = new Int8Array(d);
    this.signD = new Int8Array(d);
    for (let j = 0; j < d; j++) {
      this.signS[j] = Math.sign(u0[j] + v0[j]);
      this.signD[j] = Math.sign(u0[j] - v0[j]);
    }
    this.doneS = new Uint8Array(d);
    this.doneD = new Uint8Array(d);
    this.zq = new Float64Array(stateLength);
    this.w = new Float64Array(d);
    this.hook = (t, z, tPrev, interp) => this.step(t, z, tPrev, interp);
  }

  /** Every change in the sign of u ± v within the step [tPrev, t]; true when the loss is below stopLoss. */
  private step(t: number, z: Float64Array, tPrev: number, interp: Interpolant): boolean {
    const d = this.p.d;
    const found: SignChange[] = [];
    for (let j = 0; j < d; j++) {
      const s = Math.sign(this.plus(z, j));
      const dd = Math.sign(this.minus(z, j));
      if (this.signS[j] === 0) this.signS[j] = s;
      else if (!this.doneS[j] && s !== 0 && s !== this.signS[j]) {
        this.doneS[j] = 1;
        found.push({ coordinate: j, time: this.locate(j, true, this.signS[j], tPrev, t, interp), which: "u+v" });
      }
      if (this.signD[j] === 0) this.signD[j] = dd;
      else if (!this.doneD[j] && dd !== 0 && dd !== this.signD[j]) {
        this.doneD[j] = 1;
        found.push({ coordinate: j, time: this.locate(j, false, this.signD[j], tPrev, t, interp), which: "u-v" });
      }
    }
    if (found.length > 0) {
      found.sort((x, y) => x.time - y.time || x.coordinate - y.coordinate);
      for (const f of found) this.signChanges.push(f);
    }
    if (this.stopLoss === undefined) return false;
    for (let j = 0; j < d; j++) this.w[j] = z[j] * z[d + j];
    return trainLoss(this.p, this.w) < this.stopLoss;
  }

  private plus(z: Float64Array, j: number): number {
    return z[j] + z[this.p.d + j];
  }

  private minus(z: Float64Array, j: number): number {
    return z[j] - z[this.p.d + j];
  }

  /**
   * The time where u_j ± v_j leaves its sign s0, on the dense output of the step [tA, tB] (reading only the entries it
   * needs when the solver offers `component`): bisection for dopri5's runs (so their results stay what they were),
   * the Illinois variant of regula falsi otherwise (about 8 evaluations instead of 50). Returns a time where the sign
   * has changed, within 1e-14 relative of the crossing.
   */
  private locate(j: number, plus: boolean, s0: number, tA: number, tB: number, interp: Interpolant): number {
    const d = this.p.d, zq = this.zq;
    const at = (tq: number): number => {
      if (!interp.component) {
        interp(tq, zq, 2 * d);
        return plus ? this.plus(zq, j) : this.minus(zq, j);
      }
      const u = interp.component(tq, j), v = interp.component(tq, d + j);
      return plus ? u + v : u - v;
    };
    return this.bisect ? bisection(at, s0, tA, tB) : illinois(at, s0, tA, tB);
  }

  /** The sign changes in time order. */
  sorted(): SignChange[] {
    return this.signChanges.sort((x, y) => x.time - y.time || x.coordinate - y.coordinate);
  }
}

const ROOT_TOL = 1e-14;

/** Bisection for the time in [a, b] where f leaves the sign s0 (f(a) has it, f(b) does not). */
function bisection(f: (t: number) => number, s0: number, tA: number, tB: number): number {
  let a = tA, b = tB;
  for (let it = 0; it < 60 && b - a > ROOT_TOL * Math.max(1, Math.abs(b)); it++) {
    const mid = 0.5 * (a + b);
    if (Math.sign(f(mid)) === s0) a = mid;
    else b = mid;
  }
  return b;
}

/** The Illinois method (regula falsi that halves the stale end's value), falling back to bisection if it stalls. */
function illinois(f: (t: number) => number, s0: number, tA: number, tB: number): number {
  let a = tA, b = tB, fa = f(a), fb = f(b);
  let side = 0;
  for (let it = 0; it < 60 && b - a > ROOT_TOL * Math.max(1, Math.abs(b)); it++) {
    let c = fb !== fa ? b - (fb * (b - a)) / (fb - fa) : 0.5 * (a + b);
    if (!(c > a && c < b)) c = 0.5 * (a + b);
    const fc = f(c);
    if (fc === 0 || Math.sign(fc) !== s0) {
      b = c;
      fb = fc;
      if (side === -1) fa *= 0.5;
      side = -1;
    } else {
      a = c;
      fa = fc;
      if (side === 1) fb *= 0.5;
      side = 1;
    }
    if (fc === 0) break;
  }
  return b;
}
