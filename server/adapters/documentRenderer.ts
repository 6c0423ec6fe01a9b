/**
 * The PDF renderer a TVPB process uses, set up at start-up: the browser chosen (CHROMIUM_PATH, a
 * system Chromium, or the one shipped through npm), browsers left by a crashed predecessor reaped,
 * and readiness that /readyz reports. Without any browser TVPB still starts; documents wait.
 */
import path from "node:path";
import type { Config } from "../config.js";
import { createBrowserRegistry } from "./browserReaper.js";
import { chooseChromium } from "./findChromium.js";
import { createPdfRenderer, type PdfLogger, type PdfRenderer } from "./pdf.js";

/** The renderer (null without a browser) and why documents are not ready now (null when they are). */
export type DocumentRendering = { renderer: PdfRenderer | null; unavailableReason: () => string | null };

/** Where a process writes down the browsers it launched (see browserReaper.ts). */
export const browserRegistryDir = (dataDir: string) => path.join(dataDir, "run", "browsers");

/**
 * Chooses the browser, reaps browsers of dead TVPB processes in this data directory, and creates
 * the renderer (its browser starts on the first render or readiness check).
 * @throws Error when CHROMIUM_PATH is set but is not an executable file.
 */
export function startDocumentRendering(
  config: Pick<
    Config,
    "dataDir" | "chromiumPath" | "chromiumSource" | "chromiumCacheDir" | "renderTimeoutMs" | "rendererNice"
  >,
  logger: PdfLogger,
  poolSize = 2,
): DocumentRendering {
  const choice = chooseChromium({
    override: config.chromiumPath,
    source: config.chromiumSource,
    cacheDir: config.chromiumCacheDir,
    logger,
  });
  const registry = createBrowserRegistry(browserRegistryDir(config.dataDir), logger);
  registry.reap();
  if (choice.launch === null) {
    logger.warn(
      { event: "documents.unavailable", reason: choice.reason },
      `official documents cannot be rendered: ${choice.reason}`,
    );
    return { renderer: null, unavailableReason: () => choice.reason };
  }
  logger.info(
    { event: "documents.browser", source: choice.source, browser: choice.description },
    `documents are rendered with ${choice.description}`,
  );
  const renderer = createPdfRenderer({
    launch: choice.launch,
    poolSize,
    timeoutMs: config.renderTimeoutMs,
    nice: config.rendererNice,
    logger,
    registry,
  });
  return { renderer, unavailableReason: () => renderer.unavailableReason() };
}
