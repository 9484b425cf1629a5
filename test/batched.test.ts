import { describe, expect, it } from "vitest";
import { createBatchedStepper, runMomentumBatched, type BatchedRun } from "../lib/dynamics/batched";
import { createMomentumStepper, DivergenceError, IterationLimitError, runMomentum, type StopRule } from "../lib/dynamics/optimizers";
import { sparseRegression } from "../lib/model/problems";
import { useWasmKernels, wasmKernelsEnabled } from "../lib/core/wasm/module";

// n = 43 (not a multiple of 4 or 8) exercises every remainder path; d = 300 > the 256-wide tile.
const p = sparseRegression({ n: 43, d: 300, k: 5, seed: 7, nTest: 0 });
const alphaVec = Float64Array.from({ length: p.d }, (_, j) => 0.05 + 0.1 * ((j * 7) % 5));
const runs: BatchedRun[] = [
  { gamma: 0.002, beta: 0.9, alpha: 0.1 },
  { gamma: 0.01, beta: 0.5, alpha: 0.01 },
  { gamma: 0.02, alpha: 0.3 },
  { gamma: 0.004, beta: 0.8, alpha: alphaVec },
  { gamma: 0.02, beta: 0.95, alpha: 1 },
];

function reference(run: BatchedRun, stop: StopRule, maxIterations?: number): ReturnType<typeof runMomentum> | Error {
  try {
    return runMomentum(p, { ...run, stop, maxIterations });
  } catch (e) {
    return e as Error;
  }
}

describe("runMomentumBatched", () => {
  it.each<[string, StopRule]>([
    ["time", { time: 4 }],
    ["iterations", { iterations: 333 }],
    ["loss then time", { loss: 0.05, time: 6 }],
  ])("is bit-identical to runMomentum run by run (stop: %s)", (_, stop) => {
    const out = runMomentumBatched(p, runs, { stop });
    out.forEach((o, r) => {
      const ref = reference(runs[r], stop);
      if (ref instanceof Error) throw ref;
      expect(o.ok).toBe(true);
      if (!o.ok) return;
      const res = o.result;
      expect(res.iterations).toBe(ref.iterations);
      expect(res.stopReason).toBe(ref.stopReason);
      expect(res.loss).toBe(ref.loss);
      expect(res.time).toBe(ref.time);
      expect(Array.from(res.w)).toEqual(Array.from(ref.w));
      expect(Array.from(res.u!)).toEqual(Array.from(ref.u!));
      expect(Array.from(res.v!)).toEqual(Array.from(ref.v!));
      expect(Array.from(res.delta!)).toEqual(Array.from(ref.delta!));
      expect(res.points.map((s) => [s.k, s.loss])).toEqual(ref.points.map((s) => [s.k, s.loss]));
    });
    // The stop rules really differ between runs (otherwise the freezing logic is untested).
    const ks = new Set(out.map((o) => (o.ok ? o.result.iterations : -1)));
    expect(ks.size).toBeGreaterThan(stop.iterations === undefined ? 1 : 0);
  });

  it("records a blow-up as the DivergenceError runMomentum throws, and keeps the other runs going", () => {
    const mixed: BatchedRun[] = [runs[0], { gamma: 5, beta: 0.9, alpha: 1 }, runs[1]];
    const out = runMomentumBatched(p, mixed, { stop: { iterations: 200 } });
    const ref = reference(mixed[1], { iterations: 200 });
    expect(ref).toBeInstanceOf(DivergenceError);
    expect(out[1].ok).toBe(false);
    if (out[1].ok) return;
    expect(out[1].error).toBeInstanceOf(DivergenceError);
    expect(out[1].error.message).toBe((ref as Error).message);
    expect((out[1].error as DivergenceError).iteration).toBe((ref as DivergenceError).iteration);
    expect(out[0].ok && out[0].result.iterations).toBe(200);
    expect(out[2].ok && Array.from(out[2].result.w)).toEqual(Array.from((reference(mixed[2], { iterations: 200 }) as { w: Float64Array }).w));
  });

  it("reports maxIterations like runMomentum", () => {
    const out = runMomentumBatched(p, runs.slice(0, 2), { stop: { loss: 1e-30 }, maxIterations: 50 });
    for (const o of out) {
      expect(o.ok).toBe(false);
      if (!o.ok) expect(o.error).toBeInstanceOf(IterationLimitError);
    }
  });

  it("validates its arguments by name", () => {
    expect(() => runMomentumBatched(p, [runs[0], { gamma: -1 }], { stop: { time: 1 } })).toThrow(/runs\[1\]\.gamma/);
    expect(() => runMomentumBatched(p, [{ gamma: 0.1, beta: 1 }], { stop: { time: 1 } })).toThrow(/runs\[0\]\.beta/);
    expect(() => runMomentumBatched(p, [], { stop: { time: 1 } })).toThrow(TypeError);
    expect(() => runMomentumBatched(p, [runs[0]], { stop: {} })).toThrow(/at least one rule/);
    expect(() => runMomentumBatched(p, [{ gamma: 0.1, step: 2 } as unknown as BatchedRun], { stop: { time: 1 } })).toThrow(/unknown option "step"/);
  });
});

describe("createBatchedStepper", () => {
  it("advances every run exactly as the single-run stepper", () => {
    const s = createBatchedStepper(p, runs);
    expect(s.step(120)).toBe(runs.length);
    s.step(80);
    expect(s.k).toBe(200);
    runs.forEach((run, r) => {
      const ref = runMomentum(p, { ...run, stop: { iterations: 200 } });
      expect(Array.from(s.w(r))).toEqual(Array.from(ref.w));
      expect(s.loss(r)).toBe(ref.loss);
    });
  });
});

describe("both kernel backends", () => {
  it.each([false, true])("wasm = %s: every run of an odd-sized batch equals its single run bit for bit", (wasm) => {
    const before = useWasmKernels(wasm);
    try {
      expect(wasmKernelsEnabled()).toBe(wasm);
      // three runs (one pair has a dead lane), one diverging and leaving mid-way, others stopping at different k
      const mixed: BatchedRun[] = [runs[3], { gamma: 5, beta: 0.9, alpha: 1 }, runs[1]];
      const stop = { time: 3 };
      const out = runMomentumBatched(p, mixed, { stop });
      mixed.forEach((run, r) => {
        const ref = reference(run, stop);
        if (ref instanceof Error) {
          expect(out[r].ok).toBe(false);
          expect(out[r].error?.message).toBe(ref.message);
          return;
        }
        expect(out[r].ok && Array.from(out[r].result!.w)).toEqual(Array.from(ref.w));
        expect(out[r].ok && out[r].result!.loss).toBe(ref.loss);
      });
    } finally {
      useWasmKernels(before);
    }
  });

  it("a frozen run keeps its last w and loss in the stepper", () => {
    const s = createBatchedStepper(p, [runs[0], { gamma: 5, beta: 0.9, alpha: 1 }, runs[2]]);
    s.step(200);
    expect(s.errors[1]).toBeInstanceOf(DivergenceError);
    const k = s.errors[1]!.iteration;
    const ref = createMomentumStepperAt(k);
    expect(Array.from(s.w(1))).toEqual(Array.from(ref.w));
    expect(s.loss(1)).toBe(ref.loss);
    expect(Array.from(s.w(2))).toEqual(Array.from(runMomentum(p, { ...runs[2], stop: { iterations: 200 } }).w));
  });
});

/** The diverging run of the test above, stepped to iteration k, where it is found diverged (a run would throw there). */
function createMomentumStepperAt(k: number): { w: Float64Array; loss: number } {
  const st = createMomentumStepper(p, { gamma: 5, beta: 0.9, alpha: 1 });
  st.step(k);
  const r = st.state();
  return { w: r.w, loss: r.loss };
}
