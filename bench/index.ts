/**
 * `npm run bench`: runs every bench/*.bench.ts in name order (or those named on the command line) and prints
 * their tables. Speed targets live here, never in unit tests: the machines are shared and noisy, so each
 * bench reports ratios measured within one run where it can.
 */
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
  .sort();
console.log(`node ${process.version}, ${new Date().toISOString()}`);
for (const f of files) {
  console.log(`\n## ${f.replace(".bench.ts", "")}`);
  const mod = await import(pathToFileURL(join(here, f)).href);
  await mod.default();
}
