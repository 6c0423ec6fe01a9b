/**
 * PDF rendering with headless Chromium (puppeteer-core): one browser, a bounded pool of reused
 * pages with JavaScript disabled and no network at all, a deadline per render, a new page after a
 * crashed renderer and a new browser after a crashed or unresponsive one. A4 portrait; margins and
 * page numbers come from CSS `@page` rules this adapter injects, so the page numbers are set in the
 * document's own embedded font (no system font reaches the PDF). Readiness (`unavailableReason`)
 * is proved by a real launch and a one-page render, remembered until the next failure.
 */
import type { Browser, BrowserContext, CDPSession, HTTPRequest, Page } from "puppeteer-core";
import { EffectError } from "../errors.js";
import { DOCUMENT_FONT_FAMILY, DOCUMENT_FONT_ORIGIN, documentFontFile } from "../documents/fonts.js";
import { appendPdfInfo, type PdfInfoUpdate } from "../documents/pdfInfo.js";
import type { BrowserLaunch } from "./bundledChromium.js";
import { killGroup, type BrowserRegistry } from "./browserReaper.js";
import { lowerGroupPriority } from "./processPriority.js";

export { findChromium } from "./findChromium.js";

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

/** Page margins in millimetres. */
export interface PdfMargins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Decree 30 defaults: top 20, bottom 20, left 30, right 15 mm. */
export const DEFAULT_MARGINS: PdfMargins = { top: 20, bottom: 20, left: 30, right: 15 };

/** PDF Info fields. */
export interface PdfMetadata {
  title: string;
  subject?: string;
  author?: string;
  keywords?: string[];
  /** Creation date written to the Info dictionary; Chromium's own when absent. */
  createdAt?: Date;
}

/** Options of one render. */
export interface PdfRenderOptions {
  margins?: Partial<PdfMargins>;
  metadata?: PdfMetadata;
  /** Page numbers centred in the top margin from page 2 on (Decree 30). Default true. */
  pageNumbers?: boolean;
  /** This render's deadline in ms, instead of the renderer's. */
  deadlineMs?: number;
}

/** The subset of a pino logger this adapter uses. */
export interface PdfLogger {
  debug?(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Turns HTML into PDF bytes; see createPdfRenderer. */
export interface PdfRenderer {
  /**
   * Renders a complete HTML page to an A4 PDF, with scripts disabled. Retries once on a new page
   * or browser when the renderer or the browser dies mid-render.
   * @throws EffectError `render_timeout` (retryable) past the deadline; `browser_unavailable` when
   *   Chromium cannot start; `browser_crashed` when it dies twice; `render_failed` for other page
   *   errors; `renderer_closed` (permanent) after close().
   */
  render(html: string, options?: PdfRenderOptions): Promise<Buffer>;
  /** Closes the browser; pending and later renders fail with `renderer_closed`. */
  close(): Promise<void>;
  /** The browser's process id, when one is running (for health checks and tests). */
  browserPid(): number | undefined;
  /**
   * Null once a launch and a render have succeeded and nothing failed since; otherwise why
   * documents are not ready, and a one-page check is started in the background (at most one).
   */
  unavailableReason(): string | null;
  /** Runs the one-page check now (or joins the running one); resolves to unavailableReason(). */
  check(): Promise<string | null>;
}

/** Options of createPdfRenderer. */
export interface PdfRendererOptions {
  /** A fixed browser program … */
  executablePath?: string;
  /** … or how to get one (the npm Chromium is unpacked on first use). */
  launch?: () => Promise<BrowserLaunch>;
  poolSize?: number;
  /** The deadline of one render, in ms (default 30 s). */
  timeoutMs?: number;
  logger?: PdfLogger;
  fontFamily?: string;
  /** Writes down launched browsers so a later process can reap them after a crash. */
  registry?: BrowserRegistry;
  /**
   * The nice value (0–19) the browser's processes run at, so people's requests get the CPU first
   * (processPriority.ts). Default 0: unchanged.
   */
  nice?: number;
}

interface Slot {
  context: BrowserContext;
  page: Page;
  /** A DevTools session on the page, for printing (see printToPdf). */
  cdp: CDPSession;
  generation: number;
  /** Set when the page's renderer process crashed or was killed. */
  crashed: boolean;
  /** Rejects when that happens, so a render in flight does not wait for its deadline. */
  crash: Promise<never>;
}

/** Marks a failure caused by the browser or the page's renderer going away, which earns one retry. */
class BrowserGone extends Error {}

const closedError = () => new EffectError("Bộ dựng PDF đã đóng.", true, "renderer_closed");

/** How a linked document font is answered: cacheable, so a pooled page asks for each font once. */
const FONT_HEADERS = { "cache-control": "public, max-age=31536000, immutable", "access-control-allow-origin": "*" };

/**
 * Only inline resources and the document fonts may load: images come as data: URLs, fonts as data:
 * URLs or as links under DOCUMENT_FONT_ORIGIN, answered here from memory (never the network). The
 * page's memory cache then keeps them, so later renders on the same pooled page fetch nothing.
 */
function allowOnlyInline(request: HTTPRequest): void {
  const url = request.url();
  const font = documentFontFile(url);
  if (font) {
    const answer = { status: 200, contentType: "font/woff2", headers: FONT_HEADERS, body: font };
    void request.respond(answer).catch(() => undefined);
  } else if (url.startsWith("data:") || url.startsWith("about:")) void request.continue().catch(() => undefined);
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

/** Only data: resources and the document fonts, no script; nothing else may be fetched, framed or connected to. */
const CSP =
  `default-src 'none'; img-src data:; font-src data: ${DOCUMENT_FONT_ORIGIN}; style-src 'unsafe-inline' data:; ` +
  "script-src 'none'; connect-src 'none'; frame-src 'none'; form-action 'none'";

function injectHead(html: string, css: string): string {
  const csp = `<meta http-equiv="Content-Security-Policy" content="${CSP}">`;
  const style = `<style data-tvpb="page">${css}</style>`;
  const open = /<head[^>]*>/i.exec(html);
  if (!open) return csp + style + html;
  const at = open.index + open[0].length;
  return html.slice(0, at) + csp + html.slice(at).replace(/<\/head>/i, `${style}</head>`);
}

/** A counting semaphore: at most `n` renders hold a page at once, the rest wait in order. */
function createPermits(n: number) {
  let permits = n;
  const waiters: Array<() => void> = [];
  return {
    async acquire(): Promise<void> {
      if (permits > 0) {
        permits--;
        return;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    },
    release(): void {
      const next = waiters.shift();
      if (next) next();
      else permits++;
    },
  };
}

/** Rejects with `render_timeout` when `work` takes longer than `ms`; `onTimeout` runs first. */
async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  work.catch(() => undefined);
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new EffectError(`Dựng PDF quá ${ms} ms.`, false, "render_timeout"));
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Launches a browser. @throws EffectError `browser_unavailable` when it cannot start. */
async function launchBrowser(launch: () => Promise<BrowserLaunch>, timeoutMs: number, log?: PdfLogger) {
  try {
    const target = await launch();
    const { default: puppeteer } = await import("puppeteer-core"); // loaded on first render: start-up time
    const b = await puppeteer.launch({
      executablePath: target.executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      protocolTimeout: Math.max(timeoutMs * 2, 60_000),
      // TVPB's own shutdown closes the browser; puppeteer's SIGINT handler would exit the process.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      ...(target.env ? { env: { ...process.env, ...target.env } } : {}),
    });
    return { b, target };
  } catch (err) {
    log?.error({ event: "pdf.browser.launch_failed", err }, "Chromium failed to start");
    throw new EffectError(`Không khởi động được Chromium: ${(err as Error).message}`, false, "browser_unavailable");
  }
}

/** Starts, remembers and replaces the one browser; its generation changes with every launch. */
function createBrowserHolder(o: {
  launch: () => Promise<BrowserLaunch>;
  timeoutMs: number;
  log?: PdfLogger;
  registry?: BrowserRegistry;
  nice: number;
  onGone: () => void;
}) {
  let browser: Browser | null = null;
  let launching: Promise<Browser> | null = null;
  let generation = 0;
  let closed = false;

  async function start(): Promise<Browser> {
    const { b, target } = await launchBrowser(o.launch, o.timeoutMs, o.log);
    const mine = ++generation;
    const pid = b.process()?.pid;
    if (pid) o.registry?.record(pid, target.executablePath);
    if (pid) lowerGroupPriority(pid, o.nice);
    b.once("disconnected", () => {
      if (pid) o.registry?.forget(pid);
      if (browser !== b) return;
      browser = null;
      o.onGone();
      if (!closed) o.log?.warn({ event: "pdf.browser.disconnected", generation: mine }, "Chromium went away");
    });
    browser = b;
    o.log?.info({ event: "pdf.browser.launched", pid, generation: mine, source: target.source }, "Chromium started");
    return b;
  }

  return {
    async get(): Promise<{ browser: Browser; generation: number }> {
      if (closed) throw closedError();
      if (browser?.connected) return { browser, generation };
      launching ??= start().finally(() => (launching = null));
      const b = await launching;
      return { browser: b, generation };
    },
    /** Whether the browser of generation `gen` is still the live one. */
    alive: (gen: number) => gen === generation && !!browser?.connected,
    isClosed: () => closed,
    pid: () => (browser?.connected ? browser.process()?.pid : undefined),
    /** Kills the browser of generation `gen` (its whole process group) if it is still the current one. */
    kill(gen: number, reason: string): void {
      const pid = gen === generation ? browser?.process()?.pid : undefined;
      if (!pid) return;
      o.log?.warn({ event: "pdf.browser.killed", pid, reason }, "Chromium killed; the next render starts a new one");
      killGroup(pid);
    },
    async close(): Promise<void> {
      closed = true;
      const b = browser ?? (launching ? await launching.catch(() => null) : null);
      browser = null;
      if (!b) return;
      const pid = b.process()?.pid;
      const done = await Promise.race([b.close().then(() => true), sleep(5000).then(() => false)]).catch(() => false);
      if (!done && pid) killGroup(pid);
    },
  };
}

type BrowserHolder = ReturnType<typeof createBrowserHolder>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Idle pages of the current browser; each page has its own context, hence its own renderer process. */
function createSlots(nice: number) {
  let idle: Slot[] = [];

  async function open(b: Browser, generation: number): Promise<Slot> {
    const context = await b.createBrowserContext();
    const page = await context.newPage();
    const cdp = await page.createCDPSession();
    let crashed!: (err: Error) => void;
    const crash = new Promise<never>((_, reject) => (crashed = reject));
    crash.catch(() => undefined);
    const slot: Slot = { context, page, cdp, generation, crashed: false, crash };
    // "error" is the page's renderer process crashing or being killed.
    page.on("error", (err: Error) => {
      slot.crashed = true;
      crashed(err);
    });
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on("request", allowOnlyInline);
    await page.setOfflineMode(true);
    const pid = b.process()?.pid;
    if (pid) lowerGroupPriority(pid, nice); // the new page's renderer process
    return slot;
  }

  function discard(slot: Slot): void {
    // A hung renderer may never answer; do not wait for it.
    void slot.context.close().catch(() => undefined);
  }

  return {
    discard,
    clear: () => void (idle = []),
    async take(b: Browser, generation: number): Promise<Slot> {
      for (let slot = idle.pop(); slot; slot = idle.pop()) {
        if (slot.generation === generation && !slot.crashed && !slot.page.isClosed()) return slot;
        discard(slot);
      }
      return open(b, generation);
    },
    put(slot: Slot, reusable: boolean): void {
      if (reusable && !slot.crashed && !slot.page.isClosed()) idle.push(slot);
      else discard(slot);
    },
  };
}

/** Readiness: proved by a one-page render, lost by a failure, checked again (at most every 5 s). */
function createReadiness(probe: () => Promise<void>, log?: PdfLogger) {
  let reason: string | null = "checking: launching Chromium and rendering a one-page document";
  let running: Promise<string | null> | null = null;
  let lastCheck = 0;

  function check(): Promise<string | null> {
    lastCheck = Date.now();
    running ??= probe()
      .then(
        () => (reason = null),
        (err: unknown) => {
          reason = `the one-page check failed: ${(err as Error).message}`;
          log?.warn({ event: "pdf.check.failed", reason }, "PDF renderer not ready");
          return reason;
        },
      )
      .finally(() => (running = null));
    return running;
  }

  return {
    check,
    succeeded: () => void (reason = null),
    failed: (why: string) => void (reason = why),
    unavailableReason(): string | null {
      if (reason !== null && !running && Date.now() - lastCheck > 5000) void check();
      return reason;
    },
  };
}

/** Failures that say the renderer itself is unwell (not one document). */
const HEALTH_CODES = new Set(["browser_unavailable", "browser_crashed", "render_timeout"]);

const PROBE_HTML =
  `<!doctype html><html><head><meta charset="utf-8"></head>` + `<body><p>TVPB kiểm tra bộ dựng PDF</p></body></html>`;

/**
 * Creates the renderer. The browser starts lazily on the first render (or readiness check), so the
 * app can boot, and report why documents wait, without one.
 * @throws Error when neither `executablePath` nor `launch` is given.
 */
export function createPdfRenderer(options: PdfRendererOptions): PdfRenderer {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const log = options.logger;
  const fontFamily = options.fontFamily ?? DOCUMENT_FONT_FAMILY;
  const fixed = options.executablePath;
  const launch =
    options.launch ?? (fixed ? async () => ({ executablePath: fixed, source: "configured" as const }) : null);
  if (!launch) throw new Error("createPdfRenderer needs executablePath or launch");
  const permits = createPermits(Math.max(1, options.poolSize ?? 2));
  const nice = options.nice ?? 0;
  const slots = createSlots(nice);
  const holder = createBrowserHolder({ launch, timeoutMs, log, registry: options.registry, nice, onGone: slots.clear });
  const once = renderOnceWith({ holder, slots, permits, timeoutMs, log, fontFamily });

  async function renderWithRetry(html: string, opts: PdfRenderOptions): Promise<Buffer> {
    try {
      return await once(html, opts, 1);
    } catch (err) {
      if (!(err instanceof BrowserGone)) throw err;
      log?.warn({ event: "pdf.render.retry", reason: err.message }, "renderer died mid-render; retrying once");
      try {
        return await once(html, opts, 2);
      } catch (again) {
        if (again instanceof BrowserGone)
          throw new EffectError(`Chromium dừng đột ngột: ${again.message}`, false, "browser_crashed");
        throw again;
      }
    }
  }

  async function render(html: string, opts: PdfRenderOptions = {}): Promise<Buffer> {
    try {
      const pdf = await renderWithRetry(html, opts);
      readiness.succeeded();
      return pdf;
    } catch (err) {
      if (err instanceof EffectError && HEALTH_CODES.has(err.code)) readiness.failed(`${err.code}: ${err.message}`);
      throw err;
    }
  }

  const readiness = createReadiness(async () => {
    const pdf = await render(PROBE_HTML, { pageNumbers: false });
    if (pdf.subarray(0, 5).toString("latin1") !== "%PDF-") throw new Error("the check did not produce a PDF");
  }, log);

  return {
    render,
    close: () => holder.close(),
    browserPid: () => holder.pid(),
    unavailableReason: () => (holder.isClosed() ? "the PDF renderer is closed" : readiness.unavailableReason()),
    check: () => readiness.check(),
  };
}

/** What one render needs from the renderer. */
type RenderDeps = {
  holder: BrowserHolder;
  slots: ReturnType<typeof createSlots>;
  permits: ReturnType<typeof createPermits>;
  timeoutMs: number;
  log?: PdfLogger;
  fontFamily: string;
};

/** One render's progress, shared between its work and its deadline. */
type RenderState = { slot?: Slot; generation: number; timedOut: boolean; started: number };

async function printOnSlot(d: RenderDeps, b: Browser, state: RenderState, content: string, attempt: number) {
  const taken = await d.slots.take(b, state.generation);
  // A page that arrives after the deadline would never be released: drop it.
  if (state.timedOut) {
    d.slots.discard(taken);
    throw new EffectError("late page after timeout", false, "render_timeout");
  }
  state.slot = taken;
  d.log?.debug?.({ event: "pdf.render.started", attempt, generation: state.generation }, "rendering PDF");
  await Promise.race([taken.page.setContent(content, { waitUntil: "load", timeout: 0 }), taken.crash]);
  return await Promise.race([printToPdf(taken), taken.crash]);
}

/**
 * What `page.pdf({ preferCSSPageSize: true, printBackground: true })` asks Chromium for (puppeteer's
 * defaults: tagged for accessibility, no outline, no header or footer; the `@page` rules set size and
 * margins), but with the PDF returned in the answer itself (base64) instead of as a stream, which
 * puppeteer reads back with `IO.read` and `IO.close`: two round trips to the browser fewer per render
 * and no stream to assemble. The bytes are the same.
 */
const PRINT_PARAMS = {
  transferMode: "ReturnAsBase64",
  landscape: false,
  displayHeaderFooter: false,
  headerTemplate: "",
  footerTemplate: "",
  printBackground: true,
  scale: 1,
  paperWidth: 8.5,
  paperHeight: 11,
  marginTop: 0,
  marginBottom: 0,
  marginLeft: 0,
  marginRight: 0,
  pageRanges: "",
  preferCSSPageSize: true,
  generateTaggedPDF: true,
  generateDocumentOutline: false,
} as const;

/** Waits for the page's fonts (as page.pdf's `waitForFonts` does), then prints; see PRINT_PARAMS. */
async function printToPdf(slot: Slot): Promise<Buffer> {
  await slot.page.evaluate(() => document.fonts.ready.then(() => undefined));
  const { data } = await slot.cdp.send("Page.printToPDF", PRINT_PARAMS);
  return Buffer.from(data, "base64");
}

/** After a deadline: a browser that does not answer within 5 s is killed and replaced. */
function checkResponsive(d: RenderDeps, b: Browser, generation: number): void {
  void Promise.race([b.version().then(() => true), sleep(5000).then(() => false)])
    .catch(() => false)
    .then((answered) => {
      if (!answered) d.holder.kill(generation, "no answer after a render deadline");
    });
}

/** Turns a failure into what render() throws: BrowserGone earns a retry. */
function classifyFailure(d: RenderDeps, err: unknown, state: RenderState, b: Browser | null): unknown {
  if (err instanceof EffectError && err.code === "render_timeout") {
    d.log?.warn({ event: "pdf.render.timeout", ms: Date.now() - state.started }, "PDF render over its deadline");
    if (b) checkResponsive(d, b, state.generation);
    return err;
  }
  if (err instanceof EffectError) return err;
  const message = (err as Error).message;
  if (d.holder.isClosed()) return closedError();
  if (!d.holder.alive(state.generation)) return new BrowserGone(message);
  if (state.slot?.crashed || state.slot?.page.isClosed()) return new BrowserGone(`page renderer crashed: ${message}`);
  d.log?.warn({ event: "pdf.render.failed", err }, "PDF render failed");
  return new EffectError(`Dựng PDF thất bại: ${message}`, false, "render_failed");
}

/**
 * One render on one page of the current browser, within the deadline; see PdfRenderer.render. The
 * page goes back to the pool as soon as `page.pdf()` returns: the metadata is written after.
 */
function renderOnceWith(d: RenderDeps) {
  return async function renderOnce(html: string, opts: PdfRenderOptions, attempt: number): Promise<Buffer> {
    await d.permits.acquire();
    const state: RenderState = { generation: 0, timedOut: false, started: Date.now() };
    let healthy = false;
    let browser: Browser | null = null;
    let pdf: Buffer;
    try {
      const got = await d.holder.get();
      browser = got.browser;
      state.generation = got.generation;
      const css = pageCss({ ...DEFAULT_MARGINS, ...opts.margins }, opts.pageNumbers ?? true, d.fontFamily);
      const work = printOnSlot(d, got.browser, state, injectHead(html, css), attempt);
      pdf = await withDeadline(work, opts.deadlineMs ?? d.timeoutMs, () => (state.timedOut = true));
      healthy = true;
      d.log?.debug?.({ event: "pdf.render.done", ms: Date.now() - state.started, bytes: pdf.length }, "PDF rendered");
    } catch (err) {
      throw classifyFailure(d, err, state, browser);
    } finally {
      if (state.slot) d.slots.put(state.slot, healthy && d.holder.alive(state.generation));
      d.permits.release();
    }
    try {
      return await applyPdfMetadata(pdf, opts.metadata, d.log);
    } catch (err) {
      throw new EffectError(`Dựng PDF thất bại: ${(err as Error).message}`, false, "render_failed");
    }
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
