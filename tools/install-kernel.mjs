#!/usr/bin/env node
// npm run kernel:install: a project-local kernelspec, so Jupyter/VS Code run this repo's pinned tslab
// with this Node, without `tslab install` (which needs Python's IPython and a tslab on PATH).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dir = join(ROOT, "jupyter", "kernels", "tslab");
const spec = {
  argv: [process.execPath, join(ROOT, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"],
  display_name: "TypeScript",
  language: "typescript",
};
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
console.log(`wrote ${join(dir, "kernel.json")}

Jupyter finds it through JUPYTER_PATH:
  export JUPYTER_PATH=${join(ROOT, "jupyter")}
  jupyter kernelspec list        # should list: tslab  ${dir}
  jupyter lab notebooks/         # or: jupyter notebook notebooks/

VS Code (Jupyter extension): start VS Code from a shell where JUPYTER_PATH is exported
(or add it to "terminal.integrated.env.*" / your shell profile), then pick the kernel "TypeScript".
Notebooks run with cwd = notebooks/, so imports look like: import { ... } from "./lib";`);
