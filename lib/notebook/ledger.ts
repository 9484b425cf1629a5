/**
 * The claim ledger: every claim of the paper's abstract, of the seed document's quotes and the project's derived
 * claims, with the notebook checks that decide it. Verdicts are never stored here: they are computed from the
 * checks the series notebooks recorded on their latest run (`showClaims(checks, notebook)`).
 *
 * Which checks decide a claim (no check can be left out by hand):
 * 1. every recorded check whose id is the claim's id, or the claim's id followed by a letter or a "-suffix"
 *    ("S7.10d", "P-4a", "seed-1-decoy" bear on S7.10, P-4, seed-1);
 * 2. every recorded check whose tags name the claim (`checkClaim(…, { max: 0.1, claims: ["P-2"] })`);
 * 3. the checks the entry lists by hand (`checks`), for checks whose ids are their notebook's own ("04.i");
 * 4. all the checks of the entries it `uses` (P-2 uses the exact and approximate problems' claims).
 * A claim read in two ways has one list of checks per reading; a check that names it joins reading i by its tag
 * `reading: "i"` (or the reading's name); one that sits in no reading is reported as unmapped (and the tests fail).
 *
 * Verdicts (see {@link Verdict}): holds, fails, regime-dependent (holds in one setting and fails in another: the
 * detail says which), draw-dependent threshold (a fixed number or an "on every draw" statement that holds on some
 * random draws and not others, while the rest of the claim holds: the detail names the robust part), unclassified
 * (checks of one setting disagree: tag them), not run (a check is missing).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CLAIMS_MIME, type ClaimCheck, type ClaimsRecord } from "./claims";
import { inPage, isSeriesFolder, readSeries } from "./series";

/** A check named by hand, with how it bears on the claim (these override the check's own tags). */
export interface CheckRef {
  notebook: string;
  id: string;
  /** The setting the check runs in (regime-dependent claims). */
  regime?: string;
  /** A fixed number or an "on every draw" statement measured on random draws. */
  threshold?: boolean;
  /** The check measures the claim's negation: when it holds, it counts against the claim. */
  refutes?: boolean;
}

/** One reading of a claim that can be read in two ways, with the checks that decide it. */
export interface Reading {
  /** Short name, e.g. "the smaller λ, the better". */
  name: string;
  checks: CheckRef[];
}

export interface LedgerEntry {
  /** "P-k" (abstract), "seed-k" (seed quote), "S7.k" (derived claim k). */
  id: string;
  statement: string;
  source: string;
  /** Checks named by hand besides those found by id or tag. */
  checks: CheckRef[];
  /** Other entries whose checks also decide this one. */
  uses?: string[];
  /** For a claim read in two ways: the checks of each reading (then `checks` and `uses` are not used). */
  readings?: Reading[];
}

export const SOURCES = {
  abstract: "paper abstract",
  seed: "seed quote",
  derived: "derived claim",
} as const;

const ABSTRACT = SOURCES.abstract;
const SEED = SOURCES.seed;
const DERIVED = SOURCES.derived;
/** How a check bears on a claim: CheckRef without the notebook and id. */
export type CheckRole = Omit<CheckRef, "notebook" | "id">;
/** Checks of one notebook, each id optionally followed by its tags. */
const nb = (notebook: string, ...ids: (string | [string, CheckRole])[]): CheckRef[] =>
  ids.map((x) => (typeof x === "string" ? { notebook, id: x } : { notebook, id: x[0], ...x[1] }));

const ISOTROPIC = "isotropic Gaussian design";
const DECOY = "strong decoy feature (ρ = 0.9) at small α (0.01)";
const WEAK_DECOY = "weak decoy (ρ = 0.7) or Toeplitz ρ = 0.5";
const OTHER = "other regimes (n = 20, 60, 80, noise, data scale, spread init, Toeplitz)";
const NO_STRONG_DECOY = "every regime without a strong decoy (n, noise, data scale, spread init, weak decoy, Toeplitz)";
const DECOY_POP = "strong decoy at α = 0.3, judged by population loss";
const S05 = "05-sparse-recovery";

export const LEDGER: LedgerEntry[] = [
  { id: "P-1", source: ABSTRACT, statement: "λ = γ/(1−β)² alone fixes the optimisation path and yields a simple acceleration rule",
    uses: ["S7.1", "S7.2", "S7.3", "S7.4", "seed-2"],
    checks: [...nb("01-momentum-path", "01.modified", "01.gd"), ...nb("02-acceleration-rule", "02.b", "02.c", "02.g", "02.h")] },
  { id: "P-2", source: ABSTRACT, statement: "the solution recovered by a 2-layer diagonal linear network is characterised by an implicit regularisation problem",
    uses: ["S7.9", "S7.10", "S7.11", "S7.13", "S7.20"],
    checks: nb("04-implicit-regularisation", "04.f", "04.i", "04.j", "04.k", "04.l", "04.m") },
  { id: "P-3", source: ABSTRACT, statement: "small values of λ help to recover sparse solutions", checks: [], readings: [
    { name: "the smaller λ, the better (GF, λ → 0, recovers best)", checks: nb(S05,
      ["P-3", { regime: ISOTROPIC }], ["P-3-vs-gf", { regime: ISOTROPIC, refutes: true }], ["S7.15", { regime: ISOTROPIC }],
      ["05.monotone-10", { regime: ISOTROPIC, threshold: true }],
      ["P-3-decoy", { regime: DECOY }]) },
    { name: "a small λ > 0 recovers better than GF (momentum helps)", checks: nb(S05,
      ["P-3-vs-gf", { regime: ISOTROPIC }], ["P-3", { regime: ISOTROPIC, refutes: true }], ["seed-1-isotropic", { regime: ISOTROPIC }],
      ["P-3-decoy", { regime: DECOY, refutes: true }], ["seed-1-decoy", { regime: DECOY }],
      ["05.weak-decoy", { regime: WEAK_DECOY, refutes: true }], ["05.other-regimes", { regime: OTHER, refutes: true }]) },
  ] },
  { id: "P-4", source: ABSTRACT, statement: "similar but weaker results hold for stochastic momentum gradient descent (SMGD)",
    uses: ["S7.17"], checks: nb("06-stochastic-momentum", ["P-4a", { threshold: true }],
      ["06.5a", { regime: "λ ≤ 0.05 and SGD" }], ["06.5b", { regime: "λ = 0.2" }]) },
  { id: "seed-1", source: SEED, statement: "momentum gradient flow recovers solutions which generalise better than those selected by gradient flow",
    checks: nb(S05, ["seed-1-isotropic", { regime: ISOTROPIC }], ["seed-1-decoy", { regime: DECOY }],
      ["seed-1-decoy-pop", { regime: DECOY_POP }], ["seed-1-others", { regime: NO_STRONG_DECOY }],
      ["05.weak-decoy", { regime: WEAK_DECOY, refutes: true }], ["05.other-regimes", { regime: OTHER, refutes: true }]) },
  { id: "seed-2", source: SEED, statement: "the trajectory of MGD is solely determined by a single parameter intertwining step size and momentum",
    uses: ["S7.1", "S7.2"], checks: [] },
  { id: "seed-3", source: SEED, statement: "initialisations with entries of different magnitudes can hinder the recovery of a sparse vector",
    checks: [...nb(S05, "05.uniform", "05.shape"), ...nb("04-implicit-regularisation", "04.h")] },
  { id: "S7.1", source: DERIVED, statement: "MGD stays within C·h of MGF_λ along the whole path (C ≤ 1.5 for λ ≤ 8), h = γ/(1−β): halving h halves the gap (ratio in [1.8, 2.2])",
    checks: nb("01-momentum-path", "01.1", "01.C") },
  { id: "S7.2", source: DERIVED, statement: "different λ give different paths, apart by far more than the discretisation error",
    checks: nb("02-acceleration-rule", "02.d") },
  { id: "S7.3", source: DERIVED, statement: "the iterations to reach a loss, times h = γ/(1−β), are constant within 3% across β at fixed λ and at fixed γ",
    checks: nb("02-acceleration-rule", "02.a") },
  { id: "S7.4", source: DERIVED, statement: "momentum at fixed γ cuts the iterations by 1/(1−β): K_GD/K_MGD ∈ [0.9, 1.1]/(1−β)", checks: [] },
  { id: "S7.5", source: DERIVED, statement: "gradient flow conserves the balancedness Δ = u² − v²", checks: [] },
  { id: "S7.6", source: DERIVED, statement: "along MGF, Δ_t never increases and Δ∞ ≤ Δ₀, while u ± v keep their sign",
    checks: nb("03-balancedness", "03.a") },
  { id: "S7.7", source: DERIVED, statement: "exact balancedness identity along MGF: ln Δ_t + λ·(ln Δ)′_t = ln Δ₀ − λ∫₀ᵗ(ȧ² + ḃ²), a = ln(u+v), b = ln(u−v) (residual ≤ 1e-9)", checks: [] },
  { id: "S7.8", source: DERIVED, statement: "exact mirror identity along MGF: ½·arcsinh(2w_t/Δ_t) + (λ/2)(ȧ − ḃ)_t = ½·arcsinh(2w₀/Δ₀) − ∫₀ᵗ∇L − (λ/2)∫₀ᵗ(ȧ² − ḃ²) (residual ≤ 1e-9)", checks: [] },
  { id: "S7.9", source: DERIVED, statement: "exact implicit regularisation: the MGF limit is argmin of the Bregman divergence of ψ at Δ∞ from the base point w̃₀, over Xw = y (≤ 1e-8)",
    checks: nb("04-implicit-regularisation", "04.d") },
  { id: "S7.10", source: DERIVED, statement: "approximate implicit regularisation: the MGF limit is within 0.1 of argmin ψ at Δ∞ over Xw = y for λ ≤ 0.2 (a level measured on one draw); robust part: the gap shrinks like λ²",
    checks: nb("04-implicit-regularisation", ["S7.10a", { threshold: true }], ["S7.10b", { threshold: true }], ["S7.10d", { threshold: true }]) },
  { id: "S7.11", source: DERIVED, statement: "gradient-flow baseline: the GF limit is argmin ψ at Δ₀ over Xw = y (≤ 1e-8)", checks: [] },
  { id: "S7.12", source: DERIVED, statement: "first-order Δ∞ ≈ Δ₀·exp(−2λ∫∇L²) along GF: error ≤ 0.02 at λ = 0.05 (a level measured on one draw); robust part: the error scales like λ²",
    checks: nb("03-balancedness", ["S7.12a", { threshold: true }], ["S7.12c", { threshold: true }], "03.b") },
  { id: "S7.13", source: DERIVED, statement: "MGD's Δ∞ approaches MGF's: the gap falls linearly in 1 − β", checks: nb("04-implicit-regularisation", "04.g") },
  { id: "S7.14", source: DERIVED, statement: "the shrinkage of Δ is non-uniform: at λ = 0.1, at least 3 of the 5 smallest Δ∞ entries lie on the support of w*",
    checks: nb("03-balancedness", "03.c") },
  { id: "S7.15", source: DERIVED, statement: "sparse recovery gets worse with λ: ‖w∞(λ) − w*‖ is non-decreasing in λ and GF (λ = 0) is best (isotropic designs)",
    checks: nb(S05, "P-3", ["05.monotone-10", { threshold: true }]) },
  { id: "S7.16", source: DERIVED, statement: "validity region: for larger λ some u ± v changes sign and the log-form identities stop applying; below it none does",
    checks: [...nb("03-balancedness", "03.d"), ...nb("04-implicit-regularisation", "04.e")] },
  { id: "S7.17", source: DERIVED, statement: "SMGD tends to MGD at fixed λ as β → 1, and SGD with a moderate step improves on GF",
    checks: nb("06-stochastic-momentum", "06.1", "06.2", "06.3") },
  { id: "S7.18", source: DERIVED, statement: "on plain linear regression (no network) MGD from 0 converges to the minimum-ℓ2 interpolator for every λ", checks: [] },
  { id: "S7.19", source: DERIVED, statement: "2-D toy: w∞ moves monotonically from near (1, 0) towards (0.8, 0.4) as λ grows",
    checks: nb("07-two-dimensional-toy", "07.1") },
  { id: "S7.20", source: DERIVED, statement: "momentum acts like a non-uniform initialisation: GF started from u₀ = √Δ∞ (of MGF), v₀ = 0 lands on argmin ψ at Δ∞",
    checks: nb("04-implicit-regularisation", "04.h") },
];

export type Verdict = "holds" | "fails" | "regime-dependent" | "draw-dependent threshold" | "unclassified" | "not run";

/** Every verdict, with what it means (for the ledger notebook and the README). */
export const VERDICTS: Record<Verdict, string> = {
  holds: "every check that decides the claim holds",
  fails: "every check that decides the claim fails",
  "regime-dependent": "the claim holds in some settings and fails in others; the detail names them",
  "draw-dependent threshold":
    "a fixed number (or an 'on every draw' statement) holds on some random draws and not on others, while the rest of the claim (its robust part, named in the detail) holds",
  unclassified: "checks of one setting disagree and are not tagged as a threshold or by setting: the notebook must tag them",
  "not run": "a check the claim relies on was not recorded (the tests treat this as an error)",
};

export interface LedgerRow {
  /** The claim's id, with the reading's number for a claim read in two ways ("P-3 (1)"). */
  id: string;
  statement: string;
  source: string;
  where: string;
  verdict: Verdict;
  /** Which checks failed, which settings hold and fail, the robust part, missing checks. */
  detail: string;
}

/** The latest checks per notebook, keyed by notebook name then check id. */
export type ClaimIndex = Map<string, Map<string, ClaimCheck>>;

export function indexRecords(records: ClaimsRecord[]): ClaimIndex {
  if (!Array.isArray(records)) throw new TypeError("records must be an array of ClaimsRecord");
  const index: ClaimIndex = new Map();
  for (const r of records) index.set(r.notebook, new Map(r.checks.map((c) => [c.id, c])));
  return index;
}

/** Whether a check id names a claim: the claim's id itself, or it followed by letters (+digits) or by a "-suffix". */
export function idNamesClaim(checkId: string, claimId: string): boolean {
  if (checkId === claimId) return true;
  if (!checkId.startsWith(claimId)) return false;
  return /^(?:[a-z]+\d*|-[A-Za-z0-9][\w-]*)$/.test(checkId.slice(claimId.length));
}

/** A check as it bears on one claim (or reading): found (`check`) or missing (null), with its role. */
export interface ResolvedCheck extends CheckRole {
  notebook: string;
  id: string;
  check: ClaimCheck | null;
}

const key = (r: { notebook: string; id: string }) => `${r.notebook}:${r.id}`;

/** The checks found automatically for a claim: by id, or by the check's `claims` tag. */
function automaticRefs(index: ClaimIndex, claimId: string): CheckRef[] {
  const out: CheckRef[] = [];
  for (const [notebook, checks] of index) {
    for (const c of checks.values()) {
      if (idNamesClaim(c.id, claimId) || (c.claims ?? []).includes(claimId)) out.push({ notebook, id: c.id });
    }
  }
  return out;
}

function resolve(index: ClaimIndex, refs: CheckRef[]): ResolvedCheck[] {
  const seen = new Map<string, ResolvedCheck>();
  for (const ref of refs) {
    const before = seen.get(key(ref));
    if (before) {
      // the same check reached twice (by hand and by id, or through `uses`): keep every annotation given
      before.regime ??= ref.regime;
      before.threshold ??= ref.threshold;
      before.refutes ??= ref.refutes;
      continue;
    }
    seen.set(key(ref), { notebook: ref.notebook, id: ref.id, check: index.get(ref.notebook)?.get(ref.id) ?? null, regime: ref.regime, threshold: ref.threshold, refutes: ref.refutes });
  }
  // The ledger's annotations win over the check's own tags.
  for (const r of seen.values()) {
    r.regime ??= r.check?.regime;
    r.threshold ??= r.check?.threshold;
    r.refutes ??= r.check?.refutes;
  }
  return [...seen.values()];
}

/** The checks that name the claim and put themselves in its reading i by their `reading` tag ("1", "2" or the name). */
function readingRefs(index: ClaimIndex, entry: LedgerEntry, i: number): CheckRef[] {
  const reading = (entry.readings ?? [])[i];
  return automaticRefs(index, entry.id).filter((ref) => {
    const tag = index.get(ref.notebook)?.get(ref.id)?.reading;
    return tag !== undefined && (tag === String(i + 1) || tag === reading.name);
  });
}

/** Every check that decides a claim without readings: automatic, by hand, and through `uses` (cycles ignored). */
function entryRefs(index: ClaimIndex, entry: LedgerEntry, ledger: LedgerEntry[], visiting = new Set<string>()): CheckRef[] {
  visiting.add(entry.id);
  const refs = [...entry.checks, ...automaticRefs(index, entry.id)];
  for (const u of entry.uses ?? []) {
    const used = ledger.find((e) => e.id === u);
    if (!used) throw new RangeError(`ledger entry ${entry.id} uses unknown entry ${u}`);
    if (!visiting.has(u)) refs.push(...entryRefs(index, used, ledger, visiting));
  }
  return refs;
}

const supports = (r: ResolvedCheck): boolean => (r.check as ClaimCheck).holds !== (r.refutes ?? false);
const ids = (rs: ResolvedCheck[]): string => rs.map((r) => r.id).join(", ");

/** Settings that hold and that fail, if every setting is pure (all its non-threshold checks agree). */
function regimes(found: ResolvedCheck[]): { holds: string[]; fails: string[] } | null {
  const by = new Map<string, boolean[]>();
  for (const r of found) {
    if (r.threshold || r.regime === undefined) continue;
    by.set(r.regime, [...(by.get(r.regime) ?? []), supports(r)]);
  }
  const holds: string[] = [], fails: string[] = [];
  for (const [regime, votes] of by) {
    if (votes.every(Boolean)) holds.push(regime);
    else if (votes.every((v) => !v)) fails.push(regime);
    else return null;
  }
  return { holds, fails };
}

/**
 * The verdict of one claim (or reading) from its resolved checks: see {@link VERDICTS}.
 * Exported for the tests; `ledgerRows` is what notebooks call.
 */
export function decide(resolved: ResolvedCheck[]): { verdict: Verdict; detail: string } {
  const missing = resolved.filter((r) => r.check === null);
  if (resolved.length === 0) return { verdict: "not run", detail: "no check decides this claim" };
  if (missing.length) return { verdict: "not run", detail: `missing ${missing.map((m) => `${m.notebook.slice(0, 2)}:${m.id}`).join(", ")}` };
  const against = resolved.filter((r) => !supports(r));
  const label = (r: ResolvedCheck) => (r.refutes ? `${r.id} (refuting check holds)` : r.id);
  if (against.length === 0) return { verdict: "holds", detail: "" };
  if (against.length === resolved.length) return { verdict: "fails", detail: `fails ${against.map(label).join(", ")}` };
  const firm = resolved.filter((r) => !r.threshold);
  const firmAgainst = firm.filter((r) => !supports(r));
  const drawNote = against.some((r) => r.threshold) ? `; draw-dependent: ${ids(against.filter((r) => r.threshold))} fails on some draws` : "";
  if (firmAgainst.length === 0) {
    return { verdict: "draw-dependent threshold", detail: `fails on some draws: ${ids(against)}; robust part holds: ${firm.length ? ids(firm) : "none checked"}` };
  }
  const split = regimes(resolved);
  const general = firm.filter((r) => r.regime === undefined);
  if (split && split.holds.length && split.fails.length && general.every(supports)) {
    return { verdict: "regime-dependent", detail: `holds in: ${split.holds.join("; ")}. Fails in: ${split.fails.join("; ")}${drawNote}` };
  }
  return { verdict: "unclassified", detail: `fails ${firmAgainst.map(label).join(", ")}${drawNote}` };
}

function where(resolved: ResolvedCheck[]): string {
  const byNotebook = new Map<string, string[]>();
  for (const r of resolved) byNotebook.set(r.notebook, [...(byNotebook.get(r.notebook) ?? []), r.id]);
  return [...byNotebook].map(([n, xs]) => `${n} (${xs.join(", ")})`).join("; ");
}

/**
 * One row per claim (one per reading for a claim read in two ways), with its verdict computed from the recorded
 * checks. Checks are found by id, by tag, by hand and through `uses` (see the module comment).
 * @param index the recorded checks (indexRecords(loadClaimRecords(…).records)); @param ledger default LEDGER
 */
export function ledgerRows(index: ClaimIndex, ledger: LedgerEntry[] = LEDGER): LedgerRow[] {
  return ledger.flatMap((e): LedgerRow[] => {
    if (e.readings?.length) {
      return e.readings.map((r, i) => {
        const resolved = resolve(index, [...r.checks, ...readingRefs(index, e, i)]);
        return { id: `${e.id} (${i + 1})`, statement: `${e.statement}, read as: ${r.name}`, source: e.source, where: where(resolved), ...decide(resolved) };
      });
    }
    const resolved = resolve(index, entryRefs(index, e, ledger));
    return [{ id: e.id, statement: e.statement, source: e.source, where: where(resolved), ...decide(resolved) }];
  });
}

/**
 * Recorded checks that bear on a claim but are not mapped, and tags that name no claim: a check whose id or tag
 * names a claim read in two ways but that no reading lists, or a `claims` tag with an unknown id. Empty when the
 * ledger is complete (the tests and notebook 99 insist).
 */
export function unmappedChecks(index: ClaimIndex, ledger: LedgerEntry[] = LEDGER): string[] {
  const out: string[] = [];
  const known = new Set(ledger.map((e) => e.id));
  for (const [notebook, checks] of index) {
    for (const c of checks.values()) {
      for (const id of c.claims ?? []) if (!known.has(id)) out.push(`${notebook}:${c.id} names unknown claim ${id}`);
    }
  }
  for (const e of ledger.filter((x) => x.readings?.length)) {
    const listed = new Set(e.readings!.flatMap((r, i) => [...r.checks, ...readingRefs(index, e, i)].map(key)));
    for (const ref of automaticRefs(index, e.id)) {
      if (!listed.has(key(ref))) out.push(`${key(ref)} bears on ${e.id} but no reading of ${e.id} lists it`);
    }
  }
  return out;
}

/** Claims recorded inside an executed notebook's outputs (CLAIMS_MIME), or null if it has none. */
export function claimsFromNotebook(path: string): ClaimsRecord | null {
  const nbJson = JSON.parse(readFileSync(path, "utf8")) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  for (const cell of nbJson.cells) {
    for (const o of cell.outputs ?? []) {
      const rec = o.data?.[CLAIMS_MIME] as ClaimsRecord | undefined;
      if (rec) return rec;
    }
  }
  return null;
}

/** A row of a displayed table. */
export type LedgerTableRow = Record<string, string | number>;

/** The ledger as a table: claim, source, statement, checked in, verdict, detail. */
export function ledgerTable(rows: LedgerRow[]): LedgerTableRow[] {
  if (!Array.isArray(rows)) throw new TypeError("rows must come from ledgerRows");
  return rows.map((r) => ({ claim: r.id, source: r.source, statement: r.statement, "checked in": r.where, verdict: r.verdict, detail: r.detail }));
}

/** The verdict vocabulary as a table (verdict, meaning). */
export function verdictTable(): LedgerTableRow[] {
  return (Object.keys(VERDICTS) as Verdict[]).map((v) => ({ verdict: v, meaning: VERDICTS[v] }));
}

/** How many rows of each source have each verdict (one row per verdict, one column per source). */
export function verdictTally(rows: LedgerRow[]): LedgerTableRow[] {
  if (!Array.isArray(rows)) throw new TypeError("rows must come from ledgerRows");
  const sources = [...new Set(rows.map((r) => r.source))];
  return (Object.keys(VERDICTS) as Verdict[]).map((v) => {
    const row: LedgerTableRow = { verdict: v };
    for (const s of sources) row[s] = rows.filter((r) => r.source === s && r.verdict === v).length;
    return row;
  });
}

/**
 * The checks of each notebook that bear on no claim of the ledger (they back that notebook's own figures and text),
 * found with the same rules as ledgerRows: count, how many hold, the failing ids.
 */
export function ownChecks(records: ClaimsRecord[], ledger: LedgerEntry[] = LEDGER): LedgerTableRow[] {
  const index = indexRecords(records);
  const mapped = new Set<string>();
  for (const e of ledger) {
    const refs = e.readings?.length ? e.readings.flatMap((r) => r.checks) : entryRefs(index, e, ledger);
    for (const r of [...refs, ...automaticRefs(index, e.id)]) mapped.add(key(r));
  }
  return records.map((r) => {
    const own = r.checks.filter((c) => !mapped.has(key({ notebook: r.notebook, id: c.id })));
    return { notebook: r.notebook, "own checks": own.length, hold: own.filter((c) => c.holds).length, "failing ids": own.filter((c) => !c.holds).map((c) => c.id).join(", ") };
  });
}

/**
 * The latest recorded checks of every notebook of the series (notebooks/series.json; copies and playground
 * notebooks never count): .cache/claims/<notebook>.json from the latest run when present, else the record saved in
 * the notebook's own outputs.
 * @param notebooksDir folder of the series; @param cacheDir folder of the latest run's records
 * @param options exclude: series notebooks to leave out (the ledger notebook leaves itself out)
 * @throws Error if notebooksDir has no series.json
 */
export function loadClaimRecords(
  notebooksDir: string,
  cacheDir: string,
  options: { exclude?: string[] } = {},
): { records: ClaimsRecord[]; from: Record<string, "latest run" | "saved outputs"> } {
  // The site's in-page runtime holds only the series' pages, so there the folder's NN-*.ipynb are the series.
  const series = isSeriesFolder(notebooksDir) ? readSeries(notebooksDir)
    : inPage() ? readdirSync(notebooksDir).filter((f) => /^\d\d-[\w-]+\.ipynb$/.test(f)).map((f) => f.slice(0, -".ipynb".length)).sort()
    : null;
  if (series === null) throw new Error(`${notebooksDir} has no series.json: the ledger reads only the series notebooks`);
  const exclude = new Set(options.exclude ?? []);
  const records: ClaimsRecord[] = [];
  const from: Record<string, "latest run" | "saved outputs"> = {};
  for (const name of series.filter((n) => !exclude.has(n))) {
    const cached = join(cacheDir, `${name}.json`);
    const file = join(notebooksDir, `${name}.ipynb`);
    if (existsSync(cached)) {
      records.push(JSON.parse(readFileSync(cached, "utf8")) as ClaimsRecord);
      from[name] = "latest run";
    } else if (existsSync(file)) {
      const rec = claimsFromNotebook(file);
      if (rec) {
        records.push(rec);
        from[name] = "saved outputs";
      }
    }
  }
  return { records, from };
}
