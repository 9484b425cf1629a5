// Page-level finishing of the site's notebook pages: heading anchors, links between notebooks, combining dots
// typeset by KaTeX. Called from build-site.mjs (charts that follow a narrow screen: site-assets/layout.js).

const stripTags = (html) => html
  .replace(/<span class="katex-mathml">[\s\S]*?<\/math><\/span>/g, "") // KaTeX renders math twice: keep the visible copy
  .replace(/<[^>]*>/g, "")
  .replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'");

/** A GitHub-style slug: lower case, letters, digits and hyphens (Greek and other letters kept). */
export function slugify(text) {
  return String(text).toLowerCase().trim()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "") || "section";
}

/**
 * Give every heading of a page an id (its slug, made unique on the page and never equal to an explicit anchor such
 * as `<a id="conventions"></a>`), and a small "#" link to itself. Headings that already carry an id keep it.
 * @param {string} html the page body
 * @returns {string}
 */
export function addHeadingIds(html) {
  const taken = new Set(Array.from(html.matchAll(/\sid="([^"]+)"/g), (m) => m[1]));
  return html.replace(/<h([1-6])(\s[^>]*)?>([\s\S]*?)<\/h\1>/g, (whole, level, attrs = "", inner) => {
    if (/\sid="/.test(attrs)) return whole;
    const base = slugify(stripTags(inner));
    let id = base;
    for (let k = 1; taken.has(id); k++) id = `${base}-${k}`;
    taken.add(id);
    return `<h${level}${attrs} id="${id}">${inner}<a class="heading-link" href="#${id}" aria-label="link to this section"></a></h${level}>`;
  });
}

/**
 * Links between the notebooks of the site: `03-balancedness.ipynb#x` (as written for Jupyter and GitHub) points to
 * the page `03-balancedness.html#x`. Only relative links to notebooks that are pages of the site are rewritten.
 * @param {string} html @param {string[]} names notebook names of the site's pages (no extension)
 */
export function rewriteNotebookLinks(html, names) {
  const pages = new Set(names);
  return html.replace(/(<a\b[^>]*\shref=")(?:\.\/)?([\w-]+)\.ipynb((?:#[^"]*)?)"/g,
    (whole, head, name, hash) => (pages.has(name) ? `${head}${name}.html${hash}"` : whole));
}

/**
 * Markdown prose with a letter and a combining dot above (U+0307) or diaeresis (U+0308), e.g. "θ̈" typed in a cell,
 * renders as a bare "θ" in the site's serif font. Replace each, outside code, by TeX (`\dot θ`, `\ddot θ`) for KaTeX.
 * @param {string} md markdown source @param {(tex: string) => string} hold stores inline math, returns its placeholder
 */
export function typesetCombiningDots(md, hold) {
  const re = /(^|\n)(```|~~~)[\s\S]*?(\n\2[^\n]*(?=\n|$)|$)|(`+)[\s\S]*?\4|(\p{L})([\u0307\u0308])/gu;
  return md.replace(re, (m, _nl, _fence, _end, _tick, letter, mark) =>
    (letter === undefined ? m : hold(`${mark === "\u0307" ? "\\dot" : "\\ddot"}{${letter}}`)));
}
