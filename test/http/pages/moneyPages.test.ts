/**
 * The accountant's pages (issue 16) as the real roles with cookie sessions: the rates table and
 * its form, an assignment's estimate built from the rates (an adjustment without a reason is
 * refused beside its field), payments recorded and reversed, the settlement, an expert's own
 * payments; other experts and other roles are refused; amounts in đồng the Vietnamese way.
 */
import { expect } from "chai";
import { eq } from "drizzle-orm";
import { recordStatements } from "../../support/statements.js";
import { documents } from "../../../server/db/schema.js";
import { actorFromUser } from "../../../server/queries/findActor.js";
import { loadAssignmentMoney } from "../../../server/queries/moneyReads.js";
import { demoRates } from "../../../server/money/demoRates.js";
import { createWorld, type World } from "../../support/testApp.js";
import { placeOrder } from "../../support/flows.js";
import { personFor } from "../../support/planFlows.js";
import { emailOf, givePasswords, signInAs } from "../../support/pageSession.js";
import { CODE_PATTERN, visibleText } from "../../support/pageText.js";

type Session = Awaited<ReturnType<typeof signInAs>>;

describe("money pages", () => {
  let w: World;
  let acc: Session;
  let sec: Session;
  let assignmentId = "";
  before(async () => {
    w = await createWorld({ start: "2026-09-01T02:00:00Z" });
    const accountant = await personFor(w, ["accountant"], { fullName: "Hà Thị Thu (Kế toán)" });
    for (const { id: _id, ...rate } of demoRates()) {
      const r = await accountant.post("/api/v1/rates", rate);
      expect(r.status, JSON.stringify(r.body)).to.equal(201);
    }
    assignmentId = (await placeOrder(w)).id as string;
    await givePasswords(w);
    acc = await signInAs(w, await emailOf(w, accountant.userId));
    sec = await signInAs(w, w.userFor("secretariat").email);
  });

  const form = (s: Session, url: string, body: Record<string, unknown>) =>
    s.agent
      .post(url)
      .type("form")
      .send({ _csrf: s.csrf, ...body });
  const noCodes = (html: string) => expect(visibleText(html).match(CODE_PATTERN) ?? []).to.deep.equal([]);

  it("shows the rates in words and adds one through the form; a wrong amount is refused beside it", async () => {
    const page = await acc.agent.get("/money/rates");
    expect(page.status).to.equal(200);
    expect(page.text).to.contain("Chủ trì cuộc họp");
    expect(page.text).to.match(/Định mức chi/);
    noCodes(page.text);
    const rate = {
      item: "printing",
      label: "In ấn tài liệu hội thảo",
      unit: "bộ",
      amount: "12,5",
      effectiveFrom: "2027-01-01",
      legalBasis: "Nghị quyết 12/2026/NQ-HĐND tỉnh Tuyên Quang",
    };
    const bad = await form(acc, "/money/rates", rate);
    expect(bad.status).to.equal(400);
    expect(bad.text).to.match(/id="r-amount"[^>]*aria-invalid="true"/);
    expect(bad.text).to.contain("In ấn tài liệu hội thảo");
    const ok = await form(acc, "/money/rates", { ...rate, amount: "65.000" });
    expect(ok.status).to.equal(303);
    expect((await acc.agent.get("/money/rates")).text).to.contain("65.000 đ");
    expect((await w.as("agency").get("/money/rates")).status).to.equal(403);
  });

  it("builds an estimate from the rates, refuses an adjustment without a reason, and spells the total", async () => {
    const assignmentPage = await sec.agent.get(`/assignments/${assignmentId}`);
    expect(assignmentPage.text).to.contain(`href="/assignments/${assignmentId}/money"`);
    const empty = await sec.agent.get(`/assignments/${assignmentId}/money`);
    expect(empty.status).to.equal(200);
    expect(empty.text).to.contain("Chưa lập dự toán.");
    expect(empty.text, "nothing to print yet").to.not.contain("/money/estimate-document");
    const work = { forms: "council", chair: "1", secretary: "1", reviewer: "2", member: "1", meetings: "1" };
    const bad = await form(sec, `/assignments/${assignmentId}/money/estimate`, {
      ...work,
      adjLabel0: "Thuê hội trường",
      adjAmount0: "2.000.000",
    });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.contain("Thuê hội trường");
    const ok = await form(sec, `/assignments/${assignmentId}/money/estimate`, {
      ...work,
      adjLabel0: "Thuê hội trường",
      adjAmount0: "2.000.000",
      adjReason0: "Hội trường của Liên hiệp hội đang sửa chữa.",
    });
    expect(ok.status, ok.text.slice(0, 300)).to.equal(303);
    const page = await acc.agent.get(`/assignments/${assignmentId}/money`);
    expect(page.text).to.contain("Hội trường của Liên hiệp hội đang sửa chữa.");
    expect(page.text).to.match(/Bằng chữ:<\/p>|Bằng chữ: <em>[A-ZĐÂ][^<]+đồng/);
    expect(page.text).to.contain(`/api/v1/assignments/${assignmentId}/estimate.xlsx`);
    noCodes(page.text);
  });

  it("records a payment and its reversal; the expert sees only their own, others are refused", async () => {
    const payment = {
      assignmentId,
      payeeKind: "expert",
      expertId: w.experts[0].id,
      item: "expert_opinion",
      description: "Bài nhận xét phản biện",
      amount: "1.500.000",
      taxWithheld: "150.000",
      paidOn: "2026-09-10",
      voucherNumber: "PC-0912",
    };
    const bad = await form(acc, "/money/payments?year=2026", { ...payment, voucherNumber: "" });
    expect(bad.status).to.equal(400);
    expect(bad.text).to.match(/id="pay-voucherNumber"[^>]*aria-invalid="true"/);
    expect((await form(acc, "/money/payments?year=2026", payment)).status).to.equal(303);
    let list = await acc.agent.get("/money/payments?year=2026");
    expect(list.text).to.contain("1.500.000 đ");
    noCodes(list.text);
    const paymentId = /\/money\/payments\/([0-9a-f-]{36})\/reversal/.exec(list.text)![1];
    const reversal = { amount: "500.000", paidOn: "2026-09-12", voucherNumber: "PC-0913", reason: "Chi thừa." };
    expect((await form(acc, `/money/payments/${paymentId}/reversal?year=2026`, reversal)).status).to.equal(303);
    list = await acc.agent.get("/money/payments?year=2026");
    expect(list.text).to.contain("Điều chỉnh giảm");
    expect(list.text).to.contain("1.000.000 đ");
    const expert = await signInAs(w, w.userFor("expert0").email);
    const mine = await expert.agent.get("/money/mine?year=2026");
    expect(mine.status).to.equal(200);
    expect(mine.text).to.contain("Bài nhận xét phản biện");
    expect(mine.text).to.contain("Thù lao của tôi");
    const other = await signInAs(w, w.userFor("expert1").email);
    expect((await other.agent.get("/money/mine?year=2026")).text).not.to.contain("Bài nhận xét phản biện");
    expect((await other.agent.get("/money/payments")).status).to.equal(403);
    expect((await other.agent.get(`/money/experts/${w.experts[0].id}?year=2026`)).status).to.equal(403);
    expect((await w.as("agency").get(`/assignments/${assignmentId}/money`)).status).to.equal(403);
    const statement = await acc.agent.get(`/money/experts/${w.experts[0].id}?year=2026`);
    expect(statement.status).to.equal(200);
    expect(statement.text).to.contain(`/api/v1/experts/${w.experts[0].id}/statement.xlsx`);
    const settlement = await sec.agent.get(`/assignments/${assignmentId}/money`);
    expect(settlement.text).to.contain("Bảng kê chi thù lao chuyên gia");
    expect(settlement.text).to.contain(w.experts[0].fullName);
  });

  it("prints the estimate and the fee statement as PDFs from the money page, and lists them", async () => {
    const url = `/assignments/${assignmentId}/money`;
    let page = await acc.agent.get(url);
    expect(page.text).to.contain("Chưa in chứng từ nào.");
    expect(page.text, "the accountant has no assignment page to go back to").to.not.contain(
      `href="/assignments/${assignmentId}"`,
    );
    expect((await sec.agent.get(url)).text).to.contain(`href="/assignments/${assignmentId}"`);
    expect(page.text).to.contain(`action="${url}/estimate-document"`);
    expect(page.text).to.contain(`action="${url}/settlement-document"`);
    const estimate = await form(acc, `${url}/estimate-document`, {});
    expect(estimate.status, estimate.text.slice(0, 300)).to.equal(303);
    expect(estimate.headers.location).to.equal(`${url}?done=money.estimateIssued#pdfs`);
    expect((await form(sec, `${url}/settlement-document`, {})).status).to.equal(303);
    const expert = await signInAs(w, w.userFor("expert0").email);
    expect((await form(expert, `${url}/settlement-document`, {})).status).to.equal(403);
    page = await acc.agent.get(`${url}?done=money.estimateIssued`);
    expect(page.text).to.contain("In dự toán kinh phí (PDF)");
    expect(page.text).to.match(/<li>Dự toán kinh phí · /);
    expect(page.text).to.match(/<li>Bảng kê chi thù lao chuyên gia · /);
    const kinds = (await w.db.select().from(documents).where(eq(documents.assignmentId, assignmentId))).map(
      (d) => d.kind,
    );
    expect(kinds.filter((k) => k === "costEstimate" || k === "feeSettlement").sort()).to.deep.equal([
      "costEstimate",
      "feeSettlement",
    ]);
    noCodes(page.text);
  });

  it("shows the money entries in the navigation of the roles that use them", async () => {
    const page = await acc.agent.get("/money/payments");
    expect(page.text).to.contain('href="/money/rates"');
    expect(page.text).to.contain('href="/plans"');
    const expert = await signInAs(w, w.userFor("expert0").email);
    const home = await expert.agent.get("/");
    expect(home.text).to.contain('href="/money/mine"');
    expect(home.text).not.to.contain('href="/money/payments"');
  });

  it("reads the assignment once for its money page (estimates, settlement and printed forms)", async () => {
    const { sent, result: money } = await recordStatements(w.db, () =>
      loadAssignmentMoney(w.db, actorFromUser(w.userFor("secretariat")), assignmentId),
    );
    expect(sent.filter((q) => /from "assignments"/.test(q.text))).to.have.length(1);
    expect(money.estimates.assignment.id).to.equal(assignmentId);
    expect(money.settlement.assignment.id).to.equal(assignmentId);
    expect(money.documents.map((d) => d.kind)).to.include("costEstimate");
  });
});
