/**
 * The page's kernel: a Web Worker that runs a notebook's cells one at a time with tslab's semantics (see
 * compile-cell.ts) against the library bundled for the browser. Outputs travel to the page as nbformat objects:
 * console.log / process.stdout → stdout stream, console.error → stderr, show/showTable/display → display_data,
 * an error → its message on stderr, as tslab prints it.
 */
import { CWD, REPO, setStreamWriters } from "./globals";
import { compileCell, CellSyntaxError } from "./compile-cell";
import { format } from "./inspect";
import { importModule, requireModule } from "./modules";
import { post, requestSVG, settle } from "./rpc";
import { onWrite, seed } from "./shims/fs";
import type { Output, PageToWorker } from "../protocol";

const started = performance.now();
const scope: Record<string, unknown> = {};
const declaredNames = new Set<string>();
let current = -1; // the cell whose outputs are being produced
let queue: Promise<void> = Promise.resolve();

const emit = (output: Output, displayId?: string): void => post({ type: "output", cell: current, output, displayId });
const stdout = (text: string): void => emit({ output_type: "stream", name: "stdout", text });
const stderr = (text: string): void => emit({ output_type: "stream", name: "stderr", text });

function installConsole(): void {
  const c = console as unknown as Record<string, (...a: unknown[]) => void>;
  for (const k of ["log", "info", "debug", "trace"]) c[k] = (...a: unknown[]) => stdout(`${format(...a)}\n`);
  for (const k of ["error", "warn"]) c[k] = (...a: unknown[]) => stderr(`${format(...a)}\n`);
  c.table = (data: unknown) => stdout(`${format(data)}\n`);
  setStreamWriters(stdout, stderr);
}

function installDisplay(): void {
  const g = globalThis as Record<string, unknown>;
  g.__notebookDisplay = (bundle: { data: Record<string, unknown>; transient: { display_id?: string } }, update: boolean) => {
    const id = bundle.transient?.display_id;
    if (update && id) post({ type: "update", cell: current, displayId: id, data: bundle.data });
    else emit({ output_type: "display_data", data: bundle.data, metadata: {} }, id);
  };
  g.__notebookToSVG = requestSVG;
  // Sweep records computed in the page (lib/sweeps/file-backend.browser.ts): the page keeps them for its next visit.
  g.__notebookStoreAppend = (file: string, lines: string[]) => {
    if (file.startsWith(`${REPO}/`)) post({ type: "store", path: file.slice(REPO.length + 1), lines });
  };
  g.require = requireModule;
  g.__dirname = CWD;
}

/** The error as tslab shows it: "Name: message", then the frames that point into the reader's cells. */
export function errorText(e: unknown): string {
  if (e instanceof CellSyntaxError) return `${e.message}\n`;
  if (!(e instanceof Error)) return `Uncaught ${format(e)}\n`;
  const frames = String(e.stack ?? "").split("\n").map((l) => /(cell\d+\.ts:\d+:\d+)/.exec(l)?.[1]).filter(Boolean);
  return `${e.name}: ${e.message}\n${frames.map((f) => `    at ${f}\n`).join("")}`;
}

async function runCell(cell: number, source: string): Promise<void> {
  current = cell;
  const t0 = performance.now();
  let ok = true;
  try {
    const compiled = compileCell(source, declaredNames, `cell${cell + 1}`);
    const fn = (0, eval)(compiled.code) as (s: typeof scope, i: typeof importModule) => Promise<unknown>;
    for (const n of compiled.declared) declaredNames.add(n);
    const value = await fn(scope, importModule);
    if (compiled.returnsLast && value != null) stdout(`${format(value)}\n`);
  } catch (e) {
    ok = false;
    stderr(errorText(e));
  }
  post({ type: "done", cell, ok, ms: performance.now() - t0 });
}

self.addEventListener("unhandledrejection", (ev: PromiseRejectionEvent) => {
  ev.preventDefault();
  stderr(`(in a promise nobody awaited) ${errorText(ev.reason)}`);
});

self.onmessage = (ev: MessageEvent<PageToWorker>) => {
  const msg = ev.data;
  if (msg.type === "init") {
    seed(Object.fromEntries(Object.entries(msg.files).map(([p, text]) => [`${REPO}/${p}`, text])));
    post({ type: "ready", ms: performance.now() - started });
  } else if (msg.type === "run") {
    queue = queue.then(() => runCell(msg.cell, msg.source));
  } else if (msg.type === "reply") {
    settle(msg.id, msg.ok, msg.value);
  }
};

installConsole();
installDisplay();
// Claims records and sweep results written by cells also go to the page, which keeps the claims for the ledger.
onWrite((path, data) => {
  if (path.startsWith(`${REPO}/.cache/claims/`) && typeof data === "string") post({ type: "file", path: path.slice(REPO.length + 1), text: data });
});
