/**
 * The year's execution of the plan: planned vs done vs carried over (and cut), approved vs
 * estimated vs spent per item (yearStatement over the payments dated in the plan year), for the
 * annual report and the dashboard. Staff and the accountant only. The figures are the documents'
 * own (`loadPlanYear`), so the execution report and this answer always agree.
 */
import type { Executor } from "../db/connect.js";
import { ForbiddenError, NotFoundError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { requirePlanReader, seesWholePlan } from "../policies/planPolicy.js";
import { findPlan, loadPlanYear } from "../documents/planData.js";
import { spellDong } from "../money/spellDong.js";

/** @throws ForbiddenError forbidden, NotFoundError plan_not_found */
export async function loadPlanReport(db: Executor, actor: Actor, planId: string) {
  requirePlanReader(actor);
  if (!seesWholePlan(actor)) throw new ForbiddenError();
  const plan = /^[0-9a-f-]{36}$/i.test(planId) ? await findPlan(db, actor.organizationId, { id: planId }) : null;
  if (!plan) throw new NotFoundError("plan_not_found", "Không tìm thấy danh mục.");
  const { execution, statement } = await loadPlanYear(db, plan);
  return {
    plan: { id: plan.id, year: plan.year, title: plan.title, state: plan.state, approvedVersion: plan.approvedVersion },
    execution,
    statement,
    spentInWords: spellDong(statement.totals.spent),
  };
}
