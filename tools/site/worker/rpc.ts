/**
 * Requests from the worker to the page, answered asynchronously: WebAssembly bytes the page loads on demand
 * (file:// pages cannot fetch), and SVG renderings by the page's vega.
 */
import type { WorkerToPage } from "../protocol";

let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
const assets = new Map<string, Promise<Uint8Array>>();

export const post = (msg: WorkerToPage, transfer: Transferable[] = []): void => (self as unknown as Worker).postMessage(msg, transfer);

function request<T>(what: "asset" | "svg", arg: unknown): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    post({ type: "request", id, what, arg });
  });
}

/** The page's answer to a request. */
export function settle(id: number, ok: boolean, value: unknown): void {
  const p = pending.get(id);
  if (!p) return;
  pending.delete(id);
  if (ok) p.resolve(value);
  else p.reject(new Error(String(value)));
}

/** Bytes of a named asset the site ships (e.g. "highs.wasm"), fetched from the page once. */
export function requestAsset(name: string): Promise<Uint8Array> {
  let a = assets.get(name);
  if (!a) {
    a = request<ArrayBuffer>("asset", name).then((b) => new Uint8Array(b));
    assets.set(name, a);
    a.catch(() => assets.delete(name));
  }
  return a;
}

/** SVG text of a Vega-Lite spec, rendered by the page. */
export const requestSVG = (spec: unknown): Promise<string> => request<string>("svg", spec);
