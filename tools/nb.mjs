#!/usr/bin/env node
// Authoring helper, jupytext-style: a notebook <-> a markdown draft where each ```ts fence is a code cell
// and the text between fences is a markdown cell (`<!-- split -->` starts a new markdown cell).
//   node tools/nb.mjs from-md draft.md notebooks/NN-name.ipynb   (outputs are dropped; re-execute after)
//   node tools/nb.mjs to-md notebooks/NN-name.ipynb > draft.md
import { readFileSync, writeFileSync } from "node:fs";

const [verb, input, output] = process.argv.slice(2);
const lines = (s) => s.split("\n").map((l, i, a) => (i < a.length - 1 ? l + "\n" : l)).filter((l) => l !== "");

export const METADATA = {
  kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" },
  language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript", version: "5.0.4", codemirror_mode: { name: "javascript", typescript: true } },
};

function fromMd(text) {
  const cells = [];
  const pushMd = (s) => {
    for (const part of s.split(/^<!-- split -->$/m)) {
      const t = part.trim();
      if (t) cells.push({ cell_type: "markdown", metadata: {}, source: lines(t) });
    }
  };
  const fence = /^```ts\n([\s\S]*?)^```$/gm;
  let last = 0;
  for (const m of text.matchAll(fence)) {
    pushMd(text.slice(last, m.index));
    cells.push({ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: lines(m[1].replace(/\n$/, "")) });
    last = m.index + m[0].length;
  }
  pushMd(text.slice(last));
  return { cells, metadata: METADATA, nbformat: 4, nbformat_minor: 5 };
}

function toMd(nb) {
  return nb.cells.map((c) => {
    const src = Array.isArray(c.source) ? c.source.join("") : c.source;
    return c.cell_type === "code" ? "```ts\n" + src + "\n```" : src;
  }).join("\n\n<!-- split -->\n\n").replace(/<!-- split -->\n\n(```ts)/g, "$1").replace(/(```)\n\n<!-- split -->/g, "$1") + "\n";
}

if (verb === "from-md" && input && output) {
  const nb = fromMd(readFileSync(input, "utf8"));
  nb.cells.forEach((c, i) => { c.id = `c${String(i).padStart(2, "0")}`; });
  writeFileSync(output, JSON.stringify(nb, null, 1) + "\n");
  console.error(`wrote ${output}: ${nb.cells.length} cells (${nb.cells.filter((c) => c.cell_type === "code").length} code)`);
} else if (verb === "to-md" && input) {
  process.stdout.write(toMd(JSON.parse(readFileSync(input, "utf8"))));
} else {
  console.error("usage: node tools/nb.mjs from-md DRAFT.md OUT.ipynb | to-md NOTEBOOK.ipynb");
  process.exit(2);
}
