/**
 * The run's one PDF renderer (one Chromium for every test that only needs *a* browser): started
 * on first use, closed once by the root after-all hook (test/support/hooks.ts). Tests that kill,
 * time out or misconfigure a browser make their own with createPdfRenderer.
 */
import { createPdfRenderer, findChromium, type PdfRenderer } from "../../server/adapters/pdf.js";

let renderer: PdfRenderer | undefined;

/** One renderer for all tests; Chromium must be installed (it is, here and in CI). */
export function sharedRenderer(): PdfRenderer {
  if (!renderer) {
    const found = findChromium();
    if (found.path === null) throw new Error(found.reason);
    renderer = createPdfRenderer({ executablePath: found.path, poolSize: 2, timeoutMs: 90_000 });
  }
  return renderer;
}

/** Closes the shared renderer (a later call to sharedRenderer() starts a new one). */
export async function closeSharedRenderer(): Promise<void> {
  const r = renderer;
  renderer = undefined;
  await r?.close();
}
