import { expect } from "vitest";
import type { NotebookPerturbations, RunCell } from "./types";
import { useTemporarySweepStore } from "./sweep-store";

useTemporarySweepStore();

const all = (cells: RunCell[]): string => cells.map((c) => c.text).join("\n");
const LAMBDAS = "const lambdas = [0, 0.02, 0.05, 0.1, 0.2, 0.5, 2, 8];";
const ALPHAS = "const alphas = [0.01, 0.1, 0.3, 1];";
const SEEDS = "const seeds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];";

const suite: NotebookPerturbations = {
  notebook: "05-sparse-recovery.ipynb",
  variants: [
    {
      name: "lambdas = [0, 0.05, 0.2, 1]: a λ outside the store (computed and stored), values dropped",
      exercises: [6],
      edits: [{ find: LAMBDAS, replace: "const lambdas = [0, 0.05, 0.2, 1];" }],
      check: (cells) => {
        expect(all(cells)).toMatch(/05-sparse-recovery: 160 points, 120 from the store, 40 computed now/);
        expect(all(cells)).toMatch(/isotropic design: MGF beats GF in 0\/120 paired runs/);
        expect(all(cells)).toMatch(/λ ∈ \{0, 0\.05, 0\.2\}/); // the stated claim is checked on the λ the grid has
      },
    },
    {
      name: "alphas = [0.01, 0.05, 0.1, 1]: an α outside the store, 0.3 dropped",
      edits: [{ find: ALPHAS, replace: "const alphas = [0.01, 0.05, 0.1, 1];" }],
      check: (cells) => {
        expect(all(cells)).toMatch(/320 points, 240 from the store, 80 computed now/);
        expect(all(cells)).toMatch(/0\.05000\s+0\.02000\s+0\/10/);
      },
    },
    {
      name: "seeds = 0…10: one more seed in every grid",
      exercises: [6],
      edits: [{ find: SEEDS, replace: "const seeds = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];" }],
      check: (cells) => {
        expect(all(cells)).toMatch(/352 points, 320 from the store, 32 computed now/);
        expect(all(cells)).toMatch(/11 paired seeds/);
      },
    },
    {
      name: "Exercise 1: decoyRho = 0.8, and a ρ = 0.8 decoy regime over the seeds",
      exercises: [1],
      edits: [
        { find: "const decoyRho = 0.9,", replace: "const decoyRho = 0.8," },
        { find: "const regimes: Regime[] = OTHER_REGIMES;", replace: 'const regimes: Regime[] = [...OTHER_REGIMES, { id: "decoy ρ=0.8", design: "decoy", rho: 0.8 }];' },
      ],
      check: (cells) => {
        expect(all(cells)).toMatch(/decoy ρ = 0\.8, seed 0, α = 0\.01/);
        expect(all(cells)).toMatch(/decoy ρ=0\.8\s+\d+\/60/);
      },
    },
    {
      name: "Exercises 2 and 3: a strong Toeplitz design in the decomposition, splitLambda = 0.3",
      exercises: [2, 3],
      edits: [
        { find: "const splitDesigns: Regime[] = [ISOTROPIC, STRONG_DECOY],", replace: 'const splitDesigns: Regime[] = [ISOTROPIC, { id: "Toeplitz ρ=0.9", design: "toeplitz", rho: 0.9 }],' },
        { find: "splitLambda = 0.1;", replace: "splitLambda = 0.3;" },
      ],
      check: (cells) => {
        expect(all(cells)).toMatch(/Toeplitz ρ=0\.9/);
        expect(all(cells)).toMatch(/α = 0\.01, λ = 0\.3/);
      },
    },
    {
      name: "Exercises 4 and 5: three decades, α = 1e-6, weightsDecades = 3",
      exercises: [4, 5],
      edits: [
        { find: "const spreadAlphas = [1e-4, 1e-3, 0.01, 0.1];", replace: "const spreadAlphas = [1e-6, 1e-4, 1e-3, 0.01, 0.1];" },
        { find: "const spreadDecades = [1, 2];", replace: "const spreadDecades = [1, 2, 3];" },
        { find: "const weightsAlpha = 0.01, weightsDecades = 2;", replace: "const weightsAlpha = 0.01, weightsDecades = 3;" },
      ],
      check: (cells) => {
        expect(all(cells)).toMatch(/1\.000e-6\s+3\s+\d+\/10/);
        expect(all(cells)).toMatch(/Spread α \(3 decades/);
      },
    },
  ],
};
export default suite;
