// The page's worker computes x ** y with tools/site/worker/fdlibm-pow.ts so that its numbers are the kernel's bit
// for bit (Chromium's own pow differs in the last bit for about one input in ten). The reference is the Math.pow
// of the Node that runs this test, the Node of the kernel (Node 20: V8's port of fdlibm's pow).
import { describe, expect, it } from "vitest";
import { fdlibmPow, pagePow } from "../tools/site/worker/fdlibm-pow";

/** A seeded generator of doubles (no Math.random: a failure must be reproducible). */
function doubles(seed: number) {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  return {
    uniform: next,
    /** Any double, from 64 random bits (NaN, infinities and subnormals included). */
    anyBits(): number {
      words[0] = next() * 2 ** 32;
      words[1] = next() * 2 ** 32;
      return bits[0];
    },
  };
}

/** The pairs (x, y) where the two functions differ (Object.is: −0 ≠ 0, NaN = NaN). */
function mismatches(f: (x: number, y: number) => number, pairs: [number, number][]): [number, number, number, number][] {
  return pairs.filter(([x, y]) => !Object.is(f(x, y), Math.pow(x, y))).map(([x, y]) => [x, y, f(x, y), Math.pow(x, y)]);
}

describe("fdlibmPow: the kernel's x ** y", () => {
  const g = doubles(20261201);
  const general: [number, number][] = [];
  for (let i = 0; i < 60_000; i++) general.push([(g.uniform() - 0.2) * Math.exp((g.uniform() - 0.5) * 60), (g.uniform() - 0.5) * (g.uniform() < 0.5 ? 8 : 400)]);
  for (let i = 0; i < 20_000; i++) general.push([g.anyBits(), g.anyBits()]);
  for (let i = 0; i < 10_000; i++) general.push([1 + (g.uniform() - 0.5) * 1e-9, (g.uniform() - 0.5) * 1e11]); // |y| > 2³¹, x near 1
  for (let i = 0; i < 10_000; i++) general.push([(g.uniform() - 0.5) * 20, Math.round((g.uniform() - 0.5) * 60)]); // negative x, integer y
  for (let i = 0; i < 10_000; i++) general.push([g.uniform() * 1e-300, 1 + g.uniform() * 3]); // subnormal results
  for (let i = 0; i < 10_000; i++) general.push([g.uniform() * 1e-310, (g.uniform() - 0.5) * 3]); // subnormal x

  it("equals Math.pow bit for bit on 120,000 seeded inputs (all magnitudes, signs, subnormals, NaN)", () => {
    expect(mismatches(fdlibmPow, general).slice(0, 5)).toEqual([]);
  });

  it("equals Math.pow on every pair of special values (±0, ±1, ±∞, NaN, ½, 2, huge and tiny exponents)", () => {
    const sp = [0, -0, 1, -1, Infinity, -Infinity, NaN, 0.5, -0.5, 2, -2, 3, -3, 1.5, 1e-310, -1e-310, 5e-324, 1e308, -1e308,
      2 ** 31, 2 ** 31 + 1, 2 ** 53, 2 ** 64, 2 ** 64 + 2 ** 12, -(2 ** 53) - 2, 1 + 2 ** -52, 1 - 2 ** -53, 1023, 1024, -1074, -1075, 1e20];
    const pairs: [number, number][] = sp.flatMap((x) => sp.map((y): [number, number] => [x, y]));
    expect(mismatches(fdlibmPow, pairs)).toEqual([]);
  });

  it("pagePow (what the worker installs as Math.pow) is the same function, with y = 2 as x·x", () => {
    expect(mismatches(pagePow, general.slice(0, 20_000))).toEqual([]);
    expect(mismatches(pagePow, [[NaN, 2], [-0, 2], [1e200, 2], [-3, 2], [Infinity, 2]])).toEqual([]);
  });
});
