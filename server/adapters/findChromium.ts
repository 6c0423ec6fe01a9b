/**
 * Which browser renders PDFs: CHROMIUM_PATH when set (and then only that one), else a system
 * Chromium or Chrome, else the Chromium shipped through npm (unpacked on first launch).
 */
import { accessSync, constants, statSync } from "node:fs";
import { findBundledChromium, unpackBundledChromium, type BrowserLaunch } from "./bundledChromium.js";

/** Where we look for a system browser. */
export const SYSTEM_CHROMIUM_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/opt/google/chrome/chrome",
];

/**
 * Finds a system Chromium/Chrome executable: the override first, then the usual install paths.
 * Never throws: without a browser the app still starts and reports `reason`.
 */
export function findChromium(
  options: { override?: string; candidates?: string[] } = {},
): { path: string } | { path: null; reason: string } {
  const tried: string[] = [];
  const list = [...(options.override ? [options.override] : []), ...(options.candidates ?? SYSTEM_CHROMIUM_PATHS)];
  for (const path of list) {
    tried.push(path);
    if (isExecutableFile(path)) return { path };
  }
  const why = options.override
    ? `the configured browser ${options.override} is not executable`
    : "no Chromium or Chrome found";
  return {
    path: null,
    reason: `${why} (tried ${tried.join(", ")}); official documents cannot be rendered until one is installed`,
  };
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The chosen browser: a way to launch it, or why there is none. */
export type ChromiumChoice =
  | { launch: () => Promise<BrowserLaunch>; description: string; source: BrowserLaunch["source"] }
  | { launch: null; reason: string };

/**
 * Chooses the browser. `override` (CHROMIUM_PATH) is used alone and must be an executable file;
 * `source` limits the search to the system browsers or to the npm one (`auto`: system first), or
 * turns documents off (`none`).
 * The npm Chromium is unpacked into `cacheDir` on the first launch, not here.
 * @throws Error when `override` is set but is not an executable file.
 */
export function chooseChromium(options: {
  override?: string;
  source?: "auto" | "system" | "bundled" | "none";
  cacheDir: string;
  candidates?: string[];
  logger?: { info(obj: object, msg?: string): void };
}): ChromiumChoice {
  if (options.override) {
    const file = options.override;
    if (!isExecutableFile(file)) throw new Error(`CHROMIUM_PATH ${file} is not an executable file`);
    return {
      launch: async () => ({ executablePath: file, source: "configured" }),
      description: file,
      source: "configured",
    };
  }
  const source = options.source ?? "auto";
  if (source === "none") return { launch: null, reason: "PDF rendering is turned off (CHROMIUM_SOURCE=none)" };
  const reasons: string[] = [];
  if (source !== "bundled") {
    const found = findChromium({ candidates: options.candidates });
    if (found.path !== null) {
      const file = found.path;
      return { launch: async () => ({ executablePath: file, source: "system" }), description: file, source: "system" };
    }
    reasons.push(`no system Chromium (tried ${(options.candidates ?? SYSTEM_CHROMIUM_PATHS).join(", ")})`);
  }
  if (source !== "system") {
    const bundled = findBundledChromium();
    if (bundled.version !== null) {
      const b = bundled;
      return {
        launch: () => unpackBundledChromium(b, options.cacheDir, options.logger),
        description: `npm Chromium ${b.version} (unpacked into ${options.cacheDir})`,
        source: "bundled",
      };
    }
    reasons.push(bundled.reason);
  }
  return {
    launch: null,
    reason: `${reasons.join("; ")}; official documents cannot be rendered until a browser is available`,
  };
}
