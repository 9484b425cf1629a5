/**
 * Claims checked in the notebooks. A claim's verdict is always computed from a number measured in the
 * notebook and a tolerance stated next to it, never typed by hand; `showClaims` prints the verdict table.
 */
import { display, inKernel, tableBundle } from "./plot";

export interface ClaimCheck {
  /** Short stable identifier, e.g. "S7.5" for science.md §7 claim 5, "seed-2" for the seed's second quote. */
  id: string;
  /** The statement being tested, in words. */
  claim: string;
  /** The measured number (or numbers) as text. */
  measured: string;
  /** The condition the measurement must satisfy, as text. */
  criterion: string;
  holds: boolean;
}

const fmt = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
};

/**
 * Check a measured number against bounds; the criterion text is generated from the bounds.
 * @example checkClaim("S7.5", "GF conserves Δ", maxDrift, { max: 1e-10 })
 */
export function checkClaim(id: string, claim: string, measured: number, bounds: { min?: number; max?: number }, unit = ""): ClaimCheck {
  if (bounds.min === undefined && bounds.max === undefined) throw new RangeError(`bounds of claim ${id} must give min or max (or both)`);
  const lo = bounds.min === undefined || measured >= bounds.min;
  const hi = bounds.max === undefined || measured <= bounds.max;
  const criterion =
    bounds.min !== undefined && bounds.max !== undefined
      ? `in [${fmt(bounds.min)}, ${fmt(bounds.max)}]`
      : bounds.max !== undefined
        ? `≤ ${fmt(bounds.max)}`
        : `≥ ${fmt(bounds.min as number)}`;
  return { id, claim, measured: fmt(measured) + unit, criterion, holds: Number.isFinite(measured) && lo && hi };
}

/** A claim whose check is a boolean computed in the notebook (the measurement described in words). */
export function checkFact(id: string, claim: string, holds: boolean, measured: string, criterion: string): ClaimCheck {
  return { id, claim, measured, criterion, holds };
}

/** Print the verdict table (returns nothing, so the cell prints only the table). */
export function showClaims(checks: ClaimCheck[]): void {
  const rows = checks.map((c) => ({ id: c.id, claim: c.claim, measured: c.measured, criterion: c.criterion, verdict: c.holds ? "holds" : "FAILS" }));
  const holds = checks.filter((c) => c.holds).length;
  const bundle = tableBundle(rows, { caption: `${holds} of ${checks.length} claims hold` });
  if (inKernel()) display(bundle);
  else console.log(bundle["text/plain"]);
}
