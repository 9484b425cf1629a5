// Every notebook of the series (notebooks/series.json) executes on the real tslab kernel, start to finish, without
// errors, and records its claims. Executed copies and claim records go to temp dirs: the tracked notebooks and the
// real .cache/claims are never modified by tests.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLAIMS_MIME, type ClaimsRecord } from "../lib/notebook/claims";
import { claimsFromNotebook } from "../lib/notebook/ledger";
import { CLAIMS_DIR_ENV } from "../lib/notebook/series";
// @ts-expect-error plain .mjs tool without type declarations
import { runNotebook, serializeNotebook } from "../tools/notebook-runner.mjs";
// @ts-expect-error plain .mjs tool without type declarations
import { seriesFiles } from "../tools/series.mjs";

// NOTEBOOKS_DIR: point the suite at scratch notebooks when checking the tooling itself.
const NB_DIR = resolve(process.env.NOTEBOOKS_DIR ?? join(__dirname, "..", "notebooks"));
const notebooks: string[] = seriesFiles(NB_DIR);
const out = mkdtempSync(join(tmpdir(), "executed-"));
// The kernels inherit this: each series notebook writes its record here, and 99 (run last) reads them from here.
const claims = mkdtempSync(join(tmpdir(), "claims-"));
process.env[CLAIMS_DIR_ENV] = claims;
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(claims, { recursive: true, force: true });
});

type Output = { output_type: string; name?: string; text?: string[] };

describe("notebooks execute on the tslab kernel", () => {
  it("there is at least one notebook", () => {
    expect(notebooks.length, `no .ipynb in ${NB_DIR}`).toBeGreaterThan(0);
  });

  for (const f of notebooks) {
    it(f, async () => {
      const r = await runNotebook(join(NB_DIR, f), { timeout: 5 * 60_000 });
      if (!r.ok) throw new Error(r.error); // the runner's message names the notebook, the cell and tslab's text
      writeFileSync(join(out, f), serializeNotebook(r.notebook));
      const problems: string[] = [];
      let n = 0;
      for (const cell of r.notebook.cells) {
        if (cell.cell_type !== "code") continue;
        n++;
        for (const o of cell.outputs as Output[]) {
          if (o.output_type === "error") problems.push(`cell ${n}: error output`);
          const t = (o.text ?? []).join("");
          if (o.output_type === "stream" && o.name === "stderr" && /\b(error|exception|unhandled)\b/i.test(t)) {
            problems.push(`cell ${n}: stderr says ${JSON.stringify(t.trim().slice(0, 300))}`);
          }
        }
      }
      expect(problems, `${f}: error outputs`).toEqual([]);
      // The committed outputs must say what a fresh run computes: same claims, same verdicts (runs are
      // deterministic), so the notebooks on GitHub and the claim ledger are never stale.
      const fresh = r.notebook.cells.flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) => c.outputs ?? [])
        .map((o: { data?: Record<string, unknown> }) => o.data?.[CLAIMS_MIME] as ClaimsRecord | undefined).find(Boolean);
      const saved = claimsFromNotebook(join(NB_DIR, f));
      const verdicts = (rec: ClaimsRecord | null | undefined) => rec?.checks.map((c) => `${c.id}: ${c.holds ? "holds" : "FAILS"}`);
      expect(verdicts(fresh), `${f}: the Claims cell must call showClaims(checks, "${f.replace(".ipynb", "")}")`).toBeDefined();
      expect(verdicts(fresh), `${f}: committed verdicts differ from a fresh run: npm run notebooks:refresh`).toEqual(verdicts(saved));
      // A series notebook run by the runner knows it is that notebook, so its Claims cell recorded the run for the ledger.
      if (process.env.NOTEBOOKS_DIR === undefined) {
        const record = join(claims, f.replace(".ipynb", ".json"));
        expect(existsSync(record), `${f}: no claims record written to ${record}`).toBe(true);
        expect(verdicts(JSON.parse(readFileSync(record, "utf8")) as ClaimsRecord)).toEqual(verdicts(fresh));
      }
    }, 10 * 60_000);
  }
});
