import { expect } from "chai";
import { asc, eq } from "drizzle-orm";
import { assignments, documents, history, planItemVersions } from "../../server/db/schema.js";
import { demoRates } from "../../server/money/demoRates.js";
import { createWorld, type World } from "../support/testApp.js";
import { send, toClosed, toIssuing, toPlanning, toReview, submitOpinions } from "../support/flows.js";
import { associationUser, personFor, planEvent, propose, recordDecision } from "../support/planFlows.js";

type Client = Awaited<ReturnType<typeof personFor>>;
const ok = (res: { status: number; body: unknown }, status = 200) =>
  expect(res.status, JSON.stringify(res.body)).to.equal(status);

/** Proposals to the province's decision (one item cut); returns the item ids. */
async function initialList(w: World, planId: string) {
  const { client: assoc } = await associationUser(w);
  const a1 = await propose(w.as("agency"), planId);
  const cutMe = await propose(assoc, planId, {
    title: "Tư vấn chính sách thu hút trí thức trẻ",
    type: "consultancy",
    forms: ["expert_group"],
    quarter: 1,
    estimatedCost: 30_000_000,
  });
  const u1 = await propose(w.as("secretariat"), planId, {
    title: "Giám định dự án hồ chứa nước Khuổi Nhùng",
    type: "assessment",
    forms: ["council"],
    quarter: 3,
    estimatedCost: 80_000_000,
    orderingAgencyId: w.agency.id,
  });
  const u2 = await propose(w.as("secretariat"), planId, {
    title: "Phản biện quy hoạch chung đô thị Na Hang",
    forms: ["council"],
    quarter: 4,
    estimatedCost: 60_000_000,
    orderingAgencyId: w.agency.id,
  });
  await planEvent(w.as("secretariat"), planId, { type: "proposals.close" });
  await planEvent(w.as("secretariat"), planId, { type: "items.rank", order: [a1, u1, u2, cutMe] });
  await planEvent(w.as("secretariat"), planId, { type: "submission.propose" });
  const returned = await planEvent(w.as("leadership"), planId, {
    type: "submission.return",
    comments: "Bổ sung căn cứ pháp lý cho từng nhiệm vụ.",
  });
  expect(returned.state).to.equal("preparing.compiling");
  await planEvent(w.as("secretariat"), planId, { type: "submission.propose" });
  await planEvent(w.as("leadership"), planId, { type: "submission.approve" });
  await planEvent(w.as("clerk"), planId, { type: "submission.issue" });
  const decided = await recordDecision(w.as("clerk"), planId, {
    number: "2345/QĐ-UBND",
    date: "2026-12-20",
    cut: [cutMe],
  });
  expect(decided.state).to.equal("inExecution.running");
  return { a1, u1, u2, cutMe };
}

/** An amendment: one item added, one changed; the province approves it; every version kept. */
async function amend(w: World, planId: string, u2: string) {
  await planEvent(w.as("secretariat"), planId, {
    type: "amendment.open",
    reason: "UBND tỉnh giao bổ sung nhiệm vụ giữa năm.",
  });
  const added = await planEvent(w.as("secretariat"), planId, {
    type: "item.add",
    content: {
      title: "Tư vấn Kế hoạch chuyển đổi số trong nông nghiệp",
      type: "consultancy",
      forms: ["written"],
      quarter: 3,
      rationale: "Chỉ đạo của UBND tỉnh tại Công văn 812/UBND-KGVX.",
      estimatedCost: 25_000_000,
      orderingAgencyId: w.agency.id,
    },
  });
  const u3 = added.items.find((i: { addedInVersion: number }) => i.addedInVersion === 2).id as string;
  await planEvent(w.as("secretariat"), planId, {
    type: "item.change",
    itemId: u2,
    content: { estimatedCost: 70_000_000 },
    reason: "Mở rộng phạm vi khảo sát.",
  });
  await planEvent(w.as("secretariat"), planId, { type: "items.rank", order: [u3] });
  await planEvent(w.as("secretariat"), planId, { type: "submission.propose" });
  await planEvent(w.as("leadership"), planId, { type: "submission.approve" });
  await planEvent(w.as("clerk"), planId, { type: "submission.issue" });
  const decided = await recordDecision(w.as("secretariat"), planId, { number: "1020/QĐ-UBND", date: "2027-05-10" });
  expect(decided.state).to.equal("inExecution.running");
  expect(decided.approvedVersion).to.equal(2);
  const versions = await w.db.select().from(planItemVersions).where(eq(planItemVersions.itemId, u2));
  expect(versions.map((v) => [v.estimatedCost, v.approvedBudget, v.listVersion])).to.deep.equal([
    [60_000_000, null, 1],
    [60_000_000, 60_000_000, 1],
    [70_000_000, 60_000_000, 2],
    [70_000_000, 70_000_000, 2],
  ]);
  return u3;
}

/** Three items to work: the agency orders its own, the Union starts two; each is taken to closure. */
async function doTheWork(w: World, planId: string, ids: string[]) {
  const started: string[] = [];
  for (const [i, itemId] of ids.entries()) {
    const who = i === 0 ? w.as("agency") : w.as("secretariat");
    const res = await who.post(`/api/v1/annual-plans/${planId}/items/${itemId}/start`, {
      orderNumber: `${100 + i}/UBND-KGVX`,
    });
    ok(res, 201);
    const [a] = await w.db.select().from(assignments).where(eq(assignments.id, res.body.data.assignmentId));
    expect([a.origin, a.planItemId]).to.deep.equal(["annual_list", itemId]);
    started.push(a.id);
  }
  const again = await w.as("secretariat").post(`/api/v1/annual-plans/${planId}/items/${ids[0]}/start`);
  expect([again.status, again.body.error.code]).to.deep.equal([409, "rule_violated"]);
  for (const [i, id] of started.entries()) {
    await toPlanning(w, id);
    await toReview(w, id, 3);
    await submitOpinions(w, id, [0, 1, 2]);
    await send(w, "secretariat", id, { type: "review.close" });
    await toIssuing(w, id, i < 2); // the third is written opinions only: no council chair to endorse
    const closed = await toClosed(w, id);
    expect(closed.state).to.equal("closed");
  }
  return started;
}

/** A payment of an expert's fee for a written opinion, 10% tax withheld. */
const payment = (assignmentId: string, expertId: string, voucherNumber: string) => ({
  assignmentId,
  payee: { kind: "expert", expertId },
  item: "expert_opinion",
  description: "Thù lao viết bài nhận xét, phản biện",
  amount: 2_000_000,
  taxWithheld: 200_000,
  paidOn: "2027-09-15",
  voucherNumber,
});

/** Rates, an estimate, payments (one reversed), the settlement and who may see what. */
async function money(w: World, accountant: Client, work: string[]) {
  for (const { id: _id, ...rate } of demoRates()) ok(await accountant.post("/api/v1/rates", rate), 201);
  const est = await w
    .as("secretariat")
    .post(`/api/v1/assignments/${work[0]}/estimates`, { panel: { chair: 1, reviewer: 2 }, forms: ["council"] });
  ok(est, 201);
  expect(est.body.data.budget).to.equal(45_000_000);
  expect(Number.isSafeInteger(est.body.data.total)).to.equal(true);
  for (const [n, id] of work.entries())
    for (let e = 0; e < 3; e++) {
      ok(await accountant.post("/api/v1/payments", payment(id, w.experts[e].id, `PC-${n}${e}`)), 201);
    }
  const list = (await accountant.get(`/api/v1/payments?assignmentId=${work[0]}`)).body.data;
  const wrong = list.find((p: { expertId: string }) => p.expertId === w.experts[2].id);
  ok(
    await accountant.post(`/api/v1/payments/${wrong.id}/reversal`, {
      amount: 500_000,
      paidOn: "2027-09-20",
      voucherNumber: "PC-DC01",
      reason: "Chi thừa so với định mức",
    }),
    201,
  );
  const selfPaid = { ...payment(work[0], w.experts[0].id, "PC-X"), amount: 9_000_000 };
  expect((await w.as("expert0").post("/api/v1/payments", selfPaid)).status).to.equal(403);
  const settlement = (await accountant.get(`/api/v1/assignments/${work[0]}/settlement`)).body.data;
  expect(settlement.totals).to.deep.equal({ gross: 5_500_000, tax: 550_000, net: 4_950_000 });
  expect(settlement.totalInWords).to.match(/^Bốn triệu chín trăm năm mươi nghìn đồng$/);
  const xlsx = await accountant.get(`/api/v1/assignments/${work[0]}/settlement.xlsx`).responseType("blob");
  expect([xlsx.status, xlsx.body.subarray(0, 2).toString()]).to.deep.equal([200, "PK"]);
  // Amounts paid to a person: that person and the money staff see them, other experts do not.
  const own = await w.as("expert1").get(`/api/v1/experts/${w.experts[1].id}/statement?year=2027`);
  ok(own);
  expect(own.body.data.totals.gross).to.equal(6_000_000);
  expect((await w.as("expert2").get(`/api/v1/experts/${w.experts[1].id}/statement?year=2027`)).status).to.equal(403);
  expect((await w.as("expert2").get(`/api/v1/assignments/${work[0]}/settlement`)).status).to.equal(403);
  const mine = (await w.as("expert2").get("/api/v1/payments")).body.data;
  expect(mine.length).to.equal(4);
  expect(mine.every((p: { expertId: string }) => p.expertId === w.experts[2].id)).to.equal(true);
  ok(await w.as("leadership").get(`/api/v1/experts/${w.experts[1].id}/statement?year=2027`));
}

describe("a year of the annual plan through the API, as the real roles", function () {
  this.timeout(600000);
  let w: World;
  before(async () => {
    w = await createWorld({ start: "2026-10-01T02:00:00Z" });
  });

  it("takes a year from proposals to the decision, an amendment, three items to closure, payments and the report", async () => {
    const created = await w
      .as("secretariat")
      .post("/api/v1/annual-plans", { year: 2027, proposalsDueOn: "2026-11-30" });
    ok(created, 201);
    const planId = created.body.data.id;
    const { a1, u1, u2, cutMe } = await initialList(w, planId);
    const u3 = await amend(w, planId, u2);
    const work = await doTheWork(w, planId, [a1, u1, u3]);
    const accountant = await personFor(w, ["accountant"]);
    await money(w, accountant, work);
    const plan = (await w.as("secretariat").get(`/api/v1/annual-plans/${planId}`)).body.data;
    const status = Object.fromEntries(plan.items.map((i: { id: string; status: string }) => [i.id, i.status]));
    expect(status).to.deep.equal({ [a1]: "done", [u1]: "done", [u3]: "done", [u2]: "changed", [cutMe]: "cut" });
    await planEvent(w.as("secretariat"), planId, { type: "report.submit" });
    const closed = await planEvent(w.as("leadership"), planId, { type: "report.approve" });
    expect(closed.state).to.equal("closed");
    const report = (await accountant.get(`/api/v1/annual-plans/${planId}/report`)).body.data;
    expect(report.execution).to.include({ planned: 4, done: 3, carriedOver: 1, cut: 1 });
    expect(report.statement.totals.approved).to.equal(45_000_000 + 80_000_000 + 70_000_000 + 25_000_000);
    expect(report.statement.totals.spent).to.equal(17_500_000);
    const docs = await w.db.select().from(documents).where(eq(documents.organizationId, w.org.id));
    const labels = docs.filter((d) => d.kind.startsWith("plan")).map((d) => `${d.kind} ${d.register} ${d.number}`);
    // The execution report shares the BC register with the three final reports issued before it.
    expect(labels.sort()).to.deep.equal(["planExecutionReport BC 4", "planSubmission TTr 1", "planSubmission TTr 2"]);
    const rows = await w.db.select().from(history).where(eq(history.workflowId, planId)).orderBy(asc(history.id));
    expect(rows.map((r) => r.version)).to.deep.equal(rows.map((_r, i) => i + 1));
  });
});
