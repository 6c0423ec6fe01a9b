/**
 * PGlite's WebAssembly, compiled once per process and started early. `server/main.ts` starts the
 * compile before it loads the rest of the code: V8 compiles WebAssembly on background threads, so
 * the 9 MB module compiles while the main thread loads and evaluates the modules, instead of the
 * main thread waiting for it inside `PGlite.create` (docs/BENCHMARKS.md, "Start-up").
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

let compiled: Promise<WebAssembly.Module | undefined> | undefined;

/**
 * The compiled module, or undefined when it could not be read or compiled here: PGlite then reads and
 * compiles it itself (and reports any real fault there, where the database is opened).
 */
export function pgliteWasmModule(): Promise<WebAssembly.Module | undefined> {
  compiled ??= (async () => {
    try {
      const file = createRequire(import.meta.url).resolve("@electric-sql/pglite/pglite.wasm");
      return await WebAssembly.compile(await readFile(file));
    } catch {
      return undefined;
    }
  })();
  return compiled;
}
