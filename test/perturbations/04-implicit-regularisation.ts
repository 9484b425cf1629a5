import { expect } from "vitest";
import type { NotebookPerturbations, RunCell } from "./types";

/** The text of the one cell whose source contains `marker`. */
function cell(cells: RunCell[], marker: string): string {
  const hits = cells.filter((c) => c.source.includes(marker));
  expect(hits, `cells containing ${JSON.stringify(marker)}`).toHaveLength(1);
  return hits[0].text;
}

const suite: NotebookPerturbations = {
  notebook: "04-implicit-regularisation.ipynb",
  variants: [
    {
      // The sweep loses 0.1 and 0.3 and gains λ = 0.5, beyond the no-crossing region; the MGD case at λ = 0.1 then
      // needs its own flow.
      name: "Exercises 1, 2, 5 (supportDelta in tableDeltas, T = 300, mean = \"arithmetic\") with lambdas = [0.025, 0.05, 0.2, 0.5], seeds = [0, 2]",
      exercises: [1, 2, 5],
      edits: [
        { find: "const tableDeltas = [1e2, 1, Delta0, 1e-4, 1e-6, 1e-10];",
          replace: "const tableDeltas = [1e2, 1, Delta0, 1e-4, 1e-6, 1e-10, supportDelta(problem, 1e-6, 1e-2), supportDelta(problem, 1e-2, 1e-6)];" },
        { find: "const T = 1500;", replace: "const T = 300;" },
        { find: 'const mean = "geometric";', replace: 'const mean = "arithmetic";' },
        { find: "const lambdas = [0.025, 0.05, 0.1, 0.2, 0.3];", replace: "const lambdas = [0.025, 0.05, 0.2, 0.5];" },
        { find: "const seeds = [0, 1, 2, 3, 4];", replace: "const seeds = [0, 2];" },
      ],
      check: (cells) => {
        const table = cell(cells, "const tableDeltas");
        expect(table).toContain("1e-6 on supp, 1e-2 off");
        expect(table).toContain("1e-2 on supp, 1e-6 off");
        expect(cell(cells, "const exactLambda")).toContain("‖projected from t=300 − w(300)‖");
        expect(cell(cells, "const lambdas =")).toMatch(/\n0\.5000 +\d+ +-[\d.]+ +– +– /);
        expect(cell(cells, 'const mean =')).toContain("(arith. mean of Δ∞)");
        const claims = cell(cells, "showClaims(");
        expect(claims).toContain("largest over seeds 0, 2 × λ = 0.1, 0.2 (4 runs to loss ≤ 1e-20)");
        expect(claims).toContain("λ = 0.5: min Δ∞/Δ₀ = -");
        expect(claims).toContain("largest over λ = 0.025, 0.05, 0.2)");
      },
    },
    {
      name: "Exercises 3, 4 (λ = 0.0125 in the sweep, β = 0.98 in the MGD cases) with seeds = [3, 5], drawLambdas = [0.15, 0.2]",
      exercises: [3, 4],
      edits: [
        { find: "const lambdas = [0.025, 0.05, 0.1, 0.2, 0.3];", replace: "const lambdas = [0.0125, 0.025, 0.05, 0.1, 0.2, 0.3];" },
        { find: "{ lambda: 0.2, beta: 0.975 }];", replace: "{ lambda: 0.2, beta: 0.975 }, { lambda: 0.2, beta: 0.98 }];" },
        { find: "const seeds = [0, 1, 2, 3, 4];", replace: "const seeds = [3, 5];" },
        { find: "const drawLambdas = [0.1, 0.2];", replace: "const drawLambdas = [0.15, 0.2];" },
      ],
      check: (cells) => {
        expect(cell(cells, "const lambdas =")).toMatch(/\n0\.01250 +0 /);
        expect(cell(cells, "const oneRun =")).toMatch(/\n0\.01250 /);
        expect(cell(cells, "const mgdCases")).toMatch(/\n0\.2000 +0\.9800 /);
        expect(cell(cells, "const rateLambda")).toContain("h = 0.02, 0.01, 0.005, 0.004");
        const claims = cell(cells, "showClaims(");
        expect(claims).toContain("local slope between λ = 0.0125 and 0.025");
        expect(claims).toContain("largest over seeds 3, 5 × λ = 0.15, 0.2");
        expect(claims).toContain("worst of 5 runs");
      },
    },
  ],
};
export default suite;
