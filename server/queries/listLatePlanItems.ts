/**
 * Items of the annual list not started by their quarter: approved (or changed) items of a plan in
 * execution whose quarter ended before today (Vietnam calendar). For the dashboard of the Union's
 * staff; nobody else sees the whole list.
 */
import { and, asc, desc, eq, inArray, like } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { annualPlans, planItemVersions, planItems } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { seesWholePlan } from "../policies/planPolicy.js";
import { vietnamDateOf } from "../calendar/workingDays.js";
import { quarterDays } from "../../workflows/annualPlan/planItems.js";

export type LatePlanItem = {
  planId: string;
  itemId: string;
  code: string;
  title: string;
  year: number;
  quarter: number;
};

/** The late items the actor may see (none for proposers and experts). */
export async function listLatePlanItems(db: Executor, actor: Actor, now: Date): Promise<LatePlanItem[]> {
  if (!seesWholePlan(actor)) return [];
  return latePlanItemsOf(db, actor.organizationId, now);
}

/** The organisation's items not started by their quarter (for the secretariat's digest as for the dashboard). */
export async function latePlanItemsOf(db: Executor, organizationId: string, now: Date): Promise<LatePlanItem[]> {
  const today = vietnamDateOf(now);
  const rows = await db
    .select({ item: planItems, year: annualPlans.year })
    .from(planItems)
    .innerJoin(annualPlans, eq(annualPlans.id, planItems.planId))
    .where(
      and(
        eq(planItems.organizationId, organizationId),
        like(annualPlans.state, "inExecution%"),
        inArray(planItems.status, ["approved", "changed"]),
      ),
    )
    .orderBy(asc(annualPlans.year), asc(planItems.quarter), asc(planItems.number));
  const late = rows.filter((r) => quarterDays(r.year, r.item.quarter as 1 | 2 | 3 | 4).end < today);
  if (late.length === 0) return [];
  const versions = await db
    .select({ itemId: planItemVersions.itemId, title: planItemVersions.title })
    .from(planItemVersions)
    .where(
      inArray(
        planItemVersions.itemId,
        late.map((r) => r.item.id),
      ),
    )
    .orderBy(desc(planItemVersions.version));
  return late.map(({ item, year }) => ({
    planId: item.planId,
    itemId: item.id,
    code: `DM${year}-${String(item.number).padStart(2, "0")}`,
    title: versions.find((v) => v.itemId === item.id)?.title ?? "",
    year,
    quarter: item.quarter,
  }));
}
