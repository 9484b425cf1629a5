/**
 * A store backend in memory, seeded from shipped store texts: what a browser Web Worker uses (no file system). Records
 * computed in the page are kept for the page's lifetime. Pure.
 */
import type { StoreBackend } from "./memo";

/**
 * @param seed store texts by name (e.g. the shipped data/sweeps/<name>.jsonl, fetched by the page)
 * @returns a backend whose `dump(name)` gives a store's current text
 * @example const b = memoryBackend({ "05-sparse-recovery": text }); await sweep(grid, { backend: b })
 */
export function memoryBackend(seed: Record<string, string> = {}): StoreBackend & { dump(name: string): string | null } {
  if (seed === null || typeof seed !== "object") throw new TypeError("seed must be an object { storeName: text }");
  const stores = new Map<string, string[]>();
  for (const [name, text] of Object.entries(seed)) {
    if (typeof text !== "string") throw new TypeError(`seed.${name} must be the text of a store, got ${typeof text}`);
    stores.set(name, text.split("\n").filter((l) => l !== ""));
  }
  return {
    async read(name) {
      const s = stores.get(name);
      return s ? s.slice() : null;
    },
    async append(name, lines) {
      stores.set(name, [...(stores.get(name) ?? []), ...lines]);
    },
    async replace(name, lines) {
      stores.set(name, lines.slice());
    },
    async list(prefix) {
      return Array.from(stores.keys()).filter((k) => k.startsWith(prefix));
    },
    describe(name) {
      return `store "${name}" (memory)`;
    },
    dump(name) {
      const s = stores.get(name);
      return s ? `${s.join("\n")}\n` : null;
    },
  };
}
