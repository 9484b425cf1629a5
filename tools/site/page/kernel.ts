/**
 * The page's side of the Web Worker: starts it from a Blob of the bundled worker's source (Chromium refuses
 * `new Worker("file://…")`; a Blob URL works from file:// and served alike), hands it the site's files, answers
 * its requests (WebAssembly bytes, SVG renderings) and passes outputs to the cells.
 */
import type { Output, PageToWorker, WorkerToPage } from "../protocol";

type Win = Window & {
  __notebookWorkerMain?: () => void;
  __notebookFiles?: Record<string, string>;
  __notebookAssets?: Record<string, string>;
  vega?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  vegaLite?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
};
const win = window as Win;

/** Where runtime/ is, from this script's own URL (pages may live in sub-folders later). */
const RUNTIME = new URL(".", (document.currentScript as HTMLScriptElement | null)?.src ?? new URL("runtime/notebook.js", document.baseURI).href).href;
const CLAIMS_KEY = "momentum-dln:claims:";
const STORE_KEY = "momentum-dln:sweeps:";
/** Sweep records kept per store (characters): past this, new records live only as long as the page. */
const STORE_LIMIT = 2_000_000;

/** Load a runtime script once (a <script> element: the one way to read a file from a file:// page). */
const scripts = new Map<string, Promise<void>>();
export function loadScript(name: string): Promise<void> {
  let p = scripts.get(name);
  if (!p) {
    p = new Promise<void>((resolve, reject) => {
      const s = document.createElement("script");
      s.src = new URL(name, RUNTIME).href;
      s.onload = () => resolve();
      s.onerror = () => reject(new Error(`could not load ${s.src}`));
      document.head.appendChild(s);
    });
    scripts.set(name, p);
  }
  return p;
}

/** Bytes of an asset script's text: base64 of gzip (see writeAsset in build-runtime.mjs). */
async function unpack(b64: string): Promise<ArrayBuffer> {
  const bin = atob(b64);
  const packed = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) packed[i] = bin.charCodeAt(i);
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

async function asset(name: string): Promise<ArrayBuffer> {
  await loadScript(`${name}.js`);
  const b64 = win.__notebookAssets?.[name];
  if (!b64) throw new Error(`the site has no asset ${name}`);
  return unpack(b64);
}

async function renderSVG(spec: unknown): Promise<string> {
  const view = new win.vega.View(win.vega.parse(win.vegaLite.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The claims records of earlier runs in this browser (any page), so the ledger page sees the reader's runs. */
function storedClaims(): Record<string, string> {
  const out: Record<string, string> = {};
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i)!;
      if (k.startsWith(CLAIMS_KEY)) out[k.slice(CLAIMS_KEY.length)] = localStorage.getItem(k)!;
    }
  } catch { /* storage disabled: the shipped records are used */ }
  return out;
}

/**
 * The shipped store texts with the records this browser computed on earlier visits appended (a record is verified
 * by its hashes and code version when read, so a stale or damaged one is recomputed, never trusted).
 */
function withStoredRecords(files: Record<string, string>): Record<string, string> {
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i)!;
      if (!k.startsWith(STORE_KEY)) continue;
      const path = k.slice(STORE_KEY.length);
      const shipped = files[path] ?? "";
      files[path] = shipped + (shipped === "" || shipped.endsWith("\n") ? "" : "\n") + localStorage.getItem(k)!;
    }
  } catch { /* storage disabled: the shipped stores only */ }
  return files;
}

/** Keep a store's new records for the next visit (up to STORE_LIMIT characters per store). */
function storeRecords(path: string, lines: string[]): void {
  try {
    const text = (localStorage.getItem(STORE_KEY + path) ?? "") + lines.map((l) => `${l}\n`).join("");
    if (text.length <= STORE_LIMIT) localStorage.setItem(STORE_KEY + path, text);
  } catch { /* storage disabled or full: the records live as long as the page */ }
}

export interface KernelEvents {
  output(cell: number, output: Output, displayId?: string): void;
  update(cell: number, displayId: string, data: Record<string, unknown>): void;
  done(cell: number, ok: boolean, ms: number): void;
}

export class Kernel {
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  /** Bumped by stop(): a worker from an earlier generation (even one still booting) is terminated and ignored. */
  private generation = 0;
  /** Rejects the wait of a worker that is starting (stop() must not leave that wait pending forever). */
  private abortStart: ((e: Error) => void) | null = null;
  startMs = 0;

  constructor(private readonly events: KernelEvents) {}

  /** Start the worker (loads the worker bundle and the site's files on first use). */
  start(): Promise<Worker> {
    if (!this.starting) this.starting = this.boot(this.generation);
    return this.starting;
  }

  private async boot(generation: number): Promise<Worker> {
    const t0 = performance.now();
    await Promise.all([loadScript("worker.js"), loadScript("files.js")]);
    const main = win.__notebookWorkerMain;
    if (!main) throw new Error("runtime/worker.js did not define the worker");
    if (generation !== this.generation) throw new Error("stopped");
    const url = URL.createObjectURL(new Blob([`(${main.toString()})()`], { type: "text/javascript" }));
    const worker = new Worker(url);
    URL.revokeObjectURL(url);
    this.worker = worker;
    const files = { ...win.__notebookFiles };
    for (const [path, text] of Object.entries(storedClaims())) files[path] = text;
    withStoredRecords(files);
    let abort: ((e: Error) => void) | null = null;
    await new Promise<void>((resolve, reject) => {
      this.abortStart = abort = reject;
      worker.onerror = (e) => reject(new Error(`the notebook worker failed to start: ${e.message}`));
      worker.onmessage = (ev: MessageEvent<WorkerToPage>) => {
        if (ev.data.type === "ready") {
          worker.onmessage = (m: MessageEvent<WorkerToPage>) => { if (this.worker === worker) this.handle(worker, m.data); };
          resolve();
        }
      };
      worker.postMessage({ type: "init", files } satisfies PageToWorker);
    }).finally(() => { if (this.abortStart === abort) this.abortStart = null; });
    if (generation !== this.generation) {
      worker.terminate();
      throw new Error("stopped");
    }
    this.startMs = performance.now() - t0;
    return worker;
  }

  private handle(worker: Worker, msg: WorkerToPage): void {
    const send = (reply: PageToWorker, transfer: Transferable[] = []) => worker.postMessage(reply, transfer);
    if (msg.type === "output") this.events.output(msg.cell, msg.output, msg.displayId);
    else if (msg.type === "update") this.events.update(msg.cell, msg.displayId, msg.data);
    else if (msg.type === "done") this.events.done(msg.cell, msg.ok, msg.ms);
    else if (msg.type === "file") {
      try { localStorage.setItem(CLAIMS_KEY + msg.path, msg.text); } catch { /* storage disabled */ }
    } else if (msg.type === "store") {
      storeRecords(msg.path, msg.lines);
    } else if (msg.type === "request") {
      const answer = msg.what === "asset" ? asset(String(msg.arg)) : renderSVG(msg.arg);
      answer.then(
        (value) => send({ type: "reply", id: msg.id, ok: true, value }, value instanceof ArrayBuffer ? [value] : []),
        (e: Error) => send({ type: "reply", id: msg.id, ok: false, value: e.message }),
      );
    }
  }

  /** Run a cell's source (the worker runs them one after the other). */
  async run(cell: number, source: string): Promise<void> {
    const worker = await this.start();
    worker.postMessage({ type: "run", cell, source } satisfies PageToWorker);
  }

  /** Stop everything: the worker is terminated (the only way to interrupt a running cell) and forgotten. */
  stop(): void {
    this.generation++;
    this.abortStart?.(new Error("stopped"));
    this.worker?.terminate();
    this.worker = null;
    this.starting = null;
  }
}
