import { expect } from "vitest";
import type { NotebookPerturbations } from "./types";

const suite: NotebookPerturbations = {
  notebook: "00-introduction.ipynb",
  variants: [
    {
      name: "Exercise 1: Deltas gains 1e-12",
      exercises: [1],
      edits: [{ find: "const Deltas = [1e-6, 1e-2, 1, 100];", replace: "const Deltas = [1e-12, 1e-6, 1e-2, 1, 100];" }],
      check: (cells) => expect(cells.some((c) => c.text.includes("Δ = 1e-12"))).toBe(true),
    },
  ],
  notApplied: {
    2: "TODO(issue 10): bisection on Δ in the ratio cell",
    3: "TODO(issue 10): ψ_Δ of a 2-D vector",
  },
};
export default suite;
