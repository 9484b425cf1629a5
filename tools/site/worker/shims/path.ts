/** `path` in the page: Node's POSIX path module as ported by path-browserify. */
import pathBrowserify from "path-browserify";

export const posix = pathBrowserify;
export const { join, resolve, dirname, basename, extname, isAbsolute, normalize, relative, sep, delimiter, parse, format } = pathBrowserify;
export default pathBrowserify;
