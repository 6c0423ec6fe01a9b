/**
 * One annual plan as the actor may see it: the plan, its items with their current content (staff
 * and the accountant: every item; an agency or member association: its own proposals only), the
 * submissions and decisions, and which events the actor could send now.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { annualPlans, planDecisions, planItemVersions, planItems, planSubmissions } from "../db/schema.js";
import { NotFoundError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { allowedEvents } from "../runtime/applyEvent.js";
import { annualPlanMachine } from "../../workflows/annualPlan/annualPlanMachine.js";
import type { PlanItem } from "../../workflows/annualPlan/types.js";
import { PLAN_EVENT_TYPES } from "../commands/events/annualPlan.js";
import { maySeeItem, mayAttemptPlanEvent, requirePlanReader, seesWholePlan } from "../policies/planPolicy.js";

export type PlanItemView = typeof planItems.$inferSelect & {
  content: typeof planItemVersions.$inferSelect | null;
  /** The item's part in the amendment being prepared (added, changed, to be cut), from the machine. */
  pending: PlanItem["pending"];
};
export type PlanView = Awaited<ReturnType<typeof loadAnnualPlan>>;

/** @throws ForbiddenError forbidden (experts), NotFoundError plan_not_found */
export async function loadAnnualPlan(db: Executor, actor: Actor, planId: string) {
  requirePlanReader(actor);
  const [plan] = await db
    .select()
    .from(annualPlans)
    .where(and(eq(annualPlans.id, planId), eq(annualPlans.organizationId, actor.organizationId)));
  if (!plan) throw new NotFoundError("plan_not_found", "Không tìm thấy danh mục.");
  const rows = await db.select().from(planItems).where(eq(planItems.planId, plan.id)).orderBy(asc(planItems.number));
  const visible = rows.filter((i) => maySeeItem(actor, i));
  const versions = visible.length
    ? await db
        .select()
        .from(planItemVersions)
        .where(
          inArray(
            planItemVersions.itemId,
            visible.map((i) => i.id),
          ),
        )
    : [];
  const pending = pendingByItem(plan.snapshot);
  const items: PlanItemView[] = visible.map((i) => ({
    ...i,
    content: versions.find((v) => v.itemId === i.id && v.version === i.currentVersion) ?? null,
    pending: pending.get(i.id) ?? null,
  }));
  const whole = seesWholePlan(actor);
  const submissions = whole
    ? await db
        .select()
        .from(planSubmissions)
        .where(eq(planSubmissions.planId, plan.id))
        .orderBy(asc(planSubmissions.submittedAt))
    : [];
  const decisions = await db
    .select()
    .from(planDecisions)
    .where(eq(planDecisions.planId, plan.id))
    .orderBy(asc(planDecisions.listVersion));
  return { plan, items, submissions, decisions, can: planCan(actor, plan.snapshot) };
}

/** Each item's pending change as the persisted machine snapshot holds it. */
function pendingByItem(snapshot: unknown): Map<string, PlanItem["pending"]> {
  const items = (snapshot as { context?: { items?: PlanItem[] } } | null)?.context?.items ?? [];
  return new Map(items.map((i) => [i.itemId, i.pending ?? null]));
}

/** The plan-wide events the actor could send now (item events are checked when sent). */
function planCan(actor: Actor, snapshot: unknown): string[] {
  const probes = PLAN_EVENT_TYPES.filter((t) => mayAttemptPlanEvent(actor, t)).map((type) => probe(type));
  return allowedEvents(annualPlanMachine, snapshot, probes).filter((t) => !t.startsWith("item"));
}

/** A payload that passes the guards that do not depend on items. */
function probe(type: string): { type: string } & Record<string, unknown> {
  return { type, reason: "…", comments: "…", note: "…" };
}
