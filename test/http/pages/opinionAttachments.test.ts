/**
 * Opinions carry attachments (issue 14 §2): checked like the dossier (type, the bytes' signature,
 * empty files), each file on its own so a refused file is named with its reason and never drops the
 * good one beside it; listed with the opinion and downloadable only by those who may see it.
 */
import { expect } from "chai";
import { eq } from "drizzle-orm";
import { opinionAttachments } from "../../../server/db/schema.js";
import { dossierFiles, assignments } from "../../../server/db/schema.js";
import { createWorld, orderBody, type World } from "../../support/testApp.js";
import { placeOrder, send, submitOpinions, toPlanning, toReview } from "../../support/flows.js";
import { allowPageSignIn, pageAgent } from "../../support/pageAgent.js";

const PDF = Buffer.from("%PDF-1.4\n% bảng số liệu\n%%EOF\n");
const EXE = Buffer.from("MZ\x90\x00 not a pdf");

describe("opinion attachments", () => {
  let w: World;
  let id = "";
  let fileId = "";
  before(async () => {
    w = await createWorld();
    await allowPageSignIn(w);
    id = (await placeOrder(w, { forms: ["council"] })).id;
    await toPlanning(w, id);
    await toReview(w, id, 3);
  });

  it("keeps the valid file and names the refused one beside it with its reason", async () => {
    const { agent, csrf } = await pageAgent(w, "expert0");
    const res = await agent
      .post(`/assignments/${id}/opinion/files`)
      .field("_csrf", csrf)
      .attach("files", PDF, "Bảng số liệu.pdf")
      .attach("files", EXE, "virus.pdf")
      .attach("files", EXE, "chạy.exe");
    expect(res.status).to.equal(415);
    expect(res.text).to.contain("virus.pdf: Nội dung tệp không đúng với phần mở rộng của tên tệp.");
    expect(res.text).to.contain("chạy.exe: Chỉ nhận tệp PDF");
    expect(res.text).to.contain("Các tệp khác đã được lưu: Bảng số liệu.pdf.");
    const rows = await w.db.select().from(opinionAttachments).where(eq(opinionAttachments.assignmentId, id));
    expect(rows.map((r) => [r.fileName, r.contentType, r.expertId])).to.deep.equal([
      ["Bảng số liệu.pdf", "application/pdf", w.experts[0].id],
    ]);
    fileId = rows[0].id;
  });

  it("refuses an empty choice and an empty file, and redirects when every file is kept", async () => {
    const { agent, csrf } = await pageAgent(w, "expert0");
    const none = await agent.post(`/assignments/${id}/opinion/files`).field("_csrf", csrf);
    expect(none.status).to.equal(400);
    const empty = await agent
      .post(`/assignments/${id}/opinion/files`)
      .field("_csrf", csrf)
      .attach("files", Buffer.alloc(0), "rỗng.pdf");
    expect(empty.status).to.equal(400);
    const ok = await agent
      .post(`/assignments/${id}/opinion/files`)
      .field("_csrf", csrf)
      .attach("files", PDF, "phụ lục.pdf");
    expect(ok.status).to.equal(303);
    expect(ok.headers.location).to.equal(`/assignments/${id}/opinion?done=opinion.attached#attachments`);
  });

  it("lists the files on the expert's form and lets only those who may see the opinion download them", async () => {
    const { agent } = await pageAgent(w, "expert0");
    const page = await agent.get(`/assignments/${id}/opinion`).expect(200);
    expect(page.text).to.contain(`href="/assignments/${id}/opinion-files/${fileId}">Bảng số liệu.pdf</a>`);
    const own = await agent.get(`/assignments/${id}/opinion-files/${fileId}`).buffer(true);
    expect(own.status).to.equal(200);
    expect(own.headers["content-type"]).to.equal("application/pdf");
    expect(Buffer.compare(own.body as Buffer, PDF)).to.equal(0);
    const other = await pageAgent(w, "expert1");
    await other.agent.get(`/assignments/${id}/opinion-files/${fileId}`).expect(404);
    const staff = await pageAgent(w, "secretariat");
    await staff.agent.get(`/assignments/${id}/opinion-files/${fileId}`).expect(404); // not submitted yet
    await submitOpinions(w, id, [0, 1, 2]);
    await staff.agent.get(`/assignments/${id}/opinion-files/${fileId}`).expect(200);
    const agency = await pageAgent(w, "agency");
    await agency.agent.get(`/assignments/${id}/opinion-files/${fileId}`).expect(404);
    await send(w, "secretariat", id, { type: "review.close" });
    const editor = await staff.agent.get(`/assignments/${id}/report`).expect(200);
    expect(editor.text).to.contain(`/opinion-files/${fileId}">Bảng số liệu.pdf</a>`);
  });

  it("takes no attachment once the review is over", async () => {
    const { agent, csrf } = await pageAgent(w, "expert0");
    const late = await agent
      .post(`/assignments/${id}/opinion/files`)
      .field("_csrf", csrf)
      .attach("files", PDF, "muộn.pdf");
    expect(late.status).to.equal(409);
  });
});

describe("a new order's dossier with one refused file", () => {
  it("creates the order with the good file and names the refused one on the assignment page", async () => {
    const w = await createWorld();
    await allowPageSignIn(w);
    const { agent, csrf } = await pageAgent(w, "agency");
    const order = orderBody({ title: "Đề án thử tệp bị từ chối" });
    let req = agent.post("/assignments/new").field("_csrf", csrf);
    for (const [k, v] of Object.entries(order))
      for (const x of Array.isArray(v) ? v : [v]) req = req.field(k, String(x));
    const res = await req.attach("request_letter", PDF, "Công văn đề nghị.pdf").attach("draft", EXE, "Dự thảo.docx");
    expect(res.status, res.text).to.equal(303);
    const [a] = await w.db.select().from(assignments).where(eq(assignments.title, "Đề án thử tệp bị từ chối"));
    const files = await w.db.select().from(dossierFiles).where(eq(dossierFiles.assignmentId, a.id));
    expect(files.map((f) => [f.kind, f.fileName])).to.deep.equal([["request_letter", "Công văn đề nghị.pdf"]]);
    expect(res.headers.location).to.match(new RegExp(`^/assignments/${a.id}\\?done=order.created&refused=.*#files$`));
    const page = await agent.get(res.headers.location as string).expect(200);
    expect(page.text).to.contain(
      "Các tệp sau không được nhận: Dự thảo.docx (Nội dung tệp không đúng với phần mở rộng của tên tệp.)",
    );
    const forged = await agent.get(`/assignments/${a.id}?refused=${encodeURIComponent("x.pdf:internal_code")}`);
    expect(forged.text).to.not.contain("Các tệp sau không được nhận");
  });
});
