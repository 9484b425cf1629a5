// The notebook pages run their own cells in headless Chromium, with the network cut: every page runs all its
// cells with no error and its Claims verdicts equal the committed ones; an edited cell (a new seed, a new λ)
// changes its chart; errors read as the kernel's; nothing is requested from another host; the site stays
// under 20 MB. The run time of each page is printed and kept in .cache/site-run-times.json (no timing asserts).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveLocal, visit as visitWith, type LocalServer, type Visit } from "./browser";
import { METHOD_NAMES, codeVersion } from "../lib/sweeps/registry";
// @ts-expect-error plain .mjs tool without type declarations
import { buildSite, dirSize } from "../tools/build-site.mjs";

declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = resolve(__dirname, "..");
const NB_DIR = resolve(process.env.NOTEBOOKS_DIR ?? join(ROOT, "notebooks"));
const CLAIMS_MIME = "application/vnd.momentum-dln.claims+json";
const VEGALITE = "application/vnd.vegalite.v5+json";
const work = mkdtempSync(join(tmpdir(), "site-run-"));
const site = join(work, "site");
const notebooks = readdirSync(NB_DIR).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
let browser: Browser;
let server: LocalServer | undefined;
let base = "";
const times: Record<string, { cells: number; runAllMs: number; workerStartMs: number }> = {};

type NbCell = { cell_type: string; source: string | string[]; outputs?: { data?: Record<string, unknown> }[] };
const readNb = (f: string): { cells: NbCell[] } => JSON.parse(readFileSync(join(NB_DIR, f), "utf8"));
const codeCells = (f: string) => readNb(f).cells.filter((c) => c.cell_type === "code");
const text = (s: string | string[]) => (Array.isArray(s) ? s.join("") : s);

/** The committed verdicts of a notebook: [id, holds] of its Claims cell's record. */
function committedVerdicts(f: string): [string, boolean][] | null {
  for (const c of codeCells(f)) for (const o of c.outputs ?? []) {
    const rec = o.data?.[CLAIMS_MIME] as { checks: { id: string; holds: boolean }[] } | undefined;
    if (rec) return rec.checks.map((k) => [k.id, k.holds]);
  }
  return null;
}

beforeAll(async () => {
  buildSite({ from: NB_DIR, out: site });
  browser = await launchChromium();
  server = await serveLocal(work);
  base = server.base;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
  if (Object.keys(times).length) {
    mkdirSync(join(ROOT, ".cache"), { recursive: true });
    writeFileSync(join(ROOT, ".cache", "site-run-times.json"), JSON.stringify(times, null, 1) + "\n");
  }
});

const visit = (url: string): Promise<Visit> => visitWith(browser, url, {}, "runtime");
const fileUrl = (f: string) => pathToFileURL(join(site, f.replace(/\.ipynb$/, ".html"))).href;
const runAll = (p: Page) => p.evaluate(() => window.notebook.runAll()) as Promise<{ ok: boolean; ms: number; cells: { cell: number; ok: boolean; error?: string }[] }>;
const outputs = (p: Page, i: number) => p.evaluate((k: number) => window.notebook.outputs(k), i) as Promise<{ output_type: string; name?: string; text?: string; data?: Record<string, unknown> }[]>;

describe("every notebook page runs all its cells in the browser (file://, network cut)", () => {
  it("finds the notebooks", () => expect(notebooks.length).toBeGreaterThan(0));

  for (const f of notebooks) {
    it(`${f}: all cells run with no error; Claims verdicts equal the committed ones`, async () => {
      const v = await visit(fileUrl(f));
      try {
        const n = await v.page.evaluate(() => window.notebook.cells.length);
        expect(n).toBe(codeCells(f).length);
        const r = await runAll(v.page);
        const failed = r.cells.find((c) => !c.ok);
        expect(failed, failed && `cell ${failed.cell + 1}: ${failed.error}`).toBeUndefined();
        expect(r.ok).toBe(true);
        times[f] = { cells: n, runAllMs: Math.round(r.ms), workerStartMs: Math.round(await v.page.evaluate(() => window.notebook.startMs)) };
        console.log(`${f}: ${n} cells ran in the page in ${(r.ms / 1000).toFixed(1)} s (worker start ${times[f].workerStartMs} ms)`);
        for (let i = 0; i < n; i++) {
          for (const o of await outputs(v.page, i)) {
            expect(o.output_type === "stream" ? o.name : "display", `${f} cell ${i + 1} wrote to stderr: ${o.text}`).not.toBe("stderr");
          }
        }
        const committed = committedVerdicts(f);
        if (committed) {
          let live: [string, boolean][] | null = null;
          for (let i = 0; i < n && !live; i++) {
            for (const o of await outputs(v.page, i)) {
              const rec = o.data?.[CLAIMS_MIME] as { checks: { id: string; holds: boolean }[] } | undefined;
              if (rec) live = rec.checks.map((k) => [k.id, k.holds]);
            }
          }
          expect(live).toEqual(committed);
        }
        expect(v.errors).toEqual([]);
        expect(v.external).toEqual([]);
      } finally {
        await v.close();
      }
    }, 300_000);
  }
});

/** Names a cell declares with `const x =` / `let x =` (enough to see which later cells use its results). */
const declaredNames = (src: string) => [...src.matchAll(/\b(?:const|let)\s+([A-Za-z_$][\w$]*)\s*=/g)].map((m) => m[1]);

/**
 * The first notebook, cell and chart where `pattern` (a named constant) can be edited: [file, cell to edit, chart
 * cell], the chart being in the edited cell or in a later cell that uses a name the edited cell declares.
 */
function findEditable(pattern: RegExp): [string, number, number] | null {
  for (const f of notebooks) {
    const cells = codeCells(f);
    for (let i = 0; i < cells.length; i++) {
      if (!pattern.test(text(cells[i].source))) continue;
      const names = declaredNames(text(cells[i].source));
      const j = cells.findIndex((c, k) => k >= i && (c.outputs ?? []).some((o) => o.data?.[VEGALITE]) &&
        (k === i || names.some((n) => new RegExp(`(?<![\\w$])${n.replace(/\$/g, "\\$")}(?![\\w$])`).test(text(c.source)))));
      if (j >= 0) return [f, i, j];
    }
  }
  return null;
}

// The named constants a reader changes: `seeds = [0, 1, 2]`, `lambdas = [0, 0.2, 2]`. A new seed is the next
// integer; a new λ lies between the first two of the list (inside the range the cell was written for).
const SEEDS = /\bseeds\s*=\s*\[([^\]]*)\]/;
const LAMBDAS = /\blambdas\s*=\s*\[([^\]]*)\]/;
const listOf = (s: string) => s.split(",").map((x) => Number(x.trim()));
const addTo = (re: RegExp, pick: (xs: number[]) => number) => (s: string) => s.replace(re, (m, list: string) => {
  const xs = listOf(list);
  return m.replace(list, [...xs, pick(xs)].sort((a, b) => a - b).join(", "));
});
const newSeed = (xs: number[]) => Math.max(...xs) + 1;
const newLambda = (xs: number[]) => Number(((xs[0] + xs[1]) / 2).toPrecision(3));

describe("an edited cell changes its chart", () => {
  const edits: [string, RegExp, (s: string) => string][] = [
    ["a new seed", SEEDS, addTo(SEEDS, newSeed)],
    ["a new λ", LAMBDAS, addTo(LAMBDAS, newLambda)],
  ];
  for (const [what, pattern, edit] of edits) {
    it(`${what}: the chart's data and drawing change`, async () => {
      const found = findEditable(pattern);
      expect(found, `no notebook has a cell matching ${pattern} followed by a chart`).not.toBeNull();
      const [f, i, j] = found!;
      const v = await visit(fileUrl(f));
      try {
        const chart = async () => {
          const r = await v.page.evaluate((k: number) => window.notebook.run(k), j);
          expect(r.ok, r.error).toBe(true);
          const spec = (await outputs(v.page, j)).find((o) => o.data?.[VEGALITE])!;
          return { data: JSON.stringify(spec.data![VEGALITE]), svg: String(spec.data!["image/svg+xml"] ?? "") };
        };
        const before = await chart();
        const source: string = await v.page.evaluate((k: number) => window.notebook.cells[k].source, i);
        await v.page.evaluate(([k, s]: [number, string]) => window.notebook.setSource(k, s), [i, edit(source)] as [number, string]);
        for (let k = i; k < j; k++) expect((await v.page.evaluate((c: number) => window.notebook.run(c), k)).ok).toBe(true);
        const after = await chart();
        expect(before.svg).toContain("<svg");
        expect(after.data).not.toBe(before.data);
        expect(after.svg).not.toBe(before.svg);
        expect(v.errors).toEqual([]);
      } finally {
        await v.close();
      }
    }, 300_000);
  }
});

describe("a new λ in a sweep's grid", () => {
  const isGrid = (c: NbCell) => /\bawait sweep\(/.test(text(c.source)) && LAMBDAS.test(text(c.source));
  it("the points the store lacks are computed in the worker with a progress bar, and the chart changes", async () => {
    const f = notebooks.find((nb) => codeCells(nb).some(isGrid));
    expect(f, "no notebook has a sweep cell with `lambdas = [...]`").toBeDefined();
    const cells = codeCells(f!);
    const i = cells.findIndex(isGrid);
    const j = cells.findIndex((c, k) => k > i && (c.outputs ?? []).some((o) => o.data?.[VEGALITE]));
    const v = await visit(fileUrl(f!));
    try {
      const chart = async () => {
        const r = await v.page.evaluate((k: number) => window.notebook.run(k), j);
        expect(r.ok, r.error).toBe(true);
        return JSON.stringify((await outputs(v.page, j)).find((o) => o.data?.[VEGALITE])!.data![VEGALITE]);
      };
      const before = await chart();
      const source: string = await v.page.evaluate((k: number) => window.notebook.cells[k].source, i);
      await v.page.evaluate(([k, s]: [number, string]) => window.notebook.setSource(k, s), [i, addTo(LAMBDAS, newLambda)(source)] as [number, string]);
      expect((await v.page.evaluate((k: number) => window.notebook.run(k), i)).ok).toBe(true);
      const outs = await outputs(v.page, i);
      const bar = outs.find((o) => /<progress/.test(String(o.data?.["text/html"] ?? "")));
      const progress = /: (\d+)\/(\d+) runs computed \(100%\), (\d+) cached/.exec(String(bar?.data?.["text/plain"]));
      expect(progress, `no finished progress display in ${JSON.stringify(outs).slice(0, 300)}`).not.toBeNull();
      const [, done, total, cached] = progress!.map(Number);
      expect(done).toBe(total);
      expect(done).toBeGreaterThan(0);
      expect(cached).toBeGreaterThan(0);
      const log = outs.filter((o) => o.name === "stdout").map((o) => o.text).join("");
      expect(log).toContain(`${cached} from the store, ${done} computed now`);
      for (let k = i + 1; k < j; k++) expect((await v.page.evaluate((c: number) => window.notebook.run(c), k)).ok).toBe(true);
      expect(await chart()).not.toBe(before);
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
    }
  }, 300_000);
});

describe("the page API and errors", () => {
  it("served over http too: runs a cell, reports errors as the kernel would (message, cell line), and restores", async () => {
    const f = notebooks[0];
    const v = await visit(`${base}/site/${f.replace(/\.ipynb$/, ".html")}`);
    try {
      const nb = v.page;
      await expect(nb.evaluate(() => window.notebook.run(999))).rejects.toThrow(/cell index must be an integer in \[0, \d+\], got 999/);
      expect((await nb.evaluate(() => window.notebook.run(0))).ok).toBe(true);
      const last = (await nb.evaluate(() => window.notebook.cells.length)) - 1;
      await nb.evaluate((k: number) => window.notebook.setSource(k, "const fine = 1;\nthrow new RangeError(`gamma must be > 0, got ${-fine}`);"), last);
      const r = await nb.evaluate((k: number) => window.notebook.run(k), last);
      expect(r.ok).toBe(false);
      const err = (await outputs(nb, last)).find((o) => o.name === "stderr")!;
      expect(err.text).toBe(`RangeError: gamma must be > 0, got -1\n    at cell${last + 1}.ts:2:7\n`);
      await nb.evaluate((k: number) => window.notebook.setSource(k, "const x: number = ;"), last);
      await nb.evaluate((k: number) => window.notebook.run(k), last);
      expect((await outputs(nb, last))[0].text).toMatch(/^1:\d+ - Unexpected token/);
      expect(await nb.locator(".cell.code").nth(last).locator(".stream.stderr").count()).toBe(1);
      await nb.locator(".cell.code").nth(last).locator("button.restore").click();
      const cell = await nb.evaluate((k: number) => window.notebook.cells[k], last);
      expect(cell.source).toBe(cell.published);
      expect(await nb.locator(".cell.code").nth(last).locator(".outputs:not(.live)").isVisible()).toBe(true);
      expect(v.external).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it("Shift+Enter in an editor runs the cell; the outputs replace the published ones", async () => {
    const k = codeCells(notebooks[0]).findIndex((c) => (c.outputs ?? []).length > 0); // a cell with published outputs
    const v = await visit(fileUrl(notebooks[0]));
    try {
      const cell = v.page.locator(".cell.code").nth(k);
      expect(await cell.locator(".outputs:not(.live)").isVisible()).toBe(true);
      await cell.locator(".cm-content").click();
      await v.page.keyboard.press("Shift+Enter");
      await v.page.waitForFunction((i: number) => window.notebook.cells[i].ran, k, { timeout: 60_000 });
      expect(await cell.locator(".outputs.live").isVisible()).toBe(true);
      expect(await cell.locator(".outputs:not(.live)").isHidden()).toBe(true);
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it("a sweep that is not stored runs in the worker with a progress display; its records come back on the next visit", async () => {
    const v = await visit(fileUrl(notebooks[0]));
    try {
      const spec = `{ name: "page-demo", method: "flowLimit", problem: { n: 8, d: 16, k: 2, nTest: 0 }, params: { T: 10 }, axes: { seed: [0, 1], lambda: [0, 0.1] } }`;
      const src = `import { sweep } from "./lib/index";\nimport { canonicalJSON } from "./lib/sweeps/core";\n` +
        `const first = await sweep(${spec});\nconst again = await sweep(${spec});\n` +
        "console.log(first.report.computed, again.report.cached, canonicalJSON(first.rows) === canonicalJSON(again.rows));";
      const run = async () => {
        await v.page.evaluate((s: string) => window.notebook.setSource(0, s), src);
        expect((await v.page.evaluate(() => window.notebook.run(0))).ok).toBe(true);
        return outputs(v.page, 0);
      };
      const outs = await run();
      expect(String(outs[0].data?.["text/plain"])).toMatch(/^page-demo: 4\/4 runs computed \(100%\), 0 cached/);
      expect(String(outs[0].data?.["text/html"])).toContain("<progress");
      expect(outs[1].text).toBe("4 4 true\n");
      // The next visit (same browser): the four records come from its storage, nothing is computed.
      await v.page.reload();
      await v.page.waitForFunction(() => document.body?.dataset.runtime === "ready", null, { timeout: 60_000 });
      expect((await run()).map((o) => o.text)).toEqual(["0 4 true\n"]);
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it("computes the kernel's numbers: every sweep method has the code version it has in Node (so no stored record is stale)", async () => {
    const v = await visit(fileUrl(notebooks[0]));
    try {
      const src = `import { METHOD_NAMES, codeVersion } from "./lib/sweeps/registry";\nconsole.log(JSON.stringify(METHOD_NAMES.map(codeVersion)));`;
      await v.page.evaluate((s: string) => window.notebook.setSource(0, s), src);
      expect((await v.page.evaluate(() => window.notebook.run(0))).ok).toBe(true);
      expect(JSON.parse(String((await outputs(v.page, 0))[0].text))).toEqual(METHOD_NAMES.map(codeVersion));
    } finally {
      await v.close();
    }
  });

  it("Stop ends a cell that never finishes, at any moment (even while the worker starts); the next run starts afresh", async () => {
    const v = await visit(fileUrl(notebooks[0]));
    try {
      await v.page.evaluate(() => window.notebook.setSource(0, "while (true) {}"));
      const pending = v.page.evaluate(() => window.notebook.run(0));
      await v.page.waitForFunction(() => document.querySelector(".cell.code.cell-running"), null, { timeout: 60_000 });
      await v.page.locator("button.stop").click();
      expect(await pending).toMatchObject({ ok: false, error: "stopped" });
      // Stop after 0 … 300 ms: while the scripts load, while the worker starts, or while the cell loops.
      for (const delay of [0, 5, 20, 60, 150, 300]) {
        const r = await v.page.evaluate(async (d: number) => {
          const run = window.notebook.run(0);
          await new Promise((res) => setTimeout(res, d));
          window.notebook.stop();
          return Promise.race([run, new Promise((res) => setTimeout(() => res("still pending 20 s after Stop"), 20_000))]);
        }, delay);
        expect(r, `Stop after ${delay} ms`).toMatchObject({ ok: false });
      }
      await v.page.evaluate(() => window.notebook.setSource(0, "const back = 6 * 7;\nback"));
      expect((await v.page.evaluate(() => window.notebook.run(0))).ok).toBe(true);
      expect((await outputs(v.page, 0))[0].text).toBe("42\n");
    } finally {
      await v.close();
    }
  }, 300_000);

  it("the ledger page reads the claims records of the pages the reader ran", async () => {
    const ledger = notebooks.find((f) => /ledger/.test(f));
    const first = notebooks.find((f) => f !== ledger && committedVerdicts(f));
    if (!ledger || !first) return;
    const context = await browser.newContext();
    try {
      const p = await context.newPage();
      const open = async (f: string) => {
        await p.goto(fileUrl(f));
        await p.waitForFunction(() => document.body?.dataset.runtime === "ready", null, { timeout: 60_000 });
      };
      await open(first);
      expect((await runAll(p)).ok).toBe(true);
      await open(ledger);
      expect((await runAll(p)).ok).toBe(true);
      const all = JSON.stringify(await p.evaluate(() => Array.from({ length: window.notebook.cells.length }, (_, i) => window.notebook.outputs(i))));
      expect(all).toContain("latest run");
    } finally {
      await context.close();
    }
  });

  it("the site stays under 20 MB", () => {
    const mb = dirSize(site) / 1024 / 1024;
    console.log(`site: ${mb.toFixed(2)} MB`);
    expect(mb).toBeLessThan(20);
  });
});
