/**
 * The Chromium shipped through npm (`@sparticuz/chromium`, Linux x64): a brotli-compressed
 * headless shell plus the few shared libraries it links (NSS, NSPR, expat). It is unpacked once
 * into a cache directory (about 200 MB, ~15 s of CPU) and reused by every later start; several
 * processes unpacking at once each write a private folder and the first rename wins.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createBrotliDecompress } from "node:zlib";
import { extractTar } from "./extractTar.js";

/** How to start a browser: the program, and what it needs in its environment. */
export type BrowserLaunch = {
  executablePath: string;
  /** Extra environment for the browser process (library and font paths of the npm Chromium). */
  env?: Record<string, string>;
  /** Where it came from, for logs and /readyz. */
  source: "configured" | "system" | "bundled";
};

/** The installed npm package, if it can run here. */
export type BundledChromium = { version: string; binDir: string } | { version: null; reason: string };

/** Finds `@sparticuz/chromium` in node_modules; it runs only on Linux x64. Never throws. */
export function findBundledChromium(): BundledChromium {
  if (process.platform !== "linux" || process.arch !== "x64")
    return {
      version: null,
      reason: `the npm Chromium runs on Linux x64 only (this is ${process.platform} ${process.arch})`,
    };
  try {
    const entry = createRequire(import.meta.url).resolve("@sparticuz/chromium");
    const { dir, version } = packageRoot(entry);
    const binDir = path.join(dir, "bin");
    if (!existsSync(path.join(binDir, "chromium.br")))
      return { version: null, reason: `the npm Chromium package has no chromium.br in ${binDir}` };
    return { version, binDir };
  } catch {
    return { version: null, reason: "the npm package @sparticuz/chromium is not installed (run npm ci)" };
  }
}

/** The package's own folder (build/cjs and build/esm have package.json files of their own). */
function packageRoot(entry: string): { dir: string; version: string } {
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version: string };
    if (pkg.name === "@sparticuz/chromium") return { dir, version: pkg.version };
  }
  throw new Error("package.json of @sparticuz/chromium not found");
}

const unpacking = new Map<string, Promise<BrowserLaunch>>();

/**
 * Unpacks the npm Chromium into `<cacheDir>/<version>` unless it is there already, and says how to
 * launch it. Concurrent calls in one process share one unpack.
 * @throws Error when the cache directory cannot be written or the archive is damaged.
 */
export function unpackBundledChromium(
  bundled: { version: string; binDir: string },
  cacheDir: string,
  log?: { info(obj: object, msg?: string): void },
): Promise<BrowserLaunch> {
  const target = path.join(cacheDir, bundled.version);
  let job = unpacking.get(target);
  if (!job) {
    job = unpackOnce(bundled.binDir, target, log).finally(() => unpacking.delete(target));
    unpacking.set(target, job);
  }
  return job;
}

async function unpackOnce(
  binDir: string,
  target: string,
  log?: { info(obj: object, msg?: string): void },
): Promise<BrowserLaunch> {
  if (!existsSync(path.join(target, "chromium"))) {
    const started = Date.now();
    log?.info({ event: "pdf.chromium.unpacking", target }, "unpacking the npm Chromium (once, about 15 s)");
    mkdirSync(path.dirname(target), { recursive: true });
    const tmp = mkdtempSync(path.join(path.dirname(target), ".unpack-"));
    try {
      await pipeline(
        createReadStream(path.join(binDir, "chromium.br")),
        createBrotliDecompress({ chunkSize: 1 << 21 }),
        createWriteStream(path.join(tmp, "chromium"), { mode: 0o755 }),
      );
      await extractTar(path.join(binDir, "al2023.tar.br"), tmp);
      await extractTar(path.join(binDir, "fonts.tar.br"), tmp);
      await writeFile(path.join(tmp, "fonts.conf"), fontsConf(target));
      await rename(tmp, target).catch((err: NodeJS.ErrnoException) => {
        // Another process finished first: keep theirs.
        if (!existsSync(path.join(target, "chromium"))) throw err;
      });
      log?.info({ event: "pdf.chromium.unpacked", target, ms: Date.now() - started }, "npm Chromium unpacked");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return {
    executablePath: path.join(target, "chromium"),
    source: "bundled",
    env: {
      LD_LIBRARY_PATH: [path.join(target, "lib"), process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
      FONTCONFIG_PATH: target,
    },
  };
}

/** Font configuration for the npm Chromium: its own fonts and the system's, a cache of its own. */
function fontsConf(dir: string): string {
  const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return [
    `<?xml version="1.0"?>`,
    `<!DOCTYPE fontconfig SYSTEM "fonts.dtd">`,
    `<fontconfig>`,
    `  <dir>${xml(path.join(dir, "fonts"))}</dir>`,
    `  <dir>/usr/share/fonts</dir>`,
    `  <cachedir>${xml(path.join(dir, "fontconfig-cache"))}</cachedir>`,
    `</fontconfig>`,
    "",
  ].join("\n");
}
