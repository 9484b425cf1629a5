// Execute a Jupyter notebook on the real tslab kernel, headless, with no Python.
// We speak the Jupyter messaging protocol (v5.3) over ZeroMQ ourselves: no maintained
// Node package does "run this .ipynb on a kernel" (see /work/shared/toolchain.md §2b).
import { spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as zmq from "zeromq";
import procTree from "./kernel/proc-tree.cjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
// tslab through our wrapper: queued iopub sends, async errors per cell, a watchdog (see the wrapper's header).
const KERNEL_ENTRY = join(ROOT, "tools", "kernel", "tslab-kernel.cjs");
const DELIM = "<IDS|MSG>";

export const KERNELSPEC = { name: "tslab", display_name: "TypeScript", language: "typescript" };

// Every kernel we started, so that no exit path (error, timeout, signal) can leak one.
const liveKernels = new Set();
const liveDirs = new Set(); // their connection-file folders

/** Kill every kernel this process started, and their descendants. Synchronous, so it is safe in 'exit' handlers. */
export function killAllKernels() {
  for (const child of liveKernels) killGroup(child);
  for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
}
process.on("exit", killAllKernels);

function killGroup(child, signal = "SIGKILL") {
  // Descendants first, while the kernel still holds them together: one that detached into its own process group
  // escapes the group kill below, and is re-parented to init (unfindable) once the kernel is gone.
  if (child.exitCode === null && child.signalCode === null) procTree.killDescendants(child.pid);
  // The kernel is spawned detached (own process group), so -pid reaches it and what it spawned in its group.
  try { process.kill(-child.pid, signal); } catch { /* already gone */ }
  try { child.kill(signal); } catch { /* already gone */ }
}

/** Read a notebook, with an error that says which file and why if it is not a v4 notebook. */
export function readNotebook(path) {
  let text;
  try { text = readFileSync(path, "utf8"); } catch (e) {
    throw new Error(`${path}: cannot read notebook (${e.code ?? e.message})`);
  }
  let nb;
  try { nb = JSON.parse(text); } catch (e) {
    // Node 20 reports only a character offset; a line number is what a person can act on.
    const pos = Number(/position (\d+)/.exec(e.message)?.[1]);
    const at = Number.isFinite(pos) ? ` (line ${text.slice(0, pos).split("\n").length})` : "";
    throw new Error(`${path}: malformed notebook JSON${at}: ${e.message}`);
  }
  if (!nb || typeof nb !== "object" || !Array.isArray(nb.cells)) {
    throw new Error(`${path}: not a Jupyter notebook (no "cells" array)`);
  }
  if (nb.nbformat !== 4) {
    throw new Error(`${path}: unsupported nbformat ${JSON.stringify(nb.nbformat)} (need 4)`);
  }
  return nb;
}

/** Serialise like Jupyter does (indent 1, sorted keys, trailing newline) so re-saves give no diff. */
export function serializeNotebook(nb) {
  return JSON.stringify(sortKeys(nb), null, 1) + "\n";
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys(v[k]);
    return out;
  }
  return v;
}

/** nbformat's on-disk "multiline string": an array of lines that keep their "\n". */
export function splitLines(s) {
  if (Array.isArray(s)) return s;
  const lines = String(s).split(/(?<=\n)/);
  return lines.length === 1 && lines[0] === "" ? [] : lines;
}
const joinText = (t) => (Array.isArray(t) ? t.join("") : String(t ?? ""));

// JSON mimetypes keep their object form; every other string is split into lines (as nbformat does).
const isJsonMime = (m) => m === "application/json" || /^application\/.+\+json$/.test(m);
function normalizeData(data) {
  const out = {};
  for (const [mime, v] of Object.entries(data ?? {})) {
    out[mime] = typeof v === "string" && !isJsonMime(mime) ? splitLines(v) : v;
  }
  return out;
}

// ---------------------------------------------------------------- the kernel connection

/** A connection file for the ipc transport (no TCP port to pick, so no race with other runners on the machine). */
function writeConnection() {
  const dir = mkdtempSync(join(tmpdir(), "nbrun-"));
  liveDirs.add(dir);
  const key = randomBytes(32).toString("hex");
  const conn = {
    transport: "ipc", ip: join(dir, "k"), key, signature_scheme: "hmac-sha256",
    shell_port: 1, iopub_port: 2, stdin_port: 3, control_port: 4, hb_port: 5,
  };
  const connPath = join(dir, "conn.json");
  writeFileSync(connPath, JSON.stringify(conn));
  return { dir, conn, connPath, key, addr: (port) => `ipc://${conn.ip}:${port}` };
}

/**
 * Start the kernel through its watchdog wrapper. JPY_SESSION_NAME tells the kernel which notebook it runs, as Jupyter
 * servers do (claims.ts records a series notebook's verdicts only when it is that notebook, never for a copy).
 * @returns the child, a promise of its exit, the tail of its own output, and its exit information once it exited
 */
function spawnKernel(cwd, connPath, notebook) {
  const child = spawn(process.execPath, [KERNEL_ENTRY, "--parent-pid", String(process.pid), "--config-path", connPath], {
    cwd, detached: true, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, JPY_SESSION_NAME: notebook },
  });
  liveKernels.add(child);
  // Keep the tail of the kernel's own output: when it dies, that is the only explanation we get.
  let log = "";
  const keep = (b) => { log = (log + b.toString()).slice(-4000); };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exitInfo = null;
  const exited = new Promise((res) => {
    child.on("exit", (code, signal) => { exitInfo = { code, signal }; liveKernels.delete(child); res(exitInfo); });
    child.on("error", (err) => { exitInfo = { code: null, signal: null, err }; liveKernels.delete(child); res(exitInfo); });
  });
  return { child, exited, log: () => log, exitInfo: () => exitInfo };
}

/**
 * The shell, control and iopub sockets, with HMAC-signed messages: `handlers` maps a request's msg_id to the
 * callbacks its reply and its iopub messages go to; unsigned or forged messages are dropped.
 */
function openSockets({ conn, addr, key }) {
  const shell = new zmq.Dealer({ linger: 0 });
  const control = new zmq.Dealer({ linger: 0 });
  const iopub = new zmq.Subscriber({ linger: 0, receiveHighWaterMark: 0 }); // 0: no limit, drop nothing
  shell.connect(addr(conn.shell_port));
  control.connect(addr(conn.control_port));
  iopub.connect(addr(conn.iopub_port));
  iopub.subscribe();
  const sign = (parts) => {
    const h = createHmac("sha256", key);
    for (const p of parts) h.update(p);
    return h.digest("hex");
  };
  const handlers = new Map(); // msg_id -> { reply(msg), iopub(msg) }
  const parse = (frames) => {
    const i = frames.findIndex((f) => f.toString() === DELIM);
    if (i < 0) return null;
    const parts = frames.slice(i + 2, i + 6);
    if (sign(parts) !== frames[i + 1].toString()) return null;
    const [header, parent_header, metadata, content] = parts.map((p) => JSON.parse(p.toString()));
    return { header, parent_header, metadata, content };
  };
  const pump = async (sock, kind) => {
    try {
      for await (const frames of sock) {
        const m = parse(frames);
        const h = m && handlers.get(m.parent_header?.msg_id);
        if (h) h[kind](m);
      }
    } catch { /* socket closed */ }
  };
  pump(shell, "reply");
  pump(control, "reply");
  pump(iopub, "iopub");
  return { shell, control, iopub, sign, handlers };
}

function startKernel(cwd, { startupTimeout, outputGrace, notebook }) {
  const connection = writeConnection();
  const proc = spawnKernel(cwd, connection.connPath, notebook);
  const { child, exited } = proc;
  const { shell, control, iopub, sign, handlers } = openSockets(connection);
  const { dir } = connection;
  const session = randomBytes(16).toString("hex");

  const deathMessage = () => {
    const info = proc.exitInfo();
    const how = info?.err ? `failed to start (${info.err.message})`
      : `exited unexpectedly (${info?.signal ? "signal " + info.signal : "code " + info?.code})`;
    return `kernel ${how}` + (proc.log().trim() ? `\n--- kernel output ---\n${proc.log().trim()}` : "");
  };

  /**
   * Send one request and resolve once both its reply and the iopub "idle" for it arrived,
   * with every iopub message in between. Rejects on timeout, on kernel death, or when "idle" has not come
   * `outputGrace` ms after the reply (its output would then be incomplete: better a clear error than a wait for
   * the whole timeout). With `keepIopub`, iopub messages of this request that come later (output of its timers,
   * its asynchronous errors) still reach `onIopub`.
   */
  function request(sock, msg_type, content, timeoutMs, onIopub = () => {}, { keepIopub = false } = {}) {
    const header = { msg_id: randomBytes(16).toString("hex"), session, username: "runner",
      date: new Date().toISOString(), msg_type, version: "5.3" };
    const parts = [header, {}, {}, content].map((o) => JSON.stringify(o));
    let timer, graceTimer;
    const done = new Promise((res, rej) => {
      let reply = null, idle = false;
      const finish = () => { if (reply && idle) res(reply); };
      handlers.set(header.msg_id, {
        reply: (m) => {
          reply = m;
          if (!idle) graceTimer = setTimeout(() => rej(new Error(`the kernel sent no "idle" status within ${outputGrace} ms of its ${m.header.msg_type}: its output may be incomplete`)), outputGrace);
          finish();
        },
        iopub: (m) => {
          if (m.header.msg_type === "status") {
            if (m.content.execution_state === "idle") { idle = true; finish(); }
          } else onIopub(m);
        },
      });
      sock.send([DELIM, sign(parts), ...parts]).catch(rej);
      if (timeoutMs > 0) timer = setTimeout(() => rej(Object.assign(new Error("timeout"), { timeout: true })), timeoutMs);
      exited.then(() => rej(new Error(deathMessage())));
    });
    return done.finally(() => {
      clearTimeout(timer);
      clearTimeout(graceTimer);
      if (keepIopub) handlers.set(header.msg_id, { reply() {}, iopub: (m) => { if (m.header.msg_type !== "status") onIopub(m); } });
      else handlers.delete(header.msg_id);
    });
  }

  async function ready() {
    // Slow joiner: iopub drops what is published before the subscription is live, so we
    // retry kernel_info until one attempt sees both its reply and its "idle".
    const t0 = Date.now();
    for (;;) {
      if (proc.exitInfo()) throw new Error(deathMessage());
      try {
        return await request(shell, "kernel_info_request", {}, 500);
      } catch (e) {
        if (!e.timeout) throw e;
        if (Date.now() - t0 > startupTimeout) throw new Error(`kernel did not answer kernel_info within ${startupTimeout} ms` + (proc.log().trim() ? `\n--- kernel output ---\n${proc.log().trim()}` : ""));
      }
    }
  }

  async function shutdown() {
    if (!proc.exitInfo()) {
      // What the notebook started goes first: once the kernel exits, a detached grandchild cannot be found.
      procTree.killDescendants(child.pid);
      // Ask nicely (tslab exits ~0.2 s after shutdown_reply), then make sure.
      await Promise.race([
        request(control, "shutdown_request", { restart: false }, 1000).catch(() => {}),
        exited,
      ]);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 1000))]);
    }
    killGroup(child);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    for (const s of [shell, control, iopub]) { try { s.close(); } catch { /* closed */ } }
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  }

  return { child, request, ready, shutdown, shell, kill: () => killGroup(child) };
}

// ---------------------------------------------------------------- outputs

/** Turn iopub messages of one execute_request into nbformat 4 outputs. */
function outputCollector() {
  const outputs = [];
  const errors = [];
  const byDisplayId = new Map();
  let clearPending = false;
  const push = (o) => {
    if (clearPending) { outputs.length = 0; byDisplayId.clear(); clearPending = false; }
    const last = outputs[outputs.length - 1];
    // Merge consecutive chunks of the same stream, as Jupyter front ends do.
    if (o.output_type === "stream" && last?.output_type === "stream" && last.name === o.name) {
      last.text += o.text;
      return;
    }
    outputs.push(o);
  };
  const onIopub = (m) => {
    const c = m.content;
    switch (m.header.msg_type) {
      case "stream": push({ output_type: "stream", name: c.name, text: c.text }); break;
      case "display_data": {
        const o = { output_type: "display_data", data: c.data ?? {}, metadata: c.metadata ?? {} };
        push(o);
        const id = c.transient?.display_id;
        if (id != null) byDisplayId.set(id, [...(byDisplayId.get(id) ?? []), o]);
        break;
      }
      case "update_display_data":
        for (const o of byDisplayId.get(c.transient?.display_id) ?? []) {
          o.data = c.data ?? {}; o.metadata = c.metadata ?? {};
        }
        break;
      case "execute_result":
        push({ output_type: "execute_result", data: c.data ?? {}, metadata: c.metadata ?? {}, execution_count: c.execution_count ?? null });
        break;
      case "error": {
        const o = { output_type: "error", ename: c.ename ?? "", evalue: c.evalue ?? "", traceback: c.traceback ?? [] };
        push(o);
        errors.push(o); // kept apart so that a clear_output cannot hide it
        break;
      }
      case "clear_output":
        if (c.wait) clearPending = true; else { outputs.length = 0; byDisplayId.clear(); }
        break;
    }
  };
  const finalize = () => outputs.map((o) => {
    if (o.output_type === "stream") return { ...o, text: splitLines(o.text) };
    if ("data" in o) return { ...o, data: normalizeData(o.data) };
    return o;
  });
  const stderrText = () => outputs.filter((o) => o.output_type === "stream" && o.name === "stderr").map((o) => o.text).join("");
  return { onIopub, finalize, stderrText, errors };
}

/** Drop metadata that changes on every run (JupyterLab/VS Code timestamps), so in-place re-runs diff cleanly. */
function cleanCellMetadata(md) {
  const out = { ...(md ?? {}) };
  delete out.execution;
  delete out.ExecuteTime;
  if (out.vscode && typeof out.vscode === "object") delete out.vscode;
  return out;
}

const firstLine = (src) => (joinText(src).split("\n").find((l) => l.trim()) ?? "").trim().slice(0, 80);

// ---------------------------------------------------------------- the runner

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// After the last cell: how long a timer of that cell may take to fail and still fail the notebook.
const SETTLE_MS = 300;

/**
 * Execute every code cell of the notebook at `path` on a fresh tslab kernel (cwd = the notebook's folder).
 * A cell fails on a compile or runtime error, and also on an asynchronous error (a throw in a timer or callback,
 * an unhandled rejection) that its code caused, reported while a later cell runs or within SETTLE_MS of the end.
 * @param {string} path
 * @param {{timeout?: number, allowErrors?: boolean, startupTimeout?: number, outputGrace?: number}} [opts]
 *   timeout is per cell, in ms; outputGrace is how long to wait for a cell's output after its reply (default 5000)
 * @returns {Promise<{notebook: object|null, timings: {startupMs: number, cellMs: number[]}, ok: boolean,
 *   error: string|null, cellErrors: {cell: number, message: string}[]}>}
 */
export async function runNotebook(path, opts = {}) {
  const { timeout = 10 * 60_000, allowErrors = false, startupTimeout = 120_000, outputGrace = 5000 } = opts;
  const name = basename(path);
  const timings = { startupMs: 0, cellMs: [] };
  const cellErrors = [];
  let nb;
  try { nb = readNotebook(path); } catch (e) {
    return { notebook: null, timings, ok: false, error: e.message, cellErrors };
  }

  const t0 = performance.now();
  const kernel = startKernel(dirname(resolve(path)), { startupTimeout, outputGrace, notebook: resolve(path) });
  const ran = []; // {cell, where, col, reported}: every executed cell, for output and errors that come late
  const fail = (n, msg) => {
    cellErrors.push({ cell: n, message: msg });
    if (!allowErrors) throw new Error(msg);
  };
  const checkAsync = () => {
    for (const r of ran) {
      for (const e of r.col.errors.slice(r.reported)) {
        r.reported++;
        fail(r.n, `${name}: ${r.where} raised an asynchronous error (${e.ename}: ${e.evalue})\n${e.traceback.join("\n")}`);
      }
    }
  };
  let error = null;
  try {
    let info;
    try { info = await kernel.ready(); } catch (e) {
      throw new Error(`${name}: ${e.message}`);
    }
    timings.startupMs = Math.round(performance.now() - t0);

    let n = 0;
    for (const cell of nb.cells) {
      cell.source = splitLines(joinText(cell.source));
      cell.metadata = cleanCellMetadata(cell.metadata);
      if (cell.cell_type !== "code") continue;
      const r = { cell, n: ++n, where: `cell ${n} (${JSON.stringify(firstLine(cell.source))})`, col: outputCollector(), reported: 0 };
      ran.push(r);
      const failed = await executeCell(kernel, r, { name, timeout, timings, fail });
      if (failed) await sleep(250); // tslab drops requests arriving within 200 ms of an error (execQueue.reset(200)).
      checkAsync();
    }
    // Let the last cells' timers fail now rather than never, then make sure their messages have arrived: the
    // kernel publishes in order, so once a later request's "idle" is here, everything before it is too.
    await sleep(SETTLE_MS);
    await kernel.request(kernel.shell, "kernel_info_request", {}, 10_000);
    checkAsync();

    nb.metadata = { ...(nb.metadata ?? {}), kernelspec: { ...KERNELSPEC } };
    const li = info?.content?.language_info;
    nb.metadata.language_info = li ? { ...li } : { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" };
    if (nb.nbformat_minor >= 5) nb.cells.forEach((c, i) => { if (!c.id) c.id = `cell-${i}`; });
  } catch (e) {
    error = e.message;
  } finally {
    for (const r of ran) r.cell.outputs = r.col.finalize(); // with what came after each cell's reply
    await kernel.shutdown();
  }
  // On failure the notebook is returned as far as it got (callers decide whether to write it).
  return { notebook: nb, timings, ok: !error, error, cellErrors };
}

/** Run one code cell; `fail` reports (and, unless errors are allowed, throws) its error. Returns whether it failed. */
async function executeCell(kernel, r, { name, timeout, timings, fail }) {
  const { cell, where, col } = r;
  const tc = performance.now();
  let reply;
  try {
    reply = await kernel.request(kernel.shell, "execute_request", {
      code: joinText(cell.source), silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true,
    }, timeout, col.onIopub, { keepIopub: true });
  } catch (e) {
    if (e.timeout) {
      kernel.kill(); // tslab's SIGINT interrupt cannot stop a pending await; kill is the reliable stop.
      throw new Error(`${name}: ${where} timed out after ${timeout} ms; kernel killed`);
    }
    throw new Error(`${name}: ${where}: ${e.message}`);
  } finally {
    timings.cellMs.push(Math.round(performance.now() - tc));
  }
  cell.outputs = col.finalize();
  cell.execution_count = reply.content.execution_count ?? null;
  if (reply.content.status === "ok") return false;
  // tslab reports errors only as stderr text, with no ename/evalue and no "error" message.
  const detail = [reply.content.ename, reply.content.evalue].filter(Boolean).join(": ");
  r.reported = col.errors.length; // this failure's own error message, if the kernel sent one, is reported here
  fail(r.n, `${name}: ${where} failed (status ${reply.content.status})\n${(col.stderrText() || detail || "(no error text from kernel)").trimEnd()}`);
  return true;
}
