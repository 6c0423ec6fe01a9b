/**
 * The two rooms guarded by import allow-lists (eslint-rules/allowedImports.js, configured in
 * eslint.config.js): fixture files under test/lint/fixtures are linted with the repository's own
 * configuration as if they sat at their mirrored path (fixtures/server/http/routes/x.ts.txt is
 * linted as server/http/routes/x.ts). A line marked `// forbidden` must be reported; nothing else.
 */
import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const fixtures = path.join(root, "test", "lint", "fixtures");

// The fixtures are not part of the TypeScript project: lint them without type information (the
// import rule needs none) and without the one rule that does.
const eslint = new ESLint({
  cwd: root,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { "@typescript-eslint/no-floating-promises": "off" },
  },
});

/** Lints a fixture at its mirrored path; returns its problems and the lines marked forbidden. */
async function lintFixture(name: string) {
  const text = fs.readFileSync(path.join(fixtures, name), "utf8");
  const filePath = path.join(root, name.replace(/\.txt$/, ""));
  const [result] = await eslint.lintText(text, { filePath });
  const marked = text
    .split("\n")
    .map((line, i) => (line.includes("// forbidden") ? i + 1 : 0))
    .filter(Boolean);
  return { messages: result.messages, marked };
}

describe("lint: the import allow-lists", function () {
  this.timeout(60_000);

  it("refuses a route that imports the database, the engine's internals or anything off the list", async () => {
    const { messages, marked } = await lintFixture("server/http/routes/forbidden.ts.txt");
    expect(marked.length).to.be.greaterThan(10);
    expect(messages.map((m) => m.ruleId)).to.satisfy((ids: string[]) =>
      ids.every((id) => id === "local/allowed-imports"),
    );
    expect(messages.every((m) => m.severity === 2)).to.equal(true);
    expect(messages.map((m) => m.line)).to.deep.equal(marked);
    expect(messages[0].message).to.include("drizzle-orm").and.include("server/queries");
  });

  it("lets a route import express, zod, multer, Node built-ins, commands, queries, presenters, policies, errors, config, words and types", async () => {
    const { messages } = await lintFixture("server/http/routes/allowed.ts.txt");
    expect(messages).to.deep.equal([]);
  });

  it("refuses a machine file that imports anything but xstate and its own folder, types included", async () => {
    const { messages, marked } = await lintFixture("workflows/assignment/forbidden.ts.txt");
    expect(marked.length).to.be.greaterThan(6);
    expect(messages.every((m) => m.ruleId === "local/allowed-imports" && m.severity === 2)).to.equal(true);
    expect(messages.map((m) => m.line)).to.deep.equal(marked);
  });

  it("lets a machine file import xstate and the workflows' own files", async () => {
    const { messages } = await lintFixture("workflows/assignment/allowed.ts.txt");
    expect(messages).to.deep.equal([]);
  });
});
