import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { expect } from "chai";
import { createApp } from "../../server/app.js";
import { createDocumentService } from "../../server/documents/service.js";
import { createPdfRenderer, findChromium, type PdfRenderer } from "../../server/adapters/pdf.js";
import { createWorld, silentLogger, type World } from "../support/testApp.js";
import { documentTemplates, sharedRenderer } from "../support/documents.js";
import { placeOrder } from "../support/flows.js";

/** The world's app with another document service (renderer, template folder). */
function appWith(w: World, renderer: PdfRenderer | null, overrideDir?: string) {
  const documents = createDocumentService({
    db: w.db,
    clock: w.clock,
    publicUrl: "http://tvpb.test",
    renderer,
    templates: documentTemplates(),
    overrideDir,
    unavailable: "no Chromium or Chrome found",
  });
  const app = createApp({
    db: w.db,
    database: w.database,
    clock: w.clock,
    logger: silentLogger,
    publicUrl: "http://tvpb.test",
    documents,
  });
  const get = (url: string) =>
    request(app)
      .get(url)
      .set("Authorization", `Bearer ${w.tokens[w.userFor("secretariat").id]}`);
  return { documents, get };
}

describe("draft previews that cannot be rendered", function () {
  this.timeout(120_000);
  let w: World;
  let url: string;
  const renderers: PdfRenderer[] = [];
  const dirs: string[] = [];
  before(async () => {
    w = await createWorld();
    const a = await placeOrder(w);
    url = `/api/v1/assignments/${a.id}/drafts/acceptanceLetter.pdf`;
  });
  after(async () => {
    await Promise.all(renderers.map((r) => r.close()));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("answers 503 renderer_unavailable without Chromium, not 500", async () => {
    const res = await appWith(w, null).get(url);
    expect(res.status).to.equal(503);
    expect(res.body.error.code).to.equal("renderer_unavailable");
  });

  it("answers 503 render_timeout when the render runs past its deadline", async () => {
    const found = findChromium();
    if (found.path === null) throw new Error(found.reason);
    const slow = createPdfRenderer({ executablePath: found.path, poolSize: 1, timeoutMs: 1 });
    renderers.push(slow);
    const res = await appWith(w, slow).get(url);
    expect(res.status).to.equal(503);
    expect(res.body.error.code).to.equal("render_timeout");
  });

  it("answers 422 template_broken for an organisation template that compiles but fails when filled in", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-templates-"));
    dirs.push(dir);
    const { documents, get } = appWith(w, sharedRenderer(), dir);
    // Compiles (so it is saved), but names a partial that does not exist.
    await documents.saveTemplate(w.org, "acceptanceLetter", "<p>{{> khongCo}}</p>");
    const res = await get(url);
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal("template_broken");
    expect(res.body.error.message).to.include("khongCo");
  });
});
