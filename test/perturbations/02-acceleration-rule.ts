import { expect } from "vitest";
import type { NotebookPerturbations, RunCell } from "./types";

const cell = (cells: RunCell[], marker: string): string => {
  const hits = cells.filter((c) => c.source.includes(marker));
  expect(hits, `one cell containing ${marker}`).toHaveLength(1);
  return hits[0].text;
};

const smallMap = [
  { find: "const gammasMap = logSpace(0.01, 4, 25);", replace: "const gammasMap = logSpace(0.005, 8, 9);" },
  { find: "const betasMap = linearSpace(0, 0.99, 25);", replace: "const betasMap = linearSpace(0, 0.995, 7);" },
];

const suite: NotebookPerturbations = {
  notebook: "02-acceleration-rule.ipynb",
  variants: [
    {
      name: "Exercises 1, 2, 6: lambdaA = 2 without β = 0, β = 0.95 and 0.98 added at fixed γ, iterations = 3000 and α = 0.01 on a smaller map",
      exercises: [1, 2, 6],
      edits: [
        { find: "const alpha = 0.1;", replace: "const alpha = 0.01;" },
        { find: "const lambdaA = 0.2;", replace: "const lambdaA = 2;" },
        { find: "const betasA = [0, 0.5, 0.8, 0.9, 0.95];", replace: "const betasA = [0.5, 0.8, 0.9, 0.95];" },
        { find: "const betasB = [0, 0.5, 0.8, 0.9];", replace: "const betasB = [0, 0.5, 0.8, 0.9, 0.95, 0.98];" },
        { find: "const iterations = 300;", replace: "const iterations = 3000;" },
        ...smallMap,
      ],
      check: (cells) => {
        expect(cell(cells, "fixedLambdaSweep(")).toContain("fixed λ = 2:");
        expect(cell(cells, "fixedGammaSweep(")).toMatch(/\n0\.9800\s/);
        expect(cell(cells, "stabilityMap(")).toContain("63 cells");
        expect(cell(cells, "stabilityMapChart(")).toContain("outcome of 3000 iterations");
        const claims = cell(cells, "showClaims(");
        expect(claims).toContain("K·h constant at fixed λ = 2 across β ∈ {0.5, 0.8, 0.9, 0.95}");
        expect(claims).toContain("β ∈ {0, 0.5, 0.8, 0.9, 0.95, 0.98}");
        expect(claims).toContain("at β = 0.995 (the largest of the map)");
      },
    },
    {
      name: "Exercises 3, 4, 5 with the sweeps' β changed (no GD in the fixed-γ list): seed 1, pushBeta = 0.5, ruleLambda = 0.5, pathTolerance = 0.001",
      exercises: [3, 4, 5],
      edits: [
        { find: "const p = sparseRegression({ seed: 0 });", replace: "const p = sparseRegression({ seed: 1 });" },
        { find: "const betasA = [0, 0.5, 0.8, 0.9, 0.95];", replace: "const betasA = [0, 0.7, 0.99];" },
        { find: "const betasB = [0, 0.5, 0.8, 0.9];", replace: "const betasB = [0.3, 0.6, 0.95];" },
        { find: "const pushBeta = 0.9;", replace: "const pushBeta = 0.5;" },
        { find: "const ruleLambda = 0.2;", replace: "const ruleLambda = 0.5;" },
        { find: "const pathTolerance = 0.01;", replace: "const pathTolerance = 0.001;" },
        ...smallMap,
      ],
      check: (cells) => {
        expect(cell(cells, "sparseRegression(")).toContain("seed=1");
        const sweepB = cell(cells, "fixedGammaSweep(");
        expect(sweepB).toContain("K(β = 0.3)/K");
        expect(sweepB).toContain("(1 − 0.3)/(1−β)");
        const rule = cell(cells, "contenderTable(");
        expect(rule).toContain("MGD at γ_max, β = 0.5");
        expect(rule).toContain("first-order rule: GD at γ = λ = 0.5");
        expect(rule).toContain("rule, λ = 0.5, γ ≤ γ_max, path err ≤ 0.001");
        expect(cell(cells, "accuracyCapCheck(")).toContain("(tolerance 0.001)");
        const claims = cell(cells, "showClaims(");
        expect(claims).toContain("β_ref = 0.3");
        expect(claims).toContain("at λ = 0.5 (");
        expect(claims).toContain("at fixed λ = 0.2 across β ∈ {0, 0.7, 0.99}");
      },
    },
  ],
};
export default suite;
