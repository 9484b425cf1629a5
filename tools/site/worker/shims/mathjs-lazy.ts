/**
 * `await import("mathjs")` in the page. mathjs is 0.8 MB of script, which every page's worker would parse at start
 * (about 0.2 s) for one cell of the theory notebook; so the site ships it as an asset (build-runtime.mjs), loaded the
 * first time a cell needs it. This module stands for mathjs in dynamic imports only, as a thenable: `import()` of
 * a module whose namespace has a `then` resolves to what that `then` delivers, here mathjs's own namespace.
 */
import { requestAsset } from "../rpc";

let loading: Promise<unknown> | null = null;

function load(): Promise<unknown> {
  loading ??= requestAsset("mathjs").then((bytes) => {
    (0, eval)(new TextDecoder().decode(bytes)); // the asset's script sets self.__notebookMathjs
    const math = (self as unknown as { __notebookMathjs?: unknown }).__notebookMathjs;
    if (!math) throw new Error("the site's mathjs asset did not load");
    return math;
  });
  loading.catch(() => (loading = null));
  return loading;
}

export function then(resolve: (math: unknown) => void, reject: (e: unknown) => void): void {
  load().then(resolve, reject);
}
