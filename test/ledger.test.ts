import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ClaimsRecord } from "../lib/notebook/claims";
import { claimsFromNotebook, indexRecords, LEDGER, ledgerRows } from "../lib/notebook/ledger";

const NB = join(__dirname, "..", "notebooks");
const names = readdirSync(NB).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).map((f) => f.replace(".ipynb", ""));
const saved: ClaimsRecord[] = names.map((n) => claimsFromNotebook(join(NB, `${n}.ipynb`))).filter((r): r is ClaimsRecord => r !== null);

describe("claim ledger", () => {
  it("has one entry for every claim of the abstract, the seed and science.md §7", () => {
    const expected = ["P-1", "P-2", "P-3", "P-4", "seed-1", "seed-2", "seed-3", ...Array.from({ length: 20 }, (_, i) => `S7.${i + 1}`)];
    expect(LEDGER.map((e) => e.id).sort()).toEqual(expected.sort());
    for (const e of LEDGER) expect(e.checks.length, e.id).toBeGreaterThan(0);
  });

  it("names only checks that the notebooks' committed outputs record", () => {
    const index = indexRecords(saved);
    const missing = LEDGER.flatMap((e) => e.checks.flatMap((c) => c.ids.filter((id) => !index.get(c.notebook)?.has(id)).map((id) => `${e.id} → ${c.notebook}:${id}`)));
    expect(missing).toEqual([]);
  });

  it("leaves out no abstract, seed or §7 claim that a notebook records", () => {
    const named = new Set(LEDGER.flatMap((e) => e.checks.flatMap((c) => c.ids.map((id) => `${c.notebook}:${id}`))));
    const stray = saved.flatMap((r) => r.checks.filter((c) => /^(P-|seed-|S7\.)/.test(c.id) && !named.has(`${r.notebook}:${c.id}`)).map((c) => `${r.notebook}:${c.id}`));
    expect(stray).toEqual([]);
  });

  it("the committed ledger notebook shows the verdicts the committed notebooks computed", () => {
    const expected = ledgerRows(indexRecords(saved.filter((r) => r.notebook !== "99-claim-ledger")));
    const nb = JSON.parse(readFileSync(join(NB, "99-claim-ledger.ipynb"), "utf8"));
    const texts: string[] = nb.cells.flatMap((c: { outputs?: { data?: Record<string, string[] | string> }[] }) => (c.outputs ?? []).map((o) => {
      const t = o.data?.["text/plain"];
      return Array.isArray(t) ? t.join("") : t ?? "";
    }));
    const table = texts.find((t) => t.startsWith("claim ") && t.includes("verdict"));
    expect(table, "the ledger table output").toBeDefined();
    const lines = table!.split("\n");
    for (const row of expected) {
      const line = lines.find((l) => l.startsWith(`${row.id} `));
      expect(line, row.id).toBeDefined();
      expect(line!.includes(`  ${row.verdict}  `) || line!.trimEnd().endsWith(row.verdict), `${row.id}: expected verdict ${row.verdict} in ${line}`).toBe(true);
    }
  });
});

describe("ledger verdicts", () => {
  const rec = (checks: [string, boolean][]): ClaimsRecord => ({ notebook: "01-x", checks: checks.map(([id, holds]) => ({ id, claim: "", measured: "", criterion: "", holds })) });
  const entry = { id: "S7.1", statement: "s", source: "src", checks: [{ notebook: "01-x", ids: ["a", "b"] }] };
  it("holds / mixed / fails / not run", () => {
    expect(ledgerRows(indexRecords([rec([["a", true], ["b", true]])]), [entry])[0].verdict).toBe("holds");
    expect(ledgerRows(indexRecords([rec([["a", true], ["b", false]])]), [entry])[0]).toMatchObject({ verdict: "mixed", detail: "fails b" });
    expect(ledgerRows(indexRecords([rec([["a", false], ["b", false]])]), [entry])[0].verdict).toBe("fails");
    expect(ledgerRows(indexRecords([rec([["a", true]])]), [entry])[0]).toMatchObject({ verdict: "not run", detail: "missing 01:b" });
  });
});
