import { expect } from "vitest";
import type { NotebookPerturbations, RunCell } from "./types";

/** The text of the one code cell whose source contains `marker`. */
const cell = (cells: RunCell[], marker: string): string => {
  const hits = cells.filter((c) => c.source.includes(marker));
  expect(hits, `one cell containing ${marker}`).toHaveLength(1);
  return hits[0].text;
};

const suite: NotebookPerturbations = {
  notebook: "00-introduction.ipynb",
  variants: [
    {
      name: "grids changed (Δ lists with values dropped and added outside the old ranges), Exercises 1–3",
      exercises: [1, 2, 3],
      edits: [
        { find: "const Deltas = [1e-6, 1e-2, 1, 100];", replace: "const Deltas = [1e-12, 1e-6, 1e-2, 1, 100];" },
        { find: "const ratioDeltas = [1e-12, 1e-8, 1e-4, 1e-2, 1, 100, 1e4];", replace: "const ratioDeltas = [1e-16, 1e-8, 1e-2, 1, 1e6];" },
        { find: "const costDeltas = [1e-8, 1e-6, 1e-4, 1e-2, 1];", replace: "const costDeltas = [1e-10, 1e-3, 10];" },
        { find: "const targetRatio = 0.375;", replace: "const targetRatio = 0.3;" },
        { find: "const Delta2: [number, number] = [1e-4, 1e-2];", replace: "const Delta2: [number, number] = [1e-2, 1e-4];" },
      ],
      check: (cells) => {
        expect(cell(cells, "psiShapeChart(")).toContain("Δ = 1e-12");
        expect(cell(cells, "shapeRatioTable(")).toContain("1.000e-16");
        expect(cell(cells, "deltaForShapeRatio(")).toMatch(/= 0\.3 at Δ ≈/);
        const choice = cell(cells, "coordinateChoice(Delta2)");
        expect(choice).toContain("Δ = (0.01, 0.0001)");
        expect(choice).toMatch(/\n1\s+0\.01000\s+\S+\s+\S+\s+yes/); // the larger Δ, now coordinate 1, is preferred
        const claims = cell(cells, "showClaims(");
        expect(claims).toContain("as Δ grows from 1e-16 to 1000000");
        expect(claims).toContain("4 of 4 claims hold");
      },
    },
  ],
};
export default suite;
