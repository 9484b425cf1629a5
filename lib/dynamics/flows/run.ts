/**
 * One network flow from validated settings to its FlowResult: choose the solver, build the initial state and the
 * right-hand side, integrate (watching signs and the stop rule), and read the samples. Split so that a batch of flows
 * (batch.ts) can run the same steps with the force evaluations of many runs done together.
 */
import type { Problem } from "../../model/problems";
import { dopri5 } from "../ode/dopri5";
import { driveForces, expAdamsStepper, type DampedSystem, type ForceRequest } from "../ode/exp-adams";
import type { OdeResult } from "../ode/types";
import type { Trajectory } from "../trajectory";
import type { DlnFlowSettings, FlowMethod } from "./options";
import { solverTimes } from "./options";
import { SampleMaker, type FlowSample } from "./samples";
import { FlowScratch, gradientFlowRhs, momentumFlowRhs, momentumFlowSystem } from "./systems";
import { FlowWatch, type SignChange } from "./watch";

/** The solver a flow ran with. */
export type FlowSolver = "dopri5" | "exp-adams";

export interface FlowResult extends Trajectory<FlowSample> {
  lambda: number;
  /** The requested sample times reached (all of them unless stopLoss stopped the run). */
  points: FlowSample[];
  /** The state at the end: T, or the stop time when stopLoss triggered. */
  final: FlowSample;
  /** At most one entry per (coordinate, which), sorted by time. Two crossings within one solver step are not seen. */
  signChanges: SignChange[];
  /** Solver counts, the solver used, and the wall time of the whole call (solve + building the samples) in ms. */
  stats: { steps: number; rejected: number; fevals: number; wallMs: number; method: FlowSolver };
}

/**
 * The solver for a flow of mass λ. "auto": the exponential Adams method whenever λ > 0, dopri5 for gradient flow
 * (λ = 0, which has no damping to treat): see momentumFlow's doc comment for why.
 * @throws RangeError if "exp-adams" is asked for λ = 0.
 */
export function chooseSolver(lambda: number, method: FlowMethod): FlowSolver {
  if (method === "dopri5") return "dopri5";
  if (method === "exp-adams") {
    if (lambda === 0) throw new RangeError('method "exp-adams" needs lambda > 0: gradient flow (λ = 0) has no damping to integrate exactly; use "auto" or "dopri5"');
    return "exp-adams";
  }
  return lambda > 0 ? "exp-adams" : "dopri5";
}

function now(): number {
  return typeof performance !== "undefined" ? performance.now() : Date.now();
}

/** Solver errors prefixed with the flow and λ (argument errors pass through unchanged). */
export function withContext<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof Error && !(e instanceof RangeError) && !(e instanceof TypeError)) throw new Error(`${what}: ${e.message}`);
    throw e;
  }
}

/** Everything one network flow needs, before and after integrating. */
export class DlnFlowJob {
  readonly solver: FlowSolver;
  readonly z0: Float64Array;
  readonly watch: FlowWatch;
  readonly times: { all: number[]; first: number; count: number };
  readonly scratch: FlowScratch;
  readonly started = now();

  constructor(readonly p: Problem, readonly lambda: number, readonly s: DlnFlowSettings, readonly caller: string) {
    this.solver = chooseSolver(lambda, s.method);
    const d = p.d;
    const base = lambda > 0 ? 4 * d : 2 * d;
    this.z0 = new Float64Array(s.integrals ? base + 4 * d : base);
    this.z0.set(s.init.u, 0);
    this.z0.set(s.init.v, d);
    this.watch = new FlowWatch(p, s.init.u, s.init.v, this.z0.length, s.stopLoss, this.solver === "dopri5");
    this.times = solverTimes(s.T, s.times);
    this.scratch = new FlowScratch(p);
  }

  get context(): string {
    return `${this.caller}(λ = ${this.lambda})`;
  }

  /** Integrate with dopri5 (the first-order system; the integrals stay out of the error norm). */
  dopri5(): OdeResult {
    const { p, lambda, s, scratch } = this;
    const rhs = lambda > 0 ? momentumFlowRhs(p, lambda, scratch, s.integrals) : gradientFlowRhs(p, scratch, s.integrals);
    const errorDims = lambda > 0 ? 4 * p.d : 2 * p.d;
    return dopri5(rhs, this.z0, this.times.all, { rtol: s.rtol, atol: s.atol, maxSteps: s.maxSteps, errorDims, onStep: this.watch.hook });
  }

  /** The exponential Adams integration as a stepper that yields its force evaluations (see expAdamsStepper). */
  expAdams(): { steps: Generator<ForceRequest, OdeResult, void>; sys: DampedSystem } {
    const { p, lambda, s, scratch } = this;
    const sys = momentumFlowSystem(p, lambda, scratch, s.integrals);
    return { sys, steps: expAdamsStepper(sys, this.z0, this.times.all, { rtol: s.rtol, atol: s.atol, maxSteps: s.maxSteps, onStep: this.watch.hook }) };
  }

  /** Integrate alone with the chosen solver. */
  solve(): OdeResult {
    return withContext(this.context, () => {
      if (this.solver === "dopri5") return this.dopri5();
      const { steps, sys } = this.expAdams();
      return driveForces(steps, sys.force);
    });
  }

  /** The FlowResult from the solver's output. */
  result(res: OdeResult): FlowResult {
    const maker = new SampleMaker(this.p, this.lambda > 0, this.s.integrals);
    const { first, count } = this.times;
    const points: FlowSample[] = [];
    for (let k = first; k < Math.min(res.t.length, first + count); k++) points.push(maker.sample(res.t[k], res.y[k]));
    const final = maker.sample(res.tEnd, res.yEnd);
    const stats = { ...res.stats, wallMs: now() - this.started, method: this.solver };
    return { lambda: this.lambda, points, final, signChanges: this.watch.sorted(), stats };
  }
}

