/**
 * Tables for notebooks: HTML for Jupyter and the site, aligned text for terminals. Pure (no Node, no DOM), so the
 * kernel's display (display.ts) and the page's (display.browser.ts) format tables identically.
 */
import type { Row } from "../figures/spec";

export const escapeHtml = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** One table cell as text: integers as they are, other numbers to `digits` significant digits. */
export function formatCell(v: Row[string], digits: number): string {
  if (typeof v === "number") {
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(digits - 1) : v.toPrecision(digits);
  }
  return v === null ? "–" : String(v);
}

/** A table as HTML (for notebooks and the site) and aligned plain text (for terminals). */
export function tableBundle(rows: Row[], options: { caption?: string; digits?: number } = {}): Record<string, string> {
  const digits = options.digits ?? 4;
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const cells = rows.map((r) => cols.map((c) => formatCell(r[c], digits)));
  const widths = cols.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j].length)));
  const line = (xs: string[]) => xs.map((x, j) => x.padEnd(widths[j])).join("  ");
  const text = [options.caption ?? "", line(cols), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].filter((l, i) => i > 0 || l).join("\n");
  const head = `<tr>${cols.map((c) => `<th>${escapeHtml(c)}</th>`).join("")}</tr>`;
  const body = cells.map((r) => `<tr>${r.map((x) => `<td>${escapeHtml(x)}</td>`).join("")}</tr>`).join("");
  const caption = options.caption ? `<caption>${escapeHtml(options.caption)}</caption>` : "";
  return { "text/html": `<table>${caption}<thead>${head}</thead><tbody>${body}</tbody></table>`, "text/plain": text };
}
