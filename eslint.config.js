// Lint: floating promises everywhere; workflows/ stays pure (xstate and its own files only).
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "data/**", "docs/**", "server/db/migrations/**", "**/*.cjs", "eslint.config.js"] },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } },
    plugins: { "@typescript-eslint": tseslint.plugin },
    rules: { "@typescript-eslint/no-floating-promises": "error" },
  },
  {
    files: ["workflows/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", {
        patterns: [
          { group: ["node:*", "fs", "path", "crypto", "http", "https", "net", "child_process"], message: "Machines are pure: no Node built-ins." },
          { group: ["**/server/**", "drizzle-orm", "drizzle-orm/*", "pg", "@electric-sql/*", "nodemailer", "puppeteer-core", "express"], message: "Machines are pure: no I/O." },
        ],
      }],
    },
  },
);
