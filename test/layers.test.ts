// The library's layers (folders of lib/) and the rule that arrows point down: a module imports only from its own
// layer or a lower one, so computation never depends on figures or display, and the numerical core runs anywhere.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const LIB = resolve(__dirname, "..", "lib");
const LAYERS = ["core", "model", "dynamics", "bias", "sweeps", "experiments", "figures", "notebook"];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mjs)$/.test(f) ? [p] : [];
  });
}
const layerOf = (file: string): string => relative(LIB, file).split("/")[0];

describe("library layers", () => {
  it("every module of lib/ (but the index) sits in a layer folder", () => {
    const stray = files(LIB).filter((f) => relative(LIB, f) !== "index.ts" && !LAYERS.includes(layerOf(f)));
    expect(stray.map((f) => relative(LIB, f))).toEqual([]);
  });

  it("imports point down: no module imports from a higher layer", () => {
    const up: string[] = [];
    for (const f of files(LIB).filter((x) => relative(LIB, x) !== "index.ts")) {
      const from = LAYERS.indexOf(layerOf(f));
      for (const m of readFileSync(f, "utf8").matchAll(/(?:import|export)[^;]*?from\s+"(\.{1,2}\/[^"]+)"/g)) {
        const target = resolve(dirname(f), m[1]);
        const to = LAYERS.indexOf(layerOf(target));
        if (to > from) up.push(`${relative(LIB, f)} imports ${relative(LIB, target)}`);
      }
    }
    expect(up).toEqual([]);
  });
});
