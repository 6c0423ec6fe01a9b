/**
 * Issue 13 §6: one template everywhere. Two document services (as two processes: each its own
 * folder, one database) see each other's template saves at once, and an issued document records the
 * template version it was rendered with. Runs on PGlite and, with DATABASE_URL, on PostgreSQL.
 */
import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { documents as documentRows } from "../../server/db/schema.js";
import { createDocumentService } from "../../server/documents/service.js";
import type { PdfRenderer } from "../../server/adapters/pdf.js";
import { createWorld, type World } from "../support/testApp.js";

/** A renderer that keeps the HTML it was given and returns a tiny PDF (no browser needed). */
function recordingRenderer(): PdfRenderer & { pages: string[] } {
  const pages: string[] = [];
  return {
    pages,
    async render(html: string) {
      pages.push(html);
      return Buffer.from(`%PDF-1.4\n% ${pages.length} ${Math.random()}\n%%EOF\n`);
    },
    async close() {},
    browserPid: () => undefined,
    unavailableReason: () => null,
    check: async () => null,
  };
}

/** One "process": its own template folder and renderer, the shared database. */
function processOn(w: World) {
  const renderer = recordingRenderer();
  const overrideDir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-proc-"));
  const documents = createDocumentService({
    db: w.db,
    renderer,
    publicUrl: "http://tvpb.test",
    clock: w.clock,
    overrideDir,
  });
  return { renderer, documents };
}

async function issueActivityReport(w: World, quarter: number) {
  const res = await w.as("leadership").post("/api/v1/activity-reports", { year: 2026, quarter });
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body.data.id as string;
}

describe("document templates shared by every process (issue 13 §6)", () => {
  it("renders with a template saved by another process at once, and records the version on the issued row", async () => {
    const w = await createWorld();
    const a = processOn(w);
    const b = processOn(w);
    const org = { id: w.org.id, slug: w.org.slug };
    const builtIn = (await a.documents.templateSources(org)).find((t) => t.kind === "activityReport")!.builtIn;

    // Before any save: the built-in set, version 0.
    const first = await issueActivityReport(w, 1);
    await b.documents.renderIssued(first);
    const [row0] = await w.db.select().from(documentRows).where(eq(documentRows.id, first));
    expect(row0.status).to.equal("issued");
    expect(row0.templateVersion).to.equal(0);

    // A saves; B, which compiled the built-in set before, renders with A's template at once.
    expect(await a.documents.saveTemplate(org, "activityReport", `${builtIn}\n<p>MAU-CUA-A</p>`)).to.equal(1);
    expect((await b.documents.templateSources(org)).find((t) => t.kind === "activityReport")!.override).to.contain(
      "MAU-CUA-A",
    );
    const second = await issueActivityReport(w, 2);
    await b.documents.renderIssued(second);
    expect(b.renderer.pages.at(-1)).to.contain("MAU-CUA-A");
    const [row1] = await w.db.select().from(documentRows).where(eq(documentRows.id, second));
    expect(row1.templateVersion).to.equal(1);

    // B saves; A, which compiled version 1, picks version 2 up on its next render.
    await a.documents.renderIssued(await issueActivityReport(w, 3));
    expect(a.renderer.pages.at(-1)).to.contain("MAU-CUA-A");
    expect(await b.documents.saveTemplate(org, "activityReport", `${builtIn}\n<p>MAU-CUA-B</p>`)).to.equal(2);
    const fourth = await issueActivityReport(w, 4);
    await a.documents.renderIssued(fourth);
    expect(a.renderer.pages.at(-1)).to.contain("MAU-CUA-B").and.not.contain("MAU-CUA-A");
    const [row2] = await w.db.select().from(documentRows).where(eq(documentRows.id, fourth));
    expect(row2.templateVersion).to.equal(2);

    // Back to the built-in template is a version too; nothing of the organisation's own is left in use.
    expect(await a.documents.saveTemplate(org, "activityReport", null)).to.equal(3);
    const annual = await w.as("leadership").post("/api/v1/activity-reports", { year: 2026 });
    expect(annual.status).to.equal(201);
    await b.documents.renderIssued(annual.body.data.id);
    expect(b.renderer.pages.at(-1)).to.not.contain("MAU-CUA-");
    // A broken template is refused and changes no version.
    const err = await a.documents.saveTemplate(org, "activityReport", "{{#if x}}open").catch((e) => e);
    expect(err.code).to.equal("template_invalid");
    expect(await b.documents.saveTemplate(org, "coverLetter", null)).to.equal(4);
  });
});
