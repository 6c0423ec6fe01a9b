/**
 * The rule that picks the test files `npm test` runs again on PostgreSQL (test/support/databaseTests.ts):
 * every file that touches the database is picked; one that is left out runs on PGlite only, so it
 * must not reach a database in any way the rule cannot see.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseTestFiles, testFiles } from "../support/databaseTests.js";
import { sourceFiles } from "../support/importGraph.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

describe("architecture: the test files run on both databases", () => {
  const all = testFiles(root);
  const picked = databaseTestFiles(root);
  const left = all.filter((f) => !picked.includes(f));
  const helpers = sourceFiles(root, ["test"]).filter((f) => !f.endsWith(".test.ts"));

  it("picks the files that use the database, directly, through helpers or through processes they start", () => {
    expect(picked).to.include.members([
      "test/http/lifecycle.test.ts", // createWorld
      "test/documents/wording.test.ts", // createWorld, through test/support/testApp.ts
      "test/db/queryPlans.test.ts",
      "test/ops/backup.test.ts", // freshDatabaseUrl for the processes it starts
      "test/mail/crash.test.ts",
      "test/runtime/databaseOutage.test.ts",
    ]);
    expect(picked.length).to.be.greaterThan(50);
  });

  it("leaves out the files that do the same on either database", () => {
    expect(left).to.include.members([
      "test/workflows/assignmentMachine.test.ts",
      "test/annualPlan/planDocuments.test.ts",
      "test/browser/walkthrough.test.ts",
      "test/browser/phone.test.ts",
      "test/documents/pdf.test.ts",
      "test/words/catalogue.test.ts",
    ]);
  });

  it("leaves out no file that opens a database, starts TVPB on DATABASE_URL or starts a process that reads it", () => {
    const opens = /\b(createWorld|testDatabase|freshDatabaseUrl|openDatabase|DATABASE_URL)\b/;
    for (const file of left) {
      const text = fs.readFileSync(path.join(root, file), "utf8");
      expect(opens.test(text), `${file} uses a database`).to.equal(false);
      // A browser test starts TVPB on its own embedded database, never on the run's.
      if (/\bstartTvpb\(/.test(text)) expect(text, file).to.match(/databaseUrl: undefined/);
      // A script it starts by name (a fixture under test/) must not reach one either.
      for (const [, name] of text.matchAll(/"([\w.-]+\.ts)"/g))
        for (const helper of helpers.filter((h) => path.basename(h) === name))
          expect(opens.test(fs.readFileSync(path.join(root, helper), "utf8")), helper).to.equal(false);
    }
  });

  it("follows imports through helpers to test/support/db.ts, and can leave a file out", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-dbtests-"));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    try {
      write("test/support/db.ts", "export const testDatabase = () => 1;\n");
      write("test/support/world.ts", 'import { testDatabase } from "./db.js";\nexport const w = testDatabase;\n');
      write("test/http/a.test.ts", 'import { w } from "../support/world.js";\nw();\n');
      write("test/http/b.test.ts", 'import type { w } from "../support/world.js";\nexport type B = typeof w;\n');
      write("test/ops/c.test.ts", "const url = process.env.DATABASE_URL;\n");
      write("test/pure/d.test.ts", 'import fs from "node:fs";\nfs.existsSync(".");\n');
      write("server/x.ts", "export const x = 1;\n");
      write("workflows/y.ts", "export const y = 1;\n");
      write("scripts/z.ts", "export const z = 1;\n");
      expect(databaseTestFiles(dir)).to.deep.equal(["test/http/a.test.ts", "test/ops/c.test.ts"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
