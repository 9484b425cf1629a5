// Watchdog thread of the notebook kernel (started by tslab-kernel.cjs). It runs on its own thread, so it works while
// a cell blocks the kernel's event loop: when the runner that started the kernel is gone (its pid is no longer our
// parent: SIGKILL, a crash, the OOM killer, CI cancellation), it kills the kernel's descendants, then the kernel.
"use strict";
const { workerData } = require("node:worker_threads");
const { killDescendants } = require("./proc-tree.cjs");

const { parentPid, kernelPid, intervalMs } = workerData;
setInterval(() => {
  if (process.ppid === parentPid) return;
  killDescendants(kernelPid);
  try { process.kill(-kernelPid, "SIGKILL"); } catch { /* not a group leader */ }
  process.kill(kernelPid, "SIGKILL");
}, intervalMs);
