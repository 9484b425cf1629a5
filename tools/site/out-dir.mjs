// The site's output directory: build-site replaces it entirely, so it must never be anything but a site it built.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";

/** The file that marks a directory as a site written by build-site (and so safe to replace). */
export const SITE_MARKER = ".built-by-build-site";

const contains = (outer, inner) => { const r = relative(outer, inner); return r === "" || (!r.startsWith("..") && !r.startsWith(sep) && r !== ".."); };

/**
 * A site built before the marker existed: only what build-site writes (pages, page.js, layout.js, style.css, vendor/,
 * notebooks/, runtime/), with its page.js and vendor/. Anything else in the directory makes it not a site.
 */
function isUnmarkedSite(entries) {
  const ours = (e) => e.endsWith(".html") || ["page.js", "layout.js", "style.css", "vendor", "notebooks", "runtime"].includes(e);
  return entries.every(ours) && entries.includes("page.js") && entries.includes("vendor") && entries.includes("index.html");
}

/**
 * Make `out` an empty site directory. An existing directory is replaced only if it is empty, carries SITE_MARKER
 * or holds only what an earlier build-site wrote, and never if it holds the notebooks being built or the project.
 * @param {string} out the output directory
 * @param {{from: string, root: string}} keep folders that `out` must not contain
 * @throws Error (one line, naming the directory and why) instead of deleting anything else
 */
export function prepareOutDir(out, { from, root }) {
  const dir = resolve(out);
  for (const [what, path] of [["the notebooks it is built from", from], ["the project", root]]) {
    if (contains(dir, resolve(path))) throw new Error(`build-site: refusing to use --out ${out}: it contains ${what} (${path})`);
  }
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new Error(`build-site: refusing to use --out ${out}: it exists and is not a directory`);
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(SITE_MARKER) && !isUnmarkedSite(entries)) {
      throw new Error(`build-site: refusing to replace --out ${out}: it is not empty and is not a site built by build-site ` +
        `(no ${SITE_MARKER} file); choose a new or empty directory`);
    }
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, SITE_MARKER), "Written by tools/build-site.mjs: the next build replaces this whole directory.\n");
}
