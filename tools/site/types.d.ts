// Modules the bundler provides (tools/site/build-runtime.mjs).
declare module "virtual:lib-modules" {
  const table: Record<string, Record<string, unknown>>;
  export default table;
}
declare module "highs-original" {
  import loader from "highs";
  export default loader;
}
declare module "path-browserify" {
  interface Path {
    join(...p: string[]): string; resolve(...p: string[]): string; dirname(p: string): string; basename(p: string, ext?: string): string;
    extname(p: string): string; isAbsolute(p: string): boolean; normalize(p: string): string; relative(from: string, to: string): string;
    sep: string; delimiter: string; parse(p: string): { root: string; dir: string; base: string; ext: string; name: string };
    format(o: { root?: string; dir?: string; base?: string; ext?: string; name?: string }): string;
  }
  const path: Path;
  export default path;
}
