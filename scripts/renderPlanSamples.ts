/**
 * Renders the year's plan and money documents (Tờ trình with the list, its amendment, the execution
 * report, a cost estimate, a settlement of experts' fees) from the realistic samples in
 * test/support/planDocuments.ts into docs/samples/annualPlan/: issued PDFs and their pages as PNG
 * (70 dpi), to look at. Usage: npx tsx scripts/renderPlanSamples.ts
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { qrDataUrl } from "../server/documents/verification.js";
import {
  closeSharedRenderer,
  documentTemplates,
  issuedInfo,
  sealImage,
  sharedRenderer,
  signerImage,
} from "../test/support/documents.js";
import { planSamples } from "../test/support/planDocuments.js";

const out = join(process.cwd(), "docs/samples/annualPlan");
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (/\.(pdf|png)$/.test(f)) rmSync(join(out, f));

const templates = documentTemplates();
const renderer = sharedRenderer();
const issued = issuedInfo(await qrDataUrl(issuedInfo("").verifyUrl));
const samples = planSamples();
const jobs = [
  ["planSubmission", samples.planSubmission],
  ["planAmendment", samples.planAmendment],
  ["planExecutionReport", samples.planExecutionReport],
  ["costEstimate", samples.costEstimate],
  ["feeSettlement", samples.feeSettlement],
] as const;

try {
  for (const [name, sample] of jobs) {
    const kind = name === "planAmendment" ? "planSubmission" : name;
    const vm = { ...sample, signature: { signerImage, sealImage, signedAt: "2027-01-10T09:15:00+07:00" } };
    const html = templates.render(kind, vm as never, { draft: false, issued });
    const pdf = await renderer.render(html, {
      margins: vm.org.margins,
      metadata: templates.metadata(kind, vm as never),
    });
    writeFileSync(join(out, `${name}.pdf`), pdf);
    execFileSync("pdftoppm", ["-png", "-r", "70", join(out, `${name}.pdf`), join(out, name)]);
    console.log(`${name}.pdf (${pdf.length} bytes)`);
  }
} finally {
  await closeSharedRenderer();
}
