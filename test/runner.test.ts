// The headless runner against the real tslab kernel: outputs, failure messages, and no leaked kernels.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs tool without type declarations
import { runNotebook } from "../tools/notebook-runner.mjs";

const ROOT = resolve(__dirname, "..");
const FIX = join(ROOT, "test", "fixtures");
const CLI = join(ROOT, "tools", "run-notebook.mjs");
const work = mkdtempSync(join(tmpdir(), "runner-test-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Run the CLI with its own TMPDIR: the kernel's connection file lives there, so its command line
 * names that folder and `pgrep -f` finds exactly this run's kernels, even with other tests running.
 */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string; tag: string }> {
  const tag = mkdtempSync(join(work, "t-"));
  return new Promise((res) => {
    execFile(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...process.env, TMPDIR: tag }, timeout: 90_000 },
      (err, stdout, stderr) => res({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr, tag }));
  });
}
function kernelsMatching(tag: string): string[] {
  return pgrep(`--config-path ${tag}`);
}
/** Pids of processes whose command line contains `pattern` (fixed string). */
function pgrep(pattern: string): string[] {
  try {
    return execFileSync("pgrep", ["-f", "--", pattern.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")], { encoding: "utf8" })
      .trim().split("\n").filter((pid) => pid && Number(pid) !== process.pid);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

/** Poll until `list()` is empty or 15 s have passed; returns what is left. */
async function gone(list: () => string[]): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  while (list().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return list();
}

type Output = { output_type: string; name?: string; text?: string[]; data?: Record<string, unknown>; metadata?: object };
type Cell = { cell_type: string; source: string[]; outputs?: Output[]; execution_count?: number | null };

describe("run-notebook", () => {
  it("executes a passing notebook and writes valid nbformat outputs", async () => {
    const out = join(work, "pass.out.ipynb");
    const r = await cli([join(FIX, "pass.ipynb"), out]);
    expect(r.stderr).toMatch(/pass\.ipynb: ok in \d+ ms \(kernel startup \d+ ms; cells/);
    expect(r.code).toBe(0);
    expect(kernelsMatching(r.tag)).toEqual([]);

    const nb = JSON.parse(readFileSync(out, "utf8"));
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.kernelspec).toEqual({ name: "tslab", display_name: "TypeScript", language: "typescript" });
    expect(nb.metadata.language_info).toMatchObject({ name: "typescript", file_extension: ".ts" });
    const code: Cell[] = nb.cells.filter((c: Cell) => c.cell_type === "code");
    expect(code.map((c) => c.execution_count)).toEqual([1, 2, 3, 4]);
    for (const c of nb.cells as Cell[]) {
      expect(Array.isArray(c.source)).toBe(true);
      for (const o of c.outputs ?? []) {
        expect(["stream", "display_data", "execute_result", "error"]).toContain(o.output_type);
        if (o.output_type === "stream") {
          expect(["stdout", "stderr"]).toContain(o.name);
          expect(Array.isArray(o.text)).toBe(true);
          o.text!.forEach((l) => expect(typeof l).toBe("string"));
        } else {
          expect(typeof o.data).toBe("object");
          expect(typeof o.metadata).toBe("object");
          expect(o).not.toHaveProperty("transient");
        }
      }
    }
    // Two console.log calls arrive as separate chunks; they must be merged into one stream output.
    expect(code[0].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["hello\n", "world\n"] }]);
    expect(code[1].outputs).toEqual([{ output_type: "display_data", data: { "text/markdown": ["**bold** text"] }, metadata: {} }]);
    expect(code[2].outputs).toEqual([{ output_type: "stream", name: "stdout", text: ["42\n"] }]); // top-level await
    expect(code[3].outputs![0]).toMatchObject({ output_type: "stream", name: "stderr" });
  });

  it("re-running gives byte-identical output (clean git diff)", async () => {
    const a = join(work, "a.ipynb"), b = join(work, "b.ipynb");
    expect((await cli([join(FIX, "pass.ipynb"), a])).code).toBe(0);
    expect((await cli([a, b])).code).toBe(0);
    expect(readFileSync(b, "utf8")).toBe(readFileSync(a, "utf8"));
  });

  it("a type error in cell 2 fails with the notebook, the cell and tslab's message", async () => {
    const r = await cli([join(FIX, "type-error.ipynb"), join(work, "te.ipynb")]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("type-error.ipynb");
    expect(r.stderr).toContain("cell 2");
    expect(r.stderr).toContain('const bad: number = \\"str\\";');
    expect(r.stderr).toContain("Type 'string' is not assignable to type 'number'");
    expect(kernelsMatching(r.tag)).toEqual([]);
  });

  it("a runtime throw fails with the JS error text", async () => {
    const r = await cli([join(FIX, "throw.ipynb"), join(work, "th.ipynb")]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("throw.ipynb: cell 2");
    expect(r.stderr).toContain("Error: boom from fixture");
    expect(kernelsMatching(r.tag)).toEqual([]);
  });

  it("a cell that exceeds --timeout is stopped quickly and reported", async () => {
    const t0 = Date.now();
    const r = await cli([join(FIX, "timeout.ipynb"), join(work, "to.ipynb"), "--timeout=2000"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/timeout\.ipynb: cell 2 .*timed out after 2000 ms/);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(kernelsMatching(r.tag)).toEqual([]);
  });

  it("a kernel that dies mid-run is reported", async () => {
    const r = await cli([join(FIX, "kernel-dies.ipynb"), join(work, "kd.ipynb")]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/kernel-dies\.ipynb: cell 1 .*kernel exited unexpectedly \(code 3\)/);
    expect(kernelsMatching(r.tag)).toEqual([]);
  });

  it("malformed notebook JSON gives a clear message", async () => {
    const r = await cli([join(FIX, "malformed.ipynb"), join(work, "m.ipynb")]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/malformed\.ipynb: malformed notebook JSON \(line 2\)/);
  });

  it("SIGTERM to the runner takes its kernel down too", async () => {
    const tag = mkdtempSync(join(work, "sig-"));
    const child = execFile(process.execPath, [CLI, join(FIX, "timeout.ipynb"), join(work, "sig.ipynb")], { env: { ...process.env, TMPDIR: tag } });
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const deadline = Date.now() + 60_000;
    while (kernelsMatching(tag).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(kernelsMatching(tag).length).toBe(1);
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    await new Promise((r) => setTimeout(r, 200));
    expect(kernelsMatching(tag)).toEqual([]);
  });

  it("a burst of printing loses no line and does not wait for the timeout (600 lines; 2,000 with awaits)", async () => {
    const out = join(work, "burst.out.ipynb");
    // A hang would show as "timed out" (exit 1), a lost line as a wrong count.
    const r = await cli([join(FIX, "burst.ipynb"), out, "--timeout=30000"]);
    expect(r.stderr).toContain("burst.ipynb: ok");
    expect(r.code).toBe(0);
    const code: Cell[] = JSON.parse(readFileSync(out, "utf8")).cells.filter((c: Cell) => c.cell_type === "code");
    const lines = (c: Cell) => c.outputs!.flatMap((o) => o.text ?? []);
    expect(lines(code[0])).toEqual(Array.from({ length: 600 }, (_, i) => `row ${i}\n`));
    expect(lines(code[1])).toEqual(Array.from({ length: 2000 }, (_, i) => `line ${i}\n`));
    expect(lines(code[2])).toEqual(["done\n"]);
  });

  it("a throw in a timer fails the cell that set the timer, even when it fires during the next cell", async () => {
    const r = await cli([join(FIX, "async-timer.ipynb"), join(work, "at.ipynb")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/async-timer\.ipynb: cell 1 .*asynchronous error/);
    expect(r.stderr).toContain("Error: boom from a timer");
    expect(kernelsMatching(r.tag)).toEqual([]);
  });

  it("an unhandled rejection fails its cell and stops the notebook", async () => {
    const r = await runNotebook(join(FIX, "async-rejection.ipynb"));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/async-rejection\.ipynb: cell 2 .*asynchronous error/);
    expect(r.error).toContain("nobody awaits this promise");
    // The error is also an nbformat error output of cell 2, so a notebook saved with --allow-errors shows it.
    const allowed = await runNotebook(join(FIX, "async-rejection.ipynb"), { allowErrors: true });
    expect(allowed.cellErrors.map((e: { cell: number }) => e.cell)).toEqual([2]);
    const cell2 = allowed.notebook.cells[1];
    expect(cell2.outputs.find((o: Output) => o.output_type === "error")).toMatchObject({ ename: "Error", evalue: "nobody awaits this promise" });
  });

  it("an error thrown shortly after the last cell fails the notebook, naming that cell", async () => {
    const r = await runNotebook(join(FIX, "async-after-last.ipynb"));
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/async-after-last\.ipynb: cell 2 .*asynchronous error/);
    expect(r.error).toContain("thrown after the last cell");
  });

  it("a detached grandchild does not outlive a normal run", async () => {
    const r = await cli([join(FIX, "grandchild.ipynb"), join(work, "gc.ipynb")]);
    expect(r.code).toBe(0);
    const left = await gone(() => [...kernelsMatching(r.tag), ...pgrep(`${r.tag}/grandchild`)]);
    for (const pid of left) try { process.kill(Number(pid), "SIGKILL"); } catch { /* gone */ }
    expect(left).toEqual([]);
  });

  it("SIGKILL of the runner takes down its kernel (busy in a synchronous loop) and its detached grandchild", async () => {
    const tag = mkdtempSync(join(work, "kill-"));
    const child = execFile(process.execPath, [CLI, join(FIX, "grandchild-busy.ipynb"), join(work, "gcb.ipynb")], { env: { ...process.env, TMPDIR: tag } });
    const exited = new Promise<string | null>((r) => child.on("exit", (_code, signal) => r(signal)));
    const found = () => [...kernelsMatching(tag), ...pgrep(`${tag}/grandchild`)];
    try {
      const deadline = Date.now() + 60_000;
      while (found().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(found().length).toBe(2); // the kernel and the grandchild
      await new Promise((r) => setTimeout(r, 300)); // let cell 2's loop start
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
      expect(await gone(found)).toEqual([]);
    } finally {
      for (const pid of found()) try { process.kill(Number(pid), "SIGKILL"); } catch { /* gone */ }
    }
  });

  it("runNotebook() returns the notebook, timings and ok", async () => {
    const r = await runNotebook(join(FIX, "pass.ipynb"));
    expect(r.ok).toBe(true);
    expect(r.error).toBeNull();
    expect(r.timings.startupMs).toBeGreaterThan(0);
    expect(r.timings.cellMs).toHaveLength(4);
    expect(r.notebook.cells[1].outputs[0].text).toEqual(["hello\n", "world\n"]);

    const bad = await runNotebook(join(FIX, "type-error.ipynb"));
    expect(bad.ok).toBe(false);
    expect(bad.error).toContain("cell 2");
    const allowed = await runNotebook(join(FIX, "type-error.ipynb"), { allowErrors: true });
    expect(allowed.ok).toBe(true);
    expect(allowed.cellErrors.map((e: { cell: number }) => e.cell)).toEqual([2]);
    // With --allow-errors execution continues past the failing cell.
    expect(allowed.notebook.cells[3].outputs[0].text).toEqual(["never runs\n"]);
  });
});
