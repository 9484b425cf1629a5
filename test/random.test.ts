import { describe, expect, it } from "vitest";
import { createRng, normalVector, rngFromState, sampleWithoutReplacement } from "../lib/core/random";

describe("createRng: pinned streams (a change here changes every seeded number in the project)", () => {
  it("seed 0", () => {
    const r = createRng(0);
    expect([r.uniform(), r.uniform(), r.uniform()]).toEqual([0.8868539502021594, 0.012474988946590604, 0.032522145755498943]);
    const q = createRng(0);
    expect([q.normal(), q.normal(), q.normal()]).toEqual([0.48854632132701026, 0.03837218016081414, 2.5868475608858597]);
    expect(createRng(0).state()).toEqual({ s: [2462723854, 1020716019, 454327756, 1275600319], spare: null });
  });
  it("seed 42", () => {
    const r = createRng(42);
    expect([r.uniform(), r.uniform(), r.uniform()]).toEqual([0.6606157208001621, 0.1117019639532224, 0.0791056456144914]);
    const q = createRng(42);
    expect([q.normal(), q.normal(), q.normal()]).toEqual([0.6953712153418404, 0.5878986391985577, 2.242263762064122]);
    const t = createRng(42);
    expect([t.int(10), t.int(10), t.int(1000)]).toEqual([6, 1, 79]);
  });
  it("different seeds give different streams", () => {
    expect(createRng(1).uniform()).not.toBe(createRng(0).uniform());
  });
});

describe("distributions", () => {
  it("uniform lies in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12", () => {
    const r = createRng(7);
    const N = 200_000;
    let s = 0;
    let s2 = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < N; i++) {
      const x = r.uniform();
      s += x;
      s2 += x * x;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    const mean = s / N;
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / N));
    expect(Math.abs(s2 / N - mean * mean - 1 / 12)).toBeLessThan(2e-3);
  });
  it("normal has mean ≈ 0, variance ≈ 1 and kurtosis ≈ 3", () => {
    const z = normalVector(createRng(3), 200_000);
    let m1 = 0;
    let m2 = 0;
    let m4 = 0;
    for (const x of z) {
      m1 += x;
      m2 += x * x;
      m4 += x ** 4;
    }
    m1 /= z.length;
    m2 /= z.length;
    m4 /= z.length;
    expect(Math.abs(m1)).toBeLessThan(4 / Math.sqrt(z.length));
    expect(Math.abs(m2 - 1)).toBeLessThan(0.015);
    expect(Math.abs(m4 - 3)).toBeLessThan(0.1);
  });
  it("int(n) covers {0, …, n−1} evenly", () => {
    const r = createRng(5);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[r.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });
});

describe("state round trip", () => {
  it("a generator resumed from state() continues the same stream, including the spare Gaussian", () => {
    const r = createRng(11);
    r.uniform();
    r.normal(); // leaves a spare
    const saved = JSON.parse(JSON.stringify(r.state()));
    expect(saved.spare).not.toBeNull();
    const a = [r.normal(), r.normal(), r.uniform(), r.int(97)];
    const b = rngFromState(saved);
    expect([b.normal(), b.normal(), b.uniform(), b.int(97)]).toEqual(a);
  });
  it("state() is a copy", () => {
    const r = createRng(1);
    const s = r.state();
    r.uniform();
    expect(r.state()).not.toEqual(s);
  });
  it("rejects malformed states", () => {
    expect(() => rngFromState({ s: [1, 2, 3] as unknown as [number, number, number, number], spare: null })).toThrow(/four unsigned 32-bit/);
    expect(() => rngFromState({ s: [0, 0, 0, 0], spare: null })).toThrow(/all zero/);
    expect(() => rngFromState({ s: [1, 2, 3, -4], spare: null })).toThrow(TypeError);
    expect(() => rngFromState({ s: [1, 2, 3, 4], spare: NaN })).toThrow(/spare/);
  });
});

describe("validation", () => {
  it("rejects bad seeds with a message naming seed", () => {
    for (const bad of [-1, 1.5, 2 ** 32, NaN, Infinity]) expect(() => createRng(bad)).toThrow(/seed/);
    expect(() => createRng("0" as unknown as number)).toThrow(TypeError);
    expect(() => createRng(2 ** 32 - 1)).not.toThrow();
  });
  it("int rejects n < 1", () => {
    expect(() => createRng(0).int(0)).toThrow(/n must lie/);
  });
});

describe("sampleWithoutReplacement", () => {
  it("returns k distinct indices in range, reproducibly", () => {
    const a = sampleWithoutReplacement(createRng(9), 100, 30);
    expect(a.length).toBe(30);
    expect(new Set(a).size).toBe(30);
    for (const i of a) expect(i >= 0 && i < 100).toBe(true);
    expect(sampleWithoutReplacement(createRng(9), 100, 30)).toEqual(a);
    expect(Array.from(sampleWithoutReplacement(createRng(9), 5, 5)).sort()).toEqual([0, 1, 2, 3, 4]);
  });
  it("rejects k > n", () => {
    expect(() => sampleWithoutReplacement(createRng(0), 3, 4)).toThrow(/k must lie in \[0, 3\]/);
  });
  it("every index is equally likely", () => {
    const r = createRng(2);
    const counts = new Array(10).fill(0);
    for (let t = 0; t < 20_000; t++) for (const i of sampleWithoutReplacement(r, 10, 3)) counts[i]++;
    for (const c of counts) expect(Math.abs(c - 6000)).toBeLessThan(300);
  });
});
