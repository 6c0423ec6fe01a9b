import { spawn, type ChildProcess } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { expect } from "chai";
import { loadConfig, ConfigError } from "../../server/config.js";
import { createBrowserRegistry, processStart } from "../../server/adapters/browserReaper.js";
import { chooseChromium } from "../../server/adapters/findChromium.js";
import { startDocumentRendering } from "../../server/adapters/documentRenderer.js";
import { createPdfRenderer, findChromium, type PdfRenderer } from "../../server/adapters/pdf.js";
import { createDocumentService } from "../../server/documents/service.js";
import { blobs, documents } from "../../server/db/schema.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send, submitOpinions, toIssuing, toPlanning, toReview } from "../support/flows.js";
import { documentTemplates, pdfFonts, pdfInfo, pdfText } from "../support/documents.js";

const systemChromium = (() => {
  const found = findChromium();
  if (found.path === null) throw new Error(found.reason);
  return found.path;
})();

/** Running and not a zombie. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function until(what: string, ok: () => boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const tmp = (prefix: string) => mkdtempSync(path.join(os.tmpdir(), prefix));
const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
};

describe("choosing the browser", () => {
  it("refuses a CHROMIUM_PATH that is missing, a directory or not executable, saying which, at start-up", () => {
    const dir = tmp("tvpb-chromium-path-");
    try {
      const plain = path.join(dir, "chromium");
      writeFileSync(plain, "#!/bin/sh\n");
      chmodSync(plain, 0o644);
      const [missing] = problemsOf({ CHROMIUM_PATH: path.join(dir, "nope") });
      expect(missing).to.match(/^CHROMIUM_PATH: .*nope does not exist/);
      const [directory] = problemsOf({ CHROMIUM_PATH: dir });
      expect(directory).to.match(/^CHROMIUM_PATH: .* is a directory/);
      if (process.getuid?.() !== 0) expect(problemsOf({ CHROMIUM_PATH: plain })[0]).to.match(/not executable/);
      expect(loadConfig({ CHROMIUM_PATH: systemChromium }).chromiumPath).to.equal(systemChromium);
      expect(() => chooseChromium({ override: dir, cacheDir: dir })).to.throw(/not an executable file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("takes the system browser first, the npm one without it, and says why when there is neither", () => {
    const cacheDir = tmp("tvpb-chromium-choice-");
    try {
      expect(chooseChromium({ cacheDir })).to.include({ source: "system", description: systemChromium });
      expect(chooseChromium({ cacheDir, candidates: ["/nonexistent/chromium"] })).to.include({ source: "bundled" });
      expect(chooseChromium({ cacheDir, source: "bundled" })).to.include({ source: "bundled" });
      const none = chooseChromium({ cacheDir, source: "system", candidates: ["/nonexistent/chromium"] });
      expect(none.launch).to.equal(null);
      expect((none as { reason: string }).reason).to.include("/nonexistent/chromium");
      const off = chooseChromium({ cacheDir, source: "none" });
      expect(off.launch).to.equal(null);
      expect((off as { reason: string }).reason).to.include("CHROMIUM_SOURCE=none");
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});

describe("renderer readiness", () => {
  const renderers: PdfRenderer[] = [];
  after(() => Promise.all(renderers.map((r) => r.close())));

  it("is ready only after a real launch and a one-page render, and is checked again after a failure", async function () {
    this.timeout(120_000);
    let launches = 0;
    const r = createPdfRenderer({
      poolSize: 1,
      // The first launch fails (as a broken browser would); the next ones work.
      launch: async () => {
        if (++launches === 1) return { executablePath: "/bin/false", source: "configured" };
        return { executablePath: systemChromium, source: "system" };
      },
    });
    renderers.push(r);
    expect(r.unavailableReason()).to.match(/^checking/);
    const failed = await r.check();
    expect(failed).to.match(/one-page check failed/);
    expect(r.unavailableReason()).to.equal(failed);
    expect(r.browserPid()).to.equal(undefined);
    expect(await r.check()).to.equal(null);
    expect(r.unavailableReason()).to.equal(null);
    expect(r.browserPid()).to.be.a("number");
    expect(launches).to.equal(2);
  });
});

describe("browsers left by a crashed process", () => {
  let owner: ChildProcess | undefined;
  let decoy: ChildProcess | undefined;
  const dir = tmp("tvpb-browsers-");
  after(() => {
    owner?.kill("SIGKILL");
    decoy?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("are killed at the next start-up, and only they: never a live process's browser or another program", async function () {
    this.timeout(120_000);
    owner = spawn(process.execPath, ["--import", "tsx", "test/support/browserOwner.ts", dir], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const browser = await new Promise<number>((resolve, reject) => {
      let out = "";
      owner!.stdout!.on("data", (c: Buffer) => {
        out += c.toString();
        if (out.includes("\n")) resolve(Number(out.trim()));
      });
      owner!.on("exit", (code) => reject(new Error(`owner exited with ${code}`)));
    });
    expect(running(browser)).to.equal(true);
    // A decoy entry: its owner is gone, but its pid is a `sleep`, not a browser.
    decoy = spawn("sleep", ["60"]);
    const gone = spawn("true");
    await new Promise((r) => gone.on("exit", r));
    writeFileSync(
      path.join(dir, `${gone.pid}-${decoy.pid}.json`),
      JSON.stringify({
        owner: gone.pid,
        ownerStart: "1",
        pid: decoy.pid,
        start: processStart(decoy.pid!),
        executable: "x",
      }),
    );

    const registry = createBrowserRegistry(dir);
    expect(registry.reap()).to.deep.equal([]); // the owner is alive: its browser stays
    expect(running(browser)).to.equal(true);
    expect(running(decoy.pid!)).to.equal(true);

    owner.kill("SIGKILL");
    await new Promise((r) => owner!.once("exit", r));
    expect(running(browser)).to.equal(true); // what `kill -9` leaves behind

    expect(registry.reap()).to.deep.equal([browser]);
    await until("the browser to die", () => !running(browser));
    expect(running(decoy.pid!)).to.equal(true);
    expect(readdirSync(dir)).to.deep.equal([]);
  });
});

/** Drives a critique to its issue and renders the numbered final report with `service`; returns its id. */
async function issueFinalReport(w: World, service: ReturnType<typeof createDocumentService>): Promise<string> {
  const a = await placeOrder(w);
  await toPlanning(w, a.id);
  await toReview(w, a.id, 3);
  await send(w, "secretariat", a.id, {
    type: "workshop.schedule",
    scheduledAt: "2026-03-02T14:00:00+07:00",
    place: "Hội trường Liên hiệp hội",
  });
  await submitOpinions(w, a.id, [0, 1, 2]);
  await send(w, "secretariat", a.id, {
    type: "workshop.record",
    minutes: "Hội thảo thống nhất các kiến nghị chính.",
    attendees: ["TS. Trần Đức Hưng"],
  });
  await send(w, "secretariat", a.id, { type: "review.close" });
  await toIssuing(w, a.id);
  await send(w, "clerk", a.id, { type: "report.issue" });
  const [doc] = await w.db
    .select()
    .from(documents)
    .where(and(eq(documents.assignmentId, a.id), eq(documents.kind, "finalReport")));
  await service.renderIssued(doc.id);
  return doc.id;
}

describe("documents with the Chromium shipped through npm (no system browser)", function () {
  this.timeout(600_000);
  // Shared by runs: the first one unpacks (about 15 s on a quiet machine), later ones reuse it.
  const cacheDir = path.join(os.tmpdir(), "tvpb-test-chromium");
  const dataDir = tmp("tvpb-npm-chromium-");
  const logs: Array<Record<string, unknown>> = [];
  const logger = {
    info: (o: object) => void logs.push(o as Record<string, unknown>),
    warn: (o: object) => void logs.push(o as Record<string, unknown>),
    error: (o: object) => void logs.push(o as Record<string, unknown>),
  };
  let rendering: ReturnType<typeof startDocumentRendering> | undefined;
  after(async () => {
    await rendering?.renderer?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("unpacks it once, proves it with a one-page render, and issues a real document with the bundled font", async () => {
    mkdirSync(cacheDir, { recursive: true });
    const config = loadConfig({ DATA_DIR: dataDir, CHROMIUM_SOURCE: "bundled", CHROMIUM_CACHE_DIR: cacheDir });
    rendering = startDocumentRendering(config, logger);
    expect(logs.find((l) => l.event === "documents.browser")).to.include({ source: "bundled" });
    const renderer = rendering.renderer!;
    expect(await renderer.check()).to.equal(null);
    expect(rendering.unavailableReason()).to.equal(null);
    expect(logs.find((l) => l.event === "pdf.browser.launched")).to.include({ source: "bundled" });
    const unpacked = readdirSync(cacheDir).filter((n) => !n.startsWith("."));
    expect(unpacked).to.have.length(1);
    expect(existsSync(path.join(cacheDir, unpacked[0], "chromium"))).to.equal(true);

    const w = await createWorld();
    const service = createDocumentService({
      db: w.db,
      clock: w.clock,
      publicUrl: "http://tvpb.test",
      renderer,
      templates: documentTemplates(),
    });
    const docId = await issueFinalReport(w, service);
    const [issued] = await w.db.select().from(documents).where(eq(documents.id, docId));
    expect(issued.status).to.equal("issued");
    const [blob] = await w.db.select().from(blobs).where(eq(blobs.sha256, issued.sha256!));
    const pdf = Buffer.from(blob.bytes);
    const text = await pdfText(pdf);
    expect(text).to.include(issued.numberLabel!.split("/")[0]);
    expect(text).to.include("BÁO CÁO");
    const fonts = await pdfFonts(pdf);
    expect(fonts.length).to.be.above(0);
    for (const f of fonts) {
      expect(f.embedded, f.name).to.equal(true);
      expect(f.name, "only the bundled Tinos reaches the PDF").to.match(/Tinos/);
    }
    expect((await pdfInfo(pdf)).Producer).to.include("TVPB");
    // Kept for a look by eye: pdftoppm -png of this file shows the same page as with the system browser.
    if (process.env.TVPB_KEEP_PDF) writeFileSync(process.env.TVPB_KEEP_PDF, pdf);
  });
});
