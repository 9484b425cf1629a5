// Fuzz: GD/MGD/SGD runs and the GF/MGF flows on random problems with data, α, γ, β, λ and T over many decades
// (including values out of range). A run that returns must report a finite state whose loss is the loss of its w;
// a flow must also keep what the mathematics guarantees (GF conserves Δ = u² − v²; GF and MGF started at rest
// never end with a larger loss). Everything else must be a named one-line error (DivergenceError included).
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { runMomentum } from "../../lib/dynamics/optimizers";
import { gradientFlow, momentumFlow } from "../../lib/dynamics/flows";
import { makeProblem } from "../../lib/model/problems";
import { firstNonFinite, lossAgrees, makeSystem, observe, saveTallies, Tally, type SystemSpec } from "./harness";

const spec = (exp: fc.Arbitrary<number>): fc.Arbitrary<SystemSpec> => fc.record({
  n: fc.integer({ min: 1, max: 5 }),
  d: fc.integer({ min: 1, max: 6 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
  xExp: exp,
  yExp: exp,
  rowSpread: fc.constantFrom(0, 3),
  defect: fc.constantFrom("none", "none", "none", "zero row", "NaN in X"),
});
const toProblem = (s: SystemSpec) => {
  const { X, n, d, y } = makeSystem(s);
  return makeProblem({ X, y, n, d });
};


const gammaOf = (a: { gammaExp: number; gammaRelative: boolean; s: SystemSpec; model: string; alphaExp: number }) =>
  a.gammaRelative ? 10 ** (a.gammaExp / 4 - 1 - 2 * a.s.xExp - (a.model === "dln" ? 2 * Math.max(a.alphaExp, a.s.yExp - a.s.xExp) / 2 : 0)) : 10 ** a.gammaExp;

const tallies = { runs: new Tally("runMomentum (GD, MGD, SGD; DLN and linear)"), flows: new Tally("gradientFlow / momentumFlow") };
afterAll(() => saveTallies("dynamics", Object.values(tallies)));

describe("fuzz: dynamics", () => {
  it("runs: a finite state whose reported loss is L(w), or a named error", async () => {
    const args = fc.record({
      s: spec(fc.integer({ min: -150, max: 150 })),
      model: fc.constantFrom("dln", "linear"),
      alphaExp: fc.integer({ min: -150, max: 150 }),
      gammaExp: fc.integer({ min: -12, max: 3 }),
      // γ relative to the curvature (≈ |X|², times α² for the network) half the time, so that many runs converge
      gammaRelative: fc.boolean(),
      beta: fc.constantFrom(0, 0, 0.5, 0.9, 0.9, 0.999, 1, -0.1, NaN),
      iterations: fc.integer({ min: 1, max: 300 }),
      batch: fc.constantFrom(undefined, undefined, undefined, 1, 2, 0, 99),
    });
    await fc.assert(fc.asyncProperty(args, async (a) => {
      const r = await observe(() => {
        const p = toProblem(a.s);
        const run = runMomentum(p, {
          model: a.model as "dln" | "linear", alpha: a.model === "dln" ? 10 ** a.alphaExp : undefined,
          gamma: gammaOf(a), beta: a.beta, batchSize: a.batch, seed: 1, stop: { iterations: a.iterations },
        });
        return { p, run };
      }, ({ p, run }) => {
        const bad = firstNonFinite(run.w) ?? (Number.isFinite(run.loss) ? null : `loss = ${run.loss}`);
        if (bad) return bad;
        return lossAgrees(run.loss, p.X, p.n, p.d, p.y, run.w);
      });
      tallies.runs.add(r, a);
      return true;
    }), { seed: 31, numRuns: 400 });
    expect(tallies.runs.counts.crash + tallies.runs.counts.wrong + tallies.runs.counts.hang, tallies.runs.summary()).toBe(0);
  });

  it("flows: finite, loss = L(w), Δ conserved by GF, no loss increase; or a named error", async () => {
    // Data of extreme scale make a flow overflow at once: a few such cases (each costs the integrator's
    // give-up time), most at moderate scales where the flow runs and its invariants can be checked.
    const exp = fc.oneof({ weight: 7, arbitrary: fc.integer({ min: -3, max: 3 }) }, { weight: 1, arbitrary: fc.integer({ min: -150, max: 150 }) });
    const args = fc.record({
      s: spec(exp),
      alphaExp: fc.oneof({ weight: 5, arbitrary: fc.integer({ min: -3, max: 1 }) }, { weight: 1, arbitrary: fc.integer({ min: -150, max: 150 }) }),
      lambda: fc.constantFrom(0, 0, 0, 0.05, 0.5, 3, -1, NaN),
      T: fc.constantFrom(0.5, 5, 40, 0.5, 5, 40, 0, -1, Infinity),
    });
    await fc.assert(fc.asyncProperty(args, async (a) => {
      const r = await observe(() => {
        const p = toProblem(a.s);
        const opts = { alpha: 10 ** a.alphaExp, T: a.T, times: [0, a.T] };
        return { p, f: a.lambda === 0 ? gradientFlow(p, opts) : momentumFlow(p, { ...opts, lambda: a.lambda }) };
      }, ({ p, f }) => {
        const first = f.points[0];
        const last = f.final;
        const bad = firstNonFinite(last.w) ?? firstNonFinite(last.u!, "u") ?? firstNonFinite(last.v!, "v");
        if (bad) return bad;
        const lossBad = lossAgrees(last.loss, p.X, p.n, p.d, p.y, last.w);
        if (lossBad) return lossBad;
        if (last.loss > first.loss * (1 + 1e-6) + 1e-300) return `loss grew from ${first.loss} to ${last.loss}`;
        if (a.lambda === 0) {
          for (let j = 0; j < p.d; j++) {
            const d0 = first.u![j] ** 2 - first.v![j] ** 2;
            const d1 = last.u![j] ** 2 - last.v![j] ** 2;
            if (Math.abs(d1 - d0) > 1e-5 * Math.abs(d0) + 1e-300) return `GF changed Δ[${j}] from ${d0} to ${d1}`;
          }
        }
        return null;
      });
      tallies.flows.add(r, a);
      return true;
    }), { seed: 32, numRuns: 60 });
    expect(tallies.flows.counts.crash + tallies.flows.counts.wrong + tallies.flows.counts.hang, tallies.flows.summary()).toBe(0);
  });
});
