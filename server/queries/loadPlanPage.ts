/**
 * What the plan's web page shows beside the plan itself (loadAnnualPlan): where each started
 * item's assignment is now, and the names of the agencies and member associations that proposed.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies, assignments, memberAssociations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { loadAnnualPlan } from "./loadAnnualPlan.js";

/** @throws ForbiddenError forbidden (experts), NotFoundError plan_not_found */
export async function loadPlanPage(db: Executor, actor: Actor, planId: string) {
  const view = await loadAnnualPlan(db, actor, planId);
  const ids = view.items.map((i) => i.assignmentId).filter((x): x is string => !!x);
  const work = ids.length
    ? await db
        .select({ id: assignments.id, code: assignments.code, state: assignments.state, title: assignments.title })
        .from(assignments)
        .where(and(eq(assignments.organizationId, actor.organizationId), inArray(assignments.id, ids)))
    : [];
  const org = actor.organizationId;
  const agencyRows = await db
    .select({ id: agencies.id, name: agencies.name })
    .from(agencies)
    .where(eq(agencies.organizationId, org));
  const assocRows = await db
    .select({ id: memberAssociations.id, name: memberAssociations.name })
    .from(memberAssociations)
    .where(eq(memberAssociations.organizationId, org));
  return { view, assignments: work, agencies: agencyRows, associations: assocRows };
}

export type PlanPageData = Awaited<ReturnType<typeof loadPlanPage>>;
