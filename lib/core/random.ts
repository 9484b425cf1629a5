/**
 * Seeded pseudo-random numbers: xoshiro128** (Blackman & Vigna) on four 32-bit words, seeded through
 * splitmix32. Only 32-bit integer arithmetic and Math.log/sqrt/cos/sin are used, so the stream is
 * bit-identical on every machine with the same Node major. The whole state (including the cached second
 * Box–Muller draw) is a plain object, so a run can be saved and resumed.
 */
import { checkInteger, checkSize } from "./validate";

export interface RngState {
  /** The four xoshiro128** words as unsigned 32-bit integers. */
  s: [number, number, number, number];
  /** The spare Gaussian from the last Box–Muller pair, or null. */
  spare: number | null;
}

export interface Rng {
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal N(0, 1) (Box–Muller). */
  normal(): number;
  /** Uniform integer in {0, …, n−1}. */
  int(n: number): number;
  /** A copy of the current state (JSON-serialisable). */
  state(): RngState;
}

function splitmix32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x9e3779b9) >>> 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function fromWords(state: RngState): Rng {
  const s = Uint32Array.from(state.s);
  let spare = state.spare;
  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  const uniform = (): number => {
    const hi = nextU32() >>> 5; // 27 bits
    const lo = nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };
  return {
    uniform,
    normal() {
      if (spare !== null) {
        const z = spare;
        spare = null;
        return z;
      }
      let u1 = uniform();
      while (u1 === 0) u1 = uniform(); // log(0) guard
      const u2 = uniform();
      const r = Math.sqrt(-2 * Math.log(u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      return r * Math.cos(2 * Math.PI * u2);
    },
    int(n: number) {
      checkInteger("n", n, { min: 1, max: 2 ** 32 });
      return Math.floor(uniform() * n);
    },
    state() {
      return { s: [s[0], s[1], s[2], s[3]], spare };
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * A generator seeded by a non-negative integer seed.
 * @example createRng(0).uniform() // 0.8868539502021594 (pinned in test/random.test.ts)
 * @throws TypeError/RangeError if seed is not an integer in [0, 2^32).
 */
export function createRng(seed: number): Rng {
  checkInteger("seed", seed, { min: 0, max: 2 ** 32 - 1 });
  const next = splitmix32(seed);
  return fromWords({ s: [next(), next(), next(), next()], spare: null });
}

/** Resume a generator from a saved state. */
export function rngFromState(state: RngState): Rng {
  if (!state || !Array.isArray(state.s) || state.s.length !== 4 || state.s.some((w) => !Number.isInteger(w) || w < 0 || w > 0xffffffff)) {
    throw new TypeError("state.s must be four unsigned 32-bit integers");
  }
  if (state.s.every((w) => w === 0)) throw new RangeError("state.s must not be all zero (xoshiro's fixed point)");
  if (state.spare !== null && !Number.isFinite(state.spare)) throw new TypeError("state.spare must be a finite number or null");
  return fromWords(state);
}

/** Fisher–Yates: k distinct indices from {0, …, n−1}, in draw order. */
export function sampleWithoutReplacement(rng: Rng, n: number, k: number): Int32Array {
  checkSize("n", n);
  checkInteger("k", k, { min: 0, max: n });
  const pool = new Int32Array(n);
  for (let i = 0; i < n; i++) pool[i] = i;
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const tmp = pool[i];
    pool[i] = pool[j];
    pool[j] = tmp;
  }
  return pool.slice(0, k);
}

/** A vector of n standard normal draws. */
export function normalVector(rng: Rng, n: number): Float64Array {
  checkSize("n", n);
  const out: Float64Array = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal();
  return out;
}
