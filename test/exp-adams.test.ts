import { describe, expect, it } from "vitest";
import { dopri5, type Rhs } from "../lib/dynamics/ode";
import { expAdams, type DampedSystem } from "../lib/dynamics/ode/exp-adams";
import { phiFunctions } from "../lib/dynamics/ode/phi";

const linspace = (a: number, b: number, n: number): number[] => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

/**
 * λẍ + ẋ + kx = 0 from x = 1, ẋ = 0. Roots of λr² + r + k = 0, written without cancellation:
 * r₁ = −2k/(1 + √(1 − 4λk)) (slow, ≈ −k) and r₂ = −(1 + √(1 − 4λk))/(2λ) (fast, ≈ −1/λ); overdamped for 4λk < 1.
 * x = (r₂e^{r₁t} − r₁e^{r₂t})/(r₂ − r₁), ẋ = r₁r₂(e^{r₁t} − e^{r₂t})/(r₂ − r₁), and the closed forms of ∫x and ∫ẋ².
 */
function stiffOscillator(lambda: number, k: number) {
  const q = Math.sqrt(1 - 4 * lambda * k);
  const r1 = (-2 * k) / (1 + q), r2 = -(1 + q) / (2 * lambda);
  const den = r2 - r1;
  const A = (r1 * r2) / den;
  const em1 = (r: number, t: number): number => Math.expm1(r * t) / r; // ∫₀ᵗ e^{rs} ds
  return {
    x: (t: number) => (r2 * Math.exp(r1 * t) - r1 * Math.exp(r2 * t)) / den,
    v: (t: number) => A * (Math.exp(r1 * t) - Math.exp(r2 * t)),
    intX: (t: number) => (r2 * em1(r1, t) - r1 * em1(r2, t)) / den,
    intV2: (t: number) => A * A * (em1(2 * r1, t) - 2 * em1(r1 + r2, t) + em1(2 * r2, t)),
  };
}

describe("φ-functions", () => {
  const out = new Float64Array(7);
  it("match their closed forms (φ₁ = (eᶻ − 1)/z, φ₂ = (eᶻ − 1 − z)/z²) on both sides of the series/recurrence switch", () => {
    for (const z of [-1e-9, -0.3, -1.9999, -2, -2.0001, -7, -60]) {
      phiFunctions(z, 6, out);
      expect(out[0]).toBeCloseTo(Math.exp(z), 15);
      expect(Math.abs(out[1] / (Math.expm1(z) / z) - 1)).toBeLessThan(1e-14);
      if (Math.abs(z) > 0.1) expect(Math.abs(out[2] / ((Math.expm1(z) - z) / (z * z)) - 1)).toBeLessThan(1e-13);
    }
  });
  it("satisfy φ_k(z) = zφ_{k+1}(z) + 1/k! and φ_k(0) = 1/k!", () => {
    let fact = 1;
    for (const z of [-1e-6, -0.5, -1.99, -2.01, -4, -30]) {
      phiFunctions(z, 6, out);
      fact = 1;
      for (let k = 0; k < 6; k++) {
        if (k > 0) fact *= k;
        expect(Math.abs(z * out[k + 1] + 1 / fact - out[k])).toBeLessThan(2e-15 * Math.max(1, Math.abs(z * out[k + 1])));
      }
    }
    phiFunctions(0, 4, out);
    expect(Array.from(out.subarray(0, 5))).toEqual([1, 1, 0.5, 1 / 6, 1 / 24]);
  });
});

describe("expAdams: the stiff damped oscillator of the ODE zoo (λ = 1e-4)", () => {
  const lambda = 1e-4, k = 1, T = 10;
  const ex = stiffOscillator(lambda, k);
  const sys: DampedSystem = { lambda, dim: 1, force: (t, x, f) => void (f[0] = -k * x[0]) };
  const times = linspace(0, T, 41);

  it("matches the closed form to the tolerance, in steps set by the slow path (not by λ)", () => {
    const r = expAdams(sys, Float64Array.from([1, 0]), times, { rtol: 1e-8, atol: 1e-12 });
    let err = 0;
    r.t.forEach((t, i) => (err = Math.max(err, Math.abs(r.y[i][0] - ex.x(t)), 1e-4 * Math.abs(r.y[i][1] - ex.v(t)))));
    expect(err).toBeLessThan(200 * 1e-8);
    expect(r.stats.steps).toBeLessThan(300);
    expect(r.stats.fevals).toBe(2 * (r.stats.steps + r.stats.rejected) + 1);
  });

  it("dopri5 solves the same problem to the same accuracy but needs steps of about 3λ", () => {
    const f: Rhs = (t, y, d) => {
      d[0] = y[1];
      d[1] = (-y[1] - k * y[0]) / lambda;
    };
    const r = dopri5(f, Float64Array.from([1, 0]), times, { rtol: 1e-8, atol: 1e-12 });
    let err = 0;
    r.t.forEach((t, i) => (err = Math.max(err, Math.abs(r.y[i][0] - ex.x(t)))));
    expect(err).toBeLessThan(200 * 1e-8);
    expect(r.stats.steps).toBeGreaterThan(T / (4 * lambda));
  });

  it("the velocity, including its initial transient of length λ, is accurate in the dense output", () => {
    const fine = [0, lambda / 2, lambda, 3 * lambda, 10 * lambda, 0.01, 0.1, 1, 5];
    const r = expAdams(sys, Float64Array.from([1, 0]), [...fine, T], { rtol: 1e-10, atol: 1e-14 });
    r.t.forEach((t, i) => {
      expect(Math.abs(r.y[i][0] - ex.x(t))).toBeLessThan(1e-8);
      expect(Math.abs(r.y[i][1] - ex.v(t))).toBeLessThan(1e-8 * Math.max(1, Math.abs(ex.v(t))));
    });
    // ẋ goes from 0 to ≈ −1 within a few λ: the transient is really there.
    expect(ex.v(10 * lambda)).toBeLessThan(-0.99);
  });

  it("integrates ∫x by Adams quadrature and ∫ẋ² (through the transient) by Gauss on the dense output", () => {
    let calls = 0;
    const withQuad: DampedSystem = {
      ...sys,
      extras: 1,
      integrand: (t, x, p, out) => void (out[0] = x[0]),
      velocityExtras: 1,
      velocityIntegrand: (t, x, p, out) => {
        calls++;
        out[0] = p[0] * p[0];
      },
    };
    const r = expAdams(withQuad, Float64Array.from([1, 0, 0, 0]), [0, 2 * lambda, 0.5, T], { rtol: 1e-10, atol: 1e-14 });
    r.t.forEach((t, i) => {
      expect(Math.abs(r.y[i][2] - ex.intX(t))).toBeLessThan(1e-9);
      expect(Math.abs(r.y[i][3] - ex.intV2(t))).toBeLessThan(1e-9);
    });
    expect(ex.intV2(T)).toBeGreaterThan(0.4); // not a vanishing quantity
    expect(calls).toBeGreaterThan(0);
  });
});

describe("expAdams on the non-stiff damped oscillators of the zoo and a forced one", () => {
  const om = 1.5;
  for (const zeta of [0.3, 1, 2.5]) {
    it(`ζ = ${zeta}: ẍ + 2ζωẋ + ω²x = 0 written as λẍ + ẋ = −(ω/2ζ)x, λ = 1/(2ζω)`, () => {
      const sys: DampedSystem = { lambda: 1 / (2 * zeta * om), dim: 1, force: (t, x, f) => void (f[0] = (-om / (2 * zeta)) * x[0]) };
      const r = expAdams(sys, Float64Array.from([1, 0]), linspace(0, 15, 31), { rtol: 1e-9, atol: 1e-13 });
      const exact = (t: number): number => {
        if (zeta < 1) {
          const wd = om * Math.sqrt(1 - zeta * zeta);
          return Math.exp(-zeta * om * t) * (Math.cos(wd * t) + ((zeta * om) / wd) * Math.sin(wd * t));
        }
        if (zeta === 1) return (1 + om * t) * Math.exp(-om * t);
        const q = Math.sqrt(zeta * zeta - 1);
        const a = -om * (zeta - q), b = -om * (zeta + q);
        return (b * Math.exp(a * t) - a * Math.exp(b * t)) / (b - a);
      };
      let err = 0;
      r.t.forEach((t, i) => (err = Math.max(err, Math.abs(r.y[i][0] - exact(t)))));
      expect(err).toBeLessThan(200 * 1e-9);
    });
  }

  it("a time-dependent force: λẍ + ẋ + x = cos t (λ = 0.01)", () => {
    const lambda = 0.01, k = 1;
    // Particular solution A cos t + B sin t, plus the free solution x₀X(t) + v₀Y(t) fitting x(0) = 1, ẋ(0) = 0,
    // with X the oscillator from (1, 0) and Y = (e^{r₂t} − e^{r₁t})/(r₂ − r₁) the one from (0, 1).
    const D = (k - lambda) ** 2 + 1, A = (k - lambda) / D, B = 1 / D;
    const q = Math.sqrt(1 - 4 * lambda * k);
    const r1 = (-2 * k) / (1 + q), r2 = -(1 + q) / (2 * lambda);
    const X = stiffOscillator(lambda, k).x;
    const Y = (t: number): number => (Math.exp(r2 * t) - Math.exp(r1 * t)) / (r2 - r1);
    const exact = (t: number): number => A * Math.cos(t) + B * Math.sin(t) + (1 - A) * X(t) - B * Y(t);
    const sys: DampedSystem = { lambda, dim: 1, force: (t, x, f) => void (f[0] = Math.cos(t) - k * x[0]) };
    const r = expAdams(sys, Float64Array.from([1, 0]), linspace(0, 20, 41), { rtol: 1e-9, atol: 1e-13 });
    let err = 0;
    r.t.forEach((t, i) => (err = Math.max(err, Math.abs(r.y[i][0] - exact(t)))));
    expect(err).toBeLessThan(200 * 1e-9);
  });
});

describe("expAdams: hooks, limits and failures", () => {
  const sys: DampedSystem = { lambda: 0.01, dim: 2, force: (t, x, f) => void ((f[0] = -x[0]), (f[1] = -2 * x[1])) };
  const y0 = Float64Array.from([1, 1, 0, 0]);

  it("onStep sees each accepted step; its dense output (whole state or one entry) matches the step ends", () => {
    const buf = new Float64Array(4);
    let calls = 0;
    const r = expAdams(sys, y0, [0, 2], {
      onStep: (t, y, tPrev, interp) => {
        calls++;
        interp(t, buf);
        for (let i = 0; i < 4; i++) expect(buf[i]).toBeCloseTo(y[i], 13);
        const mid = 0.5 * (t + tPrev);
        interp(mid, buf);
        for (let i = 0; i < 4; i++) expect(interp.component!(mid, i)).toBe(buf[i]);
      },
    });
    expect(calls).toBe(r.stats.steps);
  });

  it("onStep returning true stops at that step", () => {
    const r = expAdams(sys, y0, [0, 1, 2, 3], { onStep: (t, y) => y[0] < 0.5 });
    expect(r.stopped).toBe(true);
    expect(r.yEnd[0]).toBeLessThan(0.5);
    expect(r.tEnd).toBeLessThan(1);
    expect(r.t).toEqual([0]);
  });

  it("maxSteps names t and the option; a force that turns NaN stops naming the time and the component", () => {
    expect(() => expAdams(sys, y0, [0, 100], { maxSteps: 5 })).toThrow(/^expAdams: maxSteps = 5 exceeded at t = [\d.e-]+ \(step size h = [\d.e-]+\); raise maxSteps/);
    const bad: DampedSystem = { lambda: 0.01, dim: 1, force: (t, x, f) => void (f[0] = t < 0.5 ? -x[0] : NaN) };
    expect(() => expAdams(bad, Float64Array.from([1, 0]), [0, 1])).toThrow(/^expAdams: the state became non-finite near t = 0\.(49|5)\d* \(step size underflow, .*the predicted force \(component 0\) became NaN/);
    const huge: DampedSystem = { lambda: 0.01, dim: 1, force: (t, x, f) => void (f[0] = 1e300 * x[0] * 1e300) };
    expect(() => expAdams(huge, Float64Array.from([1, 0]), [0, 1])).toThrow(/not finite at t = 0/);
  });

  it("rejects bad systems and options with messages naming them", () => {
    expect(() => expAdams({ ...sys, lambda: 0 }, y0, [0, 1])).toThrow(/lambda must lie in \(0/);
    expect(() => expAdams({ ...sys, dim: 0 }, y0, [0, 1])).toThrow(/dim must lie in \[1/);
    expect(() => expAdams(sys, y0.subarray(0, 3), [0, 1])).toThrow(/y0 must have length 4/);
    expect(() => expAdams({ ...sys, extras: 1 }, Float64Array.from([1, 1, 0, 0, 0]), [0, 1])).toThrow(/extras = 1 needs an integrand/);
    expect(() => expAdams({ ...sys, velocityExtras: 1 }, Float64Array.from([1, 1, 0, 0, 0]), [0, 1])).toThrow(/velocityExtras = 1 needs a velocityIntegrand/);
    expect(() => expAdams(sys, y0, [0, 1], { order: 13 })).toThrow(/order must lie in \[1, 12\]/);
    expect(() => expAdams(sys, y0, [0, 1], { rtol: 0 })).toThrow(/rtol/);
    expect(() => expAdams(sys, y0, [1, 0])).toThrow(/non-decreasing/);
    expect(() => expAdams(null as never, y0, [0, 1])).toThrow(TypeError);
  });

  it("the error falls with rtol, and every order from 1 to 12 converges", () => {
    const k = 1, lambda = 0.05;
    const ex = stiffOscillator(lambda, k);
    const one: DampedSystem = { lambda, dim: 1, force: (t, x, f) => void (f[0] = -k * x[0]) };
    const err = (rtol: number, order?: number): number => {
      const r = expAdams(one, Float64Array.from([1, 0]), linspace(0, 8, 17), { rtol, atol: rtol * 1e-3, order });
      return Math.max(...r.t.map((t, i) => Math.abs(r.y[i][0] - ex.x(t))));
    };
    const e = [1e-5, 1e-7, 1e-9, 1e-11].map((rtol) => err(rtol));
    for (let i = 1; i < e.length; i++) expect(e[i - 1] / e[i]).toBeGreaterThan(10);
    for (const order of [1, 2, 4, 12]) expect(err(1e-8, order)).toBeLessThan(1e-6);
  });
});
