// Notebooks that survive modification: each notebook, with its parameter grids changed the way a reader would
// change them (values dropped, values outside any cache, Exercises applied), runs on the real tslab kernel with no
// error and no NaN or undefined in any output. The variants live in test/perturbations/<notebook>.ts.
import { mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs tool without type declarations
import { runNotebook, serializeNotebook } from "../tools/notebook-runner.mjs";
import type { CellEdit, NotebookPerturbations, RunCell } from "./perturbations/types";

const ROOT = resolve(__dirname, "..");
const NB_DIR = join(ROOT, "notebooks");
// Runs happen in a hidden folder beside the notebooks, with its own lib link, so imports resolve as in the originals
// and nothing is written next to the real notebooks (or into their claim records).
const WORK = join(NB_DIR, ".perturb", String(process.pid));
mkdirSync(WORK, { recursive: true });
symlinkSync(join("..", "..", "..", "build", "lib"), join(WORK, "lib"));
afterAll(() => rmSync(WORK, { recursive: true, force: true }));

const files = readdirSync(join(__dirname, "perturbations")).filter((f) => /^\d\d-.*\.ts$/.test(f)).sort();
const suites: NotebookPerturbations[] = await Promise.all(files.map(async (f) => (await import(/* @vite-ignore */ `./perturbations/${f}`)).default));

type Cell = { cell_type: string; source: string[] | string; outputs?: Output[] };
type Output = { output_type: string; text?: string[] | string; data?: Record<string, unknown> };
const joinText = (s: string[] | string | undefined): string => (Array.isArray(s) ? s.join("") : s ?? "");

/** Apply the edits to the notebook's code cells; an edit that matches no cell, or several, is an error of the test. */
export function applyEdits(cells: Cell[], edits: CellEdit[]): Cell[] {
  const out = cells.map((c) => ({ ...c, source: joinText(c.source) }));
  for (const e of edits) {
    const hits = out.filter((c) => c.cell_type === "code" && (typeof e.find === "string" ? c.source.includes(e.find) : e.find.test(c.source)));
    if (hits.length !== 1) throw new Error(`edit ${String(e.find)} matches ${hits.length} code cells (need exactly 1): the notebook changed, update the perturbation`);
    hits[0].source = (hits[0].source as string).replace(e.find, e.replace);
  }
  return out;
}

function outputText(o: Output): string {
  if (o.output_type === "stream") return joinText(o.text);
  const d = o.data ?? {};
  return ["text/plain", "text/html", "text/markdown", "image/svg+xml"].map((k) => joinText(d[k] as string[] | string | undefined)).join("\n");
}

/** The numbers of the items of a notebook's "## Exercises" markdown cell. */
function exerciseNumbers(cells: Cell[]): number[] {
  const md = cells.filter((c) => c.cell_type === "markdown").map((c) => joinText(c.source)).find((s) => /^##\s+Exercises/m.test(s));
  if (!md) return [];
  const body = md.slice(md.search(/^##\s+Exercises/m));
  return Array.from(body.matchAll(/^(\d+)\.\s/gm), (m) => Number(m[1]));
}

describe("every notebook of the series has reader-style variants", () => {
  it("test/perturbations/ has a file for each notebook in notebooks/series.json", () => {
    const series: string[] = JSON.parse(readFileSync(join(NB_DIR, "series.json"), "utf8")).notebooks;
    const covered = new Set(suites.map((s) => s.notebook.replace(/\.ipynb$/, "")));
    expect(series.filter((n) => !covered.has(n))).toEqual([]);
  });
});

describe("every Exercise is applied by a variant, or says why not", () => {
  for (const suite of suites) {
    it(suite.notebook, () => {
      const nb = JSON.parse(readFileSync(join(NB_DIR, suite.notebook), "utf8"));
      const applied = new Set(suite.variants.flatMap((v) => v.exercises ?? []));
      const skipped = new Set(Object.keys(suite.notApplied ?? {}).map(Number));
      const missing = exerciseNumbers(nb.cells).filter((n) => !applied.has(n) && !skipped.has(n));
      expect(missing, `${suite.notebook}: exercises with no variant in test/perturbations (or a reason in notApplied)`).toEqual([]);
    });
  }
});

describe("notebooks survive modification", () => {
  for (const suite of suites) {
    for (const v of suite.variants) {
      it(`${suite.notebook}: ${v.name}`, async () => {
        const nb = JSON.parse(readFileSync(join(NB_DIR, suite.notebook), "utf8"));
        nb.cells = applyEdits(nb.cells, v.edits);
        const path = join(WORK, suite.notebook);
        writeFileSync(path, serializeNotebook(nb));
        const r = await runNotebook(path, { timeout: 5 * 60_000 });
        if (!r.ok) throw new Error(r.error);
        const cells: RunCell[] = (r.notebook.cells as Cell[]).filter((c) => c.cell_type === "code")
          .map((c) => ({ source: joinText(c.source), text: (c.outputs ?? []).map(outputText).join("\n") }));
        const bad = cells.flatMap((c, i) => {
          const m = /\b(NaN|undefined)\b/.exec(c.text);
          return m ? [`cell ${i + 1}: "${c.text.slice(Math.max(0, m.index - 60), m.index + 40).replace(/\s+/g, " ")}"`] : [];
        });
        expect(bad, "NaN or undefined in the outputs").toEqual([]);
        v.check?.(cells);
      }, 10 * 60_000);
    }
  }
});
