/** `fs/promises` in the page: the in-memory file system (shims/fs.ts) behind promises. */
import * as fs from "./fs";

const later = <A extends unknown[], R>(f: (...a: A) => R) => async (...a: A): Promise<R> => f(...a);

export const readFile = later(fs.readFileSync);
export const writeFile = later(fs.writeFileSync);
export const appendFile = later(fs.appendFileSync);
export const mkdir = later(fs.mkdirSync);
export const readdir = later(fs.readdirSync);
export const stat = later(fs.statSync);
export const rename = later(fs.renameSync);
export const unlink = later(fs.unlinkSync);
export const rm = later(fs.rmSync);
export const access = async (p: string): Promise<void> => {
  if (!fs.existsSync(p)) fs.statSync(p); // throws ENOENT with Node's text
};
export default { readFile, writeFile, appendFile, mkdir, readdir, stat, rename, unlink, rm, access };
