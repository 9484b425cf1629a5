/**
 * Claims checked in the notebooks. A claim's verdict is always computed from a number measured in the
 * notebook and a tolerance stated next to it, never typed by hand; `showClaims` prints the verdict table.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { display, inKernel, tableBundle } from "./display";

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

/** MIME type under which a Claims cell stores its checks in the notebook, for the claim ledger and the tests. */
export const CLAIMS_MIME = "application/vnd.momentum-dln.claims+json";

export interface ClaimsRecord {
  notebook: string;
  checks: ClaimCheck[];
}

/**
 * Print the verdict table of a notebook's Claims cell. Inside a kernel the checks also travel as JSON in the
 * same display bundle (CLAIMS_MIME) and are written to .cache/claims/<notebook>.json at the repository root,
 * so the claim ledger (99-claim-ledger.ipynb) reads the verdicts of the latest run. Returns nothing, so the
 * cell prints only the table.
 * @param checks the notebook's checks
 * @param notebook the notebook's file name without extension, e.g. "03-balancedness"
 */
export function showClaims(checks: ClaimCheck[], notebook?: string): void {
  if (!Array.isArray(checks) || checks.length === 0) throw new RangeError("checks must be a non-empty array of checkClaim/checkFact results");
  const ids = new Set<string>();
  for (const c of checks) {
    if (ids.has(c.id)) throw new RangeError(`claim id "${c.id}" appears twice in one Claims cell`);
    ids.add(c.id);
  }
  const rows = checks.map((c) => ({ id: c.id, claim: c.claim, measured: c.measured, criterion: c.criterion, verdict: c.holds ? "holds" : "FAILS" }));
  const holds = checks.filter((c) => c.holds).length;
  const bundle: Record<string, unknown> = tableBundle(rows, { caption: `${holds} of ${checks.length} claims hold` });
  if (!inKernel()) {
    console.log(bundle["text/plain"]);
    return;
  }
  if (notebook !== undefined) {
    const record: ClaimsRecord = { notebook, checks };
    bundle[CLAIMS_MIME] = record;
    writeClaimsRecord(record);
  }
  display(bundle);
}

/** Where the latest run's verdicts go: <repo>/.cache/claims (the kernel's cwd is notebooks/). */
export function claimsDir(): string {
  return resolve(process.cwd(), existsSync(resolve(process.cwd(), "..", "package.json")) ? ".." : ".", ".cache", "claims");
}

function writeClaimsRecord(record: ClaimsRecord): void {
  const dir = claimsDir();
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, `${record.notebook}.json`), JSON.stringify(record, null, 1) + "\n");
}
