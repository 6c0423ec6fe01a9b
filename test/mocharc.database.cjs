// The PostgreSQL pass of `npm test` (scripts/test.sh): the suite's own settings (.mocharc.json),
// but only the test files named in TVPB_TEST_FILES, one a line (scripts/database-tests.ts lists
// the files that touch the database). Without that list it refuses to run rather than run nothing.
"use strict";
const base = require("../.mocharc.json");

const files = (process.env.TVPB_TEST_FILES || "").split("\n").filter((f) => f.trim());
if (!files.length) throw new Error("TVPB_TEST_FILES is empty: no test files for this run");
module.exports = { ...base, spec: files };
