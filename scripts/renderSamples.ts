/**
 * Renders every official document with the realistic sample data from test/support/documents.ts
 * into docs/samples/: the issued final report, cover letter and activity report (with the year's list
 * and its money) as PDF and PNG pages (70 dpi), and a draft of the final report. `--all` also writes
 * every other document kind as PDF and PNG.
 * `--from-engine` (alias `--from-demo`) instead drives an assignment through the real engine and
 * keeps the issued, signed final report and cover letter as stored (see renderSamplesFromEngine.ts).
 * Usage: npx tsx scripts/renderSamples.ts [--all | --from-engine]
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { qrDataUrl } from "../server/documents/verification.js";
import { DOCUMENT_KINDS, type DocumentKind } from "../server/documents/types.js";
import {
  closeSharedRenderer,
  documentTemplates,
  issuedInfo,
  samples,
  sealImage,
  sharedRenderer,
  signerImage,
} from "../test/support/documents.js";

const out = join(process.cwd(), "docs/samples");
const all = process.argv.includes("--all");
const pngKinds: DocumentKind[] = ["finalReport", "coverLetter", "activityReport"];
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (/\.(pdf|png)$/.test(f)) rmSync(join(out, f));

const fromEngine = process.argv.includes("--from-engine") || process.argv.includes("--from-demo");
if (fromEngine) {
  const { renderFromEngine } = await import("./renderSamplesFromEngine.js");
  try {
    await renderFromEngine(out);
  } finally {
    await closeSharedRenderer();
  }
  process.exit(0);
}

const templates = documentTemplates();
const renderer = sharedRenderer();
const issued = issuedInfo(await qrDataUrl(issuedInfo("").verifyUrl));

try {
  for (const kind of all ? DOCUMENT_KINDS : pngKinds) {
    const vm = { ...samples[kind], signature: { signerImage, sealImage, signedAt: "2026-02-10T09:15:00+07:00" } };
    const html = templates.render(kind, vm, { draft: false, issued });
    const pdf = await renderer.render(html, { margins: vm.org.margins, metadata: templates.metadata(kind, vm) });
    writeFileSync(join(out, `${kind}.pdf`), pdf);
    execFileSync("pdftoppm", ["-png", "-r", "70", join(out, `${kind}.pdf`), join(out, kind)]);
    console.log(`${kind}.pdf (${pdf.length} bytes)`);
  }
  const draftHtml = templates.render("finalReport", samples.finalReport, { draft: true });
  const draft = await renderer.render(draftHtml, { margins: samples.finalReport.org.margins });
  writeFileSync(join(out, "finalReport-draft.pdf"), draft);
  execFileSync("pdftoppm", [
    "-png",
    "-r",
    "70",
    "-f",
    "1",
    "-l",
    "1",
    join(out, "finalReport-draft.pdf"),
    join(out, "finalReport-draft"),
  ]);
} finally {
  await closeSharedRenderer();
}
