/**
 * nbformat outputs → the page's DOM, with the same classes as the site builder's static outputs. Charts are
 * drawn with vega-embed; once drawn, the SVG is added to the output's data (as the kernel's bundle has it).
 */
import type { Output } from "../protocol";

const VEGALITE = "application/vnd.vegalite.v5+json";

type Embed = (el: Element, spec: unknown, opts: Record<string, unknown>) => Promise<{ view: unknown }>;
const embed = (): Embed | undefined => (window as unknown as { vegaEmbed?: Embed }).vegaEmbed;

const text = (t: unknown): string => (Array.isArray(t) ? t.join("") : String(t ?? ""));

function pre(cls: string, body: string): HTMLElement {
  const div = document.createElement("div");
  div.className = `output ${cls}`;
  const p = document.createElement("pre");
  p.textContent = body;
  div.appendChild(p);
  return div;
}

/** An element for one output; `rendered` settles when a chart is drawn (or failed, with the reason). */
export function renderOutput(o: Output): { el: HTMLElement; rendered: Promise<string | null> } {
  const done = Promise.resolve(null);
  if (o.output_type === "stream") return { el: pre(`stream ${o.name}`, o.text), rendered: done };
  if (o.output_type === "error") return { el: pre("error", o.traceback.join("\n") || `${o.ename}: ${o.evalue}`), rendered: done };
  const data = o.data;
  const div = document.createElement("div");
  if (data[VEGALITE] !== undefined) {
    div.className = "output vegalite";
    const chart = document.createElement("div");
    chart.className = "vega-chart";
    div.appendChild(chart);
    const vegaEmbed = embed();
    if (!vegaEmbed) return { el: div, rendered: Promise.resolve("vega-embed is not loaded") };
    const { $schema: _schema, ...spec } = data[VEGALITE] as Record<string, unknown>;
    const rendered = vegaEmbed(chart, spec, { mode: "vega-lite", renderer: "svg", actions: false }).then(
      () => {
        const svg = chart.querySelector("svg");
        if (svg) data["image/svg+xml"] = svg.outerHTML;
        return null;
      },
      (e: Error) => {
        chart.replaceWith(pre("stream stderr", `the chart did not render: ${e.message}`));
        return `the chart did not render: ${e.message}`;
      },
    );
    return { el: div, rendered };
  }
  if (data["text/html"] !== undefined) {
    div.className = "output html";
    div.innerHTML = text(data["text/html"]);
  } else if (data["image/svg+xml"] !== undefined) {
    div.className = "output svg";
    div.innerHTML = text(data["image/svg+xml"]);
  } else if (["image/png", "image/jpeg", "image/gif"].some((m) => data[m] !== undefined)) {
    const mime = ["image/png", "image/jpeg", "image/gif"].find((m) => data[m] !== undefined)!;
    div.className = "output image";
    const img = document.createElement("img");
    img.alt = "";
    img.src = `data:${mime};base64,${text(data[mime]).replace(/\s/g, "")}`;
    div.appendChild(img);
  } else {
    const plain = data["text/plain"] ?? data["text/markdown"] ?? data["text/latex"] ?? "";
    return { el: pre("text", text(plain)), rendered: done };
  }
  return { el: div, rendered: done };
}
