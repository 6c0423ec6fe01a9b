// Lint: floating promises everywhere, lines of at most 120 characters, functions of at most 60 lines
// outside tests, and two rooms guarded by allow-lists (eslint-rules/allowedImports.js): workflows/
// stays pure, server/http stays a face.
import tseslint from "typescript-eslint";
import allowedImports from "./eslint-rules/allowedImports.js";

/** server/http may reach the rooms that do the work through their public doors, never the database or the engine. */
export const HTTP_IMPORTS = {
  room: "server/http",
  paths: [
    "server/http/",
    "server/commands/",
    "server/queries/",
    "server/presenters/",
    "server/policies/",
    "server/words/",
    // The one view engine that renders pages from presenters' models.
    "server/views/",
    "server/errors",
    // The organisation's settings with their defaults filled in (pure).
    "server/settings",
    "server/config",
    // The domain's codes and types (pure data, no behaviour).
    "workflows/assignment/types",
  ],
  packages: ["express", "multer", "zod", "handlebars", "node:*"],
  typeOnly: true,
  hint: "Read through server/queries, write through server/commands, check roles with server/policies.",
};

/** workflows/ holds pure machines: xstate and their own files, nothing else (not even types). */
export const WORKFLOW_IMPORTS = {
  room: "workflows",
  paths: ["workflows/"],
  packages: ["xstate"],
  typeOnly: false,
  hint: "Machines are pure: the runtime performs their effects.",
};

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "data/**",
      "docs/**",
      "server/db/migrations/**",
      "**/*.cjs",
      "eslint.config.js",
      "eslint-rules/**",
      "drizzle.config.ts",
    ],
  },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } },
    plugins: { "@typescript-eslint": tseslint.plugin, local: { rules: { "allowed-imports": allowedImports } } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "max-len": ["error", { code: 120, ignoreUrls: true }],
    },
  },
  {
    // Test names are sentences; a long one stays on its line.
    files: ["test/**/*.ts"],
    rules: { "max-len": ["error", { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true }] },
  },
  {
    // Issue 10: small functions, each one step a reader can hold in mind.
    files: ["server/**/*.ts", "workflows/**/*.ts", "scripts/**/*.ts"],
    rules: { "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ["workflows/**/*.ts"],
    rules: { "local/allowed-imports": ["error", WORKFLOW_IMPORTS] },
  },
  {
    files: ["server/http/**/*.ts"],
    rules: { "local/allowed-imports": ["error", HTTP_IMPORTS] },
  },
);
