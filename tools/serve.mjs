#!/usr/bin/env node
// Serve site/ (or --dir DIR) on 127.0.0.1 only: a preview server, never exposed to the network.
//   node tools/serve.mjs [--port 8080] [--dir site]
import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { dirname, extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".json": "application/json", ".ipynb": "application/x-ipynb+json", ".svg": "image/svg+xml", ".png": "image/png",
  ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".txt": "text/plain; charset=utf-8",
};

/** Start a static server; resolves to the node:http server once listening (port 0 = any free port). */
export function serve(dir, port = 8080, host = "127.0.0.1") {
  const root = resolve(dir);
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.endsWith("/")) path += "index.html";
    const file = normalize(join(root, path));
    // Refuse anything that escapes the site folder (../ tricks).
    if (file !== root && !file.startsWith(root + sep)) { res.writeHead(403).end("forbidden"); return; }
    let st;
    try { st = statSync(file); } catch { res.writeHead(404, { "content-type": "text/plain" }).end("not found"); return; }
    if (st.isDirectory()) { res.writeHead(301, { location: path + "/" }).end(); return; }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": st.size, "cache-control": "no-cache" });
    if (req.method === "HEAD") { res.end(); return; }
    createReadStream(file).pipe(res);
  });
  return new Promise((res, rej) => { server.once("error", rej); server.listen(port, host, () => res(server)); });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
    if (i < 0) return dflt;
    return args[i].includes("=") ? args[i].slice(args[i].indexOf("=") + 1) : args[i + 1];
  };
  const dir = opt("dir", join(dirname(fileURLToPath(import.meta.url)), "..", "site"));
  const port = Number(opt("port", 8080));
  try { statSync(join(dir, "index.html")); } catch {
    console.error(`serve: ${resolve(dir)}/index.html not found; run npm run site:build first`);
    process.exit(1);
  }
  try {
    const server = await serve(dir, port);
    console.log(`serving ${resolve(dir)} at http://127.0.0.1:${server.address().port}/  (Ctrl-C to stop)`);
  } catch (e) {
    console.error(`serve: cannot listen on 127.0.0.1:${port}: ${e.code ?? e.message}`);
    process.exit(1);
  }
}
