import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ClaimCheck, ClaimsRecord } from "../lib/notebook/claims";
import { CLAIMS_MIME } from "../lib/notebook/claims";
import {
  claimsFromNotebook, decide, idNamesClaim, indexRecords, LEDGER, ledgerRows, ledgerTable, loadClaimRecords, ownChecks, SOURCES,
  unmappedChecks, VERDICTS, verdictTable, verdictTally, type LedgerEntry, type ResolvedCheck,
} from "../lib/notebook/ledger";
import { readSeries } from "../lib/notebook/series";

const NB = join(__dirname, "..", "notebooks");
const names = readSeries(NB).filter((n) => n !== "99-claim-ledger");
const saved: ClaimsRecord[] = names.map((n) => claimsFromNotebook(join(NB, `${n}.ipynb`))).filter((r): r is ClaimsRecord => r !== null);
const index = indexRecords(saved);
const rows = ledgerRows(index);

describe("claim ledger on the committed notebooks", () => {
  it("has one entry for every claim of the abstract (four), the seed (three) and the derived claims (twenty)", () => {
    const expected = ["P-1", "P-2", "P-3", "P-4", "seed-1", "seed-2", "seed-3", ...Array.from({ length: 20 }, (_, i) => `S7.${i + 1}`)];
    expect(LEDGER.map((e) => e.id).sort()).toEqual(expected.sort());
  });

  it("names sources a reader understands, never the team's brief", () => {
    for (const e of LEDGER) {
      expect(Object.values(SOURCES)).toContain(e.source);
      expect(`${e.source} ${e.statement}`).not.toMatch(/science\.md|§/);
    }
  });

  it("every claim is decided by recorded checks: no verdict 'not run'", () => {
    expect(rows.filter((r) => r.verdict === "not run").map((r) => `${r.id}: ${r.detail}`)).toEqual([]);
  });

  it("maps every recorded check whose id names a claim, or whose tags name one (no cherry-picking)", () => {
    const problems: string[] = [];
    for (const r of saved) {
      for (const c of r.checks) {
        for (const e of LEDGER.filter((x) => idNamesClaim(c.id, x.id) || (c.claims ?? []).includes(x.id))) {
          const its = rows.filter((row) => row.id === e.id || row.id.startsWith(`${e.id} (`));
          if (!its.every((row) => row.where.includes(`${r.notebook} (`) && new RegExp(`[(, ]${c.id.replace(/[.]/g, "\\.")}[,)]`).test(row.where))) {
            problems.push(`${r.notebook}:${c.id} bears on ${e.id} but ${its.map((x) => x.id).join("/")} does not list it`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(unmappedChecks(index)).toEqual([]);
  });

  it("the committed ledger notebook shows the verdicts the committed notebooks compute", () => {
    const nb = JSON.parse(readFileSync(join(NB, "99-claim-ledger.ipynb"), "utf8"));
    const texts: string[] = nb.cells.flatMap((c: { outputs?: { data?: Record<string, string[] | string> }[] }) => (c.outputs ?? []).map((o) => {
      const t = o.data?.["text/plain"];
      return Array.isArray(t) ? t.join("") : t ?? "";
    }));
    const table = texts.find((t) => t.startsWith("claim ") && t.includes("verdict"));
    expect(table, "the ledger table output").toBeDefined();
    const lines = table!.split("\n");
    for (const row of rows) {
      const line = lines.find((l) => l.startsWith(`${row.id} `));
      expect(line, row.id).toBeDefined();
      expect(line!.includes(`  ${row.verdict}  `) || line!.trimEnd().endsWith(row.verdict), `${row.id}: expected verdict ${row.verdict} in ${line}`).toBe(true);
    }
  });
});

const check = (id: string, holds: boolean, tags: Partial<ClaimCheck> = {}): ClaimCheck => ({ id, claim: "", measured: "", criterion: "", holds, ...tags });
const rec = (checks: ClaimCheck[], notebook = "01-x"): ClaimsRecord => ({ notebook, checks });
const entry = (over: Partial<LedgerEntry>): LedgerEntry => ({ id: "S7.1", statement: "s", source: SOURCES.derived, checks: [], ...over });
const resolved = (id: string, holds: boolean, role: Partial<ResolvedCheck> = {}): ResolvedCheck => ({ notebook: "01-x", id, check: check(id, holds), ...role });

describe("ledger verdicts", () => {
  it("holds / fails / not run", () => {
    expect(decide([resolved("a", true), resolved("b", true)])).toEqual({ verdict: "holds", detail: "" });
    expect(decide([resolved("a", false), resolved("b", false)])).toEqual({ verdict: "fails", detail: "fails a, b" });
    expect(decide([resolved("a", true), { notebook: "01-x", id: "b", check: null }])).toEqual({ verdict: "not run", detail: "missing 01:b" });
    expect(decide([]).verdict).toBe("not run");
  });

  it("a failing fixed level with the rest holding is a draw-dependent threshold, naming the robust part", () => {
    const v = decide([resolved("level", false, { threshold: true }), resolved("slope", true)]);
    expect(v).toEqual({ verdict: "draw-dependent threshold", detail: "fails on some draws: level; robust part holds: slope" });
  });

  it("pure settings that disagree make a regime-dependent claim, naming where it holds and where it fails", () => {
    const v = decide([resolved("iso", false, { regime: "isotropic" }), resolved("decoy", true, { regime: "decoy" }), resolved("general", true)]);
    expect(v).toEqual({ verdict: "regime-dependent", detail: "holds in: decoy. Fails in: isotropic" });
  });

  it("a refuting check counts against the claim when it holds", () => {
    expect(decide([resolved("a", true), resolved("neg", true, { refutes: true })]).verdict).toBe("unclassified");
    expect(decide([resolved("a", true), resolved("neg", false, { refutes: true })]).verdict).toBe("holds");
    expect(decide([resolved("x", true, { regime: "A" }), resolved("neg", true, { regime: "B", refutes: true })]).detail).toBe("holds in: A. Fails in: B");
  });

  it("checks of one setting that disagree, untagged, are unclassified (never silently 'mixed')", () => {
    expect(decide([resolved("a", true, { regime: "A" }), resolved("b", false, { regime: "A" }), resolved("c", true, { regime: "B" })])).toEqual({ verdict: "unclassified", detail: "fails b" });
    expect(decide([resolved("a", true), resolved("b", false)]).verdict).toBe("unclassified");
  });

  it("every verdict has a meaning written out", () => {
    for (const v of ["holds", "fails", "regime-dependent", "draw-dependent threshold", "unclassified", "not run"] as const) expect(VERDICTS[v].length).toBeGreaterThan(20);
  });
});

describe("which checks decide a claim", () => {
  it("a check id names a claim when it is the id, or the id plus letters or a -suffix", () => {
    expect(idNamesClaim("S7.1", "S7.1")).toBe(true);
    expect(idNamesClaim("S7.1b", "S7.1")).toBe(true);
    expect(idNamesClaim("S7.10a", "S7.1")).toBe(false);
    expect(idNamesClaim("S7.10a", "S7.10")).toBe(true);
    expect(idNamesClaim("P-3-decoy", "P-3")).toBe(true);
    expect(idNamesClaim("seed-1-isotropic", "seed-1")).toBe(true);
    expect(idNamesClaim("seed-12", "seed-1")).toBe(false);
    expect(idNamesClaim("04.i", "P-2")).toBe(false);
  });

  it("finds checks by id, by tag, by hand and through `uses`; the ledger's annotation overrides the check's tags", () => {
    const idx = indexRecords([rec([check("S7.1", true), check("S7.1b", false, { threshold: true }), check("08.x", true, { claims: ["S7.1"] }), check("01.own", true)])]);
    const ledger = [entry({ checks: [{ notebook: "01-x", id: "01.own" }] }), entry({ id: "P-1", source: SOURCES.abstract, uses: ["S7.1"] })];
    const [s71, p1] = ledgerRows(idx, ledger);
    expect(s71.where).toBe("01-x (01.own, S7.1, S7.1b, 08.x)");
    expect(s71.verdict).toBe("draw-dependent threshold");
    expect(p1.where).toBe(s71.where);
    const overridden = ledgerRows(idx, [entry({ checks: [{ notebook: "01-x", id: "S7.1b", threshold: false }] })])[0];
    expect(overridden.verdict).toBe("unclassified");
    // a check reached twice keeps the annotation it has on either path
    const plain = indexRecords([rec([check("S7.1", true), check("S7.1b", false)])]);
    const twice = [entry({ checks: [{ notebook: "01-x", id: "S7.1b", threshold: true }] }), entry({ id: "P-1", source: SOURCES.abstract, checks: [{ notebook: "01-x", id: "S7.1b" }], uses: ["S7.1"] })];
    expect(ledgerRows(plain, twice)[1].verdict).toBe("draw-dependent threshold");
  });

  it("a claim read in two ways gets one row per reading; a check no reading lists is reported", () => {
    const idx = indexRecords([rec([check("P-3", true), check("P-3-decoy", false), check("P-3-extra", true)])]);
    const p3 = entry({ id: "P-3", source: SOURCES.abstract, readings: [
      { name: "smaller is better", checks: [{ notebook: "01-x", id: "P-3", regime: "iso" }, { notebook: "01-x", id: "P-3-decoy", regime: "decoy" }] },
      { name: "beats GF", checks: [{ notebook: "01-x", id: "P-3", regime: "iso", refutes: true }, { notebook: "01-x", id: "P-3-decoy", regime: "decoy", refutes: true }] },
    ] });
    const out = ledgerRows(idx, [p3]);
    expect(out.map((r) => [r.id, r.verdict, r.detail])).toEqual([
      ["P-3 (1)", "regime-dependent", "holds in: iso. Fails in: decoy"],
      ["P-3 (2)", "regime-dependent", "holds in: decoy. Fails in: iso"],
    ]);
    expect(out[0].statement).toBe("s, read as: smaller is better");
    expect(unmappedChecks(idx, [p3])).toEqual(["01-x:P-3-extra bears on P-3 but no reading of P-3 lists it"]);
    // a check may put itself in a reading with its tags
    const tagged = indexRecords([rec([check("P-3", true), check("P-3-decoy", false), check("P-3-extra", false, { reading: "2", regime: "iso" })])]);
    expect(unmappedChecks(tagged, [p3])).toEqual([]);
    expect(ledgerRows(tagged, [p3])[1].where).toBe("01-x (P-3, P-3-decoy, P-3-extra)");
    expect(ledgerRows(tagged, [p3])[1].detail).toBe("holds in: decoy. Fails in: iso");
  });

  it("a tag naming an unknown claim is reported, and an unknown `uses` throws", () => {
    const idx = indexRecords([rec([check("01.a", true, { claims: ["P-9"] })])]);
    expect(unmappedChecks(idx, [entry({})])).toEqual(["01-x:01.a names unknown claim P-9"]);
    expect(() => ledgerRows(idx, [entry({ uses: ["P-9"] })])).toThrow(/unknown entry P-9/);
  });
});

describe("the ledger's tables", () => {
  const idx = indexRecords([rec([check("S7.1", true), check("S7.1b", false, { threshold: true }), check("01.own", true), check("01.bad", false)])]);
  const ledger = [entry({}), entry({ id: "seed-2", source: SOURCES.seed, uses: ["S7.1"] })];
  const rows = ledgerRows(idx, ledger);

  it("the ledger table starts with the claim and ends with verdict and detail", () => {
    expect(Object.keys(ledgerTable(rows)[0])).toEqual(["claim", "source", "statement", "checked in", "verdict", "detail"]);
  });

  it("the tally counts each source's verdicts; the vocabulary table lists every verdict", () => {
    const tally = verdictTally(rows);
    expect(tally.find((r) => r.verdict === "draw-dependent threshold")).toEqual({ verdict: "draw-dependent threshold", [SOURCES.derived]: 1, [SOURCES.seed]: 1 });
    expect(tally.map((r) => r.verdict)).toEqual(verdictTable().map((r) => r.verdict));
  });

  it("own checks are those that bear on no claim", () => {
    expect(ownChecks([rec([check("S7.1", true), check("S7.1b", false), check("01.own", true), check("01.bad", false)])], ledger))
      .toEqual([{ notebook: "01-x", "own checks": 2, hold: 1, "failing ids": "01.bad" }]);
  });
});

describe("loadClaimRecords reads the series only", () => {
  const dir = mkdtempSync(join(tmpdir(), "ledger-series-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const nbWith = (notebook: string, holds: boolean) => JSON.stringify({ cells: [{ cell_type: "code", outputs: [{ output_type: "display_data", data: { [CLAIMS_MIME]: rec([check("a", holds)], notebook) } }] }] });

  it("a copy beside a series notebook, or a cached record of a non-series name, is ignored", () => {
    writeFileSync(join(dir, "series.json"), JSON.stringify({ notebooks: ["01-real"] }));
    writeFileSync(join(dir, "01-real.ipynb"), nbWith("01-real", true));
    writeFileSync(join(dir, "01-real-Copy1.ipynb"), nbWith("01-real", false));
    const cache = join(dir, "cache");
    rmSync(cache, { recursive: true, force: true });
    const loaded = loadClaimRecords(dir, cache);
    expect(loaded.from).toEqual({ "01-real": "saved outputs" });
    expect(loaded.records.map((r) => r.checks[0].holds)).toEqual([true]);
    expect(loadClaimRecords(dir, cache, { exclude: ["01-real"] }).records).toEqual([]);
  });

  it("refuses a folder without series.json", () => {
    const bare = mkdtempSync(join(tmpdir(), "ledger-bare-"));
    try {
      expect(() => loadClaimRecords(bare, bare)).toThrow(/no series\.json/);
      // the site's in-page runtime holds only the series' pages: there the NN-*.ipynb files are the series
      writeFileSync(join(bare, "01-page.ipynb"), nbWith("01-page", true));
      const proc = process as unknown as { browser?: boolean };
      proc.browser = true;
      try {
        expect(loadClaimRecords(bare, join(bare, "none")).from).toEqual({ "01-page": "saved outputs" });
      } finally {
        delete proc.browser;
      }
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  });
});
