// Shared helpers for the browser tests: Debian's Chromium through playwright-core, pages opened with every console
// error and every request that leaves the machine recorded (the same launch flags as test/site.test.ts).
import { chromium, type Browser, type BrowserContextOptions, type Page } from "playwright-core";
// @ts-expect-error plain .mjs tool without type declarations
import { serve } from "../tools/serve.mjs";

// Browser-side callbacks use `document`; declared here rather than adding lib "dom" to the whole project.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

export type Visit = { page: Page; errors: string[]; external: string[]; close: () => Promise<void> };

/** What to wait for after loading: the charts rendered (page.js), and also the in-page runtime ready. */
export type Ready = "rendered" | "runtime";

/**
 * Open a page (optionally with a viewport) with every request off file:, data:, blob: and 127.0.0.1 refused and
 * recorded, and wait until page.js reports the charts rendered (and, with ready = "runtime", the runtime ready).
 */
export async function visit(browser: Browser, url: string, options: BrowserContextOptions = {}, ready: Ready = "rendered"): Promise<Visit> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  const external: string[] = [];
  page.on("console", (m) => { if (m.type() === "error" && !/favicon/.test(m.text())) errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  await context.route("**/*", (route) => {
    const u = new URL(route.request().url());
    const local = ["file:", "data:", "blob:"].includes(u.protocol) || (u.protocol === "http:" && u.hostname === "127.0.0.1");
    if (local) return route.continue();
    external.push(u.href);
    return route.abort();
  });
  await page.goto(url);
  if (ready === "runtime") await page.waitForFunction(() => document.body?.dataset.runtime === "ready" && document.body?.dataset.rendered, null, { timeout: 60_000 });
  else await page.waitForFunction(() => document.body?.dataset.rendered, null, { timeout: 60_000 });
  return { page, errors, external, close: () => context.close() };
}

export type LocalServer = { base: string; close: () => Promise<void> };

/** Serve `dir` on 127.0.0.1 at a free port (the project's own `npm run serve`); `base` is its http://… origin. */
export async function serveLocal(dir: string): Promise<LocalServer> {
  const server = await serve(dir, 0);
  const addr = server.address();
  const base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  return { base, close: () => new Promise((r) => server.close(() => r())) };
}
