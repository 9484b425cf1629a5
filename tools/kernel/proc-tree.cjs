// The descendants of a process, read from /proc (Linux), and a way to kill all of them: a process group kill misses
// children that detached into their own group or session, and once their parent is gone they are re-parented to
// init and can no longer be found. So descendants are frozen (SIGSTOP) first, the tree re-read until it stops
// growing, and only then killed. Plain CommonJS: used by the runner and by the kernel's watchdog thread.
"use strict";
const { readdirSync, readFileSync } = require("node:fs");

/** Map ppid -> child pids of every process visible in /proc (empty where /proc is absent). */
function childrenByParent() {
  const map = new Map();
  let entries;
  try { entries = readdirSync("/proc"); } catch { return map; }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try { stat = readFileSync(`/proc/${name}/stat`, "utf8"); } catch { continue; } // exited meanwhile
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (!map.has(ppid)) map.set(ppid, []);
    map.get(ppid).push(Number(name));
  }
  return map;
}

/** Pids of every descendant of `pid` (children, grandchildren, ...), not `pid` itself. */
function descendants(pid) {
  const map = childrenByParent();
  const out = [];
  const todo = [pid];
  while (todo.length) {
    for (const c of map.get(todo.pop()) ?? []) { out.push(c); todo.push(c); }
  }
  return out;
}

const signal = (pid, sig) => { try { process.kill(pid, sig); return true; } catch { return false; } };

/**
 * SIGKILL every descendant of `pid` (not `pid` itself). Freezes them first so that none can fork or be re-parented
 * while the tree is read. Returns the pids signalled.
 */
function killDescendants(pid) {
  const seen = new Set();
  for (let round = 0; round < 10; round++) {
    const fresh = descendants(pid).filter((p) => !seen.has(p));
    if (fresh.length === 0) break;
    for (const p of fresh) { seen.add(p); signal(p, "SIGSTOP"); }
  }
  for (const p of seen) signal(p, "SIGKILL");
  return [...seen];
}

module.exports = { descendants, killDescendants };
