/**
 * The claim ledger: every claim of the paper's abstract [P], of the seed document's quotes and of science.md §7,
 * with the notebook checks that decide it. Verdicts are never stored here: they are computed from the checks
 * the notebooks recorded on their latest run (`showClaims(checks, notebook)`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CLAIMS_MIME, type ClaimCheck, type ClaimsRecord } from "./claims";

export interface LedgerEntry {
  /** "P-k" (abstract), "seed-k" (seed quote), "S7.k" (science.md §7 claim k). */
  id: string;
  statement: string;
  source: string;
  /** The checks that decide it: notebook file name (no extension) and check ids in that notebook's Claims cell. */
  checks: { notebook: string; ids: string[] }[];
}

const ABSTRACT = "paper abstract [P]";
const SEED = "seed quote (a claim to test)";
const SCIENCE = "science.md §7 [D]";
const nb = (notebook: string, ...ids: string[]) => ({ notebook, ids });

export const LEDGER: LedgerEntry[] = [
  { id: "P-1", source: ABSTRACT, statement: "λ = γ/(1−β)² alone fixes the optimisation path and yields a simple acceleration rule", checks: [nb("01-momentum-path", "S7.1", "S7.1b", "S7.2"), nb("02-acceleration-rule", "S7.3a", "S7.3b", "02.b")] },
  { id: "P-2", source: ABSTRACT, statement: "the solution recovered by a 2-layer DLN is characterised by an implicit regularisation problem", checks: [nb("04-implicit-regularisation", "S7.9", "S7.11", "S7.10a")] },
  { id: "P-3", source: ABSTRACT, statement: "small values of λ help to recover sparse solutions", checks: [nb("05-sparse-recovery", "P-3", "P-3-vs-gf", "P-3-decoy")] },
  { id: "P-4", source: ABSTRACT, statement: "similar but weaker results hold for stochastic momentum gradient descent", checks: [nb("06-stochastic-momentum", "P-4a", "P-4b", "P-4c")] },
  { id: "seed-1", source: SEED, statement: "momentum gradient flow recovers solutions which generalise better than those selected by gradient flow", checks: [nb("05-sparse-recovery", "seed-1-isotropic", "seed-1-others", "seed-1-decoy", "seed-1-decoy-pop")] },
  { id: "seed-2", source: SEED, statement: "the trajectory of MGD is solely determined by a single parameter intertwining step size and momentum", checks: [nb("01-momentum-path", "seed-2")] },
  { id: "seed-3", source: SEED, statement: "initialisations with entries of different magnitudes can hinder the recovery of a sparse vector", checks: [nb("05-sparse-recovery", "seed-3")] },
  { id: "S7.1", source: SCIENCE, statement: "path depends only on λ: sup_k ‖w_k − w^MGF(t_k)‖ ≤ 1.5·h, error ratio between h and h/2 in [1.8, 2.2]", checks: [nb("01-momentum-path", "S7.1", "S7.1b")] },
  { id: "S7.2", source: SCIENCE, statement: "different λ gives different paths, by far more than the discretisation error", checks: [nb("01-momentum-path", "S7.2"), nb("07-two-dimensional-toy", "S7.2")] },
  { id: "S7.3", source: SCIENCE, statement: "K(loss < ε)·γ/(1−β) is constant within 3% at fixed λ and at fixed γ", checks: [nb("02-acceleration-rule", "S7.3a", "S7.3b")] },
  { id: "S7.4", source: SCIENCE, statement: "momentum at fixed γ speeds up by 1/(1−β): K_GD/K_MGD ∈ [0.9, 1.1]/(1−β)", checks: [nb("02-acceleration-rule", "S7.4")] },
  { id: "S7.5", source: SCIENCE, statement: "GF conserves the balancedness Δ = u² − v²", checks: [nb("03-balancedness", "S7.5")] },
  { id: "S7.6", source: SCIENCE, statement: "MGF: Δ_t never increases and Δ∞ ≤ Δ₀ while u ± v > 0", checks: [nb("03-balancedness", "S7.6", "03.a")] },
  { id: "S7.7", source: SCIENCE, statement: "exact identity ln Δ_t + λ(ln Δ)'_t = ln Δ₀ − λ∫(ȧ² + ḃ²) to 1e-9", checks: [nb("03-balancedness", "S7.7")] },
  { id: "S7.8", source: SCIENCE, statement: "mirror identity along MGF to 1e-9", checks: [nb("03-balancedness", "S7.8")] },
  { id: "S7.9", source: SCIENCE, statement: "exact implicit regularisation: w∞^MGF = argmin D_ψΔ∞(·, w̃₀) s.t. Xw = y", checks: [nb("04-implicit-regularisation", "S7.9")] },
  { id: "S7.10", source: SCIENCE, statement: "approximate implicit regularisation: ‖w∞ − argmin ψ_Δ∞‖ ≤ 0.1 for λ ≤ 0.2, shrinking like λ²", checks: [nb("04-implicit-regularisation", "S7.10a", "S7.10b", "S7.10c", "S7.10d")] },
  { id: "S7.11", source: SCIENCE, statement: "GF baseline: w∞^GF = argmin ψ_Δ₀", checks: [nb("04-implicit-regularisation", "S7.11")] },
  { id: "S7.12", source: SCIENCE, statement: "first-order Δ∞ ≈ Δ₀·exp(−2λ∫g²_GF): error ≤ 0.02 at λ = 0.05, scaling like λ²", checks: [nb("03-balancedness", "S7.12a", "S7.12b", "S7.12c")] },
  { id: "S7.13", source: SCIENCE, statement: "MGD ≈ MGF for Δ∞: the gap falls linearly in 1 − β", checks: [nb("04-implicit-regularisation", "04.g")] },
  { id: "S7.14", source: SCIENCE, statement: "non-uniform shrinkage: at λ = 0.1, ≥ 3 of the 5 smallest Δ∞ entries lie on supp(w*)", checks: [nb("03-balancedness", "S7.14")] },
  { id: "S7.15", source: SCIENCE, statement: "sparse recovery gets worse with λ: ‖w∞(λ) − w*‖ non-decreasing in λ, GF best", checks: [nb("05-sparse-recovery", "S7.15", "05.monotone-10")] },
  { id: "S7.16", source: SCIENCE, statement: "validity region: for larger λ some u ± v changes sign and the log-form identities stop applying", checks: [nb("03-balancedness", "S7.16"), nb("07-two-dimensional-toy", "S7.16")] },
  { id: "S7.17", source: SCIENCE, statement: "SMGD tends to MGD at fixed λ as β → 1; SGD with moderate γ improves on GF", checks: [nb("06-stochastic-momentum", "S7.17", "S7.17b")] },
  { id: "S7.18", source: SCIENCE, statement: "plain linear regression: MGD from 0 converges to the min-ℓ2 interpolator for any λ", checks: [nb("01-momentum-path", "S7.18")] },
  { id: "S7.19", source: SCIENCE, statement: "2-D toy: w∞ moves monotonically from near (1, 0) towards (0.8, 0.4) as λ grows", checks: [nb("07-two-dimensional-toy", "S7.19", "S7.19b")] },
  { id: "S7.20", source: SCIENCE, statement: "momentum acts like a non-uniform initialisation: GF from u₀ = √Δ∞^MGF lands on argmin ψ_Δ∞", checks: [nb("04-implicit-regularisation", "S7.20a", "S7.20b")] },
];

export type Verdict = "holds" | "fails" | "mixed" | "not run";

export interface LedgerRow {
  id: string;
  statement: string;
  source: string;
  where: string;
  verdict: Verdict;
  /** Check ids that failed, or could not be found (marked "missing"). */
  detail: string;
}

/** The latest checks per notebook, keyed by notebook name then check id. */
export type ClaimIndex = Map<string, Map<string, ClaimCheck>>;

export function indexRecords(records: ClaimsRecord[]): ClaimIndex {
  const index: ClaimIndex = new Map();
  for (const r of records) index.set(r.notebook, new Map(r.checks.map((c) => [c.id, c])));
  return index;
}

/** Verdict of each ledger entry from the recorded checks: holds if all hold, fails if all fail, else mixed. */
export function ledgerRows(index: ClaimIndex, ledger: LedgerEntry[] = LEDGER): LedgerRow[] {
  return ledger.map((e) => {
    const found: ClaimCheck[] = [];
    const missing: string[] = [];
    for (const { notebook, ids } of e.checks) {
      for (const id of ids) {
        const c = index.get(notebook)?.get(id);
        if (c) found.push(c);
        else missing.push(`${notebook.slice(0, 2)}:${id}`);
      }
    }
    const failed = found.filter((c) => !c.holds).map((c) => c.id);
    const verdict: Verdict = missing.length ? "not run" : failed.length === 0 ? "holds" : failed.length === found.length ? "fails" : "mixed";
    const where = e.checks.map((c) => `${c.notebook} (${c.ids.join(", ")})`).join("; ");
    const detail = [...missing.map((m) => `missing ${m}`), ...failed.map((f) => `fails ${f}`)].join(", ");
    return { id: e.id, statement: e.statement, source: e.source, where, verdict, detail };
  });
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

/**
 * The latest recorded checks of every notebook: .cache/claims/<notebook>.json from the latest run when present,
 * else the record saved in the notebook's own outputs.
 * @param notebooksDir folder of the .ipynb files; @param cacheDir folder of the latest run's records
 */
export function loadClaimRecords(notebooksDir: string, cacheDir: string): { records: ClaimsRecord[]; from: Record<string, "latest run" | "saved outputs"> } {
  const records: ClaimsRecord[] = [];
  const from: Record<string, "latest run" | "saved outputs"> = {};
  const names = readdirSync(notebooksDir).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).map((f) => f.replace(/\.ipynb$/, "")).sort();
  for (const name of names) {
    const cached = join(cacheDir, `${name}.json`);
    if (existsSync(cached)) {
      records.push(JSON.parse(readFileSync(cached, "utf8")) as ClaimsRecord);
      from[name] = "latest run";
    } else {
      const rec = claimsFromNotebook(join(notebooksDir, `${name}.ipynb`));
      if (rec) {
        records.push(rec);
        from[name] = "saved outputs";
      }
    }
  }
  return { records, from };
}
