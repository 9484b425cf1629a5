#!/usr/bin/env node
// Build the static site from executed notebooks.
//   node tools/build-site.mjs [--from DIR] [--out DIR] [--title TEXT]
// Defaults: --from notebooks (their committed outputs), --out site. --out must be new, empty or a site that
// build-site wrote (it is replaced whole); notebook content is sanitised (tools/site/sanitize.mjs).
// Everything a page needs is copied into the site (no CDN), so pages work from file:// and served.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { marked } from "marked";
import katex from "katex";
import { readNotebook } from "./notebook-runner.mjs";
import { RUNTIME_HEAD, writeRuntime } from "./site/build-runtime.mjs";
import { seriesFiles } from "./series.mjs";
import { addHeadingIds, rewriteNotebookLinks, typesetCombiningDots } from "./site/layout.mjs";
import { localSpec, sanitize, takeRemovals } from "./site/sanitize.mjs";
import { prepareOutDir } from "./site/out-dir.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const NM = join(ROOT, "node_modules");
const ASSETS = join(ROOT, "tools", "site-assets");
const VEGALITE = "application/vnd.vegalite.v5+json";

export const DEFAULT_TITLE = "Momentum in diagonal linear networks";

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const text = (t) => (Array.isArray(t) ? t.join("") : String(t ?? ""));
// tslab prints util.inspect / stack text; strip terminal colour codes if any slipped in.
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
// HTML parsers put <svg>/<math> in the right namespace without xmlns; dropping it keeps pages free of http URLs.
const dropXmlns = (html) => html.replace(/\s+xmlns(:xlink)?="http:\/\/www\.w3\.org\/[^"]*"/g, "");

// ---------------------------------------------------------------- markdown + math

/**
 * Render notebook markdown with KaTeX math. Math is cut out before marked sees it (marked would
 * read `_` and `*` inside formulas as emphasis) and put back, rendered, afterwards.
 * Code spans and fenced blocks are left alone, so `$` in code stays literal.
 */
export function renderMarkdown(md, { inline = false } = {}) {
  const maths = [];
  // The placeholder is an element with a quoted attribute: after sanitising, this exact text can only be that
  // element (a serialiser writes quotes in attribute values as &quot; and "<" in text as &lt;), so KaTeX's
  // markup (trusted: trust is off, so \href and \html… do not render) goes in where math was and nowhere else.
  const hold = (tex, display) => `<span id="KATEXMATH${maths.push({ tex, display }) - 1}X"></span>`;
  // One pass over: fenced code | inline code | $$…$$ | \[…\] | \(…\) | $…$ (pandoc's rule: no space
  // just inside the dollars and no digit right after, so "$5 and $10" stays text).
  const re = /(^|\n)(```|~~~)[\s\S]*?(\n\2[^\n]*(?=\n|$)|$)|(`+)[\s\S]*?\4|\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|\\\$|\$(?!\s)((?:\\.|[^$\\\n]|\n(?!\n))+?)(?<!\s)\$(?!\d)/g;
  const src = String(md).replace(re, (m, _nl, _fence, _end, _tick, dd, br, pa, d) => {
    if (dd !== undefined) return hold(dd, true);
    if (br !== undefined) return hold(br, true);
    if (pa !== undefined) return hold(pa, false);
    if (d !== undefined) return hold(d, false);
    return m; // code, or an escaped \$
  });
  const typeset = typesetCombiningDots(src, (tex) => hold(tex, false)); // "θ̈" in prose → KaTeX \ddot{θ}
  const html = inline ? marked.parseInline(typeset, { async: false }) : marked.parse(typeset, { async: false });
  // Notebook markdown may hold raw HTML: it goes through the sanitiser before the math is put back.
  return sanitize(html).replace(/<span id="KATEXMATH(\d+)X"><\/span>/g, (_, i) => {
    const { tex, display } = maths[Number(i)];
    return dropXmlns(katex.renderToString(tex, { displayMode: display, throwOnError: false, strict: "ignore" }));
  });
}

/** Title (first heading) and first paragraph of a notebook, as markdown source. */
export function notebookSummary(nb, fallback) {
  let title = null, para = null;
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    for (const tok of marked.lexer(text(c.source))) {
      if (!title && tok.type === "heading") title = tok.text;
      else if (title && !para && tok.type === "paragraph") para = tok.text;
    }
    if (title && para) break;
  }
  return { title: title ?? fallback, para: para ?? "" };
}
const plainTitle = (md) => md.replace(/\$([^$]*)\$/g, "$1").replace(/[*_`\\]/g, "");

// ---------------------------------------------------------------- outputs

function renderOutput(o, ctx) {
  if (o.output_type === "stream") {
    const name = o.name === "stderr" ? "stderr" : "stdout";
    return `<div class="output stream ${name}"><pre>${esc(stripAnsi(text(o.text)))}</pre></div>`;
  }
  if (o.output_type === "error") {
    const tb = (o.traceback ?? []).map(stripAnsi).join("\n") || `${o.ename}: ${o.evalue}`;
    return `<div class="output error"><pre>${esc(tb)}</pre></div>`;
  }
  const data = o.data ?? {};
  if (data[VEGALITE]) {
    // The spec travels in a JSON script block; "<" is escaped so no string in it can close the tag.
    const id = `spec-${ctx.charts++}`;
    // No $schema and no URL of another host (tools/site/sanitize.mjs): pages carry none.
    const json = JSON.stringify(localSpec(data[VEGALITE])).replace(/</g, "\\u003c");
    return `<div class="output vegalite"><div class="vega-chart" data-spec="${id}"></div>` +
      `<script type="application/json" id="${id}">${json}</script></div>`;
  }
  // SVG and HTML outputs are the notebook's own markup: sanitised (no script, no handler, nothing off-site).
  if (data["image/svg+xml"]) return `<div class="output svg">${sanitize(dropXmlns(text(data["image/svg+xml"])))}</div>`;
  if (data["text/html"]) return `<div class="output html">${sanitize(dropXmlns(text(data["text/html"])))}</div>`;
  if (data["text/markdown"]) return `<div class="output markdown">${renderMarkdown(text(data["text/markdown"]))}</div>`;
  if (data["text/latex"]) {
    const tex = text(data["text/latex"]).trim().replace(/^\$\$?|\$\$?$/g, "");
    return `<div class="output latex">${dropXmlns(katex.renderToString(tex, { displayMode: true, throwOnError: false }))}</div>`;
  }
  for (const mime of ["image/png", "image/jpeg", "image/gif"]) {
    if (data[mime]) return `<div class="output image">${sanitize(`<img alt="" src="data:${mime};base64,${esc(text(data[mime]).replace(/\s/g, ""))}">`)}</div>`;
  }
  if (data["text/plain"] !== undefined) return `<div class="output text"><pre>${esc(stripAnsi(text(data["text/plain"])))}</pre></div>`;
  return "";
}

function renderCell(c, ctx) {
  if (c.cell_type === "markdown") return `<div class="cell markdown">${renderMarkdown(text(c.source))}</div>`;
  if (c.cell_type !== "code") return "";
  const src = text(c.source);
  const count = c.execution_count != null ? ` data-count="${esc(c.execution_count)}"` : "";
  const source = src.trim() ? `<pre class="source"${count}><code class="language-typescript">${esc(src)}</code></pre>` : "";
  const outs = (c.outputs ?? []).map((o) => renderOutput(o, ctx)).join("\n");
  return `<div class="cell code">${source}${outs ? `<div class="outputs">${outs}</div>` : ""}</div>`;
}

// ---------------------------------------------------------------- pages

function page({ title, body, scripts }) {
  const vendor = scripts
    ? `<script src="vendor/vega.min.js"></script>\n<script src="vendor/vega-lite.min.js"></script>\n` +
      `<script src="vendor/vega-embed.min.js"></script>\n<script src="layout.js"></script>\n<script src="page.js"></script>\n` + RUNTIME_HEAD
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="vendor/katex/katex.min.css">
<link rel="stylesheet" href="style.css">
${vendor}</head>
<body${scripts ? "" : ' data-rendered="yes"'}>
${body}
</body>
</html>
`;
}

/**
 * Build the site. Returns the list of pages written.
 * @param {{from?: string, out?: string, title?: string, description?: string}} [opts]
 */
export function buildSite(opts = {}) {
  const from = resolve(opts.from ?? join(ROOT, "notebooks"));
  const out = resolve(opts.out ?? join(ROOT, "site"));
  const siteTitle = opts.title ?? DEFAULT_TITLE;
  const description = opts.description ?? JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).description ?? "";

  // The series only (series.json, when the folder has one): copies of notebooks never become pages.
  const files = seriesFiles(from);
  if (files.length === 0) throw new Error(`build-site: no .ipynb files in ${from}`);
  const nbs = files.map((f) => {
    const nb = readNotebook(join(from, f));
    const name = basename(f, ".ipynb");
    return { file: f, name, nb, ...notebookSummary(nb, name) };
  });

  prepareOutDir(opts.out ?? out, { from, root: ROOT }); // refuses anything but a new, empty or previously built site directory
  takeRemovals();
  const sanitized = []; // [page, Map(what -> count)] for pages where the sanitiser removed something
  mkdirSync(join(out, "vendor", "katex", "fonts"), { recursive: true });
  mkdirSync(join(out, "notebooks"), { recursive: true });
  for (const [pkg, file] of [["vega", "vega.min.js"], ["vega-lite", "vega-lite.min.js"], ["vega-embed", "vega-embed.min.js"]]) {
    copyFileSync(join(NM, pkg, "build", file), join(out, "vendor", file));
  }
  copyFileSync(join(NM, "katex", "dist", "katex.min.css"), join(out, "vendor", "katex", "katex.min.css"));
  // Browsers that run vega-embed all take woff2, the first format in KaTeX's @font-face lists.
  for (const f of readdirSync(join(NM, "katex", "dist", "fonts")).filter((f) => f.endsWith(".woff2"))) {
    copyFileSync(join(NM, "katex", "dist", "fonts", f), join(out, "vendor", "katex", "fonts", f));
  }
  copyFileSync(join(ASSETS, "style.css"), join(out, "style.css"));
  copyFileSync(join(ASSETS, "page.js"), join(out, "page.js"));
  copyFileSync(join(ASSETS, "layout.js"), join(out, "layout.js"));

  const header = `<nav class="site-nav"><a href="index.html">${esc(siteTitle)}</a></nav>`;
  nbs.forEach((n, i) => {
    copyFileSync(join(from, n.file), join(out, "notebooks", n.file));
    const ctx = { charts: 0 };
    // Heading ids (beside the notebooks' explicit <a id> anchors) and links to other notebooks' pages.
    const cells = addHeadingIds(rewriteNotebookLinks(n.nb.cells.map((c) => renderCell(c, ctx)).join("\n"), nbs.map((x) => x.name)));
    const prev = nbs[i - 1], next = nbs[i + 1];
    const nav = `<nav class="nb-nav">` +
      (prev ? `<a class="prev" href="${esc(prev.name)}.html">← ${renderMarkdown(prev.title, { inline: true })}</a>` : "") +
      (next ? `<a class="next" href="${esc(next.name)}.html">${renderMarkdown(next.title, { inline: true })} →</a>` : "") +
      `</nav>`;
    const raw = `<p class="muted">Notebook ${i + 1} of ${nbs.length} · <a href="notebooks/${esc(n.file)}" download>download ${esc(n.file)}</a></p>`;
    const body = `${header}\n<main>\n${raw}\n${cells}\n</main>\n${nav}`;
    writeFileSync(join(out, `${n.name}.html`), page({ title: `${plainTitle(n.title)} · ${siteTitle}`, body, scripts: true }));
    const removed = takeRemovals();
    if (removed.size) sanitized.push([`${n.name}.html`, removed]);
  });

  writeRuntime(out, nbs); // the in-page runtime: every notebook page can edit and run its cells
  const list = nbs.map((n) => `<li><a class="nb-title" href="${esc(n.name)}.html">${renderMarkdown(n.title, { inline: true })}</a>` +
    (n.para ? `<p>${rewriteNotebookLinks(renderMarkdown(n.para, { inline: true }), nbs.map((x) => x.name))}</p>` : "") + `</li>`).join("\n");
  const index = `${header}\n<main>\n<h1>${esc(siteTitle)}</h1>\n<p>${esc(description)}</p>\n` +
    `<p class="muted">${nbs.length} notebook${nbs.length === 1 ? "" : "s"}, executed on the tslab TypeScript kernel. ` +
    `Each page links to its raw <code>.ipynb</code>.</p>\n<ol class="nb-list">\n${list}\n</ol>\n</main>`;
  writeFileSync(join(out, "index.html"), page({ title: siteTitle, body: index, scripts: false }));
  const removed = takeRemovals();
  if (removed.size) sanitized.push(["index.html", removed]);
  return { out, pages: ["index.html", ...nbs.map((n) => `${n.name}.html`)], notebooks: nbs.map((n) => n.file), sanitized };
}

/** Total size in bytes of a directory tree. */
export function dirSize(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return total;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const opt = (name) => {
    const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return undefined;
    return args[i].includes("=") ? args[i].slice(args[i].indexOf("=") + 1) : args[i + 1];
  };
  try {
    const t0 = performance.now();
    const r = buildSite({ from: opt("from"), out: opt("out"), title: opt("title") });
    const kb = Math.round(dirSize(r.out) / 1024);
    console.log(`built ${r.pages.length} pages (${r.notebooks.length} notebooks) in ${Math.round(performance.now() - t0)} ms, ${kb} KB`);
    // Say what notebook content did not reach the pages, so an author is not left wondering.
    for (const [pageName, what] of r.sanitized) {
      console.log(`sanitised ${pageName}: removed ${[...what].map(([w, k]) => (k > 1 ? `${w} ×${k}` : w)).join(", ")}`);
    }
    console.log(`open ${pathToFileURL(join(r.out, "index.html")).href}`);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
