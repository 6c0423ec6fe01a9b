/**
 * Which test files touch the database, and so run on both PGlite and PostgreSQL in `npm test`.
 *
 * The rule, read from the sources each run (nothing to keep up to date by hand): a test file
 * touches the database when its runtime imports reach `test/support/db.ts` (the run's database,
 * `createWorld()`, `freshDatabaseUrl()` for spawned TVPB processes all go through it), or when it
 * names `DATABASE_URL` itself (a process it starts reads it). Every other file — pure machines,
 * words, money, templates and PDFs from fixed view models, lint and architecture checks, and the
 * browser tests, whose TVPB always runs on an embedded PGlite (`databaseUrl: undefined`) — does
 * the same thing on either database, so it runs once, on PGlite.
 */
import fs from "node:fs";
import path from "node:path";
import { importGraph, sourceFiles, type ImportGraph } from "./importGraph.js";

/** The module every database-touching test reaches. */
export const DATABASE_DOOR = "test/support/db.ts";

/** Every `*.test.ts` under test/, as sorted root-relative paths. */
export function testFiles(root: string): string[] {
  return sourceFiles(root, ["test"]).filter((f) => f.endsWith(".test.ts"));
}

/** The test files that touch the database (root-relative, sorted). */
export function databaseTestFiles(root: string): string[] {
  const read = (f: string) => fs.readFileSync(path.join(root, f), "utf8");
  const graph = importGraph(sourceFiles(root, ["test", "server", "workflows", "scripts"]), read);
  return testFiles(root).filter((f) => reaches(graph, f, DATABASE_DOOR) || /\bDATABASE_URL\b/.test(read(f)));
}

/** Whether `from` imports `target`, directly or through other files of the graph. */
function reaches(graph: ImportGraph, from: string, target: string): boolean {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length) {
    const file = todo.pop()!;
    if (file === target) return true;
    if (seen.has(file)) continue;
    seen.add(file);
    todo.push(...(graph.get(file) ?? []));
  }
  return false;
}
