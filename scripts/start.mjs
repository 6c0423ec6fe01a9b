#!/usr/bin/env node
/**
 * `npm start`: bundles server/main.ts and TVPB's own modules into one ES module with esbuild
 * (about 0.2 s; npm packages stay external) and runs it, so start-up does not pay the TypeScript
 * loader a round trip per module. Each module's `import.meta.url` is replaced by its source
 * file's URL, so paths to templates, migrations and public files resolve as under tsx.
 * If bundling fails for any reason, it falls back to running the sources through tsx.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, ".build", "server.mjs");

/** esbuild plugin: each of our TypeScript files keeps its own import.meta.url. */
const ownUrls = {
  name: "own-import-meta-url",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      return {
        contents: source.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href)),
        loader: "ts",
      };
    });
  },
};

async function bundle() {
  const { build } = await import("esbuild");
  mkdirSync(path.dirname(out), { recursive: true });
  const { outputFiles } = await build({
    entryPoints: [path.join(root, "server", "main.ts")],
    outfile: out,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    plugins: [ownUrls],
    logLevel: "silent",
    sourcemap: "linked",
    write: false,
  });
  // Each file is written aside and renamed into place: another start (the test suites run two at
  // once) never imports a half-written bundle.
  for (const file of outputFiles) {
    const aside = `${file.path}.${process.pid}.tmp`;
    writeFileSync(aside, file.contents);
    renameSync(aside, file.path);
  }
}

let bundled = false;
try {
  await bundle();
  bundled = true;
} catch (err) {
  console.error(
    `start: could not bundle the server (${err instanceof Error ? err.message.split("\n")[0] : String(err)}); ` +
      "running it through tsx instead",
  );
  const child = spawn(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "server", "main.ts")], {
    stdio: "inherit",
  });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
if (bundled) await import(pathToFileURL(out).href);
