/**
 * From list to work: an approved item of the annual list becomes an assignment (origin
 * "annual_list"), pre-filled from the item's current version, its budget the approved one, linked
 * both ways (the assignment's `planItemId`, the item's `assignmentId` through the plan's
 * `item.start`), in one transaction. The secretariat starts it in its quarter; the agency the item
 * names orders it.
 */
import { and, desc, eq } from "drizzle-orm";
import { planItemVersions } from "../db/schema.js";
import { ForbiddenError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { applyPlanEventInTx } from "../runtime/applyPlanEvent.js";
import { requirePlanReader } from "../policies/planPolicy.js";
import {
  SUBJECT_KINDS,
  type AssignmentType,
  type SubjectKind,
  type WorkForm,
} from "../../workflows/assignment/types.js";
import { createOrderInTx } from "./createOrder.js";
import { loadItem } from "./sendPlanEvent.js";

export type StartItemInput = { orderNumber?: string; orderDate?: string; requestedDeadline?: string; summary?: string };

/**
 * @returns the new assignment's row
 * @throws ForbiddenError forbidden, NotFoundError plan_not_found | plan_item_not_found,
 *   ConflictError event_not_allowed | rule_violated (not approved, already started, proposed for a cut)
 */
export async function startPlanItem(
  deps: RuntimeDeps,
  props: { actor: Actor; planId: string; itemId: string; input?: StartItemInput },
) {
  const { actor, input = {} } = props;
  requirePlanReader(actor);
  return inTransaction(deps, async (tx) => {
    await loadItem(tx, actor, props.planId, props.itemId);
    const [v] = await tx
      .select()
      .from(planItemVersions)
      .where(and(eq(planItemVersions.itemId, props.itemId), eq(planItemVersions.organizationId, actor.organizationId)))
      .orderBy(desc(planItemVersions.version))
      .limit(1);
    const isStaff = hasRole(actor, "secretariat");
    if (!isStaff && !(hasRole(actor, "agency") && actor.agencyId && v.orderingAgencyId === actor.agencyId))
      throw new ForbiddenError();
    const subjectKind = (SUBJECT_KINDS as readonly string[]).includes(v.subjectKind ?? "")
      ? (v.subjectKind as SubjectKind)
      : "other";
    const assignment = await createOrderInTx(
      tx,
      deps,
      actor,
      {
        type: v.type as AssignmentType,
        forms: v.forms as WorkForm[],
        subjectKind,
        title: v.title,
        summary: input.summary ?? v.rationale,
        agencyId: v.orderingAgencyId,
        draftingAgency: v.draftingAgency ?? undefined,
        origin: "annual_list",
        orderNumber: input.orderNumber,
        orderDate: input.orderDate,
        requestedDeadline: input.requestedDeadline,
        budget: v.approvedBudget ?? v.estimatedCost,
        planItemId: props.itemId,
      },
      isStaff,
    );
    const event = { type: "item.start", itemId: props.itemId, assignmentId: assignment.id };
    await applyPlanEventInTx(tx, { clock: deps.clock, actor }, props.planId, event);
    return assignment;
  });
}
