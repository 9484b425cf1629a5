/**
 * Canonical JSON and content hashes for the sweep store. Pure (no Node built-ins): runs in Node, in a browser Web
 * Worker and in tslab alike. sha256 comes from js-sha256 (synchronous, unlike the browser's SubtleCrypto).
 */
import { sha256 } from "js-sha256";

/**
 * JSON with object keys sorted and `undefined` fields dropped, so equal values give equal text.
 * @param x a JSON-ready value (numbers must be finite: a NaN or ±∞ would be written as null and lose information)
 * @returns the canonical text
 * @throws RangeError for a non-finite number (naming its path)
 * @example canonicalJSON({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJSON(x: unknown, path = "value"): string {
  if (typeof x === "number") {
    if (!Number.isFinite(x)) throw new RangeError(`${path} is ${x}; the sweep store holds finite numbers only`);
    return JSON.stringify(x);
  }
  if (Array.isArray(x)) return `[${x.map((v, i) => canonicalJSON(v, `${path}[${i}]`)).join(",")}]`;
  if (ArrayBuffer.isView(x)) return canonicalJSON(Array.from(x as unknown as ArrayLike<number>), path);
  if (x !== null && typeof x === "object") {
    const o = x as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(o[k], `${path}.${k}`)}`).join(",")}}`;
  }
  if (x === undefined) return "null";
  return JSON.stringify(x);
}

/**
 * The first 16 hex digits (64 bits) of the SHA-256 of a text: the store's content hash.
 * @example digest("abc") // "ba7816bf8f01cfea"
 */
export function digest(text: string): string {
  if (typeof text !== "string") throw new TypeError(`digest needs a string, got ${typeof text}`);
  return sha256(text).slice(0, 16);
}

/** FNV-1a over a string → unsigned 32-bit integer (seeds derived from coordinates, independent of scheduling). */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
