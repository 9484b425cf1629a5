/**
 * A notebook cell's TypeScript → a JavaScript async function with the tslab kernel's cell semantics:
 * - top-level declarations (const/let/var, functions, classes, import bindings) are shared with later cells;
 * - `import … from "x"` becomes a lookup in the page's module table (`__import("x")`);
 * - top-level `await` works (the cell is an async function);
 * - the value of a final expression statement is returned for printing (tslab prints it unless null/undefined);
 * - `**` is Math.pow, which the worker makes the kernel's (fdlibm-pow.ts).
 *
 * Types are stripped by sucrase (no type checking: tslab would also report type errors, the page does not).
 * Line numbers are preserved, so a stack frame `cellN.ts:L:C` points at line L of the reader's cell.
 * Pure (no DOM, no Node): unit-tested in Node, run in the page's Web Worker.
 */
import { transform } from "sucrase";
import { parse, type Node } from "acorn";

/** The compiled cell: `run(scope, importModule)` resolves to the value of the last expression (or undefined). */
export interface CompiledCell {
  /** JavaScript source of `(async function (__scope, __import) {…})`, with a sourceURL naming the cell. */
  code: string;
  /** Names the cell declares at top level (they are written to the shared scope). */
  declared: string[];
  /** Whether the cell ends with an expression statement whose value is returned. */
  returnsLast: boolean;
}

/** A syntax error located in the reader's cell (1-based line and column). */
export class CellSyntaxError extends SyntaxError {
  constructor(readonly line: number, readonly column: number, readonly reason: string) {
    // tslab prints diagnostics as "line:col - message"; the page shows the same form.
    super(`${line}:${column} - ${reason}`);
    this.name = "SyntaxError";
  }
}

type AnyNode = Node & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Strip TypeScript types, keeping every import (a later cell may use a name only imported here). */
export function stripTypes(ts: string): string {
  try {
    return transform(ts, { transforms: ["typescript"], disableESTransforms: true, keepUnusedImports: true }).code;
  } catch (e) {
    throw toCellError(e, ts);
  }
}

function toCellError(e: unknown, source: string): Error {
  const err = e as { message?: string; loc?: { line: number; column: number }; pos?: number };
  const reason = String(err.message ?? e).replace(/\s*\(\d+:\d+\)\s*$/, "");
  if (err.loc) return new CellSyntaxError(err.loc.line, err.loc.column + 1, reason);
  if (typeof err.pos === "number") {
    const before = source.slice(0, err.pos).split("\n");
    return new CellSyntaxError(before.length, before[before.length - 1].length + 1, reason);
  }
  return e instanceof Error ? e : new Error(String(e));
}

/** Binding names of a declaration pattern (`a`, `{ a, b: c }`, `[a, ...rest]`, defaults). */
export function patternNames(p: AnyNode | null | undefined, out: string[] = []): string[] {
  if (!p) return out;
  switch (p.type) {
    case "Identifier": out.push(p.name); break;
    case "ObjectPattern": for (const prop of p.properties) patternNames(prop.type === "RestElement" ? prop.argument : prop.value, out); break;
    case "ArrayPattern": for (const el of p.elements) patternNames(el, out); break;
    case "RestElement": patternNames(p.argument, out); break;
    case "AssignmentPattern": patternNames(p.left, out); break;
  }
  return out;
}

interface Edit { start: number; end: number; text: string }

/** Same number of line breaks as `original`, so later lines keep their numbers. */
const keepLines = (text: string, original: string): string => text + "\n".repeat((original.match(/\n/g) ?? []).length);

/** `import …` → `const … = __import("src");` (type-only imports are already gone). */
function importReplacement(node: AnyNode, names: string[]): string {
  const src = JSON.stringify(node.source.value);
  const parts: string[] = [];
  const named: string[] = [];
  const imported: string[] = [];
  for (const s of node.specifiers) {
    names.push(s.local.name);
    if (s.type === "ImportNamespaceSpecifier") parts.push(`const ${s.local.name} = __import(${src});`);
    else if (s.type === "ImportDefaultSpecifier") parts.push(`const ${s.local.name} = __import(${src}, ["default"]).default;`);
    else {
      const name = s.imported.type === "Identifier" ? s.imported.name : String(s.imported.value);
      imported.push(name);
      named.push(name === s.local.name ? name : `${JSON.stringify(name)}: ${s.local.name}`);
    }
  }
  // The names travel along so that a missing export is an error naming it, as tslab's type check would give.
  if (named.length) parts.push(`const { ${named.join(", ")} } = __import(${src}, ${JSON.stringify(imported)});`);
  if (node.specifiers.length === 0) parts.push(`__import(${src});`);
  return parts.join(" ");
}

const exportCode = (names: string[]): string => (names.length ? ` ${names.map((n) => `__scope.${n} = ${n};`).join(" ")}` : "");

/** Names declared by one top-level statement (after `export` is stripped). */
function declaredBy(node: AnyNode): string[] {
  if (node.type === "VariableDeclaration") return node.declarations.flatMap((d: AnyNode) => patternNames(d.id));
  if ((node.type === "FunctionDeclaration" || node.type === "ClassDeclaration") && node.id) return [node.id.name];
  return [];
}

/** Every `a ** b` and `name **= b` of a parsed program (any depth). */
function powNodes(node: AnyNode, out: AnyNode[] = []): AnyNode[] {
  if ((node.type === "BinaryExpression" && node.operator === "**") || (node.type === "AssignmentExpression" && node.operator === "**=" && node.left.type === "Identifier")) out.push(node);
  for (const v of Object.values(node)) {
    for (const child of Array.isArray(v) ? v : [v]) if (child && typeof child === "object" && typeof child.type === "string") powNodes(child, out);
  }
  return out;
}

/**
 * `a ** b` → `Math.pow((a), (b))` (and `x **= b` → `x = Math.pow(x, (b))`): the worker's Math.pow is the kernel's
 * (fdlibm-pow.ts), the browser's own `**` is not. Line breaks are kept, so line numbers do not move.
 * @param js a cell's JavaScript; @param program its parse (acorn)
 * @returns the same code with every `**` a Math.pow call
 * @example lowerPow("a ** b", parse("a ** b", …)) // "Math.pow((a), (b))"
 */
export function lowerPow(js: string, program: AnyNode): string {
  const pows = powNodes(program).sort((a, b) => a.start - b.start || b.end - a.end);
  if (pows.length === 0) return js;
  const text = (start: number, end: number): string => {
    let out = "";
    let pos = start;
    for (const n of pows) {
      if (n.start < pos || n.end > end) continue; // outside, or inside one already rewritten
      out += js.slice(pos, n.start) + rewrite(n);
      pos = n.end;
    }
    return out + js.slice(pos, end);
  };
  const gap = (n: AnyNode) => keepLines("", js.slice(n.left.end, n.right.start));
  const rewrite = (n: AnyNode): string => n.type === "BinaryExpression"
    ? `Math.pow((${text(n.left.start, n.left.end)}), ${gap(n)}(${text(n.right.start, n.right.end)}))`
    : `${n.left.name} = Math.pow(${n.left.name}, ${gap(n)}(${text(n.right.start, n.right.end)}))`;
  return text(0, js.length);
}

const parseCell = (js: string): AnyNode => {
  try {
    return parse(js, { ecmaVersion: "latest", sourceType: "module", allowAwaitOutsideFunction: true, locations: true }) as AnyNode;
  } catch (e) {
    throw toCellError(e, js);
  }
};

/**
 * Compile one cell.
 * @param source the cell's TypeScript
 * @param previous names declared by earlier cells (visible here unless this cell redeclares them)
 * @param cellName used in stack traces, e.g. "cell3"
 * @throws CellSyntaxError with the line and column in the cell
 */
export function compileCell(source: string, previous: Iterable<string>, cellName = "cell"): CompiledCell {
  const typed = stripTypes(source);
  const first = parseCell(typed);
  const js = lowerPow(typed, first);
  const program = js === typed ? first : parseCell(js);
  const edits: Edit[] = [];
  const declared: string[] = [];
  const hoisted: string[] = [];
  const body: AnyNode[] = program.body;
  body.forEach((node, i) => {
    if (node.type === "ImportDeclaration") {
      const names: string[] = [];
      const text = importReplacement(node, names);
      declared.push(...names);
      edits.push({ start: node.start, end: node.end, text: keepLines(text + exportCode(names), js.slice(node.start, node.end)) });
      return;
    }
    if ((node.type === "ExportNamedDeclaration" && !node.declaration) || node.type === "ExportAllDeclaration") {
      edits.push({ start: node.start, end: node.end, text: keepLines("", js.slice(node.start, node.end)) }); // `export { a }`: nothing to do in a cell
      return;
    }
    let decl = node;
    if ((node.type === "ExportNamedDeclaration" || node.type === "ExportDefaultDeclaration") && node.declaration) {
      decl = node.declaration; // `export` means nothing in a cell: keep the declaration
      edits.push({ start: node.start, end: decl.start, text: "" });
    }
    const names = declaredBy(decl);
    declared.push(...names);
    if (decl.type === "FunctionDeclaration") hoisted.push(...names);
    else if (names.length) edits.push({ start: node.end, end: node.end, text: exportCode(names) });
    if (i === body.length - 1 && node.type === "ExpressionStatement" && !node.directive) {
      edits.push({ start: node.start, end: node.expression.start, text: "__last = (" });
      edits.push({ start: node.expression.end, end: node.end, text: ");" });
    }
  });
  const last = body[body.length - 1];
  const returnsLast = !!last && last.type === "ExpressionStatement" && !last.directive;
  let out = js;
  for (const e of edits.sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.text + out.slice(e.end);

  const own = new Set(declared);
  const inherited = [...new Set(previous)].filter((n) => !own.has(n) && /^[A-Za-z_$][\w$]*$/.test(n));
  const all = [...inherited, ...own];
  // Everything on the first line, so the reader's line numbers stay those of the stack trace. Each declaration is
  // written to the scope where it happens (what ran before an error stays visible, as in tslab); on completion
  // every name is written back again, so a later cell also sees reassigned values.
  const head = `(async function (__scope, __import) { "use strict"; let __last; ` +
    (inherited.length ? `let { ${inherited.join(", ")} } = __scope; ` : "") + exportCode(hoisted) + " ";
  const tail = `\n;${exportCode(all)} return __last;\n})\n//# sourceURL=${cellName}.ts`;
  return { code: head + out + tail, declared: [...own], returnsLast };
}
