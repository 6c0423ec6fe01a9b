/**
 * Inline preview of dossier files (issue 14 §6): PDFs and images are shown in the browser with their
 * exact type, inline, `nosniff` and a policy that runs nothing; other types are never served inline.
 */
import { expect } from "chai";
import request from "supertest";
import { createWorld, type World } from "../../support/testApp.js";
import { allowPageSignIn, pageAgent } from "../../support/pageAgent.js";
import { placeOrder } from "../../support/flows.js";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a0d5e8b90000000049454e44ae426082",
  "hex",
);
const DOCX = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(60)]);

describe("inline preview of dossier files", () => {
  let w: World;
  let id: string;
  const files: Record<string, string> = {};
  before(async () => {
    w = await createWorld();
    await allowPageSignIn(w);
    id = (await placeOrder(w)).id;
    for (const [name, bytes] of [
      ["Du-thao.pdf", PDF],
      ["Ban-do.png", PNG],
      ["Phu-luc.docx", DOCX],
    ] as const) {
      const res = await w
        .as("agency")
        .upload(`/api/v1/assignments/${id}/files`)
        .field("kind", "draft")
        .attach("file", bytes, name);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      files[name] = res.body.data.id;
    }
  });

  it("links a preview for PDFs and images only, from the assignment page", async () => {
    const { agent } = await pageAgent(w, "secretariat");
    const page = await agent.get(`/assignments/${id}`).expect(200);
    expect(page.text).to.contain(`/assignments/${id}/files/${files["Du-thao.pdf"]}/preview`);
    expect(page.text).to.contain(`/assignments/${id}/files/${files["Ban-do.png"]}/preview`);
    expect(page.text).not.to.contain(`/files/${files["Phu-luc.docx"]}/preview`);
  });

  it("serves a PDF and an image inline with safe headers; the preview page frames or shows them", async () => {
    const { agent } = await pageAgent(w, "secretariat");
    const pdfPage = await agent.get(`/assignments/${id}/files/${files["Du-thao.pdf"]}/preview`).expect(200);
    expect(pdfPage.text).to.contain(
      `<iframe class="doc-preview file-preview" src="/assignments/${id}/files/${files["Du-thao.pdf"]}/view"`,
    );
    const pdf = await agent.get(`/assignments/${id}/files/${files["Du-thao.pdf"]}/view`).expect(200);
    expect(pdf.headers["content-type"]).to.equal("application/pdf");
    expect(pdf.headers["content-disposition"]).to.match(/^inline; filename\*=UTF-8''Du-thao\.pdf$/);
    expect(pdf.headers["x-content-type-options"]).to.equal("nosniff");
    expect(pdf.headers["content-security-policy"]).to.contain("default-src 'none'");
    const imgPage = await agent.get(`/assignments/${id}/files/${files["Ban-do.png"]}/preview`).expect(200);
    expect(imgPage.text).to.contain(
      `<img class="file-preview" src="/assignments/${id}/files/${files["Ban-do.png"]}/view"`,
    );
    const png = await agent.get(`/assignments/${id}/files/${files["Ban-do.png"]}/view`).expect(200);
    expect(png.headers["content-type"]).to.equal("image/png");
    expect(png.headers["content-disposition"]).to.match(/^inline;/);
  });

  it("never serves other types inline, and nothing to someone who may not see the assignment", async () => {
    const { agent } = await pageAgent(w, "secretariat");
    const docx = await agent.get(`/assignments/${id}/files/${files["Phu-luc.docx"]}/view`);
    expect(docx.status).to.equal(415);
    expect(docx.headers["content-disposition"]).to.equal(undefined);
    const other = await pageAgent(w, "otheragency");
    await other.agent.get(`/assignments/${id}/files/${files["Du-thao.pdf"]}/view`).expect(404);
    const anonymous = await request(w.app).get(`/assignments/${id}/files/${files["Du-thao.pdf"]}/view`);
    expect(anonymous.status).to.equal(303);
  });
});
