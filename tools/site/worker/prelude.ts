/**
 * Runs before anything else in the page's worker (build-runtime.mjs puts this bundle first): Math.pow becomes the
 * kernel's pow (see fdlibm-pow.ts). The bundler turns every `**` of the library into Math.pow, read once at start.
 */
import { pagePow } from "./fdlibm-pow";

Math.pow = pagePow;
