import { describe, expect, it } from "vitest";
import {
  accelerationRule,
  continuousTime,
  heavyBallStability,
  iterationsForTime,
  lambdaOf,
  massOf,
  paramsForLambda,
  secondOrderParams,
  timeStep,
} from "../lib/model/momentum";

const rel = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

describe("λ, h and t_k", () => {
  it("formulas", () => {
    expect(lambdaOf(0.5, 0)).toBe(0.5); // GD: λ = γ
    expect(rel(lambdaOf(0.002, 0.9), 0.2)).toBeLessThan(1e-14);
    expect(lambdaOf(0.01, 0.5)).toBe(0.04);
    expect(timeStep(0.01, 0.5)).toBe(0.02);
    expect(rel(timeStep(0.002, 0.9), 0.02)).toBeLessThan(1e-14);
    expect(rel(continuousTime(1000, 0.002, 0.9), 20)).toBeLessThan(1e-14);
    expect(continuousTime(0, 0.1, 0.5)).toBe(0);
  });
  it("h = √(γλ) = λ(1−β)", () => {
    for (const [g, b] of [
      [0.01, 0],
      [0.003, 0.7],
      [1e-5, 0.99],
    ]) {
      const l = lambdaOf(g, b);
      expect(rel(timeStep(g, b), Math.sqrt(g * l))).toBeLessThan(1e-14);
      expect(rel(timeStep(g, b), l * (1 - b))).toBeLessThan(1e-14);
    }
  });
  it("validate γ > 0 and β ∈ [0, 1), naming the argument", () => {
    expect(() => lambdaOf(0, 0.5)).toThrow(/gamma must lie in \(0, ∞\), got 0/);
    expect(() => lambdaOf(-1, 0.5)).toThrow(/gamma/);
    expect(() => lambdaOf(0.1, 1)).toThrow(/beta must lie in \[0, 1\), got 1/);
    expect(() => lambdaOf(0.1, -0.1)).toThrow(/beta/);
    expect(() => timeStep(NaN, 0)).toThrow(/gamma must be a finite number/);
    expect(() => continuousTime(-1, 0.1, 0)).toThrow(/k must lie/);
  });
});

describe("paramsForLambda", () => {
  it("fixed β: γ = λ(1−β)²", () => {
    const q = paramsForLambda({ lambda: 0.2, beta: 0.9 });
    expect(rel(q.gamma, 0.002)).toBeLessThan(1e-14);
    expect(q.beta).toBe(0.9);
    expect(q.lambda).toBe(0.2);
    expect(rel(q.h, 0.02)).toBeLessThan(1e-14);
  });
  it("fixed γ: β = 1 − √(γ/λ); γ = λ gives β = 0", () => {
    const q = paramsForLambda({ lambda: 0.5, gamma: 0.005 });
    expect(q.beta).toBeCloseTo(0.9, 14);
    expect(paramsForLambda({ lambda: 0.3, gamma: 0.3 }).beta).toBe(0);
  });
  it("round trip: λ → (γ, β) → λ and (γ, β) → λ → β", () => {
    for (const lambda of [0.01, 0.2, 2, 8]) {
      for (const beta of [0, 0.5, 0.9, 0.99]) {
        const q = paramsForLambda({ lambda, beta });
        expect(rel(lambdaOf(q.gamma, q.beta), lambda)).toBeLessThan(1e-12);
        const back = paramsForLambda({ lambda, gamma: q.gamma });
        expect(Math.abs(back.beta - beta)).toBeLessThan(1e-12);
        expect(rel(back.h, q.h)).toBeLessThan(1e-12);
      }
    }
  });
  it("rejects γ > λ with an explanation, and malformed specs", () => {
    expect(() => paramsForLambda({ lambda: 0.1, gamma: 0.2 })).toThrow(/gamma = 0.2 exceeds lambda = 0.1: β = 1 − √\(γ\/λ\) would be negative/);
    expect(() => paramsForLambda({ lambda: 0, beta: 0.5 })).toThrow(/lambda must lie in \(0/);
    expect(() => paramsForLambda({ lambda: 1, beta: 1 })).toThrow(/beta/);
    expect(() => paramsForLambda({ lambda: 1, beta: 0.5, gamma: 0.1 } as unknown as { lambda: number; beta: number })).toThrow(/exactly one of beta or gamma.*both/);
    expect(() => paramsForLambda({ lambda: 1 } as unknown as { lambda: number; beta: number })).toThrow(/neither/);
    expect(() => paramsForLambda(null as unknown as { lambda: number; beta: number })).toThrow(TypeError);
  });
});

describe("iterationsForTime", () => {
  it("⌈T/h⌉, not pushed up by rounding when T is a multiple of h", () => {
    expect(iterationsForTime(200, 0.002, 0.9)).toBe(10000); // 200/0.02 = 10000.000000000002 in floating point
    expect(iterationsForTime(200, 0.2 * 0.05 * 0.05, 0.95)).toBe(20000);
    expect(iterationsForTime(1, 0.3, 0)).toBe(4);
    expect(iterationsForTime(0, 0.3, 0)).toBe(0);
    expect(() => iterationsForTime(-1, 0.1, 0)).toThrow(/T must lie/);
  });
});

describe("heavyBallStability", () => {
  it("2(1+β)/L", () => {
    expect(heavyBallStability(0, 4)).toBe(0.5);
    expect(heavyBallStability(0.9, 10)).toBeCloseTo(0.38, 15);
  });
  it("is the exact threshold on a 1-D quadratic", () => {
    const L = 3;
    for (const beta of [0, 0.5, 0.9]) {
      const bound = heavyBallStability(beta, L);
      const run = (gamma: number): number => {
        let x = 1;
        let xp = 1;
        for (let k = 0; k < 3000; k++) [x, xp] = [x - gamma * L * x + beta * (x - xp), x];
        return Math.abs(x);
      };
      expect(run(bound * 0.99)).toBeLessThan(1);
      expect(run(bound * 1.01) > 1e3 || !Number.isFinite(run(bound * 1.01))).toBe(true);
    }
  });
  it("validates", () => {
    expect(() => heavyBallStability(1, 1)).toThrow(/beta/);
    expect(() => heavyBallStability(0.5, 0)).toThrow(/L must lie in \(0/);
  });
});

describe("second-order mass: γ(1+β)/(2(1−β)²) = λ(1+β)/2 = λ − h/2", () => {
  it("massOf: exact values, and the β = 0 case (GD at γ follows the γ/2 path)", () => {
    expect(massOf(0.4, 0)).toBe(0.2);
    expect(rel(massOf(0.002, 0.9), 0.19)).toBeLessThan(1e-14); // λ(1+β)/2 with λ = 0.2
    for (const [g, b] of [[0.01, 0.5], [0.003, 0.7], [1e-5, 0.99]]) {
      expect(rel(massOf(g, b), lambdaOf(g, b) - timeStep(g, b) / 2)).toBeLessThan(1e-12);
    }
    expect(() => massOf(0, 0.5)).toThrow(/gamma must lie in \(0, ∞\)/);
    expect(() => massOf(0.1, 1)).toThrow(/beta must lie in \[0, 1\)/);
  });
  it("secondOrderParams given β: γ = 2λ(1−β)²/(1+β); β = 0 gives GD at γ = 2λ", () => {
    const p = secondOrderParams({ lambda: 0.2, beta: 0.9 });
    expect(rel(p.gamma, (2 * 0.2 * 0.01) / 1.9)).toBeLessThan(1e-14);
    expect(p.mass).toBe(0.2);
    expect(rel(massOf(p.gamma, p.beta), 0.2)).toBeLessThan(1e-14);
    expect(secondOrderParams({ lambda: 0.2, beta: 0 })).toEqual({ gamma: 0.4, beta: 0, lambda: 0.4, h: 0.4, mass: 0.2 });
  });
  it("secondOrderParams given γ: h = (γ + √(γ² + 16λγ))/4, β = (2λ − h)/(2λ + h)", () => {
    // λ = 1.5, γ = 1: γ² + 16λγ = 25, so h = 1.5 and β = 1/3
    const p = secondOrderParams({ lambda: 1.5, gamma: 1 });
    expect(p.h).toBe(1.5);
    expect(rel(p.beta, 1 / 3)).toBeLessThan(1e-15);
    expect(rel(massOf(p.gamma, p.beta), 1.5)).toBeLessThan(1e-14);
    expect(secondOrderParams({ lambda: 0.2, gamma: 0.4 }).beta).toBe(0);
    expect(() => secondOrderParams({ lambda: 0.2, gamma: 0.5 })).toThrow(/gamma = 0.5 exceeds 2·lambda = 0.4/);
    expect(() => secondOrderParams({ lambda: 0.2 } as never)).toThrow(/exactly one of beta or gamma/);
    expect(() => secondOrderParams({ lambda: -1, beta: 0.5 })).toThrow(/lambda/);
  });
});

describe("accelerationRule (second order)", () => {
  it("gammaMax ≥ 2λ: plain GD at γ = 2λ, not γ = λ; K = T/(2λ)", () => {
    const a = accelerationRule({ lambda: 0.2, gammaMax: 1, T: 200 });
    expect([a.gamma, a.beta, a.h, a.mass, a.lambda]).toEqual([0.4, 0, 0.4, 0.2, 0.4]);
    expect(a.limit).toBe("gd");
    expect(a.iterations).toBe(500);
    expect(a.speedupOverGD).toBe(0.4); // GD at γ = 1 needs 200 iterations, but follows the λ = 0.5 path
    expect(a.predictedPathError).toBeNull();
    expect(a.note).toMatch(/plain GD at γ = 2λ = 0.4.*second order/);
    expect(a.note).toMatch(/λ = 0.5 path/);
  });
  it("gammaMax < 2λ: γ = gammaMax and β on the mass-λ path; K = T/h", () => {
    const a = accelerationRule({ lambda: 1.5, gammaMax: 1, T: 150 });
    expect(a.gamma).toBe(1);
    expect(rel(a.beta, 1 / 3)).toBeLessThan(1e-15);
    expect(a.h).toBe(1.5);
    expect(a.limit).toBe("gammaMax");
    expect(a.iterations).toBe(100);
    expect(a.speedupOverGD).toBe(1.5);
    expect(a.note).toMatch(/γ = gammaMax.*second order: mass γ\(1\+β\)\/\(2\(1−β\)²\) = 1.5/);
  });
  it("accuracy cap: h = √(pathTolerance/C₂) when it is the tightest limit", () => {
    const a = accelerationRule({ lambda: 0.2, gammaMax: 1, T: 200, pathTolerance: 1e-4, errorConstant: 0.25 });
    expect(a.limit).toBe("accuracy");
    expect(a.h).toBe(0.02);
    expect(rel(a.beta, 19 / 21)).toBeLessThan(1e-14); // (0.4 − 0.02)/(0.4 + 0.02)
    expect(rel(a.gamma, 0.0008 / 0.42)).toBeLessThan(1e-14);
    expect(rel(massOf(a.gamma, a.beta), 0.2)).toBeLessThan(1e-12);
    expect(a.iterations).toBe(10000);
    expect(rel(a.predictedPathError!, 1e-4)).toBeLessThan(1e-12);
    expect(a.note).toMatch(/h capped at √\(pathTolerance\/C₂\) = 0.02/);
  });
  it("a loose cap changes nothing; the tightest of the three limits wins", () => {
    const loose = accelerationRule({ lambda: 0.2, gammaMax: 1, T: 200, pathTolerance: 1, errorConstant: 0.25 });
    expect(loose.limit).toBe("gd");
    expect(rel(loose.predictedPathError!, 0.25 * 0.16)).toBeLessThan(1e-14);
    const stab = accelerationRule({ lambda: 0.2, gammaMax: 0.0001, T: 200, pathTolerance: 1e-4, errorConstant: 0.25 });
    expect(stab.limit).toBe("gammaMax");
    expect(stab.gamma).toBe(0.0001);
  });
  it("validates its inputs, naming them", () => {
    expect(() => accelerationRule({ lambda: 0, gammaMax: 0.1, T: 1 })).toThrow(/lambda/);
    expect(() => accelerationRule({ lambda: 1, gammaMax: -0.1, T: 1 })).toThrow(/gammaMax/);
    expect(() => accelerationRule({ lambda: 1, gammaMax: 0.1, T: 0 })).toThrow(/T must lie in \(0/);
    expect(() => accelerationRule({ lambda: 1, gammaMax: 0.1, T: 1, pathTolerance: 0.01 })).toThrow(/both pathTolerance and errorConstant/);
    expect(() => accelerationRule({ lambda: 1, gammaMax: 0.1, T: 1, pathTolerance: 0.01, errorConstant: 0 })).toThrow(/errorConstant must lie in \(0/);
    expect(() => accelerationRule(null as never)).toThrow(TypeError);
  });
});
