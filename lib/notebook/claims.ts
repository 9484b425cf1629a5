/**
 * Claims checked in the notebooks. A claim's verdict is always computed from a number measured in the
 * notebook and a tolerance stated next to it, never typed by hand; `showClaims` prints the verdict table and, when
 * the kernel runs a notebook of the series, records the checks for the claim ledger (lib/notebook/ledger.ts).
 *
 * A check says which ledger claims it bears on with its tags (see {@link ClaimTags}): its id ("S7.5", "P-4a",
 * "seed-1-decoy" name the claim they start with), or `claims: ["P-2"]`. The ledger maps every such check to its
 * claim automatically, so no check that decides a claim can be left out by hand.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { display, inKernel, tableBundle } from "./display";
import { CLAIMS_DIR_ENV, recordingDecision } from "./series";

/** What a check says about the claims of the ledger it bears on (all optional). */
export interface ClaimTags {
  /** Ledger claims this check bears on besides the one its id names, e.g. ["P-2"]. */
  claims?: string[];
  /** The setting the check runs in, for a claim that may hold in one setting and fail in another, e.g. "isotropic". */
  regime?: string;
  /**
   * A fixed number measured on random draws (e.g. "≤ 0.1 on every seed"): when it fails while the claim's other
   * checks hold, the claim's verdict is "draw-dependent threshold", not "fails".
   */
  threshold?: boolean;
  /** The check measures the negation of the claims it bears on: when it holds, it counts against them. */
  refutes?: boolean;
  /** For a claim read in two ways: the reading this check decides (the ledger names the readings). */
  reading?: string;
}

export interface ClaimCheck extends ClaimTags {
  /** Short stable identifier, e.g. "S7.5" for derived claim 5, "seed-2" for the seed's second quote, "03.b" for a notebook's own. */
  id: string;
  /** The statement being tested, in words. */
  claim: string;
  /** The measured number (or numbers) as text. */
  measured: string;
  /** The condition the measurement must satisfy, as text. */
  criterion: string;
  holds: boolean;
}

const TAG_KEYS = ["claims", "regime", "threshold", "refutes", "reading"] as const;

/** Validated tags, keeping only those given (so a record without tags stays {id, claim, measured, criterion, holds}). */
function checkTags(id: string, tags: unknown): ClaimTags {
  if (tags === undefined) return {};
  if (tags === null || typeof tags !== "object") throw new TypeError(`tags of claim ${id} must be an object such as { claims: ["P-2"] }`);
  const t = tags as Record<string, unknown>;
  const out: ClaimTags = {};
  if (t.claims !== undefined) {
    if (!Array.isArray(t.claims) || !t.claims.every((c) => typeof c === "string" && c !== "")) {
      throw new TypeError(`claims of claim ${id} must be a list of ledger ids such as ["P-2"], got ${JSON.stringify(t.claims)}`);
    }
    out.claims = t.claims.slice();
  }
  for (const k of ["regime", "reading"] as const) {
    if (t[k] === undefined) continue;
    if (typeof t[k] !== "string" || t[k] === "") throw new TypeError(`${k} of claim ${id} must be a non-empty string, got ${JSON.stringify(t[k])}`);
    out[k] = t[k] as string;
  }
  for (const k of ["threshold", "refutes"] as const) {
    if (t[k] === undefined) continue;
    if (typeof t[k] !== "boolean") throw new TypeError(`${k} of claim ${id} must be true or false, got ${JSON.stringify(t[k])}`);
    out[k] = t[k] as boolean;
  }
  return out;
}

const fmt = (x: number): string => {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : String(Number(x.toPrecision(4)));
};

/**
 * Check a measured number against bounds; the criterion text is generated from the bounds. The same object may
 * carry the check's {@link ClaimTags}.
 * @param id stable id; @param claim the statement in words; @param measured the number measured in the notebook
 * @param bounds min and/or max (inclusive), plus optional tags (claims, regime, threshold, refutes, reading)
 * @param unit appended to the measured number in the table
 * @throws RangeError if neither min nor max is given or a key is unknown; TypeError for malformed tags
 * @example checkClaim("S7.5", "GF conserves Δ", maxDrift, { max: 1e-10 })
 * @example checkClaim("S7.10d", "≤ 0.1 on every draw", worst, { max: 0.1, claims: ["P-2"], threshold: true })
 */
export function checkClaim(id: string, claim: string, measured: number, bounds: { min?: number; max?: number } & ClaimTags, unit = ""): ClaimCheck {
  if (bounds === null || typeof bounds !== "object") throw new TypeError(`bounds of claim ${id} must be an object { min?, max? }`);
  const unknown = Object.keys(bounds).filter((k) => k !== "min" && k !== "max" && !(TAG_KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new RangeError(`bounds of claim ${id}: unknown key ${unknown.map((k) => JSON.stringify(k)).join(", ")} (allowed: min, max, ${TAG_KEYS.join(", ")})`);
  if (bounds.min === undefined && bounds.max === undefined) throw new RangeError(`bounds of claim ${id} must give min or max (or both)`);
  const { min, max, ...tags } = bounds;
  const lo = min === undefined || measured >= min;
  const hi = max === undefined || measured <= max;
  const criterion =
    min !== undefined && max !== undefined
      ? `in [${fmt(min)}, ${fmt(max)}]`
      : max !== undefined
        ? `≤ ${fmt(max)}`
        : `≥ ${fmt(min as number)}`;
  return { id, claim, measured: fmt(measured) + unit, criterion, holds: Number.isFinite(measured) && lo && hi, ...checkTags(id, tags) };
}

/**
 * A claim whose check is a boolean computed in the notebook (the measurement described in words).
 * @param tags optional {@link ClaimTags}, e.g. { claims: ["S7.16"], regime: "isotropic" }
 */
export function checkFact(id: string, claim: string, holds: boolean, measured: string, criterion: string, tags?: ClaimTags): ClaimCheck {
  if (typeof holds !== "boolean") throw new TypeError(`holds of claim ${id} must be true or false, got ${typeof holds}`);
  return { id, claim, measured, criterion, holds, ...checkTags(id, tags) };
}

/** MIME type under which a Claims cell stores its checks in the notebook, for the claim ledger and the tests. */
export const CLAIMS_MIME = "application/vnd.momentum-dln.claims+json";

export interface ClaimsRecord {
  notebook: string;
  checks: ClaimCheck[];
}

/**
 * Print the verdict table of a notebook's Claims cell. Inside a kernel the checks also travel as JSON in the
 * same display bundle (CLAIMS_MIME). When the kernel runs the series notebook `notebook` (see
 * recordingDecision in series.ts) they are also written to .cache/claims/<notebook>.json, so the claim ledger
 * (99-claim-ledger.ipynb) reads the verdicts of the latest run; otherwise (a copy, a playground notebook) one line
 * says why nothing was recorded. Returns nothing, so the cell prints only the table.
 * @param checks the notebook's checks
 * @param notebook the notebook's file name without extension, e.g. "03-balancedness"
 */
export function showClaims(checks: ClaimCheck[], notebook?: string): void {
  if (!Array.isArray(checks) || checks.length === 0) throw new RangeError("checks must be a non-empty array of checkClaim/checkFact results");
  const ids = new Set<string>();
  for (const c of checks) {
    if (c === null || typeof c !== "object" || typeof c.id !== "string") throw new TypeError("every check must come from checkClaim or checkFact");
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
    const decision = recordingDecision(notebook);
    if (decision.dir !== null) writeClaimsRecord(record, decision.dir);
    else console.log(`Verdicts not recorded for the claim ledger: ${decision.reason}.`);
  }
  display(bundle);
}

/** Where the latest run's verdicts go: $MOMENTUM_DLN_CLAIMS_DIR, else <repo>/.cache/claims (a kernel's cwd is notebooks/). */
export function claimsDir(): string {
  const override = process.env[CLAIMS_DIR_ENV];
  if (override) return resolve(override);
  return resolve(process.cwd(), existsSync(resolve(process.cwd(), "..", "package.json")) ? ".." : ".", ".cache", "claims");
}

function writeClaimsRecord(record: ClaimsRecord, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(resolve(dir, `${record.notebook}.json`), JSON.stringify(record, null, 1) + "\n");
}
