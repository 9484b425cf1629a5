// What notebooks put into the site is sanitised (nothing runs, nothing is fetched from or linked to another host),
// and build-site's --out replaces only a directory it built itself.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error plain .mjs tool without type declarations
import { buildSite } from "../tools/build-site.mjs";
// @ts-expect-error plain .mjs tool without type declarations
import { isLocalUrl, localSpec, sanitize, takeRemovals } from "../tools/site/sanitize.mjs";
// @ts-expect-error plain .mjs tool without type declarations
import { SITE_MARKER } from "../tools/site/out-dir.mjs";

declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const ROOT = resolve(__dirname, "..");
const HOSTILE = join(ROOT, "test", "fixtures", "site-hostile");
const work = mkdtempSync(join(tmpdir(), "site-sanitize-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every tag of a page with its attributes, as written (pages are built by us: one tag per `<…>`). */
const tags = (html: string) => [...html.matchAll(/<([a-zA-Z][\w:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g)].map((m) => ({ name: m[1].toLowerCase(), attrs: m[2] }));
const OFFSITE = /(?:[a-z][a-z0-9+.-]*:)?\/\/(?!127\.0\.0\.1)[a-z0-9-]+\.[a-z]/i;
/** Page text with the code cells' sources cut out (the reader's code is shown as written). */
const withoutSources = (html: string) => html.replace(/<pre class="source"[\s\S]*?<\/pre>/g, "");

describe("sanitize()", () => {
  it.each([
    ["<script>window.x = 1</script><p>kept</p>", "<p>kept</p>"],
    ['<img src="x" onerror="alert(1)">', '<img src="x">'],
    ['<a href="javascript:alert(1)">js</a>', "<a>js</a>"],
    ['<a href=" java\tscript:alert(1)">js</a>', "<a>js</a>"],
    ['<a href="https://arxiv.org/abs/2403.05293" target="_blank">arXiv</a>', "<a>arXiv</a>"],
    ['<a href="//example.com/x">x</a>', "<a>x</a>"],
    ['<a id="conventions"></a><a href="#conventions">here</a> <a href="08-theory.ipynb#no-crossing">there</a>',
      '<a id="conventions"></a><a href="#conventions">here</a> <a href="08-theory.ipynb#no-crossing">there</a>'],
    ['<iframe src="https://example.com/"></iframe><p>after</p>', "<p>after</p>"],
    ['<svg onload="alert(1)"><circle r="1"></circle></svg>', '<svg><circle r="1"></circle></svg>'],
    ["<style>body { display: none }</style><p>after</p>", "<p>after</p>"],
    ['<div style="background: url(https://example.com/x.png)">bg</div>', "<div>bg</div>"],
    ['<span style="height:0.69em;vertical-align:-0.25em">k</span>', '<span style="height:0.69em;vertical-align:-0.25em">k</span>'],
    ['<svg><g clip-path="url(#clip1)"><rect width="1"></rect></g></svg>', '<svg><g clip-path="url(#clip1)"><rect width="1"></rect></g></svg>'],
    ['<svg><use href="https://example.com/s.svg#a"></use></svg>', "<svg></svg>"],
    ['<svg><a xlink:href="javascript:alert(1)"><text>t</text></a></svg>', "<svg><a><text>t</text></a></svg>"],
    ['<img src="data:image/png;base64,iVBORw0KGgo=">', '<img src="data:image/png;base64,iVBORw0KGgo=">'],
    ['<img src="data:text/html;base64,PHNjcmlwdD4=">', "<img>"],
    ['<form action="https://example.com/"><input name="q"></form><p>after</p>', "<p>after</p>"],
    ['<meta http-equiv="refresh" content="0;url=https://example.com/"><p>after</p>', "<p>after</p>"],
    ['<div class="vega-chart" data-spec="spec-0"></div>', '<div class="vega-chart"></div>'],
    ['<math><mtext><table><mglyph><style><img src="x" onerror="alert(1)">', "<math><mtext><table></table></mtext></math>"],
  ])("%s", (dirty, clean) => {
    expect(sanitize(dirty)).toBe(clean);
  });

  it("reports what it removed", () => {
    takeRemovals();
    sanitize('<script>1</script><img src="x" onerror="1"><img src="y" onerror="2">');
    expect(Object.fromEntries(takeRemovals())).toEqual({ "<script>": 1, "onerror=": 2 });
    expect(takeRemovals().size).toBe(0);
  });

  it("tells local URLs from off-site ones", () => {
    for (const u of ["#a", "x.html", "notebooks/01.ipynb", "../up.png", "08-theory.ipynb#conventions"]) expect(isLocalUrl(u), u).toBe(true);
    for (const u of ["https://a.b/", "http://a.b", "//a.b/x", "\\\\a.b", "/\\a.b", "javascript:x", " JavaScript:x", "data:text/html,x", "mailto:a@b"]) {
      expect(isLocalUrl(u), u).toBe(false);
    }
  });

  it("localSpec drops $schema at any depth and blanks off-site URLs, keeping the rest", () => {
    const spec = { $schema: "https://vega.github.io/schema/vega-lite/v5.json", data: { url: "https://example.com/d.json" },
      hconcat: [{ $schema: "x", mark: "line", encoding: { x: { field: "t", title: "t // time" } } }], width: 300 };
    expect(localSpec(spec)).toEqual({ data: { url: "" }, hconcat: [{ mark: "line", encoding: { x: { field: "t", title: "t // time" } } }], width: 300 });
  });
});

describe("a hostile notebook's page", () => {
  const out = join(work, "hostile");
  const built = buildSite({ from: HOSTILE, out });
  const page = readFileSync(join(out, "01-hostile.html"), "utf8");
  const index = readFileSync(join(out, "index.html"), "utf8");

  it("keeps no script but the site's own, no handler, no frame, no style element, nothing off-site", () => {
    for (const html of [page, index]) {
      const found = tags(html);
      const scripts = found.filter((t) => t.name === "script").map((t) => t.attrs.trim());
      expect(scripts.every((a) => /^(defer )?src="(vendor\/[\w.-]+|page\.js|layout\.js|runtime\/notebook\.js)"$/.test(a) || /^type="application\/json" id="spec-\d+"$/.test(a)), scripts.join(" | ")).toBe(true);
      for (const t of found) {
        expect(t.attrs, `<${t.name}${t.attrs}>`).not.toMatch(/\son[a-z]+\s*=/i);
        expect(t.attrs, `<${t.name}${t.attrs}>`).not.toMatch(/javascript:/i);
        expect(t.attrs, `<${t.name}${t.attrs}>`).not.toMatch(OFFSITE);
        expect(["iframe", "object", "embed", "style", "form", "input", "base"]).not.toContain(t.name);
      }
      const runtime = html === page ? [' rel="stylesheet" href="runtime/notebook.css"'] : []; // only notebook pages run cells
      expect(found.filter((t) => t.name === "link").map((t) => t.attrs)).toEqual([' rel="icon" href="data:,"', ' rel="stylesheet" href="vendor/katex/katex.min.css"', ' rel="stylesheet" href="style.css"', ...runtime]);
      expect(html).not.toMatch(OFFSITE);
    }
  });

  it("keeps the heading anchor, local links, KaTeX and the chart spec (without $schema or its data URL)", () => {
    expect(page).toContain('<a id="keep-this-anchor"></a>');
    expect(page).toContain('<a href="#keep-this-anchor">a local link</a>');
    expect(page).toContain('<a href="08-theory.ipynb#conventions">theory</a>');
    expect(page).toContain("<a>the paper</a>");
    expect(page).toMatch(/<span class="katex-display"><span class="katex"><span class="katex-mathml"><math display="block"><semantics>/);
    expect(page).toContain('<annotation encoding="application/x-tex">\\lambda = \\gamma/(1-\\beta)^2</annotation>');
    const spec = JSON.parse(/<script type="application\/json" id="spec-0">([\s\S]*?)<\/script>/.exec(page)![1]);
    expect(spec).toEqual({ data: { url: "" }, mark: "point", encoding: { x: { field: "a", type: "quantitative" } } });
    expect(page).toContain('<rect class="kept" x="20" width="10" height="10" fill="#4c78a8"></rect>');
  });

  it("says what it removed, per page", () => {
    const byPage = Object.fromEntries(built.sanitized.map(([p, what]: [string, Map<string, number>]) => [p, Object.fromEntries(what)]));
    expect(Object.keys(byPage).sort()).toEqual(["01-hostile.html", "index.html"]);
    expect(byPage["01-hostile.html"]).toMatchObject({ "<script>": 4, "<iframe>": 1, "<style>": 1, "<object>": 1, "spec URL": 1 });
    expect(byPage["index.html"]).toEqual({ "onerror=": 1 }); // the title's <img onerror>
  });

  it("runs nothing and fetches nothing in Chromium", async () => {
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
    try {
      for (const p of ["01-hostile.html", "index.html"]) {
        const context = await browser.newContext();
        const external: string[] = [];
        await context.route("**/*", (route) => {
          const u = new URL(route.request().url());
          if (u.protocol === "file:" || u.protocol === "data:") return route.continue();
          external.push(u.href);
          return route.abort();
        });
        const tab = await context.newPage();
        await tab.goto(pathToFileURL(join(out, p)).href);
        await tab.waitForFunction(() => document.body?.dataset.rendered, null, { timeout: 30_000 });
        await tab.waitForTimeout(200); // any onload/onerror that survived would have fired
        expect(await tab.evaluate(() => window.pwned), p).toBeUndefined();
        expect(external, p).toEqual([]);
        await context.close();
      }
    } finally {
      await browser.close();
    }
  });
});

describe("the real notebooks' pages", () => {
  it("hold no URL of another host outside the code cells' own source text", () => {
    const out = join(work, "real");
    buildSite({ out });
    for (const f of readdirSync(out).filter((f) => f.endsWith(".html"))) {
      const html = readFileSync(join(out, f), "utf8");
      for (const t of tags(html)) expect(t.attrs, `${f}: <${t.name}${t.attrs}>`).not.toMatch(OFFSITE);
      expect(withoutSources(html).match(OFFSITE)?.[0], f).toBeUndefined();
    }
  });
});

describe("build-site --out", () => {
  const fixtures = join(ROOT, "test", "fixtures", "site");

  it("refuses a non-empty directory it did not build, and deletes nothing", () => {
    const dir = join(work, "precious");
    mkdirSync(dir);
    writeFileSync(join(dir, "thesis.tex"), "years of work");
    expect(() => buildSite({ from: fixtures, out: dir })).toThrow(/refusing to replace --out .*precious: it is not empty and is not a site built by build-site/);
    expect(readFileSync(join(dir, "thesis.tex"), "utf8")).toBe("years of work");
    expect(readdirSync(dir)).toEqual(["thesis.tex"]);
  });

  it("refuses a directory that holds the notebooks or the project, and a file", () => {
    const parent = join(work, "parent");
    mkdirSync(join(parent, "nbs"), { recursive: true });
    writeFileSync(join(parent, "nbs", "x.ipynb"), readFileSync(join(fixtures, "02-second.ipynb")));
    writeFileSync(join(parent, SITE_MARKER), ""); // even a marker does not make the notebooks' folder fair game
    expect(() => buildSite({ from: join(parent, "nbs"), out: parent })).toThrow(/refusing to use --out .*: it contains the notebooks it is built from/);
    expect(existsSync(join(parent, "nbs", "x.ipynb"))).toBe(true);
    const file = join(work, "a-file");
    writeFileSync(file, "x");
    expect(() => buildSite({ from: fixtures, out: file })).toThrow(/it exists and is not a directory/);
  });

  it("builds into a new or empty directory, and rebuilds a site it built (marker file)", () => {
    const fresh = join(work, "fresh", "site");
    buildSite({ from: fixtures, out: fresh });
    expect(readdirSync(fresh)).toContain(SITE_MARKER);
    writeFileSync(join(fresh, "stale.html"), "old page");
    buildSite({ from: fixtures, out: fresh });
    expect(existsSync(join(fresh, "stale.html"))).toBe(false);
    const unmarked = join(work, "unmarked"); // a site built before the marker existed
    buildSite({ from: fixtures, out: unmarked });
    rmSync(join(unmarked, SITE_MARKER));
    buildSite({ from: fixtures, out: unmarked });
    writeFileSync(join(unmarked, "notes.txt"), "mine");
    rmSync(join(unmarked, SITE_MARKER));
    expect(() => buildSite({ from: fixtures, out: unmarked })).toThrow(/refusing to replace/);
    const empty = join(work, "empty");
    mkdirSync(empty);
    buildSite({ from: fixtures, out: empty });
    expect(existsSync(join(empty, "index.html"))).toBe(true);
  });

  it("the command line says why in one line and exits 1 (--out . in a checkout)", () => {
    const checkout = join(work, "checkout");
    mkdirSync(checkout);
    writeFileSync(join(checkout, "README.md"), "a checkout");
    const r = spawnSync(process.execPath, [join(ROOT, "tools", "build-site.mjs"), "--from", fixtures, "--out", "."], { cwd: checkout, encoding: "utf8" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^build-site: refusing to replace --out \.: it is not empty/);
    expect(readFileSync(join(checkout, "README.md"), "utf8")).toBe("a checkout");
    expect(execFileSync("ls", ["-A", checkout], { encoding: "utf8" }).trim()).toBe("README.md");
  });
});
