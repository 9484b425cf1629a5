/**
 * Cost of the continuous-time flows on the default problem (n = 40, d = 100, k = 5, seed 0, α = 0.1) to T = 200
 * at the default tolerances (rtol 1e-8, atol 1e-12): GF and MGF_λ for λ ∈ {0.01, 0.2, 8}, without and with the
 * appended integrals. Median wall time of 3 runs after one warm-up; ratios are to GF within this run.
 */
import { gradientFlow, momentumFlow, type FlowResult } from "../lib/dynamics/flows";
import { sparseRegression } from "../lib/model/problems";

export default async function (): Promise<void> {
  const p = sparseRegression({ seed: 0 });
  const T = 200;
  const cases: { label: string; lambda: number }[] = [
    { label: "GF (λ = 0)", lambda: 0 },
    { label: "MGF λ = 0.01", lambda: 0.01 },
    { label: "MGF λ = 0.2", lambda: 0.2 },
    { label: "MGF λ = 8", lambda: 8 },
  ];
  const run = (lambda: number, integrals: boolean): FlowResult =>
    lambda === 0 ? gradientFlow(p, { T, integrals }) : momentumFlow(p, { lambda, T, integrals });
  for (const integrals of [false, true]) for (const lambda of [0, 0.2]) run(lambda, integrals); // warm-up (JIT)
  const rows: string[] = [];
  let gfMs = NaN;
  for (const integrals of [false, true]) {
    for (const c of cases) {
      const times: number[] = [];
      let last: FlowResult | null = null;
      for (let rep = 0; rep < 3; rep++) {
        last = run(c.lambda, integrals);
        times.push(last.stats.wallMs);
      }
      times.sort((a, b) => a - b);
      const ms = times[1];
      if (c.lambda === 0 && !integrals) gfMs = ms;
      const s = last!.stats;
      rows.push(
        `| ${c.label} | ${integrals ? "yes" : "no"} | ${s.steps} | ${s.rejected} | ${s.fevals} | ${ms.toFixed(1)} | ` +
          `${((1000 * ms) / s.fevals).toFixed(1)} | ${(ms / gfMs).toFixed(1)}× | ${last!.final.loss.toExponential(2)} |`,
      );
    }
  }
  console.log(`problem ${p.name}, α = 0.1, T = ${T}, rtol 1e-8, atol 1e-12 (dopri5, PI control)\n`);
  console.log("| flow | integrals | steps | rejected | f-evals | wall ms (median of 3) | µs / f-eval | vs GF | final loss |");
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
}
