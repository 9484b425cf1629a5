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

  constructor(private readonly p: Problem, u0: Float64Array, v0: Float64Array, stateLength: number, private readonly stopLoss: number | undefined) {
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
   * Bisection on the dense output for the time where u_j ± v_j leaves its sign s0 (reading only the entries it needs
   * when the solver offers `component`).
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
    let a = tA, b = tB;
    for (let it = 0; it < 60 && b - a > 1e-14 * Math.max(1, Math.abs(b)); it++) {
      const mid = 0.5 * (a + b);
      if (Math.sign(at(mid)) === s0) a = mid;
      else b = mid;
    }
    return b;
  }

  /** The sign changes in time order. */
  sorted(): SignChange[] {
    return this.signChanges.sort((x, y) => x.time - y.time || x.coordinate - y.coordinate);
  }
}
