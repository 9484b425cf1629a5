import { expect } from "vitest";
import type { NotebookPerturbations, RunCell } from "./types";

/** The text of the one cell whose source contains `marker`. */
function cell(cells: RunCell[], marker: string): string {
  const hits = cells.filter((c) => c.source.includes(marker));
  expect(hits, `cells containing ${JSON.stringify(marker)}`).toHaveLength(1);
  return hits[0].text;
}

const suite: NotebookPerturbations = {
  notebook: "03-balancedness.ipynb",
  variants: [
    {
      // λ = 0.25 lies beyond the no-crossing region of this draw: every log-form check must leave it out and say so.
      name: "Exercises 1, 3, 4: lambdas gains 0.25 (a crossing), integralsFrom = \"MGF\", others = support",
      exercises: [1, 3, 4],
      edits: [
        { find: "const lambdas = [0.05, 0.1, 0.2];", replace: "const lambdas = [0.05, 0.1, 0.2, 0.25];" },
        { find: 'const integralsFrom = "GF";', replace: 'const integralsFrom = "MGF";' },
        { find: "const others = everyNthCoordinate(problem.d, 10);", replace: "const others = support;" },
      ],
      check: (cells) => {
        expect(cell(cells, "const lambdas =")).toMatch(/u ± v crosses for λ = 0\.25, where the identities stop applying/);
        expect(cell(cells, "identityResiduals(")).toMatch(/× 3 λ \(0\.05, 0\.1, 0\.2\).*\nnot checked — λ = 0\.25: u[+-]v of coordinate \d+ changes sign/);
        expect(cell(cells, "const integralsFrom")).toContain("∫g²_MGF");
        expect(cell(cells, "const largeLambdas")).toMatch(/\n0\.2500 +1 /);
        const claims = cell(cells, "showClaims(");
        expect(claims).toContain("MGF (λ = 0.05, 0.1, 0.2; λ = 0.25 left out (u ± v crosses))");
        expect(claims).toContain("non-decreasing over λ = 0.05, 0.1, 0.2, 0.25, 0.3");
      },
    },
    {
      // Values dropped (seeds, drawLambdas) and added outside the original ranges (seed 7, λ = 4), a smaller α.
      name: "Exercise 2 (alpha = 0.03, T = 600) with seeds = [0, 7], drawLambdas = [0.05, 0.2], extraLambdas = [0.15], largeLambdas = [0.25, 4]",
      exercises: [2],
      edits: [
        { find: "const alpha = 0.1;", replace: "const alpha = 0.03;" },
        { find: "const T = 300;", replace: "const T = 600;" },
        { find: "const seeds = [0, 1, 2, 3, 4];", replace: "const seeds = [0, 7];" },
        { find: "const drawLambdas = [0.05, 0.1];", replace: "const drawLambdas = [0.05, 0.2];" },
        { find: "const extraLambdas = [0.025];", replace: "const extraLambdas = [0.15];" },
        { find: "const largeLambdas = [0.3, 0.5, 1, 2, 8];", replace: "const largeLambdas = [0.25, 4];" },
      ],
      check: (cells) => {
        expect(cell(cells, "const alpha =")).toContain("Δ₀ = 2α² = 0.00180");
        expect(cell(cells, "const extraLambdas")).toMatch(/extra runs: λ = 0\.15, \d+ ms/);
        expect(cell(cells, "const seeds =")).toMatch(/^λ = 0\.2: /);
        expect(cell(cells, "const errorPair")).toContain("err, λ = 0.2");
        expect(cell(cells, "const errorPair")).toContain("ratio (16 if ∝ λ²)");
        const claims = cell(cells, "showClaims(");
        expect(claims).toContain("largest error over seeds 0, 7");
        expect(claims).toContain("local slope between λ = 0.05 and 0.1");
        expect(claims).toContain("at λ = 0.2, ≥ 3 of the 5 smallest Δ∞ entries");
      },
    },
  ],
};
export default suite;
