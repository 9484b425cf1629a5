import { describe, expect, it, vi } from "vitest";
import { checkClaim, checkFact, showClaims } from "../lib/notebook/claims";

describe("claims", () => {
  it("computes verdicts from the measurement and the bounds", () => {
    expect(checkClaim("a", "x small", 1e-12, { max: 1e-10 }).holds).toBe(true);
    expect(checkClaim("a", "x small", 1e-9, { max: 1e-10 }).holds).toBe(false);
    expect(checkClaim("b", "ratio", 2.0, { min: 1.8, max: 2.2 })).toMatchObject({ holds: true, criterion: "in [1.8, 2.2]", measured: "2" });
    expect(checkClaim("c", "big", 3, { min: 5 })).toMatchObject({ holds: false, criterion: "≥ 5" });
    expect(checkClaim("d", "nan never holds", NaN, { max: 1 }).holds).toBe(false);
    expect(() => checkClaim("e", "no bounds", 1, {})).toThrow(/bounds of claim e/);
    expect(checkFact("f", "fact", false, "m", "c")).toEqual({ id: "f", claim: "fact", measured: "m", criterion: "c", holds: false });
  });

  it("prints a table with a holds/FAILS verdict per claim and a count", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    showClaims([checkClaim("a", "x", 1, { max: 2 }), checkClaim("b", "y", 3, { max: 2 })]);
    const text = String(log.mock.calls[0][0]);
    log.mockRestore();
    expect(text).toMatch(/^1 of 2 claims hold/);
    expect(text).toMatch(/a\s+x\s+1\s+≤ 2\s+holds/);
    expect(text).toMatch(/b\s+y\s+3\s+≤ 2\s+FAILS/);
  });

  it("rejects an empty list and duplicate ids", () => {
    expect(() => showClaims([])).toThrow(/non-empty/);
    const c = checkClaim("a", "x", 1, { max: 2 });
    expect(() => showClaims([c, c])).toThrow(/claim id "a" appears twice/);
  });
});
