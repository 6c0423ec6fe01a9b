/**
 * The engine (server/runtime) knows workflows and the database, nothing of the domain: documents,
 * mail, the calendar, records, numbering, reminders and the digest are installed into it at boot
 * (server/server.ts). Checked on the import graph (test/support/importGraph.ts); type-only imports
 * are erased and do not count.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { moduleSpecifiers, sourceFiles } from "../support/importGraph.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** What a file of server/runtime may import: relative paths (resolved from the root) and packages. */
const ALLOWED_PATHS = [
  /^server\/runtime\//,
  /^server\/db\/(connect|schema|retry)\.js$/,
  /^server\/errors\.js$/,
  /^workflows\//,
];
const ALLOWED_PACKAGES = [/^xstate$/, /^drizzle-orm$/, /^node:/];

/** The imports of `files` that are off the lists, as `file: specifier`. */
function forbiddenImports(files: string[], read: (file: string) => string): string[] {
  const bad: string[] = [];
  for (const file of files) {
    for (const spec of moduleSpecifiers(file, read(file))) {
      const ok = spec.startsWith(".")
        ? ALLOWED_PATHS.some((re) => re.test(path.posix.join(path.posix.dirname(file), spec)))
        : ALLOWED_PACKAGES.some((re) => re.test(spec));
      if (!ok) bad.push(`${file}: ${spec}`);
    }
  }
  return bad;
}

describe("architecture: the engine imports no domain code", () => {
  it("keeps server/runtime to itself, the database, errors and workflows", () => {
    const files = sourceFiles(root, ["server/runtime"]);
    expect(files).to.include("server/runtime/applyEvent.ts");
    const bad = forbiddenImports(files, (f) => fs.readFileSync(path.join(root, f), "utf8"));
    expect(bad, `server/runtime imports domain code:\n  ${bad.join("\n  ")}`).to.deep.equal([]);
  });

  it("would refuse an engine file that imports the calendar, mail or a package off the list", () => {
    const bad = forbiddenImports(["server/runtime/x.ts"], () =>
      [
        `import { loadCalendar } from "../calendar/loadCalendar.js";`,
        `import type { Mail } from "../mail/types.js";`,
        `import { queueEffect } from "./queueEffect.js";`,
        `import handlebars from "handlebars";`,
      ].join("\n"),
    );
    expect(bad).to.deep.equal(["server/runtime/x.ts: ../calendar/loadCalendar.js", "server/runtime/x.ts: handlebars"]);
  });
});
