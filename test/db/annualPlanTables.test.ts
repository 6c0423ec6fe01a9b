import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { initialTransition } from "xstate";
import {
  annualPlans,
  assignments,
  estimateAdjustments,
  estimateLines,
  estimates,
  payments,
  planItems,
  planItemVersions,
  rates,
} from "../../server/db/schema.js";
import type { Db } from "../../server/db/connect.js";
import { buildEstimate } from "../../server/money/buildEstimate.js";
import { demoRates } from "../../server/money/demoRates.js";
import type { Rate } from "../../server/money/types.js";
import { ANNUAL_PLAN_MACHINE_VERSION, annualPlanMachine } from "../../workflows/annualPlan/annualPlanMachine.js";
import { testDatabase } from "../support/db.js";
import { planInput } from "../support/planMachines.js";
import { seedWorld } from "../support/seedWorld.js";

/** The constraint a failed statement broke, whichever driver reports it. */
async function brokenConstraint(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { constraint?: string; message?: string; cause?: { constraint?: string; message?: string } };
    return e.cause?.constraint ?? e.constraint ?? e.cause?.message ?? e.message ?? "unknown";
  }
  return "no error";
}

describe("database: the year's plan and money tables", () => {
  let db: Db;
  let orgId: string;
  let assignmentId: string;
  let expertId: string;
  let planId: string;
  let itemId: string;

  before(async function () {
    this.timeout(120_000); // the first test of a run opens and migrates the database
    db = (await testDatabase()).db;
    const world = await seedWorld(db);
    orgId = world.org.id;
    expertId = world.experts[0].id;
    const [snapshot] = initialTransition(annualPlanMachine, planInput());
    const [plan] = await db
      .insert(annualPlans)
      .values({
        organizationId: orgId,
        year: 2027,
        title: "Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm 2027",
        proposalsDueOn: "2026-10-31",
        state: "collecting",
        machineVersion: ANNUAL_PLAN_MACHINE_VERSION,
        snapshot: annualPlanMachine.getPersistedSnapshot(snapshot),
      })
      .returning();
    planId = plan.id;
    const [item] = await db
      .insert(planItems)
      .values({
        organizationId: orgId,
        planId,
        number: 1,
        status: "approved",
        quarter: 2,
        proposerKind: "agency",
        agencyId: world.agency.id,
        addedInVersion: 1,
      })
      .returning();
    itemId = item.id;
    const [a] = await db
      .insert(assignments)
      .values({
        organizationId: orgId,
        code: `PB-2027-${Math.random().toString(36).slice(2, 6)}`,
        type: "critique",
        forms: ["council", "workshop"],
        subjectKind: "de_an",
        title: "Đề án phát triển cây dược liệu tỉnh giai đoạn 2026–2030",
        origin: "annual_list",
        planItemId: itemId,
        state: "ordered",
        machineVersion: 1,
        snapshot: {},
        searchText: "de an phat trien cay duoc lieu",
      })
      .returning();
    assignmentId = a.id;
    await db.update(planItems).set({ assignmentId }).where(eq(planItems.id, itemId));
  });

  it("keeps one plan per organisation and year, with its snapshot and machine version", async () => {
    const [row] = await db.select().from(annualPlans).where(eq(annualPlans.id, planId));
    expect(row).to.include({ year: 2027, state: "collecting", version: 1, approvedVersion: 0, machineVersion: 1 });
    expect((row.snapshot as { value: string }).value).to.equal("collecting");
    const again = db.insert(annualPlans).values({
      organizationId: orgId,
      year: 2027,
      title: "Trùng năm",
      proposalsDueOn: "2026-10-31",
      state: "collecting",
      machineVersion: 1,
      snapshot: {},
    });
    expect(await brokenConstraint(again)).to.match(/annual_plans_org_year_uq/);
  });

  it("links an assignment and its plan item both ways", async () => {
    const [a] = await db.select().from(assignments).where(eq(assignments.id, assignmentId));
    const [i] = await db.select().from(planItems).where(eq(planItems.id, itemId));
    expect(a.planItemId).to.equal(itemId);
    expect(i.assignmentId).to.equal(assignmentId);
  });

  it("stores item versions with whole-đồng costs and refuses a quarter outside 1–4", async () => {
    await db.insert(planItemVersions).values({
      organizationId: orgId,
      itemId,
      version: 1,
      listVersion: 1,
      title: "Đề án phát triển cây dược liệu tỉnh giai đoạn 2026–2030",
      type: "critique",
      forms: ["council", "workshop"],
      quarter: 2,
      rationale: "Tác động lớn đến sinh kế vùng cao",
      estimatedCost: 45_000_000,
      source: "proposal.submit",
    });
    const [v] = await db.select().from(planItemVersions).where(eq(planItemVersions.itemId, itemId));
    expect(v.estimatedCost).to.equal(45_000_000);
    expect(typeof v.estimatedCost).to.equal("number");
    const bad = db.insert(planItems).values({
      organizationId: orgId,
      planId,
      number: 2,
      status: "proposed",
      quarter: 5,
      proposerKind: "union",
      addedInVersion: 1,
    });
    expect(await brokenConstraint(bad)).to.match(/plan_items_quarter_ck/);
  });

  it("stores the rates table and refuses two rows for one item and role from the same day", async () => {
    const mine = demoRates().map(({ id: _id, ...r }) => ({ ...r, organizationId: orgId }));
    await db.insert(rates).values(mine);
    const rows = await db.select().from(rates).where(eq(rates.organizationId, orgId));
    expect(rows.length).to.equal(16);
    const dup = db.insert(rates).values({ ...mine[4] });
    expect(await brokenConstraint(dup)).to.match(/rates_org_item_role_from_uq/);
    const ends = db.insert(rates).values({ ...mine[4], effectiveFrom: "2030-01-01", effectiveTo: "2029-12-31" });
    expect(await brokenConstraint(ends)).to.match(/rates_dates_ck/);
  });

  it("stores an estimate built from the stored rates, its lines and its adjustments, exactly", async () => {
    const stored = (await db.select().from(rates).where(eq(rates.organizationId, orgId))) as unknown as Rate[];
    const e = buildEstimate({
      on: "2027-03-01",
      rates: stored,
      panel: { chair: 1, secretary: 1, reviewer: 2, member: 3 },
      forms: ["council", "workshop"],
      workshop: { papers: 2, participants: 40 },
      adjustments: [{ label: "Thuê xe khảo sát", amount: 1_850_000, reason: "Khảo sát thực địa 2 ngày" }],
    });
    const [est] = await db
      .insert(estimates)
      .values({
        organizationId: orgId,
        assignmentId,
        planItemId: itemId,
        version: 1,
        ratesOn: e.on,
        work: { panel: { chair: 1, secretary: 1, reviewer: 2, member: 3 }, forms: ["council", "workshop"] },
        subtotal: e.subtotal,
        total: e.total,
        budget: 45_000_000,
      })
      .returning();
    await db
      .insert(estimateLines)
      .values(e.lines.map((l, i) => ({ ...l, organizationId: orgId, estimateId: est.id, position: i + 1 })));
    await db
      .insert(estimateAdjustments)
      .values(e.adjustments.map((a, i) => ({ ...a, organizationId: orgId, estimateId: est.id, position: i + 1 })));
    const lines = await db.select().from(estimateLines).where(eq(estimateLines.estimateId, est.id));
    expect(lines.reduce((s, l) => s + l.amount, 0)).to.equal(e.subtotal);
    expect(e.total).to.equal(e.subtotal + 1_850_000);
    const wrong = db.insert(estimateLines).values({
      ...lines[0],
      id: undefined,
      position: 99,
      amount: lines[0].amount + 1,
    });
    expect(await brokenConstraint(wrong)).to.match(/estimate_lines_amount_ck/);
    const again = db.insert(estimates).values({ ...est, id: undefined });
    expect(await brokenConstraint(again)).to.match(/estimates_assignment_version_uq/);
  });

  it("records payments and reversals, and refuses a negative amount that reverses nothing", async () => {
    const base = {
      organizationId: orgId,
      assignmentId,
      planItemId: itemId,
      payeeKind: "expert",
      expertId,
      payeeName: "Chuyên gia số 1",
      item: "expert_opinion",
      description: "Bài nhận xét, phản biện",
      paidOn: "2027-05-20",
      voucherNumber: "PC-2027-015",
    };
    const [p] = await db
      .insert(payments)
      .values({ ...base, amount: 2_400_000, taxWithheld: 240_000 })
      .returning();
    await db.insert(payments).values({ ...base, amount: -2_400_000, taxWithheld: -240_000, reversesId: p.id });
    const rows = await db
      .select()
      .from(payments)
      .where(and(eq(payments.organizationId, orgId), eq(payments.assignmentId, assignmentId)));
    expect(rows.map((r) => r.amount).sort()).to.deep.equal([-2_400_000, 2_400_000]);
    expect(await brokenConstraint(db.insert(payments).values({ ...base, amount: -5 }))).to.match(/payments_amount_ck/);
    expect(await brokenConstraint(db.insert(payments).values({ ...base, amount: 0 }))).to.match(/payments_amount_ck/);
    const nobody = db.insert(payments).values({ ...base, expertId: null, amount: 100 });
    expect(await brokenConstraint(nobody)).to.match(/payments_expert_ck/);
  });
});
