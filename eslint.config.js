// Lint: floating promises everywhere, lines of at most 120 characters; workflows/ stays pure.
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "data/**",
      "docs/**",
      "server/db/migrations/**",
      "**/*.cjs",
      "eslint.config.js",
      "drizzle.config.ts",
    ],
  },
  {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true } },
    plugins: { "@typescript-eslint": tseslint.plugin },
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
    files: ["workflows/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["node:*", "fs", "path", "crypto", "http", "https", "net", "child_process"],
              message: "Machines are pure: no Node built-ins.",
            },
            {
              group: [
                "**/server/**",
                "drizzle-orm",
                "drizzle-orm/*",
                "pg",
                "@electric-sql/*",
                "nodemailer",
                "puppeteer-core",
                "express",
              ],
              message: "Machines are pure: no I/O.",
            },
          ],
        },
      ],
    },
  },
);
