import { expect } from "vitest";
import type { NotebookPerturbations, RunCell } from "./types";
import { useTemporarySweepStore } from "./sweep-store";

useTemporarySweepStore();

const all = (cells: RunCell[]): string => cells.map((c) => c.text).join("\n");

const suite: NotebookPerturbations = {
  notebook: "06-stochastic-momentum.ipynb",
  variants: [
    {
      name: "Exercise 1: one more run in the live slice, seeds = [0, 1, 2, 3]",
      exercises: [1],
      edits: [
        { find: "const sliceRuns = [", replace: 'const sliceRuns = [{ kind: "SMGD", batchSize: 10, lambda: 0.05, beta: 0.95 }, ' },
        { find: "const seeds = [0, 1, 2];", replace: "const seeds = [0, 1, 2, 3];" },
      ],
      check: (cells) => {
        expect(all(cells)).toMatch(/06-smgd: 112 points, 84 from the store, 28 computed now/);
        expect(all(cells)).toMatch(/seed 0: 8 runs recomputed/);
        expect(all(cells)).toMatch(/means over seeds 0, 1, 2, 3/);
      },
    },
    {
      name: "Exercise 2: lambdas = [0.02, 0.05, 0.2] (a λ outside the store)",
      exercises: [2],
      edits: [{ find: "const lambdas = [0.05, 0.2],", replace: "const lambdas = [0.02, 0.05, 0.2]," }],
      check: (cells) => {
        expect(all(cells)).toMatch(/batch 1, λ = 0\.02/);
        expect(all(cells)).toMatch(/fixed λ = 0\.02, batch 1/);
      },
    },
    {
      name: "Exercise 3: gammas = [0.05, 0.1] (SGD and GD at a larger step, a value dropped)",
      exercises: [3],
      edits: [{ find: "gammas = [0.01, 0.05];", replace: "gammas = [0.05, 0.1];" }],
      check: (cells) => {
        expect(all(cells)).toMatch(/SGD, γ = 0\.1, batch 1/);
        expect(all(cells)).toMatch(/SGD \(β = 0, γ = 0\.1, batch 1\) improves on GF/);
        expect(all(cells)).toMatch(/argmin ψ_Δ∞‖ = not defined: Δ∞ ≤ 0 on \d+ coordinate/); // SGD at γ = 0.1 crosses: said, not thrown
      },
    },
    {
      name: "Exercise 5: a uniform Δ with SGD's median shrinkage in the live ψ cell",
      exercises: [5],
      edits: [{ find: "const live = psiCheck(p, sgdLive, 2 * alpha ** 2);", replace: "const live = psiCheck(p, sgdLive, 2 * alpha ** 2 * 0.55);" }],
      check: (cells) => expect(all(cells)).toMatch(/‖w∞ − argmin ψ_Δ₀‖ = 0\.\d{3}; min Δ∞/),
    },
  ],
  notApplied: { 4: "a question about the heavy-ball step (no code to change)" },
};
export default suite;
