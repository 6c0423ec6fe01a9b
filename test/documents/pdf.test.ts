import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { createPdfRenderer, findChromium, type PdfRenderer } from "../../server/adapters/pdf.js";
import { EffectError } from "../../server/errors.js";
import { DOCUMENT_FONT_ORIGIN } from "../../server/documents/fonts.js";
import { qrDataUrl } from "../../server/documents/verification.js";
import { documentTemplates, issuedInfo, pdfFonts, pdfInfo, pdfText, samples } from "../support/documents.js";

const chromium = (() => {
  const found = findChromium();
  if (found.path === null) throw new Error(found.reason);
  return found.path;
})();

/** The renderer processes (`--type=renderer`) among a browser's descendants, from /proc. */
function rendererProcesses(browserPid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parent.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const inTree = (pid: number): boolean => {
    for (let p = parent.get(pid); p && p > 1; p = parent.get(p)) if (p === browserPid) return true;
    return false;
  };
  return [...parent.keys()].filter((pid) => {
    if (!inTree(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("--type=renderer");
    } catch {
      return false;
    }
  });
}

const simple = (text: string) =>
  `<!doctype html><html><head><meta charset="utf-8"></head><body><p>${text}</p></body></html>`;

describe("adapters/pdf", function () {
  // A launch can take 10–20 s on a loaded 2-core machine. The tests that break, configure or
  // close their browser make their own; the others share one, and each leaves it working.
  this.timeout(120_000);
  const renderers: PdfRenderer[] = [];
  function make(opts: Partial<Parameters<typeof createPdfRenderer>[0]> = {}): PdfRenderer {
    const r = createPdfRenderer({ executablePath: chromium, poolSize: 1, ...opts });
    renderers.push(r);
    return r;
  }
  let shared: PdfRenderer | undefined;
  const plain = () => (shared ??= make());
  after(async () => {
    await Promise.all(renderers.map((r) => r.close()));
  });

  it("finds Chromium, and explains why when there is none", () => {
    expect(findChromium({ override: chromium })).to.deep.equal({ path: chromium });
    const missing = findChromium({ override: "/nonexistent/chromium", candidates: [] });
    expect(missing.path).to.equal(null);
    expect((missing as { reason: string }).reason).to.include("/nonexistent/chromium");
  });

  it("renders A4 portrait with Vietnamese metadata in the PDF Info", async () => {
    const r = plain();
    const pdf = await r.render(simple("Xin chào"), {
      metadata: {
        title: "Báo cáo kết quả phản biện",
        subject: "Đề án dược liệu",
        author: "Liên hiệp hội",
        keywords: ["phản biện", "dược liệu"],
      },
    });
    const info = await pdfInfo(pdf);
    expect(info["Page size"]).to.match(/^59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(info.Title).to.equal("Báo cáo kết quả phản biện");
    expect(info.Subject).to.equal("Đề án dược liệu");
    expect(info.Author).to.equal("Liên hiệp hội");
    expect(info.Keywords).to.include("dược liệu");
  });

  it("survives a browser crash mid-render: the render is retried on a new browser, and the next one works", async () => {
    let armed = false;
    let renderer: PdfRenderer | undefined;
    const killed: number[] = [];
    renderer = make({
      logger: {
        debug(obj: { event?: string; attempt?: number }) {
          // Kill the browser at the moment a render has its page and is about to load the HTML.
          if (armed && obj.event === "pdf.render.started" && obj.attempt === 1) {
            armed = false;
            const pid = renderer!.browserPid()!;
            killed.push(pid);
            process.kill(pid, "SIGKILL");
          }
        },
        info() {},
        warn() {},
        error() {},
      },
    });
    await renderer.render(simple("khởi động"));
    const firstPid = renderer.browserPid();
    armed = true;
    const pdf = await renderer.render(simple("Văn bản vẫn được dựng sau sự cố"));
    expect(killed).to.deep.equal([firstPid]);
    expect(await pdfText(pdf)).to.include("Văn bản vẫn được dựng sau sự cố");
    expect(renderer.browserPid()).to.be.a("number").and.not.equal(firstPid);
    expect(await pdfText(await renderer.render(simple("lần sau")))).to.include("lần sau");
  });

  it("runs no script: an alert() or an endless loop in the HTML neither hangs the render nor changes the page", async () => {
    const r = plain();
    const html =
      `<!doctype html><html><head><meta charset="utf-8"><script>alert("x")</script></head><body>` +
      `<p>văn bản không có kịch bản</p><script>for(;;){}</script>` +
      `<script>document.body.append("KICH BAN DA CHAY")</script><p onclick="x()">hết</p></body></html>`;
    const started = Date.now();
    const text = await pdfText(await r.render(html));
    expect(text).to.include("văn bản không có kịch bản").and.include("hết");
    expect(text).not.to.include("KICH BAN DA CHAY");
    expect(Date.now() - started).to.be.below(25_000);
  });

  it("gives up on a render past its deadline with render_timeout, and keeps working afterwards", async () => {
    const r = plain();
    await r.render(simple("khởi động"));
    // No script can hang a page any more; a long document with a tiny deadline stands in for a slow render.
    const long = simple(Array.from({ length: 4000 }, (_, i) => `Đoạn văn thứ ${i + 1}.`).join("</p><p>"));
    const started = Date.now();
    const err = await r.render(long, { deadlineMs: 20 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(EffectError);
    expect((err as EffectError).code).to.equal("render_timeout");
    expect((err as EffectError).permanent).to.equal(false);
    expect(Date.now() - started).to.be.below(5_000);
    expect(await pdfText(await r.render(simple("tiếp tục")))).to.include("tiếp tục");
  });

  it("replaces a page whose renderer process was killed mid-render, and the render still succeeds", async () => {
    let armed = false;
    const killed: number[] = [];
    const renderer: PdfRenderer = make({
      logger: {
        debug(obj: { event?: string; attempt?: number }) {
          if (armed && obj.event === "pdf.render.started" && obj.attempt === 1) {
            armed = false;
            for (const pid of rendererProcesses(renderer.browserPid()!)) {
              killed.push(pid);
              process.kill(pid, "SIGKILL");
            }
          }
        },
        info() {},
        warn() {},
        error() {},
      },
    });
    await renderer.render(simple("khởi động"));
    const browser = renderer.browserPid();
    armed = true;
    const pdf = await renderer.render(simple("Trang được dựng lại trên tiến trình mới"));
    expect(killed).to.have.length.above(0);
    expect(await pdfText(pdf)).to.include("Trang được dựng lại trên tiến trình mới");
    expect(renderer.browserPid()).to.equal(browser);
  });

  it("queues renders beyond the pool size and completes them all", async () => {
    const r = make({ poolSize: 2 });
    const pdfs = await Promise.all(Array.from({ length: 5 }, (_, i) => r.render(simple(`Văn bản số ${i + 1}`))));
    const texts = await Promise.all(pdfs.map((p) => pdfText(p)));
    texts.forEach((t, i) => expect(t).to.include(`Văn bản số ${i + 1}`));
  });

  it("runs the browser and its renderers at the configured nice value, renderers started later too", async () => {
    const r = make({ poolSize: 2, nice: 7 });
    await r.render(simple("lần đầu"));
    // A second page opened while the first is busy starts another renderer process.
    await Promise.all([r.render(simple("trang một")), r.render(simple("trang hai"))]);
    const browser = r.browserPid()!;
    const renderers = rendererProcesses(browser);
    expect(renderers, "renderer processes").to.have.length.above(0);
    // Every process's main thread (the browser's, each renderer's: layout and painting) runs at
    // the nice value. Chromium sets some pool threads' priorities itself (as root it may raise
    // them), so those are not asserted.
    const niceOf = (tid: number) => {
      const stat = readFileSync(`/proc/${tid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const notLowered = [browser, ...renderers].filter((pid) => niceOf(pid) < 7);
    expect(notLowered, "processes still at a higher priority").to.deep.equal([]);
    expect(niceOf(process.pid), "the server itself is unchanged").to.be.below(7);
  });

  it("gives the page no network: nothing reaches a local server the HTML points to", async () => {
    const hits: string[] = [];
    let connections = 0;
    const server: Server = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end("x");
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    try {
      const r = plain();
      const html = `<!doctype html><html><head><meta charset="utf-8">
        <link rel="stylesheet" href="${base}/style.css"><script src="${base}/app.js"></script>
        <style>@font-face{font-family:X;src:url(${base}/font.woff2)}
          body{font-family:X;background:url(${base}/bg.png)}</style></head>
        <body><p>không có mạng</p><img src="${base}/x.png"><iframe src="${base}/frame"></iframe>
        <script>fetch("${base}/fetch").catch(()=>{}); navigator.sendBeacon("${base}/beacon");
        try { new WebSocket("ws://127.0.0.1:${port}/ws"); } catch (e) {}</script></body></html>`;
      const pdf = await r.render(html);
      expect(await pdfText(pdf)).to.include("không có mạng");
      expect(hits).to.deep.equal([]);
      // Not even a TCP connection (Chromium preconnects for frames unless the proxy flags stop it).
      expect(connections).to.equal(0);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("answers the linked document fonts from memory: the same PDF text and embedded Tinos as inline fonts", async () => {
    const r = plain();
    const templates = documentTemplates();
    const vm = samples.finalReport;
    const issued = issuedInfo(await qrDataUrl("https://tvpb.example/verify/K7QX3MPD9A"));
    const [inline, linked] = ["inline" as const, "linked" as const].map((fonts) =>
      templates.render("finalReport", vm, { draft: false, issued, fonts }),
    );
    expect(inline).to.include("data:font/woff2;base64,");
    expect(linked).to.not.include("data:font/woff2");
    expect(linked.length, "linked HTML is a small fraction").to.be.below(inline.length / 10);
    // Twice on the same pooled page: the second render finds the fonts in the page's memory cache.
    const pdfs = [await r.render(inline), await r.render(linked), await r.render(linked)];
    const texts = await Promise.all(pdfs.map((p) => pdfText(p)));
    expect(texts[0]).to.include("Hà Giang");
    expect(texts[1]).to.equal(texts[0]);
    expect(texts[2]).to.equal(texts[0]);
    for (const pdf of pdfs.slice(1)) {
      const fonts = await pdfFonts(pdf);
      expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, ""))).to.include.members(["Tinos-Regular", "Tinos-Bold"]);
      for (const f of fonts) expect(f.embedded && /^[A-Z]{6}\+Tinos-/.test(f.name), f.name).to.equal(true);
    }
  });

  it("answers only the twelve document fonts under their origin: any other URL there is refused", async () => {
    const r = plain();
    const html = `<!doctype html><html><head><meta charset="utf-8"><style>
      @font-face{font-family:Evil;src:url(${DOCUMENT_FONT_ORIGIN}/../../etc/passwd) format("woff2")}
      @font-face{font-family:Other;src:url(${DOCUMENT_FONT_ORIGIN}/tinos-cyrillic-400-normal.woff2) format("woff2")}
      p{font-family:Evil,Other,"TVPB Tinos"}</style></head><body><p>phông chữ</p></body></html>`;
    const pdf = await r.render(html);
    expect(await pdfText(pdf)).to.include("phông chữ");
    // Neither URL was answered (a Tinos file outside the twelve, a path out of the origin), so no Tinos
    // reached the PDF: the text fell through to Chromium's default font.
    for (const f of await pdfFonts(pdf)) expect(f.name).to.not.match(/Tinos/);
  });

  it("refuses to render after close with renderer_closed", async () => {
    const r = make();
    await r.close();
    const err = await r.render(simple("x")).catch((e: unknown) => e);
    expect((err as EffectError).code).to.equal("renderer_closed");
  });
});
