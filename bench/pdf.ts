/**
 * PDF: the issued 10-page final report (the realistic sample of test/support/documents.ts, with
 * one more section of opinions so it fills ten A4 pages), warm, through the product's renderer
 * (createPdfRenderer: pooled page, no-network interception, injected @page rules with page
 * numbers, page.pdf waiting for fonts, metadata as an incremental update with a classic xref) vs raw puppeteer
 * on one reused page: page.setContent + page.pdf() of the same HTML with the same @page rules. The HTML is
 * what the document service renders: its fonts linked (server/documents/fonts.ts), so the raw page answers
 * those twelve font URLs from memory too (`serveDocumentFonts`, the least a raw page needs to print it).
 * Then throughput of the product's pool (poolSize 2) under 8 concurrent requests, next to raw
 * puppeteer with two reused pages under the same load.
 *
 * The whole issue (issue 15 §3): the document service's `renderIssued` on an `issuing` row of a real
 * assignment's final report with the sample's content (bench/issueFromData.ts) — its view model built
 * from the database, template, QR code, PDF with its metadata, PAdES signature with the organisation's
 * key, bytes stored and the row marked issued, on PGlite — against raw `page.pdf()` of the HTML it
 * printed, one at a time and as throughput (the same pool of 2 vs two raw pages, 8 in flight).
 */
import puppeteer, { type Page } from "puppeteer-core";
import { PDFDocument } from "pdf-lib";
import { createPdfRenderer, DEFAULT_MARGINS, findChromium } from "../server/adapters/pdf.js";
import { createDocumentTemplates } from "../server/documents/templates.js";
import { qrDataUrl } from "../server/documents/verification.js";
import { DOCUMENT_FONT_FAMILY, documentFontFile } from "../server/documents/fonts.js";
import { issuedInfo, samples, sealImage, selfSignedP12, signerImage } from "../test/support/documents.js";
import { createDocumentService } from "../server/documents/service.js";
import { createKeyVault } from "../server/signing/keyVault.js";
import { installSigningKey } from "../server/commands/signingKeys.js";
import {
  burstOf,
  alternate,
  fmt,
  median,
  ms,
  root,
  seedOrganisation,
  startProduct,
  type BenchContext,
  type Row,
} from "./lib.js";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { finalReportFromData } from "./issueFromData.js";

const PAGES = 10;

/** The @page rules the product injects (server/adapters/pdf.ts), so the baseline lays out the same pages. */
export function withPageCss(html: string, margins: typeof DEFAULT_MARGINS) {
  const css =
    `@page{size:A4 portrait;margin:${margins.top}mm ${margins.right}mm ${margins.bottom}mm ${margins.left}mm;` +
    `@top-center{content:counter(page);font-family:"${DOCUMENT_FONT_FAMILY}";font-size:13pt;color:#000;` +
    "vertical-align:middle;}}@page:first{@top-center{content:none;}}";
  return html.replace(/<\/head>/i, `<style>${css}</style></head>`);
}

/**
 * The raw side's font server: answers the document fonts' links from memory (cacheable, so a page
 * asks once), lets everything else through. Without it the product's HTML would print in a system font.
 */
export async function serveDocumentFonts(page: Page): Promise<Page> {
  await page.setRequestInterception(true);
  page.on("request", (r) => {
    const body = documentFontFile(r.url());
    const headers = { "cache-control": "max-age=31536000", "access-control-allow-origin": "*" };
    if (body) void r.respond({ status: 200, contentType: "font/woff2", headers, body });
    else void r.continue();
  });
  return page;
}

async function pages(pdf: Buffer) {
  return (await PDFDocument.load(pdf)).getPageCount();
}

/** The final report sample grown by one section of opinions until it fills ten pages: its view model, HTML and PDF. */
export async function tenPageReport(
  templates: ReturnType<typeof createDocumentTemplates>,
  renderer: ReturnType<typeof createPdfRenderer>,
) {
  const issued = issuedInfo(await qrDataUrl(issuedInfo("").verifyUrl));
  const base = samples.finalReport;
  let extra = 0;
  for (;;) {
    const vm = {
      ...base,
      signature: { signerImage, sealImage, signedAt: "2026-02-10T09:15:00+07:00" },
      specific: [
        ...base.specific,
        ...(extra
          ? [
              {
                heading: "Về các nội dung khác",
                paragraphs: Array.from(
                  { length: extra },
                  (_, i) => `Ý kiến ${i + 1}: ${base.specific[2].paragraphs[0]}`,
                ),
              },
            ]
          : []),
      ],
    };
    const html = templates.render("finalReport", vm, { draft: false, issued, fonts: "linked" });
    const product = await renderer.render(html, {
      margins: vm.org.margins,
      metadata: templates.metadata("finalReport", vm),
    });
    if ((await pages(product)) >= PAGES || extra > 60) return { vm, html, product };
    extra += 3;
  }
}

/** The templates, the product's renderer (pool of 2) and a raw browser for `page.pdf()`, shared by the PDF benches. */
export async function openPdfBench(timeoutMs: number) {
  const chromium = findChromium();
  if (chromium.path === null) throw new Error(chromium.reason);
  const templates = createDocumentTemplates({ dir: path.join(root, "templates/documents") });
  const renderer = createPdfRenderer({ executablePath: chromium.path, poolSize: 2, timeoutMs });
  const browser = await puppeteer.launch({
    executablePath: chromium.path,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--font-render-hinting=none"],
  });
  return { templates, renderer, browser };
}

export async function pdf(ctx: BenchContext): Promise<Row[]> {
  const { templates, renderer, browser } = await openPdfBench(60_000);
  try {
    const { vm, html, product } = await tenPageReport(templates, renderer);
    const margins = { ...DEFAULT_MARGINS, ...vm.org.margins };
    const rawHtml = withPageCss(html, margins);
    const metadata = templates.metadata("finalReport", vm);
    const page: Page = await serveDocumentFonts(await browser.newPage());
    const raw = async (p: Page) => {
      await p.setContent(rawHtml, { waitUntil: "load" });
      return Buffer.from(await p.pdf({ preferCSSPageSize: true, printBackground: true }));
    };
    const productPages = await pages(product);
    const rawPages = await pages(await raw(page));
    ctx.log(
      `final report: ${productPages} pages (product), ${rawPages} pages (raw), ` +
        `${Math.round(product.length / 1024)} KiB`,
    );

    const n = ctx.smoke ? 1 : 6;
    const timeEach = async (f: () => Promise<unknown>) => {
      const t: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        await f();
        t.push(performance.now() - s);
      }
      return median(t);
    };
    for (let i = 0; i < (ctx.smoke ? 1 : 3); i++) {
      await renderer.render(html, { margins: vm.org.margins, metadata });
      await raw(page);
    }
    const single = await alternate(
      3,
      () => timeEach(() => renderer.render(html, { margins: vm.org.margins, metadata })),
      () => timeEach(() => raw(page)),
    );
    const pMs = median(single.product);
    const bMs = median(single.baseline);
    ctx.log(
      `single: product ${single.product.map((x) => fmt(x)).join(", ")} ms; raw ` +
        `${single.baseline.map((x) => fmt(x)).join(", ")} ms`,
    );

    // Throughput: 8 requests in flight at all times, the product's pool of 2 vs two raw pages.
    const total = ctx.smoke ? 4 : 24;
    const rawPool = [page, await serveDocumentFonts(await browser.newPage())];
    const free = [...rawPool];
    const waiting: Array<(p: Page) => void> = [];
    const takeRaw = () => (free.length ? Promise.resolve(free.pop()!) : new Promise<Page>((r) => waiting.push(r)));
    const giveRaw = (p: Page) => (waiting.length ? waiting.shift()!(p) : free.push(p));
    const burst = async (one: () => Promise<unknown>) => {
      const s = performance.now();
      await burstOf(total, 8, one);
      return (total / (performance.now() - s)) * 1000;
    };
    const tput = await alternate(
      3,
      () => burst(() => renderer.render(html, { margins: vm.org.margins, metadata })),
      () =>
        burst(async () => {
          const p = await takeRaw();
          try {
            await raw(p);
          } finally {
            giveRaw(p);
          }
        }),
    );
    const pRate = median(tput.product);
    const bRate = median(tput.baseline);
    ctx.log(
      `throughput: product ${tput.product.map((x) => fmt(x, 2)).join(", ")}/s; raw ` +
        `${tput.baseline.map((x) => fmt(x, 2)).join(", ")}/s`,
    );
    const whole = await wholeIssue(ctx, { renderer, vm, rawPool, takeRaw, giveRaw, n, total });
    return [
      {
        benchmark: `PDF ${productPages}-page report, warm`,
        product: `${ms(pMs)} per report`,
        baseline: `${ms(bMs)} (raw page.pdf)`,
        ratio: `${fmt(pMs / bMs, 2)}×`,
        target: "≤ 1.25× time",
        met: pMs / bMs <= 1.25,
      },
      {
        benchmark: "PDF throughput (pool 2, 8 in flight)",
        product: `${fmt(pRate, 2)} reports/s`,
        baseline: `${fmt(bRate, 2)} reports/s (2 raw pages)`,
        ratio: fmt(pRate / bRate, 2),
        target: "≥ 4 reports/s",
        met: pRate >= 4,
      },
      ...whole,
    ];
  } finally {
    await renderer.close();
    await browser.close();
  }
}

type WholeIssueParts = {
  renderer: ReturnType<typeof createPdfRenderer>;
  vm: (typeof samples)["finalReport"];
  rawPool: Page[];
  takeRaw: () => Promise<Page>;
  giveRaw: (p: Page) => void;
  n: number;
  total: number;
};

/** The whole issue of the report through the document service, against raw page.pdf(). */
async function wholeIssue(ctx: BenchContext, parts: WholeIssueParts): Promise<Row[]> {
  const { vm, takeRaw, giveRaw, n, total } = parts;
  // The HTML the document service printed last, for the raw side to print the same.
  let printed = "";
  const renderer: typeof parts.renderer = {
    ...parts.renderer,
    render: (html, opts) => {
      printed = html;
      return parts.renderer.render(html, opts);
    },
  };
  const tvpb = await startProduct();
  try {
    const o = await seedOrganisation(tvpb.db);
    const vault = createKeyVault(randomBytes(32));
    const deps = { db: tvpb.db, clock: tvpb.clock, vault };
    await installSigningKey(deps, {
      actor: o.actor("admin"),
      p12: selfSignedP12("bench-pass"),
      passphrase: "bench-pass",
    });
    const service = createDocumentService({
      db: tvpb.db,
      renderer,
      publicUrl: "https://tvpb.example",
      clock: tvpb.clock,
      signingVault: vault,
    });
    // A real assignment's final report, issued by the clerk; each timed issue a fresh issuing row of it
    // (an issued row is immutable) whose view model is built from the data. Its insert is timed too.
    const q = (text: string, params?: unknown[]) => tvpb.database.query<Record<string, unknown>>(text, params);
    const report = await finalReportFromData({ db: tvpb.db, clock: tvpb.clock }, q, o, vm);
    const issueOne = async () => service.renderIssued(await report.addIssuing());
    await service.renderIssued(report.firstId);
    const [check] = await tvpb.database.query<{ status: string; size: number; bytes: Uint8Array }>(
      "select d.status, b.size, b.bytes from documents d join blobs b on b.sha256 = d.sha256 where d.id = $1",
      [report.firstId],
    );
    if (check?.status !== "issued") throw new Error(`whole issue: the row is ${check?.status ?? "missing"}`);
    // The raw side prints the HTML the product printed (the same view model, number and verification code).
    const rawHtml = withPageCss(printed, { ...DEFAULT_MARGINS, ...vm.org.margins });
    const raw = async (p: Page) => {
      await p.setContent(rawHtml, { waitUntil: "load" });
      return Buffer.from(await p.pdf({ preferCSSPageSize: true, printBackground: true }));
    };
    const issuedPages = await pages(Buffer.from(check.bytes));
    ctx.log(`whole issue from the data: issued and signed, ${issuedPages} pages, ${Math.round(check.size / 1024)} KiB`);
    const page = parts.rawPool[0];
    const timeEach = async (f: () => Promise<unknown>) => {
      const t: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        await f();
        t.push(performance.now() - s);
      }
      return median(t);
    };
    const single = await alternate(
      3,
      () => timeEach(issueOne),
      () => timeEach(() => raw(page)),
    );
    const burst = async (one: () => Promise<unknown>) => {
      const s = performance.now();
      await burstOf(total, 8, one);
      return (total / (performance.now() - s)) * 1000;
    };
    const tput = await alternate(
      3,
      () => burst(issueOne),
      () =>
        burst(async () => {
          const p = await takeRaw();
          try {
            await raw(p);
          } finally {
            giveRaw(p);
          }
        }),
    );
    const pMs = median(single.product);
    const bMs = median(single.baseline);
    const pRate = median(tput.product);
    const bRate = median(tput.baseline);
    const list = (xs: number[], d = 1) => xs.map((x) => fmt(x, d)).join(", ");
    ctx.log(
      `whole issue: ${list(single.product)} ms (raw ${list(single.baseline)}); ` +
        `${list(tput.product, 2)}/s (raw ${list(tput.baseline, 2)}/s)`,
    );
    return [
      {
        benchmark: "PDF whole issue (view model from the data → template → PDF → signature → stored)",
        product: `${ms(pMs)} per report`,
        baseline: `${ms(bMs)} (raw page.pdf, same HTML)`,
        ratio: `${fmt(pMs / bMs, 2)}×`,
        target: "≤ 1.3× time",
        met: pMs / bMs <= 1.3,
        note:
          `a real assignment's final report (${issuedPages} pages), issued by the clerk; each issue builds its view ` +
          "model from the database (assignment, panel, opinions, report draft, recommendations, profile)",
      },
      {
        benchmark: "PDF whole issue throughput (pool 2, 8 in flight)",
        product: `${fmt(pRate, 2)} reports/s`,
        baseline: `${fmt(bRate, 2)} reports/s (2 raw pages)`,
        ratio: fmt(pRate / bRate, 2),
        target: "≥ 0.9 of raw",
        met: pRate / bRate >= 0.9,
      },
    ];
  } finally {
    await tvpb.cleanup();
  }
}
