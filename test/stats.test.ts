import { describe, expect, it } from "vitest";
import { linearFit, logLogSlope, mean, sd, sum } from "../lib/core/stats";

describe("summary statistics", () => {
  it("sum, mean and sample sd take exact values", () => {
    expect(sum([])).toBe(0);
    expect(sum([1, 2, 3.5])).toBe(6.5);
    expect(mean([1, 2, 3])).toBe(2);
    expect(sd([1, 2, 3])).toBe(1);
    expect(sd([4])).toBe(0);
    expect(sd(Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9))).toBeCloseTo(Math.sqrt(32 / 7), 15);
  });

  it("fits lines and log-log slopes exactly on exact data", () => {
    expect(linearFit([0, 1, 2], [1, 3, 5])).toEqual({ slope: 2, intercept: 1 });
    expect(logLogSlope([0.1, 0.2, 0.4], [0.01, 0.04, 0.16])).toBeCloseTo(2, 14);
    expect(logLogSlope([1, 2, 4, 8], [3, 3 * 2 ** 0.5, 6, 3 * 8 ** 0.5])).toBeCloseTo(0.5, 14);
  });

  it("rejects empty, non-finite, mismatched and degenerate input with the argument named", () => {
    expect(() => mean([])).toThrow(/xs needs at least 1 value, got 0/);
    expect(() => mean([1, NaN])).toThrow(/xs\[1\] must be a finite number, got NaN/);
    expect(() => linearFit([1, 2], [1, 2, 3])).toThrow(/same length/);
    expect(() => linearFit([1, 1], [1, 2])).toThrow(/two distinct x/);
    expect(() => logLogSlope([1, 0], [1, 2])).toThrow(/x\[1\] must be > 0/);
    expect(() => logLogSlope([1, 2], [1, -2])).toThrow(/y\[1\] must be > 0/);
  });
});
