import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { checkClaim, checkFact, showClaims } from "../lib/notebook/claims";
import { CLAIMS_DIR_ENV, readSeries, recordingDecision } from "../lib/notebook/series";

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

  it("carries the tags that say which ledger claims a check bears on, and rejects malformed ones", () => {
    expect(checkClaim("S7.10d", "level", 0.14, { max: 0.1, claims: ["P-2"], threshold: true })).toEqual(
      { id: "S7.10d", claim: "level", measured: "0.14", criterion: "≤ 0.1", holds: false, claims: ["P-2"], threshold: true });
    expect(checkFact("x", "y", true, "m", "c", { regime: "isotropic", refutes: true, reading: "r" })).toMatchObject({ regime: "isotropic", refutes: true, reading: "r" });
    expect(() => checkClaim("a", "x", 1, { max: 2, claim: ["P-2"] } as never)).toThrow(/unknown key "claim"/);
    expect(() => checkClaim("a", "x", 1, { max: 2, claims: "P-2" } as never)).toThrow(/claims of claim a must be a list/);
    expect(() => checkFact("a", "x", true, "m", "c", { threshold: "yes" } as never)).toThrow(/threshold of claim a must be true or false/);
    expect(() => checkFact("a", "x", 1 as never, "m", "c")).toThrow(/holds of claim a must be true or false/);
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

describe("a Claims cell records only for the series notebook it runs", () => {
  const NB = resolve(__dirname, "..", "notebooks");
  const other = mkdtempSync(join(tmpdir(), "not-series-"));
  afterAll(() => rmSync(other, { recursive: true, force: true }));
  const name = readSeries(NB)[0];

  it("records the series notebook the kernel was started for (absolute or server-relative path)", () => {
    expect(recordingDecision(name, { JPY_SESSION_NAME: join(NB, `${name}.ipynb`) }, NB)).toEqual({ record: true, dir: resolve(NB, "..", ".cache", "claims"), reason: "" });
    expect(recordingDecision(name, { JPY_SESSION_NAME: `notebooks/${name}.ipynb`, [CLAIMS_DIR_ENV]: other }, NB)).toEqual({ record: true, dir: other, reason: "" });
  });

  it("never records a copy, a playground notebook, a name outside the series or a kernel that does not know its notebook", () => {
    const no = (d: ReturnType<typeof recordingDecision>) => (d.record ? "recorded" : d.reason);
    expect(no(recordingDecision(name, { JPY_SESSION_NAME: join(NB, `${name}-Copy1.ipynb`) }, NB))).toMatch(/runs .*-Copy1\.ipynb, not notebooks\//);
    expect(no(recordingDecision(name, { JPY_SESSION_NAME: join(NB, "playground", `${name}.ipynb`) }, join(NB, "playground")))).toMatch(/not in the project's notebooks\/ folder/);
    expect(no(recordingDecision(name, { JPY_SESSION_NAME: join(other, `${name}.ipynb`) }, NB))).toMatch(/not notebooks\//);
    expect(no(recordingDecision("42-mine", { JPY_SESSION_NAME: join(NB, "42-mine.ipynb") }, NB))).toMatch(/not a notebook of the series/);
    expect(no(recordingDecision(name, {}, NB))).toMatch(/no JPY_SESSION_NAME/);
    expect(no(recordingDecision(undefined, {}, NB))).toMatch(/no notebook name/);
  });

  it("in the site's in-page runtime (process.browser) the page's series notebook records into its own file system", () => {
    const proc = process as unknown as { browser?: boolean };
    proc.browser = true;
    try {
      expect(recordingDecision(name, {}, NB)).toEqual({ record: true, dir: resolve(NB, "..", ".cache", "claims"), reason: "" });
      expect(recordingDecision("42-mine", {}, NB).record).toBe(false);
    } finally {
      delete proc.browser;
    }
  });

  it("reads the series list and rejects a malformed one", () => {
    expect(readSeries(NB)).toContain("99-claim-ledger");
    writeFileSync(join(other, "series.json"), JSON.stringify({ notebooks: ["03-x.ipynb"] }));
    expect(() => readSeries(other)).toThrow(/list of names like/);
  });
});
