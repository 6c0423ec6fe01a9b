/**
 * An assignment's cost estimate (dự toán) from the organisation's rates and the work (panel by
 * role, forms, sessions, travel, printing), adjustable with reasons; each call is a new version
 * (nothing is overwritten). An annual list item's approved budget is the estimate's budget.
 */
import { and, desc, eq, max } from "drizzle-orm";
import type { Db, Tx } from "../db/connect.js";
import { assignments, estimateAdjustments, estimateLines, estimates, planItemVersions, rates } from "../db/schema.js";
import { NotFoundError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import type { Clock } from "../runtime/clock.js";
import { requireMoneyWriter } from "../policies/planPolicy.js";
import { buildEstimate } from "../money/buildEstimate.js";
import { rateOf } from "../money/records.js";
import type { Adjustment, EstimateWork } from "../money/types.js";
import { vietnamDateOf } from "../calendar/workingDays.js";

export type EstimateInput = EstimateWork & { ratesOn?: string; adjustments?: Adjustment[]; reason?: string };

/**
 * @throws ForbiddenError forbidden, NotFoundError assignment_not_found, ValidationError rate_missing |
 *   rate_ambiguous | invalid_forms | empty_panel | adjustment_reason_required | estimate_negative | invalid_quantity
 */
export async function prepareEstimate(
  deps: { db: Db; clock: Clock },
  props: { actor: Actor; assignmentId: string; input: EstimateInput },
) {
  const { actor, input } = props;
  requireMoneyWriter(actor, "estimate");
  return deps.db.transaction(async (tx) => {
    const a = await assignmentFor(tx, actor, props.assignmentId);
    const rows = await tx.select().from(rates).where(eq(rates.organizationId, actor.organizationId));
    const on = input.ratesOn ?? vietnamDateOf(deps.clock.now());
    const budget = a.planItemId ? await approvedBudget(tx, a.planItemId) : null;
    const { ratesOn: _r, adjustments = [], reason, ...work } = input;
    const est = buildEstimate({ ...work, on, rates: rows.map(rateOf), adjustments, budget });
    const [{ last }] = await tx
      .select({ last: max(estimates.version) })
      .from(estimates)
      .where(eq(estimates.assignmentId, a.id));
    const [row] = await tx
      .insert(estimates)
      .values({
        organizationId: actor.organizationId,
        assignmentId: a.id,
        planItemId: a.planItemId,
        version: (last ?? 0) + 1,
        ratesOn: on,
        work: work as Record<string, unknown>,
        subtotal: est.subtotal,
        total: est.total,
        budget: est.budget,
        reason: reason ?? null,
        createdBy: actor.id,
        createdAt: deps.clock.now(),
      })
      .returning();
    const base = { organizationId: actor.organizationId, estimateId: row.id };
    if (est.lines.length)
      await tx.insert(estimateLines).values(est.lines.map((l, i) => ({ ...base, ...l, position: i + 1 })));
    if (est.adjustments.length)
      await tx
        .insert(estimateAdjustments)
        .values(est.adjustments.map((adj, i) => ({ ...base, ...adj, position: i + 1 })));
    return { row, estimate: est };
  });
}

/** The assignment in the actor's organisation. @throws NotFoundError assignment_not_found */
export async function assignmentFor(tx: Tx | Db, actor: Actor, id: string) {
  const [a] = /^[0-9a-f-]{36}$/i.test(id)
    ? await tx
        .select()
        .from(assignments)
        .where(and(eq(assignments.id, id), eq(assignments.organizationId, actor.organizationId)))
    : [];
  if (!a) throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
  return a;
}

/** The budget the province approved for the item (its latest version that carries one). */
async function approvedBudget(tx: Tx, itemId: string): Promise<number | null> {
  const [v] = await tx
    .select({ budget: planItemVersions.approvedBudget })
    .from(planItemVersions)
    .where(eq(planItemVersions.itemId, itemId))
    .orderBy(desc(planItemVersions.version))
    .limit(1);
  return v?.budget ?? null;
}
