// The page's sweep store (lib/sweeps/file-backend.browser.ts) stands in for file-backend.ts in the browser bundle:
// it must export the same values, read a shipped store as the Node backend reads it, keep what a page computes in
// memory (never on disk) and hand each append to the worker's hook.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import * as nodeStore from "../lib/sweeps/file-backend";
import * as pageStore from "../lib/sweeps/file-backend.browser";
import { memoSweep, type GridSpec } from "../lib/sweeps/core";

const work = mkdtempSync(join(tmpdir(), "page-store-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const hooks = globalThis as { __notebookStoreAppend?: unknown };
afterEach(() => delete hooks.__notebookStoreAppend);

let folders = 0;
/** A new store folder (the page keeps one store per folder for its lifetime, so each test takes its own). */
const folder = (): string => {
  const d = join(work, `f${folders++}`);
  nodeStore.checkStoreDir(d);
  return d;
};

const small: GridSpec = { name: "demo", method: "flowLimit", problem: { n: 8, d: 16, k: 2, nTest: 0 }, params: { T: 10 }, axes: { seed: [0, 1], lambda: [0, 0.1] } };

describe("file-backend.browser.ts", () => {
  it("exports exactly the values file-backend.ts exports (the bundler swaps one for the other)", () => {
    expect(Object.keys(pageStore).sort()).toEqual(Object.keys(nodeStore).sort());
  });

  it("reads, lists and describes a shipped store as the Node backend does", async () => {
    const dir = folder();
    writeFileSync(join(dir, "a.jsonl"), '{"format":"x"}\n{"r":1}\n\n{"r":2}');
    writeFileSync(join(dir, "a.shard-0-of-2.jsonl"), "{}\n");
    writeFileSync(join(dir, "notes.txt"), "not a store\n");
    const node = nodeStore.fileBackend(dir, { root: work });
    const page = pageStore.fileBackend(dir, { root: work });
    expect(await page.read("a")).toEqual(await node.read("a"));
    expect(await page.read("missing")).toBeNull();
    expect((await page.list("a")).sort()).toEqual((await node.list("a")).sort());
    expect(page.describe("a")).toBe(node.describe("a"));
    expect(pageStore.storeFile(dir, "a")).toBe(nodeStore.storeFile(dir, "a"));
  });

  it("keeps appends and replacements in memory, for every backend of the folder, and hands appends to the hook", async () => {
    const dir = folder();
    const file = join(dir, "s.jsonl");
    writeFileSync(file, "l1\n");
    const sent: [string, string[]][] = [];
    hooks.__notebookStoreAppend = (f: string, lines: string[]) => sent.push([f, lines]);
    await pageStore.fileBackend(dir).append("s", ["l2", "l3"]);
    expect(await pageStore.fileBackend(dir).read("s")).toEqual(["l1", "l2", "l3"]);
    expect(sent).toEqual([[file, ["l2", "l3"]]]);
    await pageStore.fileBackend(dir).replace("s", ["only"]);
    expect(await pageStore.fileBackend(dir).read("s")).toEqual(["only"]);
    expect(readFileSync(file, "utf8")).toBe("l1\n"); // the shipped file is never written
  });

  it("rejects a folder that is not a path, naming it", () => {
    expect(() => pageStore.fileBackend("")).toThrow(/dir must be a folder path, got ""/);
    expect(() => pageStore.checkStoreDir(3 as never)).toThrow(/cannot write sweep results to 3/);
  });

  it("a store the kernel wrote is a memo in the page: every point cached, rows equal; a new point is computed in memory", async () => {
    const dir = folder();
    const kernel = await memoSweep(small, { backend: nodeStore.fileBackend(dir) });
    expect(kernel.report.computed).toBe(4);
    const shipped = readFileSync(join(dir, "demo.jsonl"), "utf8");
    const page = await memoSweep(small, { backend: pageStore.fileBackend(dir) });
    expect(page.report).toMatchObject({ cached: 4, computed: 0, stale: 0, untrusted: 0 });
    expect(page.rows).toEqual(kernel.rows);
    const wider = await memoSweep({ ...small, axes: { seed: [0, 1], lambda: [0, 0.1, 0.2] } }, { backend: pageStore.fileBackend(dir) });
    expect(wider.report).toMatchObject({ cached: 4, computed: 2 });
    expect(readFileSync(join(dir, "demo.jsonl"), "utf8")).toBe(shipped);
  });
});
