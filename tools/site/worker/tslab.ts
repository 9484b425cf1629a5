/** The `tslab` module's display helpers, for cells that use them directly (tslab.display.html(…) etc.). */
import { display as send } from "../../../lib/notebook/display.browser";

const raw = (mime: string) => (content: unknown) => void send({ [mime]: content });

export const display = {
  html: raw("text/html"),
  markdown: raw("text/markdown"),
  latex: raw("text/latex"),
  svg: raw("image/svg+xml"),
  png: (b: Uint8Array) => send({ "image/png": btoa(String.fromCharCode(...b)) }),
  jpeg: (b: Uint8Array) => send({ "image/jpeg": btoa(String.fromCharCode(...b)) }),
  gif: (b: Uint8Array) => send({ "image/gif": btoa(String.fromCharCode(...b)) }),
  pdf: (b: Uint8Array) => send({ "application/pdf": btoa(String.fromCharCode(...b)) }),
  text: raw("text/plain"),
  raw: (mime: string, content: unknown) => void send({ [mime]: content }),
};
export const versions = { tslab: "page", typescript: "sucrase", node: "browser" };
export const newDisplay = () => display;
export default { display, versions, newDisplay };
