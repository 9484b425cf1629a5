/** `crypto` in the page: createHash over @noble/hashes (synchronous, as the sweep cache keys need), random bytes. */
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

const ALGORITHMS = { sha256, sha512, sha1 } as const;

export function createHash(algorithm: string) {
  const alg = ALGORITHMS[algorithm.toLowerCase() as keyof typeof ALGORITHMS];
  if (!alg) throw new Error(`hash "${algorithm}" is not available in the page (available: ${Object.keys(ALGORITHMS).join(", ")})`);
  const h = alg.create();
  const hash = {
    update(data: string | Uint8Array) {
      h.update(typeof data === "string" ? new TextEncoder().encode(data) : data);
      return hash;
    },
    digest(encoding?: string): string | Uint8Array {
      const bytes = h.digest();
      if (encoding === "hex") return bytesToHex(bytes);
      if (encoding === "base64") return btoa(String.fromCharCode(...bytes));
      if (encoding === undefined) return bytes;
      throw new Error(`digest encoding "${encoding}" is not available in the page (hex, base64)`);
    },
  };
  return hash;
}

export const randomBytes = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));
export const randomUUID = (): string => crypto.randomUUID();
export default { createHash, randomBytes, randomUUID };
