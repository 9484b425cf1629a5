import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { all, create } from "mathjs";
import { asinhRatio, asinhRatioDiff, bregmanPsi, expm1MinusX, gradPsi, gradPsiInverse, hessianPsiDiag, psi, psiTerms } from "../lib/bias/entropy";

// High-precision reference (decimal.js through mathjs, 120 significant digits).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mathjs' typings do not follow BigNumber through asinh/sqrt
const m: any = create(all, { number: "BigNumber", precision: 120 });
type BN = { toString(): string };
const bn = (x: number): BN => m.bignumber(x.toPrecision(100)); // the exact binary value, not the shortest decimal
const num = (x: unknown): number => Number((x as BN).toString());

/** ¼[2w·asinh(2w/Δ) − √(4w² + Δ²) + Δ] in 120 digits; a series where the direct form would cancel 120 digits. */
function psiRef(w: number, D: number): number {
  if (w === 0) return 0;
  const W = bn(w);
  const Dl = bn(D);
  const z = m.divide(m.multiply(2, W), Dl) as BN;
  if (Math.abs(num(z)) < 1e-20) {
    // Δ·(z²/2 − z⁴/24)/4
    const z2 = m.multiply(z, z) as BN;
    return num(m.divide(m.multiply(Dl, m.subtract(m.divide(z2, 2), m.divide(m.multiply(z2, z2), 24))), 4));
  }
  const t1 = m.multiply(m.multiply(2, W), m.asinh(z));
  const t2 = m.sqrt(m.add(m.multiply(4, m.multiply(W, W)), m.multiply(Dl, Dl)));
  return num(m.divide(m.add(m.subtract(t1, t2), Dl), 4));
}

function psiRefBN(W: BN, Dl: BN): BN {
  const z = m.divide(m.multiply(2, W), Dl) as BN;
  const t1 = m.multiply(m.multiply(2, W), m.asinh(z));
  const t2 = m.sqrt(m.add(m.multiply(4, m.multiply(W, W)), m.multiply(Dl, Dl)));
  return m.divide(m.add(m.subtract(t1, t2), Dl), 4) as BN;
}

/** D(w, w̃) straight from the definition, in 120 digits (enough for |w − w̃| ≥ 1e-12·|w|). */
function bregmanRef(w: number, wt: number, D: number): number {
  const W = bn(w);
  const Wt = bn(wt);
  const Dl = bn(D);
  const grad = m.divide(m.asinh(m.divide(m.multiply(2, Wt), Dl)), 2);
  return num(m.subtract(m.subtract(psiRefBN(W, Dl), psiRefBN(Wt, Dl)), m.multiply(grad, m.subtract(W, Wt))));
}

const relErr = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE));
const one = (x: number) => Float64Array.from([x]);

describe("psi (hyperbolic entropy)", () => {
  it("has the closed-form value at w = 1, Δ = 2", () => {
    // ¼[2 asinh 1 − √8 + 2] = ½(asinh 1 − √2 + 1)
    expect(psi(one(1), 2)).toBeCloseTo(0.5 * (Math.asinh(1) - Math.SQRT2 + 1), 15);
    expect(psi(one(0), 1e-3)).toBe(0);
    expect(psi(Float64Array.from([1, -1]), 2)).toBeCloseTo(2 * psi(one(1), 2), 15);
  });

  it("matches a 120-digit reference from Δ = 1e-300 to 1e300 and |w| from 1e-300 to 1e300", () => {
    const ws = [1e-300, 1e-100, 1e-20, 1e-8, 0.3, 1, 7.5, 1e3, 1e100, 1e300];
    const Ds = [1e-300, 1e-100, 1e-12, 1e-3, 1, 2, 1e8, 1e100, 1e300];
    let worst = 0;
    for (const w of ws) {
      for (const D of Ds) {
        for (const sgn of [1, -1]) {
          const got = psi(one(sgn * w), D);
          const ref = psiRef(sgn * w, D);
          if (ref === 0 || !Number.isFinite(ref) || Math.abs(ref) < 1e-290) continue; // reference under/overflows in double
          expect(Number.isFinite(got)).toBe(true);
          worst = Math.max(worst, relErr(got, ref));
        }
      }
    }
    expect(worst).toBeLessThan(1e-14);
  });

  it("psiTerms sum to psi and each term is ≥ 0", () => {
    const w = Float64Array.from([0.5, -2, 0, 1e-9, 3e4]);
    const D = Float64Array.from([1e-6, 0.1, 1, 2, 1e-12]);
    const t = psiTerms(w, D);
    expect(t.every((x) => x >= 0)).toBe(true);
    expect(t.reduce((a, b) => a + b, 0)).toBeCloseTo(psi(w, D), 12);
  });

  it("Δ → 0: ψ ≈ ½Σ|w|(ln(4|w|/Δ) − 1) (a weighted ℓ1 norm)", () => {
    const w = Float64Array.from([1, -0.3, 2.5, 1e-2]);
    const D = Float64Array.from([1e-10, 1e-12, 1e-9, 1e-11]);
    let approx = 0;
    for (let i = 0; i < w.length; i++) approx += 0.5 * Math.abs(w[i]) * (Math.log((4 * Math.abs(w[i])) / D[i]) - 1);
    // the next term of the expansion is +Δ_i/4 per coordinate, a relative 1e-11 here
    expect(relErr(psi(w, D), approx)).toBeLessThan(1e-10);
    // and not at moderate Δ (the test can fail)
    expect(relErr(psi(w, 0.5), 0.5 * [...w].reduce((a, x) => a + Math.abs(x) * (Math.log((4 * Math.abs(x)) / 0.5) - 1), 0))).toBeGreaterThan(1e-3);
  });

  it("Δ → ∞: ψ ≈ Σ w²/(2Δ) (a weighted ℓ2 norm)", () => {
    const w = Float64Array.from([1, -0.3, 2.5, 0]);
    const D = Float64Array.from([1e8, 1e9, 1e7, 1e8]);
    let approx = 0;
    for (let i = 0; i < w.length; i++) approx += (w[i] * w[i]) / (2 * D[i]);
    expect(relErr(psi(w, D), approx)).toBeLessThan(1e-12);
  });

  it("a smaller Δ_i penalises coordinate i more", () => {
    const w = one(0.7);
    expect(psi(w, 1e-6)).toBeGreaterThan(psi(w, 1e-3));
    expect(psi(w, 1e-3)).toBeGreaterThan(psi(w, 1));
    expect(psi(w, 1)).toBeGreaterThan(psi(w, 1e3));
  });
});

describe("gradPsi / hessianPsiDiag", () => {
  it("gradient is ½ asinh(2w/Δ), also where 2w/Δ overflows", () => {
    for (const [w, D] of [[1, 2], [-3, 0.1], [1e-5, 1e-12], [1e300, 1e-300], [-1e200, 1e-200]] as const) {
      const ref = num(m.divide(m.asinh(m.divide(m.multiply(2, bn(w)), bn(D))), 2));
      expect(relErr(gradPsi(one(w), D)[0], ref)).toBeLessThan(1e-15);
    }
  });

  it("gradient matches central finite differences of psi", () => {
    const w = Float64Array.from([0.4, -1.3, 0.02, 3]);
    const D = Float64Array.from([0.5, 1e-3, 0.1, 2]);
    const g = gradPsi(w, D);
    for (let i = 0; i < w.length; i++) {
      const h = 1e-6 * Math.max(Math.abs(w[i]), D[i]);
      const wp = Float64Array.from(w);
      const wm = Float64Array.from(w);
      wp[i] += h;
      wm[i] -= h;
      const fd = (psi(wp, D) - psi(wm, D)) / (2 * h);
      expect(relErr(fd, g[i])).toBeLessThan(1e-6);
    }
  });

  it("Hessian diagonal 1/√(4w² + Δ²) matches finite differences of the gradient", () => {
    const w = Float64Array.from([0.4, -1.3, 0.02, 3, 0]);
    const D = Float64Array.from([0.5, 1e-3, 0.1, 2, 1e-8]);
    const Hd = hessianPsiDiag(w, D);
    for (let i = 0; i < w.length; i++) {
      expect(relErr(Hd[i], 1 / Math.sqrt(4 * w[i] * w[i] + D[i] * D[i]))).toBeLessThan(1e-15);
      const h = 1e-6 * Math.max(Math.abs(w[i]), D[i]);
      const fd = (gradPsi(one(w[i] + h), D[i])[0] - gradPsi(one(w[i] - h), D[i])[0]) / (2 * h);
      expect(relErr(fd, Hd[i])).toBeLessThan(1e-6);
    }
  });

  it("gradPsiInverse inverts gradPsi, with log-domain exponentials for tiny Δ", () => {
    const w = Float64Array.from([0.4, -1.3, 2e-9, 3, -7e5]);
    const D = Float64Array.from([0.5, 1e-300, 1e-3, 2, 1e-12]);
    const back = gradPsiInverse(gradPsi(w, D), D);
    for (let i = 0; i < w.length; i++) expect(relErr(back[i], w[i])).toBeLessThan(1e-13);
    expect(() => gradPsiInverse(one(400), 1)).toThrow(/overflows/);
  });
});

describe("bregmanPsi", () => {
  it("is 0 at w = w̃ and positive elsewhere", () => {
    const w = Float64Array.from([0.4, -1.3, 0.02]);
    expect(bregmanPsi(w, w, 0.1)).toBe(0);
    expect(bregmanPsi(w, Float64Array.from([0.4, -1.3, 0.03]), 0.1)).toBeGreaterThan(0);
    // ψ(w) = D(w, 0) since ψ(0) = 0 and ∇ψ(0) = 0
    expect(relErr(bregmanPsi(w, new Float64Array(3), 0.1), psi(w, 0.1))).toBeLessThan(1e-14);
  });

  it("matches a 120-digit reference, including w ≈ w̃ (where the definition cancels) and extreme Δ", () => {
    const cases: [number, number, number][] = [];
    for (const D of [1e-300, 1e-12, 1e-3, 1, 1e8]) {
      for (const w of [1e-20, 1e-6, 0.3, 1, -2, 1e6]) {
        for (const f of [1 + 1e-10, 1 + 1e-4, 0.5, 3, -1, -0.2, 1e-3]) cases.push([w, w * f, D]);
        cases.push([w, 0, D], [0, w, D]);
      }
    }
    let worst = 0;
    for (const [w, wt, D] of cases) {
      const got = bregmanPsi(one(w), one(wt), D);
      const ref = bregmanRef(w, wt, D);
      expect(got).toBeGreaterThanOrEqual(0);
      if (!(Math.abs(ref) > 1e-290) || !Number.isFinite(ref)) continue;
      worst = Math.max(worst, relErr(got, ref));
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it("property: equals ψ(w) − ψ(w̃) − ⟨∇ψ(w̃), w − w̃⟩ and is ≥ 0 on random vectors", () => {
    const f64 = fc.double({ min: -5, max: 5, noNaN: true });
    fc.assert(
      fc.property(fc.array(f64, { minLength: 3, maxLength: 3 }), fc.array(f64, { minLength: 3, maxLength: 3 }), fc.integer({ min: -8, max: 2 }), (a, b, e) => {
        const w = Float64Array.from(a);
        const wt = Float64Array.from(b);
        const D = 10 ** e;
        const got = bregmanPsi(w, wt, D);
        const g = gradPsi(wt, D);
        let direct = psi(w, D) - psi(wt, D);
        for (let i = 0; i < 3; i++) direct -= g[i] * (w[i] - wt[i]);
        const scale = psi(w, D) + psi(wt, D) + 1e-300;
        return got >= 0 && Math.abs(got - direct) <= 1e-12 * scale + 1e-300;
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe("numerical safety", () => {
  it("no NaN or ∞ for extreme inputs", () => {
    const vals = [0, 1e-300, -1e-300, 1e-20, 1, -1, 1e150, -1e300, 1e300];
    for (const D of [1e-300, 1e-12, 1, 1e300]) {
      const w = Float64Array.from(vals);
      const outs = [psi(w, D), ...gradPsi(w, D), ...hessianPsiDiag(w, D), ...psiTerms(w, D)];
      for (const x of outs) expect(Number.isFinite(x)).toBe(true);
      for (const a of vals) for (const b of vals) expect(Number.isFinite(bregmanPsi(one(a), one(b), D))).toBe(true);
    }
  });

  it("helpers: asinhRatio, asinhRatioDiff and expm1MinusX", () => {
    expect(asinhRatio(1e300, 1e-300)).toBeCloseTo(Math.LN2 + 600 * Math.LN10, 10); // ln(2·1e600)
    expect(asinhRatio(-2, 1)).toBe(Math.asinh(-2));
    // a ≈ b: the plain difference would keep ~6 digits, the identity keeps all
    const a = 1;
    const b = 1 + 1e-10;
    const ref = num(m.subtract(m.asinh(bn(b)), m.asinh(bn(a))));
    expect(relErr(asinhRatioDiff(b, a, 1), ref)).toBeLessThan(1e-14);
    expect(relErr(expm1MinusX(1e-8), 5e-17 + 1e-24 / 6)).toBeLessThan(1e-15);
    expect(relErr(expm1MinusX(-0.3), Math.exp(-0.3) - 1 + 0.3)).toBeLessThan(1e-14);
    expect(expm1MinusX(-800)).toBe(799);
  });

  it("rejects non-positive Δ and mismatched lengths", () => {
    expect(() => psi(one(1), 0)).toThrow(RangeError);
    expect(() => psi(one(1), -1)).toThrow(/Delta/);
    expect(() => psi(Float64Array.from([1, 2]), Float64Array.from([1]))).toThrow(/length 2/);
    expect(() => gradPsi(Float64Array.from([NaN]), 1)).toThrow(/w\[0\]/);
    expect(() => bregmanPsi(one(1), Float64Array.from([1, 2]), 1)).toThrow(/wTilde/);
  });
});
