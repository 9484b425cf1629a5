/**
 * Problem instances on disk (Node only: kept apart from problems.ts so the numerical library runs in a browser).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { problemFromJSON, problemToJSON, type Problem } from "./problems";

/** Write p as JSON (format momentum-dln/problem@1) to `path`. */
export function saveProblem(p: Problem, path: string): void {
  writeFileSync(path, JSON.stringify(problemToJSON(p)) + "\n");
}

/**
 * Read a problem written by saveProblem.
 * @throws RangeError naming the file if it cannot be read; TypeError if it is not a problem file
 */
export function loadProblem(path: string): Problem {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new RangeError(`cannot read problem file ${path}: ${(e as Error).message}`);
  }
  return problemFromJSON(JSON.parse(text));
}
