/**
 * The dashboard's view of this year's list (issue 16 §4): planned vs done vs in progress vs not
 * started vs carried over vs cut, and the approved budget against what was spent. The figures are
 * the execution report's own (`loadPlanYear`). Null for those who do not see the whole plan, and
 * when the organisation has no list for the year. A year's list holds dozens of items: small.
 */
import type { Executor } from "../db/connect.js";
import type { Actor } from "../runtime/actor.js";
import { seesWholePlan } from "../policies/planPolicy.js";
import { findPlan, loadPlanYear, type PlanExecution } from "../documents/planData.js";
import { registerYear } from "../numbering/registers.js";

export type DashboardPlan = { year: number; execution: PlanExecution; approved: number; spent: number };

export async function loadDashboardPlan(db: Executor, actor: Actor, now: Date): Promise<DashboardPlan | null> {
  if (!seesWholePlan(actor)) return null;
  const year = registerYear(now); // the year in Vietnam
  const plan = await findPlan(db, actor.organizationId, { year });
  if (!plan) return null;
  const { execution, statement } = await loadPlanYear(db, plan);
  return { year, execution, approved: statement.totals.approved, spent: statement.totals.spent };
}
