/**
 * Stored records and the store's line format (the one format of every sweep): a store is a list of JSON lines,
 *   {"format": "momentum-dln/sweep@2", "name": …}       the header (first line)
 *   {"session": {…provenance…}}                           who computed the records that follow, where, when
 *   {"key": …, "id": …, "code": …, "method": …, "problem": …, "params": …, "status": …, "out": …, "check": …}
 * A record's `id` hashes its inputs (method, problem, params), `key` hashes them with the code version `code`, and
 * `check` hashes the whole record: a record whose hashes do not match its content was edited or damaged, one whose
 * code version is not the current one is stale; neither is trusted. Pure (no Node built-ins).
 */
import { canonicalJSON, digest } from "./hash";
import type { Json, Outcome } from "./method";
import { pointIdentity, type GridPoint } from "./grid";
import type { NormalizedProblem } from "./problem-spec";

export const STORE_FORMAT = "momentum-dln/sweep@2";

export interface StoredRecord {
  key: string;
  id: string;
  code: string;
  method: string;
  problem: NormalizedProblem;
  params: Record<string, Json>;
  status: "ok" | "diverged" | "limit";
  out: Record<string, Json>;
  message?: string;
  check: string;
}

/** Provenance of the records written by one session (not part of the comparable results). */
export type Session = Record<string, Json>;

/** Build the stored record of a computed point. @throws RangeError for a failed outcome (never stored) */
export function makeRecord(method: string, point: GridPoint, code: string, outcome: Outcome): StoredRecord {
  if (outcome.status === "failed") throw new RangeError("a failed run is not stored");
  const identity = pointIdentity(method, point.problem, point.params);
  const body: Omit<StoredRecord, "check"> = {
    key: digest(`${identity}\n${code}`),
    id: point.id,
    code,
    method,
    problem: point.problem,
    params: point.params,
    status: outcome.status,
    out: outcome.out,
    ...(outcome.message !== undefined ? { message: outcome.message } : {}),
  };
  return { ...body, check: digest(canonicalJSON(body)) };
}

/** The line of a record (canonical JSON, so equal records give equal bytes). */
export function recordLine(r: StoredRecord): string {
  return canonicalJSON(r);
}

export type LineVerdict =
  | { kind: "header"; name: string }
  | { kind: "session"; session: Session }
  | { kind: "record"; record: StoredRecord }
  | { kind: "stale"; record: StoredRecord }
  | { kind: "bad"; reason: string };

/**
 * Parse and verify one line of a store.
 * @param line the text; @param currentCode the current code version of a method by name
 */
export function verifyLine(line: string, currentCode: (method: string) => string | null): LineVerdict {
  let x: unknown;
  try {
    x = JSON.parse(line);
  } catch {
    return { kind: "bad", reason: "not JSON (an interrupted write?)" };
  }
  if (x === null || typeof x !== "object" || Array.isArray(x)) return { kind: "bad", reason: "not a JSON object" };
  const o = x as Record<string, unknown>;
  if (typeof o.format === "string") {
    if (o.format !== STORE_FORMAT) return { kind: "bad", reason: `header of format ${JSON.stringify(o.format)}, expected "${STORE_FORMAT}"` };
    return { kind: "header", name: String(o.name) };
  }
  if (o.session !== undefined) return { kind: "session", session: o.session as Session };
  const r = o as unknown as StoredRecord;
  if (typeof r.key !== "string" || typeof r.check !== "string" || typeof r.code !== "string" || typeof r.method !== "string") return { kind: "bad", reason: "not a record (no key, check, code or method)" };
  const { check, ...body } = r;
  let text: string;
  try {
    text = canonicalJSON(body);
  } catch (e) {
    return { kind: "bad", reason: (e as Error).message };
  }
  if (digest(text) !== check) return { kind: "bad", reason: `record ${r.key}: its check hash does not match its content (edited by hand or damaged)` };
  const identity = pointIdentity(r.method, r.problem, r.params);
  if (digest(identity) !== r.id || digest(`${identity}\n${r.code}`) !== r.key) return { kind: "bad", reason: `record ${r.key}: its key does not match its inputs (edited by hand)` };
  if (!["ok", "diverged", "limit"].includes(r.status)) return { kind: "bad", reason: `record ${r.key}: status ${JSON.stringify(r.status)}` };
  if (currentCode(r.method) !== r.code) return { kind: "stale", record: r };
  return { kind: "record", record: r };
}

/** The header line of a store. */
export function headerLine(name: string): string {
  return canonicalJSON({ format: STORE_FORMAT, name });
}

/** A session line. */
export function sessionLine(s: Session): string {
  return canonicalJSON({ session: s });
}
