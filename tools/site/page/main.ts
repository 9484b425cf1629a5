/**
 * A notebook page that runs: every code cell gets an editor (CodeMirror), Run (Shift+Enter), Restore; the page
 * gets Run all and Stop. Cells run in a Web Worker (kernel.ts) with the kernel's semantics. Live outputs replace
 * the published ones, which stay in the HTML for readers without JavaScript. Running a cell first runs the cells
 * above it that have not run yet in this page, so an edited cell can be run straight away.
 *
 * Page API (tests, tools): window.notebook = { cells, setSource(i, text), run(i), runAll(), outputs(i), stop() }.
 */
import { mountEditor, type CellEditor } from "./editor";
import { Kernel } from "./kernel";
import { renderOutput } from "./outputs";
import type { Output } from "../protocol";

interface RunResult { cell: number; ok: boolean; ms: number; error?: string }

interface Cell {
  index: number;
  root: HTMLElement;
  published: string;
  staticOutputs: HTMLElement | null;
  live: HTMLElement;
  editor: CellEditor;
  label: HTMLElement;
  outputs: { output: Output; el: HTMLElement; displayId?: string }[];
  renders: Promise<string | null>[];
  ran: boolean;
  waiting: ((r: RunResult) => void) | null;
}

const cells: Cell[] = [];
let executionCount = 0;
let chain: Promise<unknown> = Promise.resolve();
let status: HTMLElement;

const events = {
  output(i: number, output: Output, displayId?: string) {
    const c = cells[i];
    if (!c) return;
    const last = c.outputs[c.outputs.length - 1];
    if (output.output_type === "stream" && last?.output.output_type === "stream" && last.output.name === output.name) {
      last.output.text += output.text; // consecutive chunks of one stream are one output, as in Jupyter
      last.el.querySelector("pre")!.textContent = last.output.text;
      return;
    }
    const { el, rendered } = renderOutput(output);
    c.outputs.push({ output, el, displayId });
    c.renders.push(rendered);
    c.live.appendChild(el);
  },
  update(i: number, displayId: string, data: Record<string, unknown>) {
    for (const o of cells[i]?.outputs ?? []) {
      if (o.displayId !== displayId || o.output.output_type !== "display_data") continue;
      o.output.data = data;
      const { el } = renderOutput(o.output);
      o.el.replaceWith(el);
      o.el = el;
    }
  },
  done(i: number, ok: boolean, ms: number) {
    const c = cells[i];
    if (!c?.waiting) return;
    const finish = c.waiting;
    c.waiting = null;
    void Promise.all(c.renders).then((problems) => {
      const chartError = problems.find((p) => p !== null) ?? undefined;
      const error = ok ? chartError : stderrOf(c) || "the cell failed";
      finish({ cell: i, ok: ok && !chartError, ms, error });
    });
  },
};
const kernel = new Kernel(events);

const stderrOf = (c: Cell): string =>
  c.outputs.map((o) => o.output).filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => (o as { text: string }).text).join("").trim();

function setStatus(text: string, state: "idle" | "busy" | "error" = "idle"): void {
  status.textContent = text;
  status.dataset.state = state;
}

function startCell(c: Cell): void {
  c.outputs = [];
  c.renders = [];
  c.live.replaceChildren();
  c.live.hidden = false;
  if (c.staticOutputs) c.staticOutputs.hidden = true;
  c.root.classList.remove("cell-ok", "cell-error");
  c.root.classList.add("cell-running");
  c.label.textContent = "[*]";
}

/** Run one cell now (callers serialise through `chain`). */
async function runOne(c: Cell): Promise<RunResult> {
  startCell(c);
  setStatus(`running cell ${c.index + 1} of ${cells.length}…`, "busy");
  let mine: ((r: RunResult) => void) | null = null;
  const result = new Promise<RunResult>((resolve) => { c.waiting = mine = resolve; });
  try {
    await kernel.run(c.index, c.editor.get());
  } catch (e) {
    const message = (e as Error).message;
    if (c.waiting !== mine) return { cell: c.index, ok: false, ms: 0, error: "stopped" }; // stop() settled this run
    c.waiting = null;
    events.output(c.index, { output_type: "stream", name: "stderr", text: `${message}\n` });
    return finishCell(c, { cell: c.index, ok: false, ms: 0, error: message });
  }
  return finishCell(c, await result);
}

function finishCell(c: Cell, r: RunResult): RunResult {
  c.ran = r.ok || c.ran;
  c.root.classList.remove("cell-running");
  c.root.classList.add(r.ok ? "cell-ok" : "cell-error");
  c.label.textContent = `[${++executionCount}]`;
  if (r.error === "stopped") setStatus("stopped: the next run starts afresh");
  else setStatus(r.ok ? `cell ${c.index + 1} ran in ${(r.ms / 1000).toFixed(2)} s` : `cell ${c.index + 1} failed: see its output`, r.ok ? "idle" : "error");
  return r;
}

// Runs in flight, held here so that a caller's promise stays alive while its cell runs (tools may hold theirs
// only weakly: Playwright reported an awaited run as garbage-collected while the worker was busy).
const inflight = new Set<Promise<unknown>>();

function serial<T>(job: () => Promise<T>): Promise<T> {
  const p = chain.then(job, job);
  chain = p.catch(() => undefined);
  inflight.add(p);
  void p.finally(() => inflight.delete(p)).catch(() => undefined);
  return p;
}

function checkIndex(i: unknown): Cell {
  if (!Number.isInteger(i) || (i as number) < 0 || (i as number) >= cells.length) {
    throw new RangeError(`cell index must be an integer in [0, ${cells.length - 1}], got ${String(i)}`);
  }
  return cells[i as number];
}

/** Run cell i, after any cell above it that has not run yet; resolves when it (and its charts) finished. */
function run(i: number): Promise<RunResult> {
  const target = checkIndex(i);
  return serial(async () => {
    for (const c of cells.slice(0, target.index)) {
      if (c.ran) continue;
      const r = await runOne(c);
      if (!r.ok) return { ...r, error: `cell ${c.index + 1} (run first, as it had not run yet) failed: ${r.error}` };
    }
    return runOne(target);
  });
}

/** Run every cell in order, stopping at the first that fails. */
function runAll(): Promise<{ ok: boolean; ms: number; cells: RunResult[] }> {
  return serial(async () => {
    const t0 = performance.now();
    const results: RunResult[] = [];
    for (const c of cells) {
      const r = await runOne(c);
      results.push(r);
      if (!r.ok) break;
    }
    const ok = results.length === cells.length && results.every((r) => r.ok);
    const ms = performance.now() - t0;
    if (ok) setStatus(`all ${cells.length} cells ran in ${(ms / 1000).toFixed(1)} s`);
    return { ok, ms, cells: results };
  });
}

/** Stop: terminate the worker; every cell counts as not run (its variables are gone). */
function stop(): void {
  kernel.stop();
  for (const c of cells) {
    c.ran = false;
    c.root.classList.remove("cell-running");
    c.waiting?.({ cell: c.index, ok: false, ms: 0, error: "stopped" });
    c.waiting = null;
  }
  chain = Promise.resolve();
  setStatus("stopped: the next run starts afresh", "idle");
}

function restore(c: Cell): void {
  c.editor.set(c.published);
  c.live.replaceChildren();
  c.live.hidden = true;
  if (c.staticOutputs) c.staticOutputs.hidden = false;
  c.outputs = [];
  c.root.classList.remove("cell-ok", "cell-error", "cell-edited");
}

function button(text: string, title: string, onClick: () => void, cls = ""): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.title = title;
  if (cls) b.className = cls;
  b.addEventListener("click", onClick);
  return b;
}

function setUpCell(root: HTMLElement, index: number): Cell {
  const source = root.querySelector<HTMLElement>("pre.source");
  const published = source?.textContent ?? "";
  const staticOutputs = root.querySelector<HTMLElement>(".outputs");
  const bar = document.createElement("div");
  bar.className = "cell-bar";
  const label = document.createElement("span");
  label.className = "cell-count";
  label.textContent = "[ ]";
  const live = document.createElement("div");
  live.className = "outputs live";
  live.hidden = true;
  const anchor = source ?? root.firstChild ?? root.appendChild(document.createElement("span"));
  const cell: Cell = { index, root, published, staticOutputs, live, label, outputs: [], renders: [], ran: false, waiting: null, editor: null as unknown as CellEditor };
  cell.editor = mountEditor(anchor as Element, published, `code cell ${index + 1}`, (advance) => {
    void run(index);
    if (advance) cells[index + 1]?.editor.focus();
  }, () => root.classList.toggle("cell-edited", cell.editor.get() !== published));
  if (source) source.hidden = true;
  bar.append(label, button("Run", "Run this cell (Shift+Enter in the editor)", () => void run(index), "run"),
    button("Restore", "Put back the published code and outputs", () => restore(cell), "restore"));
  root.insertBefore(bar, root.firstChild);
  root.insertBefore(live, staticOutputs ?? null);
  return cell;
}

function setUp(): void {
  const main = document.querySelector("main");
  const roots = Array.from(document.querySelectorAll<HTMLElement>("main .cell.code"));
  if (!main || roots.length === 0) return;
  roots.forEach((r, i) => cells.push(setUpCell(r, i)));
  const toolbar = document.createElement("div");
  toolbar.className = "run-toolbar";
  status = document.createElement("span");
  status.className = "run-status";
  status.setAttribute("role", "status");
  toolbar.append(button("Run all", "Run every cell in order, in your browser", () => void runAll(), "run-all"),
    button("Stop", "Stop the running cell and forget every variable", stop, "stop"), status);
  main.insertBefore(toolbar, main.firstChild);
  setStatus("Edit any cell and run it here (Shift+Enter): it runs in your browser, offline.");
  const api = {
    get cells() {
      return cells.map((c) => ({ index: c.index, source: c.editor.get(), published: c.published, ran: c.ran }));
    },
    setSource(i: number, text: string) {
      if (typeof text !== "string") throw new TypeError(`text must be a string, got ${typeof text}`);
      checkIndex(i).editor.set(text);
    },
    run,
    runAll,
    outputs: (i: number): Output[] => JSON.parse(JSON.stringify(checkIndex(i).outputs.map((o) => o.output))),
    stop,
    get startMs() { return kernel.startMs; },
  };
  (window as unknown as { notebook: typeof api }).notebook = api;
  document.body.dataset.runtime = "ready";
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
else setUp();
