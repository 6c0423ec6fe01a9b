/**
 * `node --import tsx bench/profileIssueBurst.ts`: the whole issue **at throughput**, as `pdf.ts`' throughput
 * row runs it (the pool of 2, 8 in flight, each issue a fresh `issuing` row of a real assignment's final
 * report whose view model is built from the data, `issueFromData.ts`) against two raw pages printing the
 * same HTML, in alternating bursts. Per report it prints the rate, the **Node CPU** (this process) and the
 * **Chromium CPU** (the browser's whole process tree, from /proc) — on two shared cores the first is taken
 * from the second. `BENCH_ISSUES` sets a burst's size (default 16), `BENCH_ROUNDS` the pairs (default 3);
 * `PROFILE_OUT=<file.cpuprofile>` writes a CPU profile of the product's bursts only (`node:inspector`),
 * `BENCH_RENDERER_ONLY=1` bursts the renderer alone on that HTML instead of the whole issue (the
 * "PDF throughput" row's work). `BENCH_KEEP_PDF=<file.pdf>` writes the first issued (signed, stored) PDF there.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { DEFAULT_MARGINS } from "../server/adapters/pdf.js";
import { createDocumentService } from "../server/documents/service.js";
import { createKeyVault } from "../server/signing/keyVault.js";
import { installSigningKey } from "../server/commands/signingKeys.js";
import { selfSignedP12 } from "../test/support/documents.js";
import { finalReportFromData } from "./issueFromData.js";
import { burstOf, median, seedOrganisation, startProduct } from "./lib.js";
import { openPdfBench, serveDocumentFonts, tenPageReport, withPageCss } from "./pdf.js";

const N = Number(process.env.BENCH_ISSUES) || 16;
const ROUNDS = Number(process.env.BENCH_ROUNDS) || 3;
const RENDERER_ONLY = process.env.BENCH_RENDERER_ONLY === "1";
const MS_PER_TICK = 10; // USER_HZ 100 (`getconf CLK_TCK`)

/** CPU ms (user + system) of `pid` and all its descendants, from /proc. */
function treeCpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  const stats = new Map<number, { ppid: number; ticks: number }>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, "latin1");
      const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
      stats.set(Number(d), { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone meanwhile
    }
  }
  const inTree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, s] of stats)
      if (!inTree.has(p) && inTree.has(s.ppid)) {
        inTree.add(p);
        grew = true;
      }
  }
  let ticks = 0;
  for (const p of inTree) ticks += stats.get(p)?.ticks ?? 0;
  return ticks * MS_PER_TICK;
}

const { templates, renderer, browser } = await openPdfBench(120_000);
const tvpb = await startProduct();
try {
  const { vm } = await tenPageReport(templates, renderer);
  const o = await seedOrganisation(tvpb.db);
  const vault = createKeyVault(randomBytes(32));
  await installSigningKey(
    { db: tvpb.db, clock: tvpb.clock, vault },
    { actor: o.actor("admin"), p12: selfSignedP12("bench-pass"), passphrase: "bench-pass" },
  );
  let printed = "";
  const service = createDocumentService({
    db: tvpb.db,
    renderer: {
      ...renderer,
      render: (html, opts) => {
        printed = html;
        return renderer.render(html, opts);
      },
    },
    publicUrl: "https://tvpb.example",
    clock: tvpb.clock,
    signingVault: vault,
  });
  const q = (text: string, params?: unknown[]) => tvpb.database.query<Record<string, unknown>>(text, params);
  const report = await finalReportFromData({ db: tvpb.db, clock: tvpb.clock }, q, o, vm);
  await service.renderIssued(report.firstId);
  const productHtml = printed;
  if (process.env.BENCH_KEEP_PDF) {
    const [kept] = await tvpb.database.query<{ bytes: Uint8Array }>(
      "select b.bytes from documents d join blobs b on b.sha256 = d.sha256 where d.id = $1",
      [report.firstId],
    );
    writeFileSync(process.env.BENCH_KEEP_PDF, kept.bytes);
  }
  const rawHtml = withPageCss(printed, { ...DEFAULT_MARGINS, ...vm.org.margins });
  const metadata = templates.metadata("finalReport", vm);
  const issueOne = RENDERER_ONLY
    ? () => renderer.render(productHtml, { margins: vm.org.margins, metadata })
    : async () => service.renderIssued(await report.addIssuing());
  const rawPages = [
    await serveDocumentFonts(await browser.newPage()),
    await serveDocumentFonts(await browser.newPage()),
  ];
  const raw = async () => {
    const p = rawPages.pop()!;
    try {
      await p.setContent(rawHtml, { waitUntil: "load" });
      return Buffer.from(await p.pdf({ preferCSSPageSize: true, printBackground: true }));
    } finally {
      rawPages.push(p);
    }
  };
  // Raw: two pages, so at most two at once; the 8 "in flight" wait for a page.
  const rawWaiting: Array<() => void> = [];
  let rawBusy = 0;
  const rawOne = async () => {
    if (rawBusy >= 2) await new Promise<void>((r) => rawWaiting.push(r));
    rawBusy++;
    try {
      await raw();
    } finally {
      rawBusy--;
      rawWaiting.shift()?.();
    }
  };
  const burst = async (one: () => Promise<unknown>, pid: number | undefined) => {
    const c = process.cpuUsage();
    const chrome = treeCpuMs(pid);
    const s = performance.now();
    await burstOf(N, 8, one);
    const wall = performance.now() - s;
    const cpu = process.cpuUsage(c);
    return {
      rate: (N / wall) * 1000,
      node: (cpu.user + cpu.system) / 1000 / N,
      chrome: (treeCpuMs(pid) - chrome) / N,
    };
  };
  const productPid = () => renderer.browserPid();
  const rawPid = () => browser.process()?.pid;
  await burst(issueOne, productPid()); // warm-up
  await burst(rawOne, rawPid());
  const profiler = process.env.PROFILE_OUT ? new Session() : null;
  profiler?.connect();
  await profiler?.post("Profiler.enable");
  const product: Array<Awaited<ReturnType<typeof burst>>> = [];
  const baseline: typeof product = [];
  for (let r = 0; r < ROUNDS; r++) {
    const first = r % 2 === 0;
    if (!first) baseline.push(await burst(rawOne, rawPid()));
    await profiler?.post("Profiler.start");
    product.push(await burst(issueOne, productPid()));
    if (profiler) {
      const { profile } = await profiler.post("Profiler.stop");
      writeFileSync(process.env.PROFILE_OUT!.replace(/(\.cpuprofile)?$/, `-${r}.cpuprofile`), JSON.stringify(profile));
    }
    if (first) baseline.push(await burst(rawOne, rawPid()));
  }
  const show = (xs: typeof product) =>
    `${median(xs.map((x) => x.rate)).toFixed(2)}/s, Node CPU ${median(xs.map((x) => x.node)).toFixed(1)} ms, ` +
    `Chromium CPU ${median(xs.map((x) => x.chrome)).toFixed(1)} ms per report`;
  const what = RENDERER_ONLY ? "renderer alone" : "whole issue";
  console.log(`${N} per burst, ${ROUNDS} rounds, load ${(await import("node:os")).loadavg()[0].toFixed(1)}`);
  console.log(`  ${what.padEnd(12)} ${show(product)}`);
  console.log(`  ${"raw".padEnd(12)} ${show(baseline)}`);
  console.log(
    `  ratio ${median(product.map((p, i) => p.rate / baseline[i].rate)).toFixed(2)} ` +
      `(rounds ${product.map((p, i) => (p.rate / baseline[i].rate).toFixed(2)).join(", ")})`,
  );
} finally {
  await renderer.close();
  await browser.close();
  await tvpb.cleanup();
}
process.exit(0);
