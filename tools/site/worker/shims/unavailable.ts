/** Node facilities the page cannot offer: each throws an error that says so, when called (importing is fine). */
const unavailable = (what: string) => (): never => {
  throw new Error(`${what} is not available in the page: this runs on the kernel only (npm start, or Jupyter)`);
};

// child_process
export const execFileSync = unavailable("running programs (child_process)");
export const execSync = execFileSync;
export const execFile = execFileSync;
export const exec = execFileSync;
export const spawn = execFileSync;
export const spawnSync = execFileSync;
export const fork = execFileSync;

// worker_threads: runSweep runs in the page's own Web Worker instead (os.availableParallelism() is 0)
export class Worker {
  constructor() {
    unavailable("worker threads (worker_threads)")();
  }
}
export const parentPort = null;
export const workerData = null;
export const isMainThread = true;
export const threadId = 0;

export default { execFileSync, execSync, execFile, exec, spawn, spawnSync, fork, Worker, parentPort, workerData, isMainThread, threadId };
