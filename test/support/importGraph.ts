/**
 * The import graph of TypeScript sources, read with the TypeScript compiler's parser (no type
 * checking), and the cycles in it. An edge is a relative module specifier that resolves to another
 * file of the graph: `import … from`, side-effect `import "…"`, `export … from` and `import("…")`
 * with a literal. Type-only imports are ignored — `import type …`, `export type … from`, and
 * `import { type A, type B }` where every name is a type — because the compiler erases them. A
 * plain `import { A }` counts even when A is only used as a type: write `import type` for those.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** file (relative to the root, with `/`) → the files it imports. */
export type ImportGraph = Map<string, string[]>;

/** Every `.ts` file under `dirs` (relative to `root`), as sorted root-relative paths. */
export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(rel);
    }
  };
  for (const dir of dirs) walk(dir);
  return found.sort();
}

/** Builds the graph of `files`, reading each through `read` (a file's text by its relative path). */
export function importGraph(files: readonly string[], read: (file: string) => string): ImportGraph {
  const known = new Set(files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const targets = moduleSpecifiers(file, read(file))
      .filter((spec) => spec.startsWith("."))
      .map((spec) => resolve(file, spec))
      .filter((target) => known.has(target));
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/** The specifiers of a file's runtime imports, in order (type-only ones left out). */
export function moduleSpecifiers(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specs: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && !isTypeOnlyImport(node)) specs.push(literal(node.moduleSpecifier));
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly)
      specs.push(literal(node.moduleSpecifier));
    else if (isDynamicImport(node)) specs.push((node.arguments[0] as ts.StringLiteral).text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs.filter(Boolean);
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // import "./x.js": a side effect
  if (clause.isTypeOnly) return true;
  const bindings = clause.namedBindings;
  return (
    !clause.name &&
    !!bindings &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((e) => e.isTypeOnly)
  );
}

function isDynamicImport(node: ts.Node): node is ts.CallExpression {
  return (
    ts.isCallExpression(node) &&
    node.expression.kind === ts.SyntaxKind.ImportKeyword &&
    node.arguments.length === 1 &&
    ts.isStringLiteralLike(node.arguments[0])
  );
}

const literal = (node: ts.Expression) => (ts.isStringLiteral(node) ? node.text : "");

/** `./b.js` imported from `server/a.ts` → `server/b.ts` (NodeNext: `.js` names the `.ts` file). */
function resolve(from: string, spec: string): string {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return joined.replace(/\.js$/, ".ts");
}

/**
 * The room of a file: its folder (`server/runtime`), or the file itself when it sits directly in
 * `server/` or `workflows/` (config.ts, errors.ts … are rooms of one file each).
 */
export function roomOf(file: string): string {
  const dir = path.posix.dirname(file);
  return dir === "server" || dir === "workflows" ? file : dir;
}

/** The graph of rooms: room A imports room B when some file of A imports some file of B. */
export function roomGraph(graph: ImportGraph): ImportGraph {
  const rooms: ImportGraph = new Map();
  for (const [file, targets] of graph) {
    const from = roomOf(file);
    const to = new Set(rooms.get(from) ?? []);
    for (const t of targets) if (roomOf(t) !== from) to.add(roomOf(t));
    rooms.set(from, [...to].sort());
  }
  return rooms;
}

/** One cycle: a closed path `a → b → … → a`, and every member of the tangle it belongs to. */
export type ImportCycle = { path: string[]; members: string[] };

/**
 * The import cycles of a graph: one per strongly connected component of more than one node (or a
 * node importing itself), given as a shortest closed path through that component from its first
 * node in alphabetical order, with all the component's members. Sorted, so failures read the same
 * each run.
 */
export function importCycles(graph: ImportGraph): ImportCycle[] {
  return stronglyConnected(graph)
    .filter((scc) => scc.length > 1 || (graph.get(scc[0]) ?? []).includes(scc[0]))
    .map((scc) => ({ path: cycleThrough(graph, new Set(scc)), members: scc }))
    .sort((a, b) => a.path[0].localeCompare(b.path[0]));
}

/** Cycles as lines a failing test can print. */
export function describeCycles(cycles: readonly ImportCycle[]): string {
  return cycles
    .map((c) => {
      const others = c.members.filter((m) => !c.path.includes(m));
      return `  ${c.path.join(" → ")}${others.length ? ` (tangled with ${others.join(", ")})` : ""}`;
    })
    .join("\n");
}

/** Tarjan's algorithm, iterative (no recursion limit on long chains). */
function stronglyConnected(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result: string[][] = [];
  let counter = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const frame = work[work.length - 1];
      const targets = graph.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const t = targets[frame.next++];
        if (!index.has(t)) {
          index.set(t, counter);
          low.set(t, counter++);
          stack.push(t);
          onStack.add(t);
          work.push({ node: t, next: 0 });
        } else if (onStack.has(t)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(t)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const scc: string[] = [];
        let n: string;
        do {
          n = stack.pop()!;
          onStack.delete(n);
          scc.push(n);
        } while (n !== frame.node);
        result.push(scc.sort());
      }
    }
  }
  return result;
}

/** A shortest closed path from the component's first file back to itself, staying inside it. */
function cycleThrough(graph: ImportGraph, members: Set<string>): string[] {
  const start = [...members].sort()[0];
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    for (const t of graph.get(node) ?? []) {
      if (!members.has(t)) continue;
      if (t === start) {
        const pathBack = [node];
        while (pathBack[0] !== start) pathBack.unshift(cameFrom.get(pathBack[0])!);
        return [...pathBack, start];
      }
      if (!cameFrom.has(t)) {
        cameFrom.set(t, node);
        queue.push(t);
      }
    }
  }
  return [start, start];
}
