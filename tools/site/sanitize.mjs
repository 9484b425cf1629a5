// Sanitiser for everything a notebook puts into a site page: markdown cells (after marked and KaTeX) and
// text/html, image/svg+xml, text/markdown and image outputs. DOMPurify on a jsdom window: the reference sanitiser,
// parsing as a browser does (HTML, SVG and MathML namespaces), so what it lets through is what the browser sees.
// On top of DOMPurify's defaults the pages allow nothing that runs or fetches:
//   - no <script>, <style>, <iframe>, <object>, forms, event handlers, SVG filters or animations;
//   - every URL-valued attribute must be local (a relative path or a #fragment; images may be data:image/...);
//     a hyperlink to another host keeps its text and loses its href (a page links to nothing off-site);
//   - CSS in style and presentation attributes may not load anything (url() other than url(#id), image-set, @import);
//   - no data-* attributes (page.js reads data-spec: only the builder may write it).
// KaTeX's output survives intact (spans with class/style, MathML with its TeX annotation, SVG paths), as do the
// explicit heading anchors <a id="..."></a> that notebooks link to.
import createDOMPurify from "dompurify";
import { JSDOM } from "jsdom";

const purify = createDOMPurify(new JSDOM("").window);

// Attributes that hold a URL, in HTML and SVG (xlink:href reaches the hook as "xlink:href").
const URL_ATTRS = new Set(["href", "xlink:href", "src", "action", "formaction", "poster", "background", "cite",
  "longdesc", "data", "codebase", "manifest", "icon", "ping", "srcset", "usemap", "lowsrc", "dynsrc"]);
// Presentation attributes whose CSS value may carry url(...).
const CSS_ATTRS = new Set(["style", "fill", "stroke", "clip-path", "mask", "filter", "marker-start", "marker-mid",
  "marker-end", "cursor"]);

/** A relative path or a #fragment: no scheme, not protocol-relative (//host), no backslash tricks. */
export function isLocalUrl(value) {
  // Browsers strip ASCII whitespace and control characters from URLs before reading the scheme.
  const v = String(value).replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  return !/^[a-z][a-z0-9+.-]*:/i.test(v) && !/^[\\/]{2}/.test(v) && !v.startsWith("/\\") && !v.startsWith("\\");
}
const DATA_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;
const CSS_FETCH = /url\s*\(\s*(?!['"]?#)|image-set|@import|expression\s*\(|\\/i;

purify.addHook("uponSanitizeAttribute", (node, data) => {
  const name = data.attrName;
  const value = data.attrValue;
  if (URL_ATTRS.has(name)) {
    const image = name === "src" && node.nodeName === "IMG" && DATA_IMAGE.test(value.trim());
    if (!image && !isLocalUrl(value)) data.keepAttr = false;
  } else if (CSS_ATTRS.has(name) && CSS_FETCH.test(value)) {
    data.keepAttr = false;
  }
});
purify.addHook("afterSanitizeAttributes", (node) => {
  // A link that lost its off-site href is plain text; a target without a link means nothing.
  if (node.nodeName === "A" && !node.hasAttribute("href")) node.removeAttribute("target");
});

purify.setConfig({
  USE_PROFILES: { html: true, svg: true, mathMl: true }, // no svgFilters (feImage loads URLs)
  ADD_TAGS: ["semantics", "annotation"], // KaTeX's MathML keeps the TeX source in an annotation
  ADD_ATTR: ["encoding"],
  FORBID_TAGS: ["style", "form", "input", "button", "select", "option", "textarea", "dialog", "template",
    "animate", "animateMotion", "animateTransform", "set", "use", "image", "foreignObject"],
  FORBID_ATTR: ["srcset", "ping", "formaction"],
  ALLOW_DATA_ATTR: false,
  ALLOW_UNKNOWN_PROTOCOLS: false,
  FORCE_BODY: true, // a leading <script>/<style> would otherwise land in <head>, dropped unseen and uncounted
});

const removals = new Map(); // "<script>" / "onerror=" -> how many, since the last takeRemovals()

/**
 * Sanitise one piece of page markup.
 * @param {string} html markup from a notebook (markdown already rendered, or an output's HTML/SVG)
 * @returns {string} the markup with everything that could run code, fetch from another host or link off-site removed
 */
export function sanitize(html) {
  const clean = purify.sanitize(String(html));
  for (const r of purify.removed) {
    const what = r.attribute ? `${r.attribute.name}=` : r.element?.nodeType === 1 ? `<${r.element.nodeName.toLowerCase()}>` : null;
    // "<remove>" is the placeholder FORCE_BODY inserts (and removes) on every call.
    if (what && what !== "<remove>") removals.set(what, (removals.get(what) ?? 0) + 1);
  }
  return clean;
}

/** What the sanitiser removed since the last call, e.g. Map {"<script>" => 2, "onerror=" => 1}; then forgets it. */
export function takeRemovals() {
  const out = new Map(removals);
  removals.clear();
  return out;
}

const OFFSITE = /^\s*(?:[a-z][a-z0-9+.-]*:)?\/\//i;

/**
 * A Vega-Lite spec as a page may embed it: `$schema` dropped at any depth (it is only a URL; page.js passes
 * mode "vega-lite"), and every other string that is a URL of another host (data.url, an image mark's url, an href
 * field's value) blanked, so the chart cannot fetch from or link to another host.
 * @param {unknown} spec
 * @returns {unknown} a copy
 */
export function localSpec(spec) {
  if (Array.isArray(spec)) return spec.map(localSpec);
  if (spec && typeof spec === "object") {
    const out = {};
    for (const [k, v] of Object.entries(spec)) if (k !== "$schema") out[k] = localSpec(v);
    return out;
  }
  if (typeof spec === "string" && OFFSITE.test(spec)) {
    removals.set("spec URL", (removals.get("spec URL") ?? 0) + 1);
    return "";
  }
  return spec;
}
