import { expect } from "vitest";
import type { NotebookPerturbations, RunCell } from "./types";

const cell = (cells: RunCell[], marker: string): string => {
  const hits = cells.filter((c) => c.source.includes(marker));
  expect(hits, `one cell containing ${marker}`).toHaveLength(1);
  return hits[0].text;
};

const suite: NotebookPerturbations = {
  notebook: "07-two-dimensional-toy.ipynb",
  variants: [
    {
      name: "lambdas = [0, 0.1, 1, 20] (values dropped, one outside the old range) with Exercises 1–5: α = 0.01, x = (1, 0.9), λ slider at 10, u + v only, β = 0.9",
      exercises: [1, 2, 3, 4, 5],
      edits: [
        { find: "const toy = toyProblem();", replace: "const toy = makeProblem({ X: [[1, 0.9]], y: [1] });" },
        { find: "const alpha = 0.1;", replace: "const alpha = 0.01;" },
        { find: "const lambdas = [0, 0.2, 0.5, 2, 8];", replace: "const lambdas = [0, 0.1, 1, 20];" },
        { find: "const initialLambda = 0.5;", replace: "const initialLambda = 10;" },
        { find: 'const which = "both";', replace: 'const which = "u+v";' },
        { find: "const betaCheck = 0.99;", replace: "const betaCheck = 0.9;" },
      ],
      check: (cells) => {
        expect(cell(cells, "landmark(")).toContain("min-ℓ2 (0.552, 0.497)"); // x/‖x‖² for x = (1, 0.9)
        expect(cell(cells, "toyFlows(toy, { lambdas: lambdas")).toContain("λ ∈ {0, 0.1, 1, 20}");
        expect(cell(cells, "discreteLimits(")).toContain("MGD at β = 0.9 against");
        expect(cell(cells, "toySliderFigure(")).toContain("λ = 10: w∞ = ("); // the static image shows the slider's start
        expect(cell(cells, "crossingThreshold(")).toMatch(/u \+ v/);
        const claims = cell(cells, "showClaims(");
        expect(claims).toContain("as λ goes through 0, 0.1, 1, 20");
        expect(claims).toContain("‖w∞(λ = 0.1) − w∞(λ = 20)‖");
        expect(claims).toContain("β = 0.9 with second-order γ");
      },
    },
  ],
};
export default suite;
