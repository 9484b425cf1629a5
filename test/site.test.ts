// The static site in headless Chromium: charts render (file:// and http), math is typeset,
// sliders drive their chart, and nothing is fetched from any host but 127.0.0.1.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, serveLocal, visit as visitWith, type LocalServer, type Visit } from "./browser";
// @ts-expect-error plain .mjs tool without type declarations
import { buildSite } from "../tools/build-site.mjs";

// Browser-side callbacks use `document`; declared here rather than adding lib "dom" to the whole project.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = resolve(__dirname, "..");
// NOTEBOOKS_DIR: point the suite at scratch notebooks when checking the tooling itself.
const NB_DIR = resolve(process.env.NOTEBOOKS_DIR ?? join(ROOT, "notebooks"));
const work = mkdtempSync(join(tmpdir(), "site-test-"));
const fixtureSite = join(work, "fixture");
const realSite = join(work, "real");
let browser: Browser;
let server: LocalServer | undefined;
let base = "";

beforeAll(async () => {
  buildSite({ from: join(ROOT, "test", "fixtures", "site"), out: fixtureSite });
  browser = await launchChromium();
  server = await serveLocal(work);
  base = server.base;
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

const visit = (url: string): Promise<Visit> => visitWith(browser, url);

/** Charts on the page, with how many data-mark elements each has. */
const chartMarks = (page: Page) => page.$$eval(".vega-embed", (els) =>
  els.map((el) => el.querySelectorAll("svg .role-mark > *").length + el.querySelectorAll("canvas").length));

async function expectPageOk(v: Visit) {
  const state = await v.page.evaluate(() => [document.body.dataset.rendered, document.body.dataset.renderError ?? ""]);
  expect(state).toEqual(["yes", ""]);
  expect(v.errors).toEqual([]);
  expect(v.external).toEqual([]);
  const marks = await chartMarks(v.page);
  for (const m of marks) expect(m).toBeGreaterThan(0);
  return marks;
}

const pathOf = (page: Page, selector: string) =>
  page.$eval(selector, (el) => el.querySelector("svg .role-mark path")?.getAttribute("d") ?? "");

describe("site from the fixture notebooks", () => {
  for (const via of ["file", "http"] as const) {
    it(`renders charts, svg, math and tables over ${via}`, async () => {
      const url = via === "file" ? pathToFileURL(join(fixtureSite, "01-charts.html")).href : `${base}/fixture/01-charts.html`;
      const v = await visit(url);
      try {
        const marks = await expectPageOk(v);
        // line chart + slider chart (vegalite mime); the text/html output's script-driven chart is sanitised away
        expect(marks.length).toBe(2);
        expect(await v.page.locator("#slider-html-chart").innerHTML()).toBe("");
        expect(await v.page.locator(".vega-chart").count()).toBe(2);
        expect(await v.page.locator(".katex").count()).toBeGreaterThanOrEqual(5);
        expect(await v.page.locator(".katex-display").count()).toBeGreaterThanOrEqual(1);
        expect(await v.page.locator(".katex .katex-error").count()).toBe(0);
        expect(await v.page.locator("svg.fixture-svg rect").count()).toBe(1);
        expect(await v.page.locator("table").count()).toBe(2);
        expect(await v.page.locator(".output.stream.stderr pre").textContent()).toBe("careful\n");
        // "$5 and $10" is currency, not math; `$b$` inside code is code.
        expect(await v.page.locator("p", { hasText: "Prices like" }).textContent()).toContain("$5 and $10");
        expect(await v.page.locator("code", { hasText: "$b$" }).count()).toBe(1);
        expect(await v.page.locator(".output.html script").count()).toBe(0); // a CDN and an inline <script> in a text/html output
        expect(await v.page.locator(".vega-actions").count()).toBe(0); // the actions menu links off-site
        expect(await v.page.locator("a.next").getAttribute("href")).toBe("02-second.html");
        await Promise.all([v.page.waitForURL(/02-second\.html$/), v.page.click("a.next")]);
        await v.page.waitForFunction(() => document.body?.dataset.rendered === "yes");
        expect(await v.page.locator("h1").textContent()).toBe("Second notebook");
      } finally {
        await v.close();
      }
    });
  }

  it("sliders bound with Vega-Lite params redraw their chart", async () => {
    const v = await visit(pathToFileURL(join(fixtureSite, "01-charts.html")).href);
    try {
      const charts = v.page.locator(".vega-embed:has(input[type=range])");
      expect(await charts.count()).toBe(1);
      for (let i = 0; i < 1; i++) {
        const chart = charts.nth(i);
        const before = await chart.evaluate((el) => el.querySelector("svg .role-mark path")?.getAttribute("d"));
        await chart.locator("input[type=range]").fill("6");
        await v.page.waitForTimeout(100);
        const after = await chart.evaluate((el) => el.querySelector("svg .role-mark path")?.getAttribute("d"));
        expect(before).toBeTruthy();
        expect(after).toBeTruthy();
        expect(after).not.toBe(before);
      }
      expect(v.errors).toEqual([]);
    } finally {
      await v.close();
    }
  });

  it("index lists every notebook with its title and first paragraph, and links the raw .ipynb", async () => {
    const v = await visit(`${base}/fixture/index.html`);
    try {
      await expectPageOk(v);
      const titles = await v.page.locator(".nb-list .nb-title").allTextContents();
      expect(titles.length).toBe(2);
      expect(titles[0]).toContain("Charts and math: the");
      expect(titles[1]).toBe("Second notebook");
      expect(await v.page.locator(".nb-list .nb-title .katex").count()).toBe(1);
      expect(await v.page.locator(".nb-list p").first().textContent()).toContain("A fixture notebook with Vega-Lite charts");
      const res = await v.page.request.get(`${base}/fixture/notebooks/01-charts.ipynb`);
      expect(res.ok()).toBe(true);
      expect(JSON.parse(await res.text()).nbformat).toBe(4);
    } finally {
      await v.close();
    }
  });

  it("generated pages load nothing from another host", () => {
    for (const f of readdirSync(fixtureSite).filter((f) => f.endsWith(".html"))) {
      const html = readFileSync(join(fixtureSite, f), "utf8");
      // Resource attributes only: text links to other sites would be allowed.
      expect(html).not.toMatch(/<(script|img|iframe|source|video|audio)\b[^>]*\bsrc\s*=\s*["']?(https?:)?\/\//i);
      expect(html).not.toMatch(/<link\b[^>]*\bhref\s*=\s*["']?(https?:)?\/\//i);
      expect(html).not.toMatch(/url\(\s*["']?(https?:)?\/\//i);
    }
  });
});

describe("site from the real notebooks (committed outputs)", () => {
  it("every notebook page renders with no errors and every chart has marks", async () => {
    const notebooks = readdirSync(NB_DIR).filter((f) => f.endsWith(".ipynb") && !f.startsWith("."));
    expect(notebooks.length, "no notebooks/*.ipynb to build the site from").toBeGreaterThan(0);
    const { pages } = buildSite({ from: NB_DIR, out: realSite });
    expect(pages).toHaveLength(notebooks.length + 1);
    for (const p of pages) {
      const v = await visit(`${base}/real/${p}`);
      try {
        await expectPageOk(v);
      } catch (e) {
        throw new Error(`${p}: ${(e as Error).message}`);
      } finally {
        await v.close();
      }
    }
  });

  it("every slider in the real notebooks moves its chart (e.g. λ in 07-two-dimensional-toy)", async () => {
    if (!existsSync(join(realSite, "index.html"))) buildSite({ from: NB_DIR, out: realSite });
    const pages = readdirSync(realSite).filter((f) => /^\d\d-.*\.html$/.test(f));
    let sliders = 0;
    for (const p of pages) {
      const v = await visit(`${base}/real/${p}`);
      try {
        await v.page.waitForFunction(() => document.body.dataset.rendered, null, { timeout: 60_000 });
        const charts = v.page.locator(".vega-embed:has(input[type=range])");
        for (let i = 0; i < (await charts.count()); i++) {
          const chart = charts.nth(i);
          const svg = () => chart.evaluate((el) => Array.from(el.querySelectorAll("svg .role-mark path")).map((e: any) => e.getAttribute("d")).join("|"));
          const before = await svg();
          const input = chart.locator("input[type=range]").first();
          const [min, max, value] = await input.evaluate((el: any) => [Number(el.min), Number(el.max), Number(el.value)]);
          await input.fill(String(value === max ? min : max));
          await v.page.waitForTimeout(150);
          expect(await svg(), `${p}: slider ${i + 1} did not change its chart`).not.toBe(before);
          sliders++;
        }
        expect(v.errors, p).toEqual([]);
      } finally {
        await v.close();
      }
    }
    expect(sliders, "the notebooks have at least one interactive slider").toBeGreaterThan(0);
  });
});
