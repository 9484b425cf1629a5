/** `url` in the page: file URLs of the page's file system. */
import { resolve } from "./path";

export const pathToFileURL = (p: string): URL => new URL(`file://${encodeURI(resolve(p))}`);
export const fileURLToPath = (u: string | URL): string => decodeURIComponent(new URL(String(u)).pathname);
const BrowserURL = URL;
export { BrowserURL as URL };
export default { pathToFileURL, fileURLToPath, URL: BrowserURL };
