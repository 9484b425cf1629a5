// The lint gate: ESLint over the library, the tools and the benchmarks (eslint.config.js), in `npm test`.
import { ESLint } from "eslint";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

describe("lint gate", () => {
  it("lib/, tools/ and bench/ pass ESLint (functions of at most 80 lines, hot kernels named)", async () => {
    const eslint = new ESLint({ cwd: resolve(__dirname, "..") });
    const results = await eslint.lintFiles(["lib", "tools", "bench"]);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath.replace(/^.*?\/(lib|tools|bench)\//, "$1/")}:${m.line}:${m.column} ${m.message}`));
    expect(problems).toEqual([]);
  }, 120_000);
});
