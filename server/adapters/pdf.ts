/**
 * PDF rendering with headless Chromium (puppeteer-core): one browser, a bounded pool of reused
 * pages, a timeout per render, automatic relaunch after a crash, and pages with no network at all.
 * A4 portrait; margins and page numbers come from CSS `@page` rules this adapter injects, so the
 * page numbers are set in the document's own embedded font (no system font reaches the PDF).
 */
import { accessSync, constants } from "node:fs";
import type { Browser, BrowserContext, HTTPRequest, Page } from "puppeteer-core";
import { EffectError } from "../errors.js";
import { DOCUMENT_FONT_FAMILY } from "../documents/fonts.js";
import { appendPdfInfo, type PdfInfoUpdate } from "../documents/pdfInfo.js";

/** Where we look for a browser, after an explicit override. */
const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/opt/google/chrome/chrome",
];

/** Flags for a headless browser in a closed network, possibly as root in a container. */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  "--disable-default-apps",
  "--disable-extensions",
  "--font-render-hinting=none",
  "--mute-audio",
  // Belt and braces for "no network": every connection the browser might open (including
  // preconnects that request interception never sees) goes to a closed local port.
  "--proxy-server=http://127.0.0.1:9",
  "--proxy-bypass-list=<-loopback>",
];

/**
 * Finds a Chromium/Chrome executable: the override (from config, e.g. CHROMIUM_PATH) first, then
 * the usual install paths. Never throws: without a browser the app still starts and reports
 * `reason` (documents wait until a browser is installed).
 */
export function findChromium(
  options: { override?: string; candidates?: string[] } = {},
): { path: string } | { path: null; reason: string } {
  const tried: string[] = [];
  const list = [...(options.override ? [options.override] : []), ...(options.candidates ?? CANDIDATES)];
  for (const path of list) {
    tried.push(path);
    try {
      accessSync(path, constants.X_OK);
      return { path };
    } catch {
      // Not there or not executable; try the next one.
    }
  }
  const why = options.override
    ? `the configured browser ${options.override} is not executable`
    : "no Chromium or Chrome found";
  return {
    path: null,
    reason: `${why} (tried ${tried.join(", ")}); official documents cannot be rendered until one is installed`,
  };
}

/** Page margins in millimetres. */
export interface PdfMargins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Decree 30 defaults: top 20, bottom 20, left 30, right 15 mm. */
export const DEFAULT_MARGINS: PdfMargins = { top: 20, bottom: 20, left: 30, right: 15 };

export interface PdfMetadata {
  title: string;
  subject?: string;
  author?: string;
  keywords?: string[];
  /** Creation date written to the Info dictionary; Chromium's own when absent. */
  createdAt?: Date;
}

export interface PdfRenderOptions {
  margins?: Partial<PdfMargins>;
  metadata?: PdfMetadata;
  /** Page numbers centred in the top margin from page 2 on (Decree 30). Default true. */
  pageNumbers?: boolean;
}

/** The subset of a pino logger this adapter uses. */
export interface PdfLogger {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PdfRenderer {
  /**
   * Renders a complete HTML page to an A4 PDF. Retries once on a new browser when the browser
   * dies mid-render.
   * @throws EffectError `render_timeout` (retryable) when it takes longer than `timeoutMs`;
   *   `browser_unavailable` when Chromium cannot start; `browser_crashed` when it dies twice;
   *   `render_failed` for other page errors; `renderer_closed` (permanent) after close().
   */
  render(html: string, options?: PdfRenderOptions): Promise<Buffer>;
  /** Closes the browser; pending and later renders fail with `renderer_closed`. */
  close(): Promise<void>;
  /** The browser's process id, when one is running (for health checks and tests). */
  browserPid(): number | undefined;
}

interface Slot {
  context: BrowserContext;
  page: Page;
  generation: number;
}

/** Marks a failure caused by the browser going away, which earns one retry. */
class BrowserGone extends Error {}

/** Only inline resources may load: the document carries its fonts and images as data: URLs. */
function allowOnlyInline(request: HTTPRequest): void {
  const url = request.url();
  if (url.startsWith("data:") || url.startsWith("about:")) void request.continue().catch(() => undefined);
  else void request.abort("blockedbyclient").catch(() => undefined);
}

function pageCss(margins: PdfMargins, pageNumbers: boolean, fontFamily: string): string {
  const numbers = pageNumbers
    ? `@top-center{content:counter(page);font-family:"${fontFamily}";font-size:13pt;color:#000;vertical-align:middle;}`
    : "";
  return (
    `@page{size:A4 portrait;margin:${margins.top}mm ${margins.right}mm ${margins.bottom}mm ` +
    `${margins.left}mm;${numbers}}` +
    (pageNumbers ? `@page:first{@top-center{content:none;}}` : "")
  );
}

/** Only inline and data: resources; nothing may be fetched, framed or connected to. */
const CSP =
  "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline' data:; " +
  "script-src 'unsafe-inline'; connect-src 'none'; frame-src 'none'; form-action 'none'";

function injectHead(html: string, css: string): string {
  const csp = `<meta http-equiv="Content-Security-Policy" content="${CSP}">`;
  const style = `<style data-tvpb="page">${css}</style>`;
  const open = /<head[^>]*>/i.exec(html);
  if (!open) return csp + style + html;
  const at = open.index + open[0].length;
  return html.slice(0, at) + csp + html.slice(at).replace(/<\/head>/i, `${style}</head>`);
}

/**
 * Creates the renderer. The browser starts lazily on the first render, so the app can boot (and
 * report why documents wait) without one.
 */
export function createPdfRenderer(options: {
  executablePath: string;
  poolSize?: number;
  timeoutMs?: number;
  logger?: PdfLogger;
  fontFamily?: string;
}): PdfRenderer {
  const poolSize = Math.max(1, options.poolSize ?? 2);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.logger;
  const fontFamily = options.fontFamily ?? DOCUMENT_FONT_FAMILY;

  let browser: Browser | null = null;
  let launching: Promise<Browser> | null = null;
  let generation = 0;
  let closed = false;
  let idle: Slot[] = [];
  let permits = poolSize;
  const waiters: Array<() => void> = [];

  async function acquirePermit(): Promise<void> {
    if (permits > 0) {
      permits--;
      return;
    }
    await new Promise<void>((resolve) => waiters.push(resolve));
  }

  function releasePermit(): void {
    const next = waiters.shift();
    if (next) next();
    else permits++;
  }

  async function getBrowser(): Promise<{ browser: Browser; generation: number }> {
    if (closed) throw new EffectError("Bộ dựng PDF đã đóng.", true, "renderer_closed");
    if (browser?.connected) return { browser, generation };
    if (!launching) {
      launching = (async () => {
        try {
          const { default: puppeteer } = await import("puppeteer-core"); // loaded on first render: start-up time
          const b = await puppeteer.launch({
            executablePath: options.executablePath,
            headless: true,
            args: CHROMIUM_ARGS,
            protocolTimeout: Math.max(timeoutMs * 2, 60_000),
          });
          generation++;
          const mine = generation;
          b.once("disconnected", () => {
            if (browser === b) {
              browser = null;
              idle = [];
              if (!closed)
                log?.warn(
                  { event: "pdf.browser.disconnected", generation: mine },
                  "Chromium disconnected; it will be relaunched",
                );
            }
          });
          browser = b;
          log?.info({ event: "pdf.browser.launched", pid: b.process()?.pid, generation: mine }, "Chromium started");
          return b;
        } catch (err) {
          log?.error({ event: "pdf.browser.launch_failed", err }, "Chromium failed to start");
          throw new EffectError(
            `Không khởi động được Chromium: ${(err as Error).message}`,
            false,
            "browser_unavailable",
          );
        } finally {
          launching = null;
        }
      })();
    }
    const b = await launching;
    return { browser: b, generation };
  }

  async function newSlot(b: Browser, gen: number): Promise<Slot> {
    // Each page gets its own browser context, hence its own renderer process: a hung page can be
    // thrown away without taking the others with it.
    const context = await b.createBrowserContext();
    const page = await context.newPage();
    await page.setRequestInterception(true);
    page.on("request", allowOnlyInline);
    await page.setOfflineMode(true);
    return { context, page, generation: gen };
  }

  function discard(slot: Slot): void {
    // A hung renderer may never answer; do not wait for it.
    void slot.context.close().catch(() => undefined);
  }

  async function takeSlot(b: Browser, gen: number): Promise<Slot> {
    while (idle.length > 0) {
      const slot = idle.pop()!;
      if (slot.generation === gen && !slot.page.isClosed()) return slot;
      discard(slot);
    }
    return newSlot(b, gen);
  }

  async function renderOnce(html: string, opts: PdfRenderOptions, attempt: number): Promise<Buffer> {
    await acquirePermit();
    let slot: Slot | undefined;
    let healthy = false;
    const started = Date.now();
    let gen = 0;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      const got = await getBrowser();
      gen = got.generation;
      const margins = { ...DEFAULT_MARGINS, ...opts.margins };
      const content = injectHead(html, pageCss(margins, opts.pageNumbers ?? true, fontFamily));
      const work = (async () => {
        const taken = await takeSlot(got.browser, gen);
        // A slot that arrives after the timeout would never be released: drop it.
        if (timedOut) {
          discard(taken);
          throw new EffectError("late page after timeout", false, "render_timeout");
        }
        slot = taken;
        log?.debug?.({ event: "pdf.render.started", attempt, generation: gen }, "rendering PDF");
        await slot.page.setContent(content, { waitUntil: "load", timeout: 0 });
        // page.pdf() already waits for document.fonts.ready (waitForFonts); waiting here too cost a round trip.
        const pdf = await slot.page.pdf({
          preferCSSPageSize: true,
          printBackground: true,
          waitForFonts: true,
          timeout: 0,
        });
        return Buffer.from(pdf);
      })();
      work.catch(() => undefined);
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new EffectError(`Dựng PDF quá ${timeoutMs} ms.`, false, "render_timeout"));
        }, timeoutMs);
      });
      const pdf = await Promise.race([work, timeout]);
      healthy = true;
      log?.debug?.({ event: "pdf.render.done", ms: Date.now() - started, bytes: pdf.length }, "PDF rendered");
      return await applyPdfMetadata(pdf, opts.metadata, log);
    } catch (err) {
      if (err instanceof EffectError && err.code === "render_timeout") {
        log?.warn({ event: "pdf.render.timeout", ms: Date.now() - started }, "PDF render timed out; page recycled");
        throw err;
      }
      if (err instanceof EffectError) throw err;
      if (closed) throw new EffectError("Bộ dựng PDF đã đóng.", true, "renderer_closed");
      if (gen !== generation || !browser || !browser.connected) {
        throw new BrowserGone((err as Error).message);
      }
      log?.warn({ event: "pdf.render.failed", err }, "PDF render failed");
      throw new EffectError(`Dựng PDF thất bại: ${(err as Error).message}`, false, "render_failed");
    } finally {
      clearTimeout(timer);
      if (slot) {
        if (healthy && slot.generation === generation && browser?.connected) idle.push(slot);
        else discard(slot);
      }
      releasePermit();
    }
  }

  return {
    async render(html, opts = {}) {
      try {
        return await renderOnce(html, opts, 1);
      } catch (err) {
        if (!(err instanceof BrowserGone)) throw err;
        log?.warn({ event: "pdf.render.retry", reason: err.message }, "browser died mid-render; retrying once");
        try {
          return await renderOnce(html, opts, 2);
        } catch (again) {
          if (again instanceof BrowserGone) {
            throw new EffectError(`Chromium dừng đột ngột: ${again.message}`, false, "browser_crashed");
          }
          throw again;
        }
      }
    },
    async close() {
      closed = true;
      const b = browser ?? (launching ? await launching.catch(() => null) : null);
      browser = null;
      idle = [];
      if (b) await b.close().catch(() => undefined);
    },
    browserPid() {
      return browser?.connected ? browser.process()?.pid : undefined;
    },
  };
}

/**
 * Writes the Vietnamese Info fields, /Lang vi-VN and Creator/Producer. Normally as an incremental
 * update appended to Chromium's bytes (server/documents/pdfInfo.ts, about a millisecond);
 * for a PDF whose structure that does not understand, by rewriting the whole file with pdf-lib
 * (tens of milliseconds). Both keep a classic xref table, which signing needs. Exported for tests.
 */
export async function applyPdfMetadata(
  pdf: Buffer,
  metadata: PdfMetadata | undefined,
  log: PdfLogger | undefined,
): Promise<Buffer> {
  const update: PdfInfoUpdate = { lang: "vi-VN", creator: "TVPB" };
  if (metadata) {
    update.title = metadata.title;
    update.displayDocTitle = true;
    update.subject = metadata.subject || undefined;
    update.author = metadata.author || undefined;
    update.keywords = metadata.keywords?.length ? metadata.keywords.join(" ") : undefined;
    update.creationDate = metadata.createdAt;
    update.modDate = metadata.createdAt;
  }
  try {
    return appendPdfInfo(pdf, { ...update, producer: "TVPB (Chromium)" });
  } catch (err) {
    log?.warn(
      { event: "pdf.metadata.fallback", reason: (err as Error).message },
      "PDF not updatable in place; rewriting it with pdf-lib",
    );
    return withPdfLib(pdf, { ...update, producer: "TVPB (Chromium, pdf-lib)" });
  }
}

/** The fallback: pdf-lib loads and re-saves the whole PDF (imported only when needed). */
async function withPdfLib(pdf: Buffer, update: PdfInfoUpdate): Promise<Buffer> {
  const { PDFDocument } = await import("pdf-lib");
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  if (update.title !== undefined) doc.setTitle(update.title, { showInWindowTitleBar: update.displayDocTitle ?? false });
  if (update.subject !== undefined) doc.setSubject(update.subject);
  if (update.author !== undefined) doc.setAuthor(update.author);
  if (update.keywords !== undefined) doc.setKeywords([update.keywords]);
  if (update.creationDate) doc.setCreationDate(update.creationDate);
  if (update.modDate) doc.setModificationDate(update.modDate);
  if (update.lang !== undefined) doc.setLanguage(update.lang);
  if (update.creator !== undefined) doc.setCreator(update.creator);
  if (update.producer !== undefined) doc.setProducer(update.producer);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
