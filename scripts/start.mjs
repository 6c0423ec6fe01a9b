#!/usr/bin/env node
/**
 * `npm start`: bundles server/main.ts and TVPB's own modules into one ES module with esbuild
 * (about 0.2 s; npm packages stay external) and runs it, so start-up does not pay the TypeScript
 * loader a round trip per module. Each module's `import.meta.url` is replaced by its source
 * file's URL, so paths to templates, migrations and public files resolve as under tsx.
 * The bundle is kept in .build/ with a stamp of what went into it (each source file's size and
 * modification time, tsconfig.json and this script, and the bundle's own SHA-256): a start whose
 * sources are unchanged runs the kept bundle without loading esbuild at all; any change, added
 * import or removed file bundles again.
 * If bundling fails for any reason, it falls back to running the sources through tsx.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
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
    if (sha256(readFileSync(out)) !== kept.bundle) return false;
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
    metafile: true,
    absWorkingDir: root,
  });
  const inputs = stampOf([...Object.keys(metafile.inputs), ...buildFiles]);
  // No stamp when a file changed while esbuild ran (the bundle may hold the old text): the next start bundles again.
  const settled = inputs !== null && Object.values(inputs).every(([, mtimeMs]) => mtimeMs < started - 1000);
  // Each file is written aside and renamed into place: another start (the test suites run two at
  // once) never imports a half-written bundle.
  for (const file of outputFiles) writeAtomically(file.path, file.contents);
  const js = outputFiles.find((f) => f.path === out);
  if (settled && js) writeAtomically(stampFile, JSON.stringify({ bundle: sha256(js.contents), inputs }));
}

function writeAtomically(file, contents) {
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
