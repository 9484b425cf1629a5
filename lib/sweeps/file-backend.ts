/**
 * The store backend of Node: one file <dir>/<name>.jsonl per store. Appends are durable and never tear a finished
 * record: each batch of lines is one write on a file opened for appending, followed by fsync; a line cut short by a
 * kill is terminated before the next append, so it stays one untrusted line. Rewrites (compaction, merge) go through a
 * temporary file renamed into place. Node only.
 */
import { closeSync, existsSync, fstatSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { StoreBackend } from "./memo";

/** The path of a store file. */
export function storeFile(dir: string, name: string): string {
  return join(dir, `${name}.jsonl`);
}

function fsyncDir(dir: string): void {
  let fd = -1;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // some file systems cannot fsync a directory: the rename is still atomic
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/**
 * Check that a store folder can be created and written, before any computation.
 * @throws RangeError naming the folder and the reason
 */
export function checkStoreDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    const probe = join(dir, `.write-test-${process.pid}`);
    closeSync(openSync(probe, "w"));
    unlinkSync(probe);
  } catch (e) {
    throw new RangeError(`cannot write sweep results to ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/**
 * A file store in `dir` (created on the first write); messages name files relative to `root` when inside it.
 * @example const b = fileBackend("data/sweeps"); await b.read("05-sparse-recovery")
 */
export function fileBackend(dir: string, options: { root?: string } = {}): StoreBackend {
  if (typeof dir !== "string" || dir === "") throw new TypeError(`dir must be a folder path, got ${JSON.stringify(dir)}`);
  return {
    async read(name) {
      const f = storeFile(dir, name);
      if (!existsSync(f)) return null;
      return readFileSync(f, "utf8").split("\n").filter((l) => l !== "");
    },
    async append(name, lines) {
      const f = storeFile(dir, name);
      mkdirSync(dirname(f), { recursive: true });
      const fd = openSync(f, "a+");
      try {
        let text = lines.map((l) => `${l}\n`).join("");
        const size = fstatSync(fd).size;
        if (size > 0) {
          const last = Buffer.alloc(1);
          readSync(fd, last, 0, 1, size - 1);
          if (last[0] !== 0x0a) text = `\n${text}`; // end a line cut short by a kill
        }
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    },
    async replace(name, lines) {
      const f = storeFile(dir, name);
      mkdirSync(dirname(f), { recursive: true });
      const tmp = `${f}.tmp-${process.pid}`;
      const fd = openSync(tmp, "w");
      try {
        writeSync(fd, lines.map((l) => `${l}\n`).join(""));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, f);
      fsyncDir(dirname(f));
    },
    async list(prefix) {
      if (!existsSync(dir)) return [];
      return readdirSync(dir)
        .filter((f) => f.endsWith(".jsonl") && f.startsWith(prefix))
        .map((f) => f.slice(0, -".jsonl".length));
    },
    describe(name) {
      const f = storeFile(dir, name);
      const rel = options.root ? relative(options.root, f) : f;
      return rel.startsWith("..") ? f : rel; // inside the repository: data/sweeps/<name>.jsonl
    },
  };
}
