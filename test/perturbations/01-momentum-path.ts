import { expect } from "vitest";
import type { NotebookPerturbations, RunCell } from "./types";

const cell = (cells: RunCell[], marker: string): string => {
  const hits = cells.filter((c) => c.source.includes(marker));
  expect(hits, `one cell containing ${marker}`).toHaveLength(1);
  return hits[0].text;
};

const suite: NotebookPerturbations = {
  notebook: "01-momentum-path.ipynb",
  variants: [
    {
      name: "Exercise 2 (lambdas = [0.05, 0.2, 0.5, 2, 8]) with β = 0.99 dropped",
      exercises: [2],
      edits: [
        { find: "const lambdas = [0.2, 0.5, 2, 8];", replace: "const lambdas = [0.05, 0.2, 0.5, 2, 8];" },
        { find: "const betas = [0.9, 0.95, 0.99];", replace: "const betas = [0.9, 0.95];" },
      ],
      check: (cells) => {
        expect(cell(cells, "gridRunTable(")).toContain("10 MGD runs to T = 200");
        const claims = cell(cells, "showClaims(");
        expect(claims).toContain("sup_t ‖w^MGF_0.05(t) − w^MGF_8(t)‖"); // the pair is the smallest and the largest λ
        expect(claims).toContain("λ ∈ {0.05, 0.2, 0.5, 2, 8}, β ∈ {0.9, 0.95}");
        expect(claims).toContain("between h and h/2 (β = 0.9 vs 0.95) at λ = 0.5");
        expect(claims).toContain("(β = 0.95 runs)");
        expect(claims).not.toContain("λ = 0.2 vs 8");
        expect(cell(cells, "firstOrderConstants(")).toMatch(/\n0\.05000\s/); // λ = 0.05 gets a predicted C
      },
    },
    {
      name: "Exercises 1, 3, 4, 5, 6: lambdas = [2, 8], β = 0.999 added, seed 1, shift 0, γ_GD = 0.5, w₀ ≠ 0",
      exercises: [1, 3, 4, 5, 6],
      edits: [
        { find: "const problem = sparseRegression({ seed: 0 });", replace: "const problem = sparseRegression({ seed: 1 });" },
        { find: "const lambdas = [0.2, 0.5, 2, 8];", replace: "const lambdas = [2, 8];" },
        { find: "const betas = [0.9, 0.95, 0.99];", replace: "const betas = [0.9, 0.95, 0.99, 0.999];" },
        { find: "const shift = 0.5;", replace: "const shift = 0;" },
        { find: "const gammaGD = 0.2;", replace: "const gammaGD = 0.5;" },
        { find: "const w0 = new Float64Array(problem.d);", replace: "const w0 = normalVector(createRng(1), problem.d);" },
      ],
      check: (cells) => {
        expect(cell(cells, "support of w*")).toContain("seed=1");
        expect(cell(cells, "gridRunTable(")).toContain("8 MGD runs to T = 200");
        expect(cell(cells, "gridRunTable(")).toMatch(/\n2\s+0\.9990\s/);
        expect(cell(cells, "modifiedEquationTable(")).toContain("vs mass at t_k + 0h");
        expect(cell(cells, "gdPathCheck(")).toContain("GD at γ = 0.5");
        expect(cell(cells, "gdPathCheck(")).toContain("MGF, λ = 0.25 (modified equation)");
        expect(cell(cells, "linearFlows(")).toContain("from w₀ ≠ 0");
        const claims = cell(cells, "showClaims(");
        expect(claims).toContain("sup_t ‖w^MGF_2(t) − w^MGF_8(t)‖");
        expect(claims).toContain("(β = 0.999 runs)");
        expect(claims).toContain("at λ = 2"); // the λ of the grid nearest 0.5
      },
    },
  ],
};
export default suite;
