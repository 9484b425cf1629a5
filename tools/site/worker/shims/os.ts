/**
 * `os` in the page. availableParallelism() is 0 on purpose: runSweep then runs its grid in the calling thread,
 * which is the page's Web Worker (the page itself stays responsive), instead of trying to start worker threads.
 */
export const availableParallelism = (): number => 0;
export const cpus = (): { model: string; speed: number }[] => [{ model: `browser (${navigator.hardwareConcurrency ?? "?"} logical cores)`, speed: 0 }];
export const platform = (): string => "browser";
export const arch = (): string => "wasm";
export const tmpdir = (): string => "/tmp";
export const homedir = (): string => "/home/reader";
export const hostname = (): string => "page";
export const type = (): string => "Browser";
export const release = (): string => navigator.userAgent;
export const totalmem = (): number => 0;
export const freemem = (): number => 0;
export const EOL = "\n";
export default { availableParallelism, cpus, platform, arch, tmpdir, homedir, hostname, type, release, totalmem, freemem, EOL };
