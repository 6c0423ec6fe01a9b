#!/usr/bin/env node
/**
 * `npm start`: bundles server/main.ts and TVPB's own modules into one ES module with esbuild
 * (about 0.2 s; npm packages stay external) and runs it, so start-up does not pay the TypeScript
 * loader a round trip per module. Each module's `import.meta.url` is replaced by its source
 * file's URL, so paths to templates, migrations and public files resolve as under tsx.
 * The bundle is kept in .build/ with a stamp of what went into it (each source file's size and
 * modification time, tsconfig.json and this script, and the SHA-256 of each file written): a start
 * whose sources are unchanged runs the kept bundle without loading esbuild at all; any change, added
 * import or removed file bundles again.
 * If bundling fails for any reason, it falls back to running the sources through tsx.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import module from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Node 22.1 and later keep V8's compiled code of every module loaded after this line (the bundle, the
// npm packages) in .build/compile-cache, checked against each file's contents: later starts skip
// compiling them. Node 20 has no such cache and starts as before.
module.enableCompileCache?.(path.join(root, ".build", "compile-cache"));
const out = path.join(root, ".build", "server.mjs");
const stampFile = path.join(root, ".build", "server.inputs.json");
/** Files outside the bundle's inputs that change what it holds. */
const buildFiles = [fileURLToPath(import.meta.url), path.join(root, "tsconfig.json")];

/** Size and modification time of each file (relative to the root); null for a file that is gone. */
function stampOf(files) {
  const stamp = {};
  for (const file of files) {
    try {
      const st = statSync(path.resolve(root, file));
      stamp[path.relative(root, path.resolve(root, file))] = [st.size, st.mtimeMs];
    } catch {
      return null;
    }
  }
  return stamp;
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

/** True when the kept bundle is the one the stamp describes, built from exactly the files now on disk. */
function bundleIsCurrent() {
  try {
    const kept = JSON.parse(readFileSync(stampFile, "utf8"));
    for (const [file, sha] of Object.entries(kept.outputs))
      if (sha256(readFileSync(path.join(root, file))) !== sha) return false;
    const now = stampOf(Object.keys(kept.inputs));
    return now !== null && Object.keys(kept.inputs).every((f) => String(kept.inputs[f]) === String(now[f]));
  } catch {
    return false;
  }
}

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
  const started = Date.now();
  const { outputFiles, metafile } = await build({
    entryPoints: { server: path.join(root, "server", "main.ts") },
    outdir: path.dirname(out),
    outExtension: { ".js": ".mjs" },
    // Modules our code imports with import() go into chunks of their own, with the npm packages
    // they import: those load on first use, not at start (one bundle would hoist them to its top).
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    plugins: [ownUrls],
    logLevel: "silent",
    sourcemap: "linked",
    write: false,
    metafile: true,
    absWorkingDir: root,
  });
  const inputs = stampOf([...Object.keys(metafile.inputs), ...buildFiles]);
  // No stamp when a file changed while esbuild ran (the bundle may hold the old text): the next start bundles again.
  const settled = inputs !== null && Object.values(inputs).every(([, mtimeMs]) => mtimeMs < started - 1000);
  // Each file is written aside and renamed into place, the chunks (named by their hash) before the
  // entry: another start (the test suites run two at once) never imports a half-written bundle.
  for (const file of outputFiles) if (file.path !== out) writeAtomically(file.path, file.contents);
  for (const file of outputFiles) if (file.path === out) writeAtomically(file.path, file.contents);
  const outputs = Object.fromEntries(
    outputFiles.filter((f) => f.path.endsWith(".mjs")).map((f) => [path.relative(root, f.path), sha256(f.contents)]),
  );
  if (settled) writeAtomically(stampFile, JSON.stringify({ outputs, inputs }));
  removeOldChunks(new Set(outputFiles.map((f) => f.path)));
}

/** Chunks no longer written, an hour after they were (a process started before may still import one). */
function removeOldChunks(current) {
  const dir = path.join(path.dirname(out), "chunks");
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return; // no chunks at all
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      if (!current.has(file) && statSync(file).mtimeMs < Date.now() - 3600_000) rmSync(file, { force: true });
    } catch {
      // another start removed it first
    }
  }
}

function writeAtomically(file, contents) {
  mkdirSync(path.dirname(file), { recursive: true });
  const aside = `${file}.${process.pid}.tmp`;
  writeFileSync(aside, contents);
  renameSync(aside, file);
}

let bundled = false;
try {
  if (!bundleIsCurrent()) await bundle();
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
