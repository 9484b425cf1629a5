// The in-page kernel's pure parts, in Node: cell compilation with tslab's semantics, console formatting
// against Node's own util.inspect/format, and the page's in-memory file system.
import { inspect as nodeInspect, format as nodeFormat } from "node:util";
import { describe, expect, it } from "vitest";
import { CellSyntaxError, compileCell, patternNames } from "../tools/site/worker/compile-cell";
import { format, inspect } from "../tools/site/worker/inspect";
import * as vfs from "../tools/site/worker/shims/fs";
import { normalizeSpecifier } from "../tools/site/worker/specifiers";

type Runner = (scope: Record<string, unknown>, imp: (id: string, names?: string[]) => Record<string, unknown>) => Promise<unknown>;

/** A tiny kernel: compiles and runs cells in order against one scope, like the page's worker. */
function kernel(modules: Record<string, Record<string, unknown>> = {}) {
  const scope: Record<string, unknown> = {};
  const names = new Set<string>();
  const imp = (id: string, wanted?: string[]) => {
    const m = modules[id];
    if (!m) throw new Error(`Cannot find module '${id}'`);
    for (const n of wanted ?? []) if (!(n in m)) throw new SyntaxError(`no export ${n}`);
    return m;
  };
  let n = 0;
  return {
    scope,
    async run(src: string): Promise<unknown> {
      const c = compileCell(src, names, `cell${++n}`);
      c.declared.forEach((d) => names.add(d));
      return ((0, eval)(c.code) as Runner)(scope, imp);
    },
  };
}

describe("compileCell: tslab's cell semantics", () => {
  it("declarations of a cell are visible in later cells; the last expression is the cell's value", async () => {
    const k = kernel();
    expect(await k.run("const a: number = 2;\nlet b = a * 3;")).toBeUndefined();
    expect(await k.run("b + a")).toBe(8);
    expect(await k.run("function sq(x: number): number { return x * x }\nclass P { constructor(public v: number) {} }")).toBeUndefined();
    expect(await k.run("sq(b) + new P(1).v")).toBe(37);
  });

  it("a later cell can redeclare a name, and reassigning an earlier let is seen by the cells after it", async () => {
    const k = kernel();
    await k.run("let x = 1; const y = 10;");
    await k.run("x = x + 1;");
    expect(await k.run("x")).toBe(2);
    await k.run("const y = 'shadowed';");
    expect(await k.run("y")).toBe("shadowed");
  });

  it("destructuring declarations export every bound name", async () => {
    const k = kernel();
    await k.run("const { p, q: [r, ...rest] } = { p: 1, q: [2, 3, 4] };");
    expect(await k.run("[p, r, rest.length]")).toEqual([1, 2, 2]);
    expect(patternNames({ type: "ObjectPattern", properties: [{ type: "Property", value: { type: "AssignmentPattern", left: { type: "Identifier", name: "z" } } }] } as never)).toEqual(["z"]);
  });

  it("imports resolve through the module table, type-only imports vanish, and import bindings are shared", async () => {
    const lib = { twice: (x: number) => 2 * x, NAME: "lib" };
    const k = kernel({ "./lib/index": lib });
    await k.run('import { twice, type Unused } from "./lib/index";\nimport type { Other } from "./lib/index";\nimport * as L from "./lib/index";');
    expect(await k.run("twice(4) + L.NAME.length")).toBe(11);
    await expect(k.run('import { missing } from "./lib/index";')).rejects.toThrow(/missing/);
    await expect(k.run('import { x } from "nowhere";')).rejects.toThrow(/Cannot find module 'nowhere'/);
  });

  it("`export` means nothing in a cell: exported declarations are ordinary ones, export lists vanish", async () => {
    const k = kernel();
    await k.run("export const e = 1;\nexport function g() { return 2; }\nexport { e as alias };");
    expect(await k.run("e + g()")).toBe(3);
  });

  it("top-level await works and declarations before an error stay visible", async () => {
    const k = kernel();
    expect(await k.run("const v = await Promise.resolve(5);\nv * 2")).toBe(10);
    await expect(k.run("const before = 1;\nthrow new RangeError('boom');\nconst after = 2;")).rejects.toThrow("boom");
    expect(await k.run("before")).toBe(1);
  });

  it("runs in strict mode: assigning an undeclared name is an error, as tslab's type check would make it", async () => {
    await expect(kernel().run("undeclared = 3;")).rejects.toThrow(/undeclared/);
  });

  it("a syntax error names the line and column of the cell (tslab's 'line:col - message' form)", () => {
    let err: unknown;
    try {
      compileCell("const ok = 1;\nconst = 2;", []);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CellSyntaxError);
    expect((err as CellSyntaxError).line).toBe(2);
    expect((err as Error).message).toMatch(/^2:\d+ - /);
  });

  it("keeps the cell's line numbers, so a stack frame points at the reader's line", async () => {
    const k = kernel();
    const e = await k.run("const a = 1;\n\nnull.x;").catch((x: Error) => x);
    expect(String((e as Error).stack)).toMatch(/cell1\.ts:3:/);
  });

  it("`**` goes through Math.pow (the worker's is the kernel's), at any depth, with JavaScript's precedence", async () => {
    const calls: [number, number][] = [];
    const native = Math.pow;
    Math.pow = (x: number, y: number) => (calls.push([x, y]), native(x, y));
    try {
      const k = kernel();
      expect(await k.run("const base: number = 2;\nlet x = base ** 3 ** 2;\nx **= 0.5;\nconst f = (t: number) => `${(t + 1) ** -1}`;\n[x, f(3), (1, 3) ** 2]")).toEqual([native(2, 9) ** 0.5, "0.25", 9]);
      expect(calls).toEqual([[3, 2], [2, 9], [512, 0.5], [4, -1], [3, 2]]);
      const c = compileCell("const y = 2\n  **\n  10;\nnull.x;", []);
      expect(c.code).not.toContain("**");
      const e = await kernel().run("const y = 2\n  **\n  10;\nnull.x;").catch((x: Error) => x);
      expect(String((e as Error).stack)).toMatch(/cell1\.ts:4:/); // line numbers kept across a rewritten `**`
    } finally {
      Math.pow = native;
    }
  });
});

describe("inspect/format: console.log as Node prints it", () => {
  const values: unknown[] = [
    1, -0, 2.5e-12, NaN, "text", true, null, undefined, 10n, [1, 2, 3], [], { a: 1, b: "x" }, {},
    { nested: { deeper: { deepest: { gone: 1 } } } }, [[1, [2, [3, [4]]]]], new Map([["k", 1]]), new Set([1, 2]),
    Float64Array.of(1, 0.5), new Uint8Array(0), { "needs quotes": 1 }, [undefined, null], Object.create(null),
  ];
  for (const v of values) {
    it(`matches util.inspect for ${nodeInspect(v).replace(/\s+/g, " ")}`, () => expect(inspect(v)).toBe(nodeInspect(v)));
  }
  it("formats like util.format: strings raw, %s %d %i %j %%, the rest inspected", () => {
    const cases: unknown[][] = [["a", 1, "b"], ["%s is %d", "x", 4.5], ["%i%%", 3.9], ["%j", { a: [1] }], [{ a: 1 }, [2]], ["lone %s"]];
    for (const c of cases) expect(format(...c)).toBe(nodeFormat(...c));
  });
  it("breaks long objects over lines like Node", () => {
    const long = { alpha: "a".repeat(30), beta: "b".repeat(30), gamma: "c".repeat(30) };
    expect(inspect(long)).toBe(nodeInspect(long));
  });
});

describe("the page's file system", () => {
  vfs.seed({ "/repo/data/x.json": '{"a":1}', "/repo/notebooks/00-a.ipynb": "{}" });

  it("reads seeded files relative to the notebooks folder, as the kernel's cwd", () => {
    expect(vfs.readFileSync("../data/x.json", "utf8")).toBe('{"a":1}');
    expect(vfs.existsSync("/repo/data")).toBe(true);
    expect(vfs.readdirSync(".")).toEqual(["00-a.ipynb"]);
    expect(vfs.readdirSync("/repo")).toEqual(["data", "notebooks"]);
  });

  it("writes, renames and reports missing files with Node's error text", () => {
    vfs.mkdirSync("/repo/.cache/claims", { recursive: true });
    vfs.writeFileSync("/repo/.cache/claims/t.json.tmp", "1");
    vfs.renameSync("/repo/.cache/claims/t.json.tmp", "/repo/.cache/claims/t.json");
    expect(vfs.readdirSync("/repo/.cache/claims")).toEqual(["t.json"]);
    expect(() => vfs.readFileSync("nope.json", "utf8")).toThrow("ENOENT: no such file or directory, open '/repo/notebooks/nope.json'");
    expect(() => vfs.writeFileSync("/no/dir/f", "x")).toThrow(/ENOENT/);
  });

  it("module specifiers of cells: ./lib/index, ./lib, ./lib/core/linalg.js, node:fs", () => {
    expect(["./lib/index", "./lib", "./lib/", "./lib/index.js", "./lib/core/linalg.js", "node:fs", "fs"].map(normalizeSpecifier))
      .toEqual(["lib/index", "lib/index", "lib/index", "lib/index", "lib/core/linalg", "fs", "fs"]);
  });
});
