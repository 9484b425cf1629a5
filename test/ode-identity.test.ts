import { describe, expect, it } from "vitest";
import reference from "./fixtures/dopri5-reference.json";
import { dopri5ReferenceCases } from "./fixtures/dopri5-cases";

// dopri5 was split into step / controller / dense output: every number it produces must be what the single-function
// solver produced (digests written by test/fixtures/make-dopri5-reference.ts before the split). The flow cases were
// re-pinned once since, when the flows' gradient moved to the blocked kernel (flows/gradient.ts), which sums in
// another order: the same steps, rejections and evaluations, digits different by rounding; the ODE cases never changed.
describe("dopri5 is bit-identical to the solver before the split", () => {
  const pinned = reference as Record<string, { sha256: string; stats: object; first: number }>;
  for (const c of dopri5ReferenceCases({ method: "dopri5" })) {
    it(c.name, () => {
      const got = c.run();
      expect(got.stats).toEqual(pinned[c.name].stats);
      expect(got.first).toBe(pinned[c.name].first);
      expect(got.sha256).toBe(pinned[c.name].sha256);
    });
  }
});
