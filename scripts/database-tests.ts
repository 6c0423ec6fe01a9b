/**
 * Prints the test files that touch the database, one a line: the files `npm test` runs again on
 * PostgreSQL (scripts/test.sh). The rule is in test/support/databaseTests.ts.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { databaseTestFiles } from "../test/support/databaseTests.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.stdout.write(`${databaseTestFiles(root).join("\n")}\n`);
