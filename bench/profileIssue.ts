/**
 * `node --import tsx bench/profileIssue.ts` (add `--cpu-prof --cpu-prof-dir=<dir>` for a CPU
 * profile): where the time of one whole issue of the 10-page final report goes. The same setup as
 * `pdf.ts`'s whole-issue rows (PGlite, a pool of 2, the organisation's signing key), then each step
 * of `renderIssuedDocument` timed on its own — wall and Node CPU — next to raw `page.pdf()` of the
 * same HTML, and finally `renderIssued` as a whole. BENCH_ISSUES sets how many issues (default 8).
 * Unlike `pdf.ts`, whose whole issue now builds the view model from a real assignment's data
 * (`issueFromData.ts`), the rows here hold the frozen view model (a retry's path): the view model's
 * build is not one of the steps timed.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { contentCodeOf, qrDataUrl, sha256Hex } from "../server/documents/verification.js";
import { createDocumentService } from "../server/documents/service.js";
import { createKeyVault } from "../server/signing/keyVault.js";
import { openActiveSigningKey } from "../server/signing/signingKeyStore.js";
import { installSigningKey } from "../server/commands/signingKeys.js";
import { signPdf } from "../server/documents/signPdf.js";
import { selfSignedP12 } from "../test/support/documents.js";
import { median, seedOrganisation, startProduct } from "./lib.js";
import { openPdfBench, serveDocumentFonts, tenPageReport, withPageCss } from "./pdf.js";
import { tinosFontFaceCss } from "../server/documents/fonts.js";

const N = Number(process.env.BENCH_ISSUES) || 8;
const { templates, renderer, browser } = await openPdfBench(120_000);
const tvpb = await startProduct();
const steps = new Map<string, { wall: number[]; cpu: number[] }>();
async function step<T>(name: string, f: () => Promise<T> | T): Promise<T> {
  const c = process.cpuUsage();
  const s = performance.now();
  const r = await f();
  const wall = performance.now() - s;
  const cpu = process.cpuUsage(c);
  const e = steps.get(name) ?? { wall: [], cpu: [] };
  e.wall.push(wall);
  e.cpu.push((cpu.user + cpu.system) / 1000);
  steps.set(name, e);
  return r;
}
try {
  const { vm, html: sampleHtml } = await tenPageReport(templates, renderer);
  const o = await seedOrganisation(tvpb.db);
  const vault = createKeyVault(randomBytes(32));
  await installSigningKey(
    { db: tvpb.db, clock: tvpb.clock, vault },
    { actor: o.actor("admin"), p12: selfSignedP12("bench-pass"), passphrase: "bench-pass" },
  );
  const service = createDocumentService({
    db: tvpb.db,
    renderer,
    publicUrl: "https://tvpb.example",
    clock: tvpb.clock,
    signingVault: vault,
  });
  const page = await serveDocumentFonts(await browser.newPage());
  const inlinePage = await browser.newPage();
  const rawHtml = withPageCss(sampleHtml, { top: 20, bottom: 20, left: 30, right: 15, ...vm.org.margins });
  // For scale: the same HTML with its fonts inline (self-contained, as before the fonts were linked).
  const inlineHtml = rawHtml.replace(tinosFontFaceCss("linked"), tinosFontFaceCss("inline"));
  const frozen = { frozen: true, kind: "finalReport", vm, numberLabel: "07/BC-LHH", title: "Báo cáo" };
  let number = 0;
  const insertRow = async () => {
    number++;
    const id = randomUUID();
    await tvpb.database.query(
      `insert into documents (id, organization_id, kind, title, status, register, year, number, number_label,
         verify_code, view_model, issued_at)
       values ($1, $2, 'finalReport', 'Báo cáo', 'issuing', 'BC', 2026, $3, $4, $5, $6::jsonb, now())`,
      [id, o.org.id, number, `${number}/BC-LHH`, randomBytes(8).toString("hex"), JSON.stringify(frozen)],
    );
    return id;
  };
  for (let i = 0; i < N + 1; i++) {
    const record = i > 0; // the first round warms up
    const t = record ? step : async <T>(_n: string, f: () => Promise<T> | T) => f();
    await t("raw page.pdf()", async () => {
      await page.setContent(rawHtml, { waitUntil: "load" });
      return page.pdf({ preferCSSPageSize: true, printBackground: true });
    });
    await t("raw, fonts inline", async () => {
      await inlinePage.setContent(inlineHtml, { waitUntil: "load" });
      return inlinePage.pdf({ preferCSSPageSize: true, printBackground: true });
    });
    const id = await t("insert issuing row (bench)", insertRow);
    await t("renderIssued (whole)", () => service.renderIssued(id));
    // The steps of renderIssuedDocument, one by one.
    const [row] = await t("read row + org", () =>
      tvpb.database.query<{ view_model: unknown }>("select * from documents where id = $1", [id]),
    );
    void row;
    const verifyUrl = "https://tvpb.example/verify/K7QX-3MPD-9A";
    const qr = await t("QR code", () => qrDataUrl(verifyUrl));
    const contentCode = await t("content code", () => contentCodeOf(vm));
    const html = await t("template", () =>
      templates.render("finalReport", vm, {
        draft: false,
        issued: { verifyCode: "K7QX-3MPD-9A", verifyUrl, qrDataUrl: qr, contentCode },
        fonts: "linked",
      }),
    );
    const pdf = await t("renderer.render", () =>
      renderer.render(html, { margins: vm.org.margins, metadata: templates.metadata("finalReport", vm) }),
    );
    const key = await t("open signing key", () => openActiveSigningKey(tvpb.db, o.org.id, vault));
    const signed = await t("signPdf", () =>
      signPdf(pdf, { signer: key!.signer, reason: "r", location: "l", name: "n", signingTime: new Date() }),
    );
    await t("sha256", () => sha256Hex(signed));
    await t("store blob (bytea insert)", () =>
      tvpb.database.query("insert into blobs (sha256, size, bytes) values ($1, $2, $3) on conflict do nothing", [
        sha256Hex(Buffer.concat([signed, Buffer.from(String(i))])),
        signed.length,
        signed,
      ]),
    );
  }
  console.log(`${N} issues; medians (wall ms / Node CPU ms):`);
  for (const [name, e] of steps)
    console.log(
      `  ${name.padEnd(28)} ${median(e.wall).toFixed(1).padStart(8)} ${median(e.cpu).toFixed(1).padStart(8)}`,
    );
} finally {
  await renderer.close();
  await browser.close();
  await tvpb.cleanup();
}
process.exit(0);
