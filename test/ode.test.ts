import { describe, expect, it } from "vitest";
import { dopri5, rk4, type Rhs } from "../lib/dynamics/ode";

const linspace = (a: number, b: number, n: number): number[] => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

/** Largest |numeric − exact| over all output times and components. */
function maxErr(ts: number[], ys: Float64Array[], exact: (t: number) => number[]): number {
  let m = 0;
  ts.forEach((t, k) => exact(t).forEach((v, i) => (m = Math.max(m, Math.abs(ys[k][i] - v)))));
  return m;
}

interface Case {
  name: string;
  f: Rhs;
  y0: number[];
  T: number;
  exact: (t: number) => number[];
}

const w = 2;
const zoo: Case[] = [
  { name: "exponential decay", f: (t, y, d) => void (d[0] = -0.7 * y[0]), y0: [2], T: 10, exact: (t) => [2 * Math.exp(-0.7 * t)] },
  {
    name: "logistic",
    f: (t, y, d) => void (d[0] = 1.5 * y[0] * (1 - y[0] / 3)),
    y0: [0.1],
    T: 10,
    exact: (t) => [3 / (1 + (3 / 0.1 - 1) * Math.exp(-1.5 * t))],
  },
  {
    name: "harmonic oscillator",
    f: (t, y, d) => {
      d[0] = y[1];
      d[1] = -w * w * y[0];
    },
    y0: [1, 0],
    T: 20,
    exact: (t) => [Math.cos(w * t), -w * Math.sin(w * t)],
  },
  ...[0.3, 1, 2.5].map((zeta): Case => {
    const om = 1.5;
    let exact: (t: number) => number[];
    if (zeta < 1) {
      const wd = om * Math.sqrt(1 - zeta * zeta);
      exact = (t) => {
        const e = Math.exp(-zeta * om * t);
        const c = Math.cos(wd * t), s = Math.sin(wd * t);
        return [e * (c + ((zeta * om) / wd) * s), e * (-wd * s + ((zeta * om) / wd) * wd * c) - zeta * om * e * (c + ((zeta * om) / wd) * s)];
      };
    } else if (zeta === 1) {
      exact = (t) => [(1 + om * t) * Math.exp(-om * t), -om * om * t * Math.exp(-om * t)];
    } else {
      const q = Math.sqrt(zeta * zeta - 1);
      const r1 = -om * (zeta - q), r2 = -om * (zeta + q);
      exact = (t) => [(r2 * Math.exp(r1 * t) - r1 * Math.exp(r2 * t)) / (r2 - r1), (r1 * r2 * (Math.exp(r1 * t) - Math.exp(r2 * t))) / (r2 - r1)];
    }
    return {
      name: `damped oscillator ζ = ${zeta} (${zeta < 1 ? "under" : zeta === 1 ? "critical" : "over"})`,
      f: (t, y, d) => {
        d[0] = y[1];
        d[1] = -2 * zeta * om * y[1] - om * om * y[0];
      },
      y0: [1, 0],
      T: 15,
      exact,
    };
  }),
  {
    // A = [[-1, 2], [-2, -1]]: exp(At) = e^{-t}[[cos 2t, sin 2t], [-sin 2t, cos 2t]].
    name: "linear 2×2 system (rotation-decay)",
    f: (t, y, d) => {
      d[0] = -y[0] + 2 * y[1];
      d[1] = -2 * y[0] - y[1];
    },
    y0: [1, 0.5],
    T: 8,
    exact: (t) => {
      const e = Math.exp(-t), c = Math.cos(2 * t), s = Math.sin(2 * t);
      return [e * (c * 1 + s * 0.5), e * (-s * 1 + c * 0.5)];
    },
  },
  {
    // A = [[-1, 1], [0, -1]] (a Jordan block): exp(At) = e^{-t}[[1, t], [0, 1]].
    name: "linear 2×2 system (Jordan block)",
    f: (t, y, d) => {
      d[0] = -y[0] + y[1];
      d[1] = -y[1];
    },
    y0: [1, 2],
    T: 8,
    exact: (t) => [Math.exp(-t) * (1 + 2 * t), 2 * Math.exp(-t)],
  },
  { name: "time-dependent y' = cos t", f: (t, y, d) => void (d[0] = Math.cos(t)), y0: [0], T: 12, exact: (t) => [Math.sin(t)] },
];

describe("dopri5 on a zoo of ODEs with closed-form solutions", () => {
  for (const c of zoo) {
    it(c.name, () => {
      const times = linspace(0, c.T, 51);
      const rtol = 1e-8;
      const r = dopri5(c.f, Float64Array.from(c.y0), times, { rtol, atol: 1e-12 });
      expect(r.t).toEqual(times);
      expect(r.stopped).toBe(false);
      expect(r.tEnd).toBe(c.T);
      const err = maxErr(r.t, r.y, c.exact);
      // Global error of the order of rtol times the solution scale (a few units) and the number of decay times.
      expect(err).toBeLessThan(200 * rtol);
      expect(r.stats.fevals).toBe(6 * (r.stats.steps + r.stats.rejected) + 1 + 1);
    });
  }

  it("conserves the oscillator's energy and phase to the tolerance", () => {
    const c = zoo[2];
    const r = dopri5(c.f, Float64Array.from(c.y0), [0, 100], { rtol: 1e-10, atol: 1e-14 });
    const [x, v] = r.yEnd;
    expect(Math.abs(0.5 * v * v + 0.5 * w * w * x * x - 0.5 * w * w)).toBeLessThan(1e-7);
    // phase: angle of (x, −v/w) should be w·T mod 2π
    const phase = Math.atan2(-v / w, x);
    const want = Math.atan2(Math.sin(w * 100), Math.cos(w * 100));
    expect(Math.abs(phase - want)).toBeLessThan(1e-7);
  });

  it("the RK4 zoo too (dt = 0.01)", () => {
    for (const c of zoo) {
      const r = rk4(c.f, Float64Array.from(c.y0), linspace(0, c.T, 11), { dt: 0.01 });
      expect(maxErr(r.t, r.y, c.exact), c.name).toBeLessThan(1e-6);
    }
  });
});

describe("dense output", () => {
  const osc = zoo[2];
  it("samples between steps to 4th-order accuracy without shortening steps", () => {
    const coarse = dopri5(osc.f, Float64Array.from(osc.y0), [0, 20], { rtol: 1e-8 });
    const fine = linspace(0, 20, 2001);
    const dense = dopri5(osc.f, Float64Array.from(osc.y0), fine, { rtol: 1e-8 });
    // Output times do not change the step sequence.
    expect(dense.stats).toEqual(coarse.stats);
    expect(dense.stats.steps).toBeLessThan(fine.length / 3);
    expect(dense.yEnd).toEqual(coarse.yEnd);
    expect(maxErr(dense.t, dense.y, osc.exact)).toBeLessThan(2e-6);
  });

  it("interpolation error of one step scales like h^5 (4th-order continuous extension)", () => {
    // One forced step of size h from 0 on y' = cos t, sampled at h/3.
    const f: Rhs = (t, y, d) => {
      d[0] = Math.cos(t) * y[0];
    };
    const exact = (t: number) => Math.exp(Math.sin(t));
    const errAt = (h: number) => {
      const r = dopri5(f, Float64Array.from([1]), [0, h / 3, h], { h0: h, rtol: 0.9, atol: 1, hMax: h });
      expect(r.stats.steps).toBe(1);
      return Math.abs(r.y[1][0] - exact(h / 3));
    };
    const ratio = errAt(0.4) / errAt(0.2);
    expect(ratio).toBeGreaterThan(20); // 2^5 = 32 for a local O(h^5) error
    expect(ratio).toBeLessThan(50);
  });

  it("onStep sees every accepted step and can interpolate inside it", () => {
    let calls = 0;
    let worst = 0;
    const buf = new Float64Array(2);
    const r = dopri5(osc.f, Float64Array.from(osc.y0), [0, 5], {
      rtol: 1e-9,
      onStep: (t, y, tPrev, interp) => {
        calls++;
        interp((t + tPrev) / 2, buf);
        worst = Math.max(worst, Math.abs(buf[0] - Math.cos(w * (t + tPrev) / 2)));
        interp(t, buf);
        expect(buf[0]).toBeCloseTo(y[0], 12);
      },
    });
    expect(calls).toBe(r.stats.steps);
    expect(worst).toBeLessThan(1e-7);
  });

  it("onStep returning true stops the run at that step", () => {
    const c = zoo[0];
    const r = dopri5(c.f, Float64Array.from(c.y0), linspace(0, 10, 101), { onStep: (t, y) => y[0] < 0.5 });
    expect(r.stopped).toBe(true);
    expect(r.yEnd[0]).toBeLessThan(0.5);
    expect(r.t[r.t.length - 1]).toBeLessThanOrEqual(r.tEnd);
    expect(r.t.length).toBeLessThan(101);
    expect(Math.abs(r.yEnd[0] - 2 * Math.exp(-0.7 * r.tEnd))).toBeLessThan(1e-7);
  });

  it("augmented states: an appended integral ∫y is accurate even outside the error norm", () => {
    const f: Rhs = (t, y, d) => {
      d[0] = -y[0];
      d[1] = y[0];
    };
    const r = dopri5(f, Float64Array.from([1, 0]), [0, 3], { rtol: 1e-10, errorDims: 1 });
    expect(Math.abs(r.yEnd[1] - (1 - Math.exp(-3)))).toBeLessThan(1e-9);
  });
});

describe("order of convergence", () => {
  it("RK4: error ratio ≈ 16 when halving dt", () => {
    const c = zoo[2];
    const err = (dt: number) => {
      const r = rk4(c.f, Float64Array.from(c.y0), [0, 5], { dt });
      return maxErr(r.t, r.y, c.exact);
    };
    const ratio = err(0.05) / err(0.025);
    expect(ratio).toBeGreaterThanOrEqual(14);
    expect(ratio).toBeLessThanOrEqual(18);
  });

  it("dopri5: the error falls roughly in proportion to rtol", () => {
    const c = zoo[2];
    const err = (rtol: number) => {
      const r = dopri5(c.f, Float64Array.from(c.y0), linspace(0, 20, 41), { rtol, atol: rtol * 1e-3 });
      return maxErr(r.t, r.y, c.exact);
    };
    const e = [1e-4, 1e-6, 1e-8, 1e-10].map(err);
    for (let i = 1; i < e.length; i++) {
      const ratio = e[i - 1] / e[i];
      expect(ratio).toBeGreaterThan(20); // 100× smaller rtol → 20–500× smaller error
      expect(ratio).toBeLessThan(500);
    }
  });

  it("the PI and the standard controller both reach the tolerance", () => {
    const c = zoo[3];
    for (const controller of ["pi", "standard"] as const) {
      const r = dopri5(c.f, Float64Array.from(c.y0), linspace(0, 15, 31), { rtol: 1e-9, controller });
      expect(maxErr(r.t, r.y, c.exact)).toBeLessThan(1e-7);
    }
  });
});

describe("validation and failures", () => {
  const f: Rhs = (t, y, d) => void (d[0] = -y[0]);
  const y0 = Float64Array.from([1]);
  it("rejects bad tolerances", () => {
    expect(() => dopri5(f, y0, [0, 1], { rtol: 0 })).toThrow(/rtol/);
    expect(() => dopri5(f, y0, [0, 1], { rtol: -1e-3 })).toThrow(RangeError);
    expect(() => dopri5(f, y0, [0, 1], { atol: -1 })).toThrow(/atol/);
    expect(() => dopri5(f, y0, [0, 1], { rtol: NaN })).toThrow(TypeError);
    expect(() => dopri5(f, y0, [0, 1], { controller: "x" as "pi" })).toThrow(/controller/);
    expect(() => rk4(f, y0, [0, 1], { dt: 0 })).toThrow(/dt/);
  });
  it("rejects times out of order or empty", () => {
    expect(() => dopri5(f, y0, [0, 2, 1])).toThrow(/non-decreasing.*times\[1\] = 2 > times\[2\] = 1/);
    expect(() => dopri5(f, y0, [0])).toThrow(/at least 2/);
    expect(() => dopri5(f, y0, [1, 1])).toThrow(/positive interval/);
    expect(() => rk4(f, y0, [0, Infinity], { dt: 0.1 })).toThrow(/times\[1\]/);
  });
  it("rejects non-finite y0", () => {
    expect(() => dopri5(f, Float64Array.from([NaN]), [0, 1])).toThrow(/y0\[0\]/);
    expect(() => rk4(f, Float64Array.from([1, Infinity]), [0, 1], { dt: 0.1 })).toThrow(/y0\[1\]/);
  });
  it("maxSteps names t and the step size", () => {
    expect(() => dopri5(f, y0, [0, 100], { maxSteps: 5, hMax: 0.1 })).toThrow(/maxSteps = 5 exceeded at t = [\d.]+ \(step size h = /);
  });
  it("a blow-up (y' = y², singular at t = 1) throws naming t instead of returning NaN", () => {
    const g: Rhs = (t, y, d) => void (d[0] = y[0] * y[0]);
    expect(() => dopri5(g, Float64Array.from([1]), [0, 2])).toThrow(/underflow at t = (0\.99|1\.00)\d*/);
    expect(() => rk4(g, Float64Array.from([1]), [0, 2], { dt: 0.01 })).toThrow(/non-finite at t = /);
  });
  it("a derivative too large to scale stops at once naming t, instead of stepping on h = NaN", () => {
    const huge: Rhs = (t, y, d) => void (d[0] = 1e300 * y[0]);
    expect(() => dopri5(huge, Float64Array.from([1]), [0, 1])).toThrow(/no first step can be chosen at t = 0: .*scaled norm is Infinity/);
    // With a first step given, the state overflows within a few steps and the message says where and why.
    expect(() => dopri5(huge, Float64Array.from([1]), [0, 1], { h0: 1e-6 })).toThrow(/non-finite near t = [\d.e-]+ .*component 0 of the state became (Infinity|NaN)/);
  });
  it("a right-hand side that turns NaN mid-run stops naming the time and the component", () => {
    const g: Rhs = (t, y, d) => void (d[0] = t < 0.5 ? -y[0] : NaN);
    expect(() => dopri5(g, Float64Array.from([1]), [0, 1])).toThrow(/non-finite near t = 0\.(49|5)\d* .*became NaN/);
  });
  it("a non-finite right-hand side at the start is reported", () => {
    expect(() => dopri5((t, y, d) => void (d[0] = Math.log(y[0] - 1)), y0, [0, 1])).toThrow(/not finite at t = 0/);
  });
});
