import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { history, planItemVersions } from "../../server/db/schema.js";
import { createWorld, type World } from "../support/testApp.js";
import { actorFromUser } from "../../server/queries/findActor.js";
import { listLatePlanItems } from "../../server/queries/listLatePlanItems.js";
import { associationUser, planEvent, propose, recordDecision } from "../support/planFlows.js";

describe("annual plan API: proposals to the province's decision", function () {
  this.timeout(120000);
  let w: World;
  before(async () => {
    w = await createWorld({ start: "2026-10-01T02:00:00Z" });
  });

  it("collects proposals, compiles, submits with a numbered Tờ trình and records the decision with a cut", async () => {
    const created = await w
      .as("secretariat")
      .post("/api/v1/annual-plans", { year: 2027, proposalsDueOn: "2026-11-30" });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const planId = created.body.data.id;
    expect(created.body.data.state).to.equal("collecting");
    const { client: assoc } = await associationUser(w);
    const a1 = await propose(w.as("agency"), planId, { orderingAgencyId: w.agency.id });
    const a2 = await propose(assoc, planId, {
      title: "Tư vấn chính sách thu hút trí thức trẻ về công tác tại xã",
      type: "consultancy",
      forms: ["expert_group"],
      quarter: 1,
      estimatedCost: 30_000_000,
    });
    const u1 = await propose(w.as("secretariat"), planId, {
      title: "Giám định dự án hồ chứa nước Khuổi Nhùng",
      type: "assessment",
      forms: ["council", "workshop"],
      quarter: 3,
      estimatedCost: 80_000_000,
    });
    // Each proposer sees its own only; the other agency sees nothing of them.
    const mine = (await w.as("agency").get(`/api/v1/annual-plans/${planId}`)).body.data.items;
    expect(mine.map((i: { id: string }) => i.id)).to.deep.equal([a1]);
    expect((await w.as("otheragency").get(`/api/v1/annual-plans/${planId}`)).body.data.items).to.deep.equal([]);
    expect((await w.as("expert0").get(`/api/v1/annual-plans/${planId}`)).status).to.equal(403);
    const forbidden = await w
      .as("otheragency")
      .post(`/api/v1/annual-plans/${planId}/events`, { type: "proposal.withdraw", itemId: a1 });
    expect(forbidden.status).to.equal(403);
    await planEvent(assoc, planId, {
      type: "item.edit",
      itemId: a2,
      content: { estimatedCost: 32_000_000 },
      reason: "Bổ sung chi phí khảo sát.",
    });
    await planEvent(w.as("secretariat"), planId, { type: "proposals.close" });
    await planEvent(w.as("secretariat"), planId, { type: "items.rank", order: [a1, u1, a2] });
    await planEvent(w.as("secretariat"), planId, { type: "submission.propose" });
    await planEvent(w.as("leadership"), planId, { type: "submission.approve" });
    const issued = await planEvent(w.as("clerk"), planId, { type: "submission.issue" });
    expect(issued.state).to.equal("preparing.submitted");
    expect(issued.submissions[0].documentId).to.be.a("string");
    const decided = await recordDecision(w.as("clerk"), planId, {
      number: "2345/QĐ-UBND",
      date: "2026-12-20",
      cut: [a2],
    });
    expect(decided.state).to.equal("inExecution.running");
    const status = Object.fromEntries(decided.items.map((i: { id: string; status: string }) => [i.id, i.status]));
    expect(status).to.deep.equal({ [a1]: "approved", [a2]: "cut", [u1]: "approved" });
    const budget = decided.items.find((i: { id: string }) => i.id === a1).content.approvedBudget;
    expect(budget).to.equal(45_000_000);
    const versions = await w.db.select().from(planItemVersions).where(eq(planItemVersions.itemId, a2));
    expect(versions.map((v) => v.estimatedCost)).to.deep.equal([30_000_000, 32_000_000]);
    const rows = await w.db
      .select()
      .from(history)
      .where(and(eq(history.workflowId, planId), eq(history.workflow, "annualPlan")));
    expect(rows.length).to.be.at.least(10);
    // Not started by the end of its quarter (Q2 2027): on the staff's dashboard, not on a proposer's.
    const staff = actorFromUser(w.userFor("secretariat"));
    expect(await listLatePlanItems(w.db, staff, new Date("2027-06-30T09:00:00Z"))).to.deep.equal([]);
    const late = await listLatePlanItems(w.db, staff, new Date("2027-07-01T02:00:00Z"));
    expect(late.map((i) => [i.itemId, i.quarter])).to.deep.equal([[a1, 2]]);
    expect(await listLatePlanItems(w.db, actorFromUser(w.userFor("agency")), new Date("2027-07-01"))).to.deep.equal([]);
    // The plan's mail goes out after the commits, in the reader's words.
    await w.settled();
    const to = (who: string) =>
      w.mailer.sent.filter((m) => m.to.some((t) => t.address === w.userFor(who as never).email));
    expect(to("agency").map((m) => m.subject)).to.include.members([
      "[LHH] Đã nhận đề xuất nhiệm vụ cho danh mục năm 2027",
      "[LHH] UBND tỉnh đã phê duyệt danh mục năm 2027",
    ]);
    expect(to("otheragency").map((m) => m.subject)).to.not.include("[LHH] UBND tỉnh đã phê duyệt danh mục năm 2027");
    expect(to("clerk").map((m) => m.subject)).to.include("[LHH] Phát hành Tờ trình danh mục năm 2027");
  });
});
