/**
 * The year's plan documents as the engine issues them, through the HTTP API as the real roles, with
 * real PDFs: the Tờ trình with the list as its annex when the clerk issues the submission (and again,
 * as a new numbered document, for an amendment), the settlement of experts' fees when the accountant
 * asks for it, and the execution report when leadership approves the year's report.
 */
import { expect } from "chai";
import { and, asc, eq } from "drizzle-orm";
import { documents } from "../../server/db/schema.js";
import { pdfFonts, pdfInfo, pdfText, squash } from "../support/documents.js";
import { associationUser, personFor, planEvent, propose, recordDecision } from "../support/planFlows.js";
import { createWorld, type World } from "../support/testApp.js";
import { demoRates } from "../../server/money/demoRates.js";

type Client = ReturnType<World["as"]>;
const ok = (res: { status: number; body: unknown }, status = 200) =>
  expect(res.status, JSON.stringify(res.body)).to.equal(status);

/** The organisation's issued documents of a kind, oldest first. */
async function docsOf(w: World, kind: string) {
  return w.db
    .select()
    .from(documents)
    .where(and(eq(documents.organizationId, w.org.id), eq(documents.kind, kind)))
    .orderBy(asc(documents.createdAt));
}

/**
 * Performs the due effects until the organisation's documents are all issued: on a loaded machine a
 * render may time out, and its retry waits for its back-off, so the clock moves past it.
 */
async function rendered(w: World): Promise<void> {
  for (let i = 0; i < 8; i++) {
    await w.settled();
    const pending = await w.db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.organizationId, w.org.id), eq(documents.status, "issuing")));
    if (!pending.length) return;
    w.clock.advance(5 * 60_000);
  }
}

/** Downloads an issued PDF as `who`, checks the Decree 30 layout basics, returns its text (squashed). */
async function issuedPdf(
  who: Client,
  id: string,
  numberLine: string | null,
): Promise<{ text: string; raw: string; pdf: Buffer }> {
  const res = await who.get(`/api/v1/documents/${id}/pdf`).buffer(true);
  ok(res);
  const pdf = res.body as Buffer;
  // Raw order keeps a table cell's wrapped lines together.
  const [info, fonts, page1, text, raw] = await Promise.all([
    pdfInfo(pdf),
    pdfFonts(pdf),
    pdfText(pdf, { first: 1, last: 1 }),
    pdfText(pdf),
    pdfText(pdf, { mode: "raw" }),
  ]);
  expect(info["Page size"]).to.match(/^59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
  for (const f of fonts) expect(f.name).to.match(/Tinos/) && expect(f.embedded).to.equal(true);
  expect(page1).to.include("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  expect(page1).to.include("Độc lập - Tự do - Hạnh phúc");
  expect(page1).to.match(/Tuyên Quang, ngày \d\d tháng \d\d năm 20\d\d/);
  if (numberLine) expect(page1).to.include(numberLine);
  else expect(page1).to.not.match(/Số:/);
  return { text: squash(text), raw: squash(raw), pdf };
}

/** Three proposals, submitted, issued by the clerk; the province cuts one. Returns the item ids. */
async function initialList(w: World, planId: string) {
  const { client: assoc } = await associationUser(w);
  const a1 = await propose(w.as("agency"), planId);
  const cutMe = await propose(assoc, planId, {
    title: "Tư vấn chính sách thu hút trí thức trẻ",
    type: "consultancy",
    forms: ["expert_group", "written"],
    quarter: 1,
    estimatedCost: 30_000_000,
  });
  const u1 = await propose(w.as("secretariat"), planId, {
    title: "Giám định dự án hồ chứa nước Khuổi Nhùng",
    type: "assessment",
    forms: ["council", "workshop"],
    quarter: 3,
    estimatedCost: 80_000_000,
    orderingAgencyId: w.agency.id,
  });
  await planEvent(w.as("secretariat"), planId, { type: "proposals.close" });
  await planEvent(w.as("secretariat"), planId, { type: "items.rank", order: [a1, u1, cutMe] });
  await planEvent(w.as("secretariat"), planId, { type: "submission.propose" });
  await planEvent(w.as("leadership"), planId, { type: "submission.approve" });
  expect(await docsOf(w, "planSubmission")).to.have.length(0);
  await planEvent(w.as("clerk"), planId, { type: "submission.issue" });
  return { a1, u1, cutMe };
}

describe("the year's plan documents, issued at their steps through the API", function () {
  this.timeout(600_000);
  let w: World;
  before(async () => {
    w = await createWorld({ start: "2026-10-01T02:00:00Z", documents: true });
  });

  it("issues the Tờ trình with the list, the amendment's, the experts' settlement and the execution report", async () => {
    const created = await w
      .as("secretariat")
      .post("/api/v1/annual-plans", { year: 2027, proposalsDueOn: "2026-11-30" });
    ok(created, 201);
    const planId = created.body.data.id as string;
    const { a1, u1, cutMe } = await initialList(w, planId);
    await rendered(w);
    const [first] = await docsOf(w, "planSubmission");
    expect([first.status, first.register, first.numberLabel]).to.deep.equal(["issued", "TTr", "01/TTr-LHH"]);
    const submission = (await issuedPdf(w.as("clerk"), first.id, "Số: 01/TTr-LHH")).text;
    expect(submission).to.include(
      "TỜ TRÌNH Về việc đề nghị phê duyệt Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2027",
    );
    expect(submission).to.include("Kính gửi: Ủy ban nhân dân tỉnh Tuyên Quang");
    expect(submission).to.include("Trên cơ sở 03 đề xuất nhận được");
    expect(submission).to.include(
      "Danh mục gồm 03 nhiệm vụ (01 nhiệm vụ tư vấn, 01 nhiệm vụ phản biện, 01 nhiệm vụ giám định xã hội)",
    );
    expect(submission).to.include(
      "Tổng kinh phí dự kiến: 155.000.000 đồng (Bằng chữ: Một trăm năm mươi lăm triệu đồng).",
    );
    expect(submission).to.include("PHỤ LỤC DANH MỤC NHIỆM VỤ TƯ VẤN, PHẢN BIỆN VÀ GIÁM ĐỊNH XÃ HỘI NĂM 2027");
    expect(submission).to.match(/Quý II 45\.000\.000.*Quý III 80\.000\.000.*Quý I 30\.000\.000/);
    expect(submission).to.include("Hội Dược liệu"); // the association that proposed it, in its table cell
    expect(submission).to.match(/Tổng cộng 155\.000\.000/);
    expect(submission).to.include("Nơi nhận:");
    // Nobody outside the staff reads the Union's submission.
    expect((await w.as("agency").get(`/api/v1/documents/${first.id}/pdf`)).status).to.equal(404);

    await recordDecision(w.as("clerk"), planId, { number: "2345/QĐ-UBND", date: "2026-12-20", cut: [cutMe] });
    w.clock.set("2027-05-04T02:00:00Z");
    await planEvent(w.as("secretariat"), planId, {
      type: "amendment.open",
      reason: "UBND tỉnh giao bổ sung nhiệm vụ.",
    });
    await planEvent(w.as("secretariat"), planId, {
      type: "item.change",
      itemId: u1,
      content: { estimatedCost: 95_000_000 },
      reason: "Mở rộng phạm vi khảo sát sang hai xã vùng lòng hồ.",
    });
    await planEvent(w.as("secretariat"), planId, { type: "submission.propose" });
    await planEvent(w.as("leadership"), planId, { type: "submission.approve" });
    await planEvent(w.as("clerk"), planId, { type: "submission.issue" });
    await rendered(w);
    const both = await docsOf(w, "planSubmission");
    // Each register runs per calendar year: the amendment's Tờ trình is the first of 2027.
    expect(both.map((d) => [d.status, d.numberLabel, d.year])).to.deep.equal([
      ["issued", "01/TTr-LHH", 2026],
      ["issued", "01/TTr-LHH", 2027],
    ]);
    expect(both[0].sha256, "the first Tờ trình is kept as issued").to.equal(first.sha256);
    const { text: amendment, raw: amendmentRaw } = await issuedPdf(
      w.as("leadership"),
      both[1].id,
      `Số: ${both[1].numberLabel}`,
    );
    expect(amendment).to.include(
      "Về việc đề nghị điều chỉnh, bổ sung Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2027",
    );
    expect(amendment).to.include("phê duyệt tại Quyết định số 2345/QĐ-UBND ngày 20/12/2026.");
    expect(amendment).to.include("bổ sung 00 nhiệm vụ; điều chỉnh 01 nhiệm vụ; đưa ra khỏi danh mục 00 nhiệm vụ");
    expect(amendment).to.include("II. NHIỆM VỤ ĐIỀU CHỈNH");
    expect(amendmentRaw).to.include("Mở rộng phạm vi khảo sát sang hai xã vùng lòng hồ.");
    expect(amendment).to.include("140.000.000 đồng (Bằng chữ: Một trăm bốn mươi triệu đồng)");
    await recordDecision(w.as("secretariat"), planId, { number: "1020/QĐ-UBND", date: "2027-05-10" });

    const settlementDoc = await settle(w, planId, a1);
    const { text: settlement, raw: settlementRaw } = await issuedPdf(
      await personFor(w, ["accountant"]),
      settlementDoc,
      null,
    );
    expect(settlement).to.include("BẢNG KÊ CHI THÙ LAO CHUYÊN GIA");
    expect(settlement).to.include("Ký nhận");
    expect(settlementRaw).to.include("TS. Nguyễn Thị Phương Thảo");
    expect(settlement).to.include("2.000.000 200.000 1.800.000");
    expect(settlement).to.match(/Tổng cộng 3\.500\.000 200\.000 3\.300\.000/);
    expect(settlement).to.include("Tổng số tiền bằng chữ: Ba triệu năm trăm nghìn đồng.");
    expect(settlement).to.include("Kèm theo chứng từ số: PC-01, PC-02.");
    expect(settlement).to.match(/NGƯỜI LẬP BIỂU.*KẾ TOÁN/);
    // What each expert was paid is not for the panel, the agency or the clerk.
    for (const who of [w.as("expert0"), w.as("agency"), w.as("clerk")])
      expect((await who.get(`/api/v1/documents/${settlementDoc}/pdf`)).status).to.equal(404);

    w.clock.set("2027-12-28T02:00:00Z");
    await planEvent(w.as("secretariat"), planId, { type: "report.submit" });
    expect(await docsOf(w, "planExecutionReport")).to.have.length(0);
    await planEvent(w.as("leadership"), planId, { type: "report.approve" });
    await rendered(w);
    const [report] = await docsOf(w, "planExecutionReport");
    expect([report.status, report.register]).to.deep.equal(["issued", "BC"]);
    const text = (await issuedPdf(w.as("leadership"), report.id, `Số: ${report.numberLabel}`)).text;
    expect(text).to.include(
      "BÁO CÁO Kết quả thực hiện Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2027",
    );
    expect(text).to.include("Quyết định số 2345/QĐ-UBND ngày 20/12/2026 và Quyết định số 1020/QĐ-UBND ngày 10/05/2027");
    expect(text).to.match(/02 00 02 01/);
    expect(text).to.match(/Tổng cộng 140\.000\.000 3\.500\.000 136\.500\.000/);
    expect(text).to.include("Tổng kinh phí đã chi: 3.500.000 đồng (Bằng chữ: Ba triệu năm trăm nghìn đồng)");
    expect(text).to.include("Chuyển sang năm sau");

    // The annual activity report carries the year's list: execution and money.
    ok(await w.as("leadership").post("/api/v1/activity-reports", { year: 2027 }), 201);
    await rendered(w);
    const [activity] = await docsOf(w, "activityReport");
    const { text: annual, raw: annualRaw } = await issuedPdf(
      w.as("leadership"),
      activity.id,
      `Số: ${activity.numberLabel}`,
    );
    expect(annual).to.include("3. Thực hiện Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2027");
    expect(annualRaw).to.include("Nhiệm vụ thuộc Danh mục").and.include("Chưa triển khai");
    expect(annual).to.match(/02 00 00 00 02 01/);
    expect(annual).to.match(/140\.000\.000 3\.500\.000 136\.500\.000/);
    expect(annual).to.include(
      "Kinh phí đã chi đến hết năm 2027: 3.500.000 đồng (Bằng chữ: Ba triệu năm trăm nghìn đồng).",
    );
  });
});

/** The agency orders its item; the accountant pays two experts and issues the bảng kê. Returns its document id. */
async function settle(w: World, planId: string, itemId: string): Promise<string> {
  const started = await w.as("agency").post(`/api/v1/annual-plans/${planId}/items/${itemId}/start`, {
    orderNumber: "101/UBND-KGVX",
  });
  ok(started, 201);
  const assignmentId = started.body.data.assignmentId as string;
  const accountant = await personFor(w, ["accountant"], { fullName: "Hoàng Thị Mai" });
  const early = await accountant.post(`/api/v1/assignments/${assignmentId}/settlement-statements`);
  expect([early.status, early.body.error?.code]).to.deep.equal([400, "nothing_to_settle"]);
  const pay = (e: number, amount: number, tax: number, voucherNumber: string) =>
    accountant.post("/api/v1/payments", {
      assignmentId,
      payee: { kind: "expert", expertId: w.experts[e].id },
      item: "expert_opinion",
      description: "Bài nhận xét, phản biện",
      amount,
      taxWithheld: tax,
      paidOn: "2027-06-15",
      voucherNumber,
    });
  ok(await pay(0, 2_000_000, 200_000, "PC-01"), 201);
  ok(await pay(1, 1_500_000, 0, "PC-02"), 201);
  expect((await w.as("expert0").post(`/api/v1/assignments/${assignmentId}/settlement-statements`)).status).to.equal(
    403,
  );
  const issued = await accountant.post(`/api/v1/assignments/${assignmentId}/settlement-statements`);
  ok(issued, 201);
  await rendered(w);
  const [row] = await w.db.select().from(documents).where(eq(documents.id, issued.body.data.id));
  expect([row.status, row.number, row.register]).to.deep.equal(["issued", null, null]);
  return row.id;
}

describe("the cost estimate issued as a PDF document", function () {
  this.timeout(600_000);

  it("prints the latest estimate with its lines and the total in words, for the money's readers only", async () => {
    const w = await createWorld({ start: "2026-10-01T02:00:00Z", documents: true });
    const accountant = await personFor(w, ["accountant"], { fullName: "Hoàng Thị Mai" });
    for (const { id: _id, ...rate } of demoRates()) ok(await accountant.post("/api/v1/rates", rate), 201);
    const placed = await w.as("agency").post("/api/v1/assignments", {
      type: "critique",
      forms: ["council"],
      subjectKind: "project",
      title: "Đề án phát triển du lịch cộng đồng",
      orderNumber: "55/UBND-KGVX",
      orderDate: "2026-09-25",
    });
    ok(placed, 201);
    const id = placed.body.data.id as string;
    const early = await accountant.post(`/api/v1/assignments/${id}/estimate-documents`);
    expect([early.status, early.body.error?.code]).to.deep.equal([400, "estimate_missing"]);
    const est = await w
      .as("secretariat")
      .post(`/api/v1/assignments/${id}/estimates`, { panel: { chair: 1, reviewer: 2 }, forms: ["council"] });
    ok(est, 201);
    expect((await w.as("expert0").post(`/api/v1/assignments/${id}/estimate-documents`)).status).to.equal(403);
    const issued = await accountant.post(`/api/v1/assignments/${id}/estimate-documents`);
    ok(issued, 201);
    await rendered(w);
    const [row] = await w.db.select().from(documents).where(eq(documents.id, issued.body.data.id));
    expect([row.kind, row.status, row.number]).to.deep.equal(["costEstimate", "issued", null]);
    const { text } = await issuedPdf(accountant, row.id, null);
    expect(text).to.include("DỰ TOÁN");
    expect(text).to.include(est.body.data.total.toLocaleString("vi-VN"));
    expect(text).to.match(/Bằng chữ: [A-ZĐ]/);
    for (const who of [w.as("expert0"), w.as("agency"), w.as("clerk")])
      expect((await who.get(`/api/v1/documents/${row.id}/pdf`)).status).to.equal(404);
  });
});
