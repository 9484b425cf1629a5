// The series (notebooks/series.json) and the playground: only the project's own notebooks are run, become pages
// and feed the ledger; a reader's copy runs and imports the library but never touches the project's verdicts.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLAIMS_DIR_ENV, readSeries } from "../lib/notebook/series";
// @ts-expect-error plain .mjs tool without type declarations
import { runNotebook } from "../tools/notebook-runner.mjs";
// @ts-expect-error plain .mjs tool without type declarations
import { seriesFiles } from "../tools/series.mjs";
// @ts-expect-error plain .mjs tool without type declarations
import { buildSite } from "../tools/build-site.mjs";

const ROOT = resolve(__dirname, "..");
const NB = join(ROOT, "notebooks");
const claims = mkdtempSync(join(tmpdir(), "series-claims-"));
process.env[CLAIMS_DIR_ENV] = claims; // the kernels inherit it: nothing reaches the real .cache/claims
// A series folder of our own, inside the repository (so tslab finds node_modules), ignored by git.
const fake = join(ROOT, ".cache", `series-test-${process.pid}`, "notebooks");
const playground = join(NB, "playground", `series-test-${process.pid}.ipynb`);
afterAll(() => {
  rmSync(claims, { recursive: true, force: true });
  rmSync(join(fake, ".."), { recursive: true, force: true });
  rmSync(playground, { force: true });
});

/** A one-cell notebook whose Claims cell records one check under `name`. */
const claimsNotebook = (name: string, extra = "") => JSON.stringify({
  nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" } },
  cells: [
    { cell_type: "markdown", id: "m", metadata: {}, source: [`# ${name}\n\nA test notebook.`] },
    { cell_type: "code", id: "c", metadata: {}, execution_count: null, outputs: [], source: [
      `import { checkClaim, showClaims, lambdaOf } from "./lib/index";\n${extra}`,
      `showClaims([checkClaim("t.1", "λ of (0.002, 0.9) is 0.2", lambdaOf(0.002, 0.9), { min: 0.2 - 1e-12, max: 0.2 + 1e-12 })], ${JSON.stringify(name)});`,
    ] },
  ],
});
const outputText = (nb: { cells: { outputs?: { text?: string[] | string; data?: Record<string, unknown> }[] }[] }) =>
  nb.cells.flatMap((c) => c.outputs ?? []).map((o) => [o.text, o.data?.["text/plain"]].flat().join("")).join("\n");

describe("the series list", () => {
  it("lists every tracked notebooks/NN-*.ipynb, and only notebooks that exist", () => {
    const tracked = execFileSync("git", ["ls-files", "notebooks"], { cwd: ROOT, encoding: "utf8" }).split("\n")
      .filter((f) => /^notebooks\/\d\d-[^/]*\.ipynb$/.test(f)).map((f) => f.slice("notebooks/".length, -".ipynb".length)).sort();
    const series = readSeries(NB);
    expect(tracked.length).toBeGreaterThan(0);
    expect([...series].sort()).toEqual(tracked);
    for (const n of series) expect(existsSync(join(NB, `${n}.ipynb`)), n).toBe(true);
  });

  it("the tools read the same list, in its order", () => {
    expect(seriesFiles(NB)).toEqual(readSeries(NB).map((n) => `${n}.ipynb`));
  });

  it("the playground is documented and links the library; everything else in it is ignored by git", () => {
    expect(readFileSync(join(NB, "playground", "README.md"), "utf8")).toMatch(/never feeds the claim ledger/);
    // The link points at the build of the library (CommonJS + declarations), as notebooks/lib does.
    expect(existsSync(join(NB, "playground", "lib", "index.js"))).toBe(true);
    expect(existsSync(join(NB, "playground", "lib", "index.d.ts"))).toBe(true);
    const ignored = execFileSync("git", ["check-ignore", "--no-index", "notebooks/playground/mine.ipynb", "notebooks/.ipynb_checkpoints/x.ipynb", "notebooks/playground/.ipynb_checkpoints/y.ipynb"], { cwd: ROOT, encoding: "utf8" });
    expect(ignored.trim().split("\n")).toHaveLength(3);
  });
});

describe("a copy never feeds the ledger and never becomes a page", () => {
  it("a copy beside a series notebook runs, says it records nothing, and the series notebook itself records", async () => {
    mkdirSync(fake, { recursive: true });
    symlinkSync(join("..", "..", "..", "build", "lib"), join(fake, "lib"));
    writeFileSync(join(fake, "series.json"), JSON.stringify({ notebooks: ["00-real"] }));
    writeFileSync(join(fake, "00-real.ipynb"), claimsNotebook("00-real"));
    writeFileSync(join(fake, "00-real-Copy1.ipynb"), claimsNotebook("00-real"));

    const copy = await runNotebook(join(fake, "00-real-Copy1.ipynb"), { timeout: 120_000 });
    if (!copy.ok) throw new Error(copy.error);
    expect(outputText(copy.notebook)).toMatch(/Verdicts not recorded for the claim ledger: this kernel runs 00-real-Copy1\.ipynb/);
    expect(readdirSync(claims)).toEqual([]);

    const real = await runNotebook(join(fake, "00-real.ipynb"), { timeout: 120_000 });
    if (!real.ok) throw new Error(real.error);
    expect(outputText(real.notebook)).not.toMatch(/not recorded/);
    expect(readdirSync(claims)).toEqual(["00-real.json"]);

    const site = buildSite({ from: fake, out: join(fake, "..", "site") });
    expect(site.pages).toEqual(["index.html", "00-real.html"]);
  }, 300_000);

  it("a copy in the playground imports the library, runs, and records nothing", async () => {
    const before = readdirSync(claims);
    writeFileSync(playground, claimsNotebook("03-balancedness", `console.log("h =", lambdaOf(0.002, 0.9) * (1 - 0.9));\n`));
    const r = await runNotebook(playground, { timeout: 120_000 });
    if (!r.ok) throw new Error(r.error);
    const text = outputText(r.notebook);
    expect(text).toMatch(/1 of 1 claims hold/);
    expect(text).toMatch(/h = 0\.02/);
    expect(text).toMatch(/Verdicts not recorded for the claim ledger: this kernel runs in .*playground/);
    expect(readdirSync(claims)).toEqual(before);
  }, 300_000);
});
