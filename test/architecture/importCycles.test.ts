/**
 * No import cycles in server/ and workflows/, between files or between rooms (folders). The graph
 * is read with the TypeScript parser (test/support/importGraph.ts): static imports, re-exports and
 * literal `import()` count; type-only imports (`import type`, `export type … from`,
 * `import { type A }`) do not, since the compiler erases them.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  describeCycles,
  importCycles,
  importGraph,
  moduleSpecifiers,
  roomGraph,
  sourceFiles,
  type ImportCycle,
} from "../support/importGraph.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

const insideHttp = (c: ImportCycle) => c.members.every((f) => f.startsWith("server/http/"));

describe("architecture: import cycles", () => {
  const files = sourceFiles(root, ["server", "workflows"]);
  const graph = importGraph(files, (f) => fs.readFileSync(path.join(root, f), "utf8"));
  const cycles = [...importCycles(graph), ...importCycles(roomGraph(graph))];

  it("reads the whole of server/ and workflows/", () => {
    expect(files).to.include.members(["server/runtime/applyEvent.ts", "workflows/assignment/assignmentMachine.ts"]);
    expect(files.length).to.be.greaterThan(80);
  });

  it("finds none between files or rooms of server/ and workflows/ outside the HTTP faces", () => {
    const found = cycles.filter((c) => !insideHttp(c));
    expect(found.length, `import cycles:\n${describeCycles(found)}`).to.equal(0);
  });

  it("finds none among the HTTP faces", () => {
    const found = cycles.filter(insideHttp);
    expect(found.length, `import cycles:\n${describeCycles(found)}`).to.equal(0);
  });
});

describe("architecture: the import-cycle finder", () => {
  const graphOf = (sources: Record<string, string>) => importGraph(Object.keys(sources).sort(), (f) => sources[f]);
  const paths = (cycles: ImportCycle[]) => cycles.map((c) => c.path);

  it("names a cycle through three files, and only the files on it", () => {
    const cycles = importCycles(
      graphOf({
        "server/a.ts": `import { b } from "./b.js";`,
        "server/b.ts": `export { c } from "./sub/c.js";`,
        "server/sub/c.ts": `import "../a.js"; import { d } from "../d.js";`,
        "server/d.ts": `export const d = 1;`,
      }),
    );
    expect(paths(cycles)).to.deep.equal([["server/a.ts", "server/b.ts", "server/sub/c.ts", "server/a.ts"]]);
    expect(describeCycles(cycles)).to.equal("  server/a.ts → server/b.ts → server/sub/c.ts → server/a.ts");
  });

  it("counts a dynamic import and a file that imports itself", () => {
    const cycles = importCycles(
      graphOf({
        "server/a.ts": `export async function f() { return import("./b.js"); }`,
        "server/b.ts": `import { f } from "./a.js";`,
        "server/self.ts": `import * as me from "./self.js";`,
      }),
    );
    expect(paths(cycles)).to.deep.equal([
      ["server/a.ts", "server/b.ts", "server/a.ts"],
      ["server/self.ts", "server/self.ts"],
    ]);
  });

  it("names every file of a tangle of two cycles", () => {
    const cycles = importCycles(
      graphOf({
        "server/a.ts": `import "./b.js"; import "./c.js";`,
        "server/b.ts": `import "./a.js";`,
        "server/c.ts": `import "./a.js";`,
      }),
    );
    expect(describeCycles(cycles)).to.equal("  server/a.ts → server/b.ts → server/a.ts (tangled with server/c.ts)");
  });

  it("finds a cycle between rooms that no two files make", () => {
    const graph = graphOf({
      "server/pages/a.ts": `import "../routes/b.js";`,
      "server/routes/b.ts": `import "../pages/c.js";`,
      "server/pages/c.ts": "",
      "server/config.ts": "",
    });
    expect(importCycles(graph)).to.deep.equal([]);
    expect(paths(importCycles(roomGraph(graph)))).to.deep.equal([["server/pages", "server/routes", "server/pages"]]);
  });

  it("ignores type-only imports but not a mixed one", () => {
    const specs = moduleSpecifiers(
      "x.ts",
      [
        `import type { A } from "./typeOnly.js";`,
        `import { type B, type C } from "./allTypes.js";`,
        `export type { D } from "./typeExport.js";`,
        `import { type E, f } from "./mixed.js";`,
        `import G from "./default.js";`,
      ].join("\n"),
    );
    expect(specs).to.deep.equal(["./mixed.js", "./default.js"]);
  });

  it("finds no cycle in a graph without one", () => {
    const cycles = importCycles(
      graphOf({ "server/a.ts": `import "./b.js";`, "server/b.ts": `import "./c.js";`, "server/c.ts": "" }),
    );
    expect(cycles).to.deep.equal([]);
  });
});
