// A Node built-in the page has no shim for: importing it is fine, using any of it throws an error that says so.
module.exports = new Proxy({}, {
  get(_target, key) {
    if (key === "__esModule" || typeof key === "symbol") return undefined;
    throw new Error(`this Node module is not available in the page (needed for "${String(key)}"): it runs on the kernel only`);
  },
});
