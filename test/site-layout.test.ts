// The site on a phone (headless Chromium at 390×844): the page never scrolls sideways, wide tables and code scroll
// inside their own box, charts fit the width with readable text, and the theory page's anchors resolve. Also the
// page-level finishing of build-site (heading ids, links between notebooks, combining dots typeset by KaTeX).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs tool without type declarations
import { buildSite, renderMarkdown } from "../tools/build-site.mjs";
// @ts-expect-error plain .mjs tool without type declarations
import { addHeadingIds, rewriteNotebookLinks, slugify } from "../tools/site/layout.mjs";
import { launchChromium, visit } from "./browser";

declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare function getComputedStyle(el: unknown): any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = resolve(__dirname, "..");
const NB_DIR = resolve(process.env.NOTEBOOKS_DIR ?? join(ROOT, "notebooks"));
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
const THEORY_ANCHORS = ["conventions", "modified-equation", "balancedness-identity", "mirror-identity", "implicit-problem",
  "no-crossing", "first-order-delta", "data-scale", "projection"];
const work = mkdtempSync(join(tmpdir(), "site-layout-"));
let browser: Browser;
let pages: string[] = [];
const url = (p: string) => pathToFileURL(join(work, p)).href;

beforeAll(async () => {
  pages = buildSite({ from: NB_DIR, out: work }).pages;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("page finishing in build-site", () => {
  it("headings get unique slug ids that never take an explicit anchor's id, with a link to themselves", () => {
    const html = addHeadingIds('<a id="setting"></a><h2>Setting</h2><h2>Setting</h2><h3 id="kept">Kept</h3><h2>1. The <em>λ</em> & time</h2>');
    expect(html).toContain('<h2 id="setting-1">Setting<a class="heading-link" href="#setting-1" aria-label="link to this section"></a></h2>');
    expect(html).toContain('<h2 id="setting-2">');
    expect(html).toContain('<h3 id="kept">Kept</h3>');
    expect(html).toContain('<h2 id="1-the-λ-time">');
    expect(slugify("The first-order $\\Delta_\\infty$!")).toBe("the-first-order-deltainfty");
  });

  it("links to a notebook of the site point to its page, keeping the anchor", () => {
    const html = '<a href="08-theory.ipynb#data-scale">x</a> <a href="./03-balancedness.ipynb">y</a> <a href="99-other.ipynb">z</a> <a href="https://x.org/a.ipynb">w</a>';
    expect(rewriteNotebookLinks(html, ["08-theory", "03-balancedness"])).toBe(
      '<a href="08-theory.html#data-scale">x</a> <a href="03-balancedness.html">y</a> <a href="99-other.ipynb">z</a> <a href="https://x.org/a.ipynb">w</a>');
  });

  it("a letter with a combining dot in prose is typeset by KaTeX; code is left alone", () => {
    const html = renderMarkdown("MGF: λθ\u0308 + θ\u0307 + ∇F = 0, and `θ\u0308` in code.");
    expect(html).toContain('<annotation encoding="application/x-tex">\\ddot{θ}</annotation>');
    expect(html).toContain('<annotation encoding="application/x-tex">\\dot{θ}</annotation>');
    expect(html).toContain("<code>θ\u0308</code>");
  });

  it("the theory page carries every anchor the series links to, and every h2 has an id", () => {
    const html = readFileSync(join(work, "08-theory.html"), "utf8");
    for (const id of THEORY_ANCHORS) expect(html, id).toContain(`id="${id}"`);
    const h2 = Array.from(html.matchAll(/<h2\b([^>]*)>/g), (m) => m[1]);
    expect(h2.length).toBeGreaterThan(8);
    for (const attrs of h2) expect(attrs).toMatch(/\sid="/);
    expect(html).toContain('href="99-claim-ledger.html"');
  });
});

describe("the site on a phone (390×844)", () => {
  it("no page scrolls sideways; tables, code and display math scroll inside their box; charts fit the width", async () => {
    const problems: string[] = [];
    for (const p of pages) {
      const v = await visit(browser, url(p), PHONE);
      try {
        const r = await v.page.evaluate(() => {
          const vw = document.documentElement.clientWidth;
          const out: string[] = [];
          if (document.documentElement.scrollWidth > vw) out.push(`page is ${document.documentElement.scrollWidth}px wide`);
          for (const el of document.querySelectorAll("table, pre, .katex-display")) {
            const b = el.getBoundingClientRect();
            const scrolls = ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
            if (b.right > vw + 0.5) out.push(`${el.tagName.toLowerCase()} reaches ${Math.round(b.right)}px`);
            if (el.scrollWidth > el.clientWidth + 1 && !scrolls) out.push(`${el.tagName.toLowerCase()} is clipped (overflow-x ${getComputedStyle(el).overflowX})`);
          }
          for (const svg of document.querySelectorAll(".vega-embed svg")) {
            const b = svg.getBoundingClientRect();
            if (b.right > vw + 0.5 || b.left < -0.5) out.push(`chart spans ${Math.round(b.left)}–${Math.round(b.right)}px`);
          }
          return out;
        });
        problems.push(...r.map((x) => `${p}: ${x}`));
        expect(v.errors, p).toEqual([]);
      } finally {
        await v.close();
      }
    }
    expect(problems).toEqual([]);
  });

  it("single-view charts are laid out again at the screen's width, so their text stays readable", async () => {
    const v = await visit(browser, url("08-theory.html"), PHONE);
    try {
      const charts = await v.page.$$eval(".vega-embed", (els) => els.map((el) => ({
        refit: el.classList.contains("fit-width"),
        smallestText: Math.min(...Array.from(el.querySelectorAll("svg text"), (t) => (t as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height).filter((h) => h > 0)),
      })));
      expect(charts.length).toBeGreaterThan(0);
      for (const c of charts) {
        expect(c.refit).toBe(true);
        expect(c.smallestText).toBeGreaterThanOrEqual(9); // CSS scaling alone left 4–8 px on this page
      }
    } finally {
      await v.close();
    }
  });

  it("the theory page's anchors resolve: a link from the contents and a URL with a fragment scroll to the section", async () => {
    const v = await visit(browser, `${url("08-theory.html")}#data-scale`, PHONE);
    try {
      const top = () => v.page.evaluate((id: string) => document.getElementById(id).getBoundingClientRect().top, "data-scale");
      expect(await v.page.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
      expect(Math.abs(await top())).toBeLessThan(60);
      for (const id of THEORY_ANCHORS) expect(await v.page.locator(`[id="${id}"]`).count(), id).toBe(1);
      await v.page.click('a[href="#no-crossing"]');
      await v.page.waitForFunction(() => window.location.hash === "#no-crossing");
      const y = await v.page.evaluate(() => document.getElementById("no-crossing").getBoundingClientRect().top);
      expect(Math.abs(y)).toBeLessThan(60);
    } finally {
      await v.close();
    }
  });

  it("on a wide screen a chart that fits is drawn as designed (not re-laid out)", async () => {
    const v = await visit(browser, url("08-theory.html"), { viewport: { width: 1280, height: 900 } });
    try {
      expect(await v.page.locator(".vega-embed").count()).toBeGreaterThan(0);
      expect(await v.page.locator(".vega-embed.fit-width").count()).toBe(0);
    } finally {
      await v.close();
    }
  });
});
