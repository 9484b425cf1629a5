#!/usr/bin/env node
// The tslab kernel as the notebook runner starts it: tslab itself, plus three things it lacks.
//   node tools/kernel/tslab-kernel.cjs --parent-pid PID --config-path CONNECTION.json
// 1. No lost output. tslab publishes every stream chunk without awaiting zeromq's send, and zeromq refuses a send
//    while another is in flight (EBUSY, swallowed by console.log): a burst of printing loses lines, and a lost
//    "idle" status left the runner waiting for its whole timeout. Sends are queued here, per socket, in order, and
//    iopub has no high-water mark (zeromq would drop messages beyond 1000 queued).
// 2. Asynchronous errors are reported. tslab only prints an uncaught exception or an unhandled rejection (to
//    whichever cell is running). Here each cell runs in an AsyncLocalStorage context, so the error is published as
//    an nbformat "error" message of the cell whose code scheduled the failing callback; the runner fails that cell.
// 3. The kernel dies with its runner, however the runner dies: a watchdog thread (watchdog.cjs) notices when the
//    runner is no longer our parent and kills the kernel and all its descendants.
"use strict";
const { AsyncLocalStorage } = require("node:async_hooks");
const { writeSync } = require("node:fs");
const { dirname, join } = require("node:path");
const { inspect } = require("node:util");
const { Worker } = require("node:worker_threads");

const TSLAB = dirname(require.resolve("tslab/package.json"));

function parseArgs(argv) {
  const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const configPath = opt("--config-path");
  const parentPid = Number(opt("--parent-pid"));
  if (!configPath || !(parentPid > 0)) {
    writeSync(2, "usage: tslab-kernel.cjs --parent-pid PID --config-path CONNECTION.json\n");
    process.exit(2);
  }
  return { configPath, parentPid };
}

function startWatchdog(parentPid) {
  const worker = new Worker(join(__dirname, "watchdog.cjs"), { workerData: { parentPid, kernelPid: process.pid, intervalMs: 200 } });
  worker.unref(); // it must not keep the kernel alive after a normal shutdown
}

/**
 * The socket classes tslab creates, replaced by subclasses that send one message at a time, in call order
 * (zeromq's send is read-only on its prototype, hence subclasses); iopub without a high-water mark.
 */
function patchZeromq() {
  const zmq = require(require.resolve("zeromq", { paths: [TSLAB] }));
  const tails = new WeakMap(); // socket -> its last queued send (sockets are sealed: no property of our own)
  const queued = (Base, defaults = {}) => class extends Base {
    constructor(options) { super({ ...defaults, ...options }); }
    send(message) {
      const next = (tails.get(this) ?? Promise.resolve()).then(() => super.send(message));
      tails.set(this, next.catch(() => {})); // tslab ignores the promise: a closed socket must not crash the kernel
      return next;
    }
  };
  zmq.Publisher = queued(zmq.Publisher, { sendHighWaterMark: 0 });
  zmq.Router = queued(zmq.Router);
  zmq.Reply = queued(zmq.Reply);
}

/** Run each execute request in an async context that names it; report async errors to that request's cell. */
function attributeAsyncErrors() {
  const jupyter = require(join(TSLAB, "dist", "jupyter.js"));
  const cellOf = new AsyncLocalStorage();
  const requestOf = new WeakMap(); // request content -> the ZmqMessage it came in
  let server = null;
  let lastRequest = null;

  const handleExecute = jupyter.ZmqServer.prototype.handleExecute;
  jupyter.ZmqServer.prototype.handleExecute = function (sock, msg) {
    server = this;
    requestOf.set(msg.content, msg);
    return handleExecute.call(this, sock, msg);
  };
  const handleExecuteImpl = jupyter.JupyterHandlerImpl.prototype.handleExecuteImpl;
  jupyter.JupyterHandlerImpl.prototype.handleExecuteImpl = function (req, ...rest) {
    const msg = requestOf.get(req) ?? null;
    lastRequest = msg;
    return cellOf.run(msg, () => handleExecuteImpl.call(this, req, ...rest));
  };

  return function report(kind, reason) {
    const error = describeError(kind, reason);
    const msg = cellOf.getStore() ?? lastRequest;
    if (!server || !msg) {
      // Before any cell ran: only the kernel's own stderr can say it (the runner shows it if the kernel dies).
      writeSync(2, `${error.traceback.join("\n")}\n`);
      return;
    }
    const reply = msg.createReply();
    reply.header.msg_type = "error";
    reply.content = error;
    reply.signAndSend(server.connInfo.key, server.iopub);
  };
}

/** nbformat error content {ename, evalue, traceback} for an uncaught exception or an unhandled rejection. */
function describeError(kind, reason) {
  const isError = reason instanceof Error;
  const what = kind === "uncaughtException" ? "uncaught exception" : "unhandled promise rejection";
  const ename = isError ? reason.name : kind === "uncaughtException" ? "UncaughtException" : "UnhandledRejection";
  const evalue = isError ? reason.message : inspect(reason);
  const lines = (isError && reason.stack ? reason.stack : `${ename}: ${evalue}`).split("\n");
  // The frames below the cell's own code are the kernel's (vm, tslab, this file): noise to a reader.
  const inKernel = lines.findIndex((l, i) => i > 0 && /node:vm:|[\\/]tslab[\\/]dist[\\/]|tslab-kernel\.cjs/.test(l));
  return { ename, evalue, traceback: [`Asynchronous error (${what}):`, ...(inKernel > 0 ? lines.slice(0, inKernel) : lines)] };
}

function main() {
  const { configPath, parentPid } = parseArgs(process.argv.slice(2));
  startWatchdog(parentPid);
  patchZeromq();
  const report = attributeAsyncErrors();
  require(join(TSLAB, "dist", "main.js")).startKernel({ configPath, enableFindLocal: false });
  // tslab's own handlers only print the error to the running cell; ours report it to the cell that caused it.
  for (const kind of ["uncaughtException", "unhandledRejection"]) {
    process.removeAllListeners(kind);
    process.on(kind, (reason) => report(kind, reason));
  }
}

main();
