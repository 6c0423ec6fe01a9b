/** The organisation's annual plans, newest year first, with their item counts by status. */
import { desc, eq, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { annualPlans } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { requirePlanReader } from "../policies/planPolicy.js";

/** @throws ForbiddenError forbidden (experts) */
export async function listAnnualPlans(db: Executor, actor: Actor) {
  requirePlanReader(actor);
  return db
    .select({
      id: annualPlans.id,
      year: annualPlans.year,
      title: annualPlans.title,
      state: annualPlans.state,
      proposalsDueOn: annualPlans.proposalsDueOn,
      approvedVersion: annualPlans.approvedVersion,
      version: annualPlans.version,
      // Both columns qualified: inside the subquery a bare "id" would be the item's own.
      items: sql<number>`(select count(*)::int from "plan_items" where "plan_items"."plan_id" = "annual_plans"."id")`,
    })
    .from(annualPlans)
    .where(eq(annualPlans.organizationId, actor.organizationId))
    .orderBy(desc(annualPlans.year));
}
