// Before any test: the WebAssembly kernels and the kernel's build of the library (build/lib, which notebooks/lib
// links to) are brought up to date with the sources, so `npx vitest` alone runs the notebooks on the current code.
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";

export default async function setup(): Promise<void> {
  const root = resolve(__dirname, "..");
  execFileSync(process.execPath, [resolve(root, "tools", "build-wasm.mjs"), "--quiet"], { cwd: root, stdio: "inherit" });
  // @ts-expect-error plain .mjs tool without type declarations
  const { buildLib } = await import("../tools/build-lib.mjs");
  await buildLib({ silent: true });
}
