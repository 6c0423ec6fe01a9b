/**
 * The year's execution of the plan: planned vs done vs carried over (and cut), approved vs
 * estimated vs spent per item (yearStatement over the payments dated in the plan year), for the
 * annual report and the dashboard. Staff and the accountant only.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { annualPlans, estimates, payments, planItemVersions, planItems } from "../db/schema.js";
import { NotFoundError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { requirePlanReader, seesWholePlan } from "../policies/planPolicy.js";
import { ForbiddenError } from "../errors.js";
import { yearStatement } from "../money/yearStatement.js";
import { paymentOf } from "../money/records.js";
import { spellDong } from "../money/spellDong.js";

const PLANNED = ["approved", "changed", "started", "done", "carriedOver"];

/** @throws ForbiddenError forbidden, NotFoundError plan_not_found */
export async function loadPlanReport(db: Executor, actor: Actor, planId: string) {
  requirePlanReader(actor);
  if (!seesWholePlan(actor)) throw new ForbiddenError();
  const [plan] = await db
    .select()
    .from(annualPlans)
    .where(and(eq(annualPlans.id, planId), eq(annualPlans.organizationId, actor.organizationId)));
  if (!plan) throw new NotFoundError("plan_not_found", "Không tìm thấy danh mục.");
  const items = (await db.select().from(planItems).where(eq(planItems.planId, plan.id))).filter((i) =>
    [...PLANNED, "cut"].includes(i.status),
  );
  const ids = items.map((i) => i.id);
  const versions = ids.length
    ? await db
        .select()
        .from(planItemVersions)
        .where(inArray(planItemVersions.itemId, ids))
        .orderBy(desc(planItemVersions.version))
    : [];
  const latest = (id: string) => versions.find((v) => v.itemId === id);
  const budgetOf = (id: string) => versions.find((v) => v.itemId === id && v.approvedBudget !== null)?.approvedBudget;
  const assignmentIds = items.map((i) => i.assignmentId).filter((x): x is string => !!x);
  const estimateTotals = await latestEstimateTotals(db, assignmentIds);
  const paid = await db.select().from(payments).where(eq(payments.organizationId, actor.organizationId));
  const statement = yearStatement({
    year: plan.year,
    items: items
      .filter((i) => PLANNED.includes(i.status))
      .map((i) => ({
        itemId: i.id,
        title: latest(i.id)?.title ?? "",
        status: i.status,
        approvedBudget: budgetOf(i.id) ?? null,
        assignmentId: i.assignmentId,
      })),
    estimates: estimateTotals,
    payments: paid.map(paymentOf),
  });
  const count = (...s: string[]) => items.filter((i) => s.includes(i.status)).length;
  return {
    plan: { id: plan.id, year: plan.year, title: plan.title, state: plan.state, approvedVersion: plan.approvedVersion },
    execution: {
      planned: count(...PLANNED),
      done: count("done"),
      inProgress: count("started"),
      notStarted: count("approved", "changed"),
      carriedOver: count("carriedOver"),
      cut: count("cut"),
    },
    statement,
    spentInWords: spellDong(statement.totals.spent),
  };
}

/** The total of each assignment's latest estimate, by assignment id. */
async function latestEstimateTotals(db: Executor, assignmentIds: string[]): Promise<Record<string, number>> {
  const ests = assignmentIds.length
    ? await db
        .select()
        .from(estimates)
        .where(inArray(estimates.assignmentId, assignmentIds))
        .orderBy(desc(estimates.version))
    : [];
  const totals: Record<string, number> = {};
  for (const e of ests) totals[e.assignmentId] ??= e.total;
  return totals;
}
