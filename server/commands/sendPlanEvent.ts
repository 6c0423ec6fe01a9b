/**
 * The one use case behind every annual plan event a person sends (declared in
 * ./events/annualPlan.ts): check the role (a proposer only for its own item), complete what the
 * server knows (a new item's id and the Union as its proposer), apply it.
 */
import { and, eq } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/connect.js";
import { agencies, planItems } from "../db/schema.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { applyPlanEventInTx, type PlanRow } from "../runtime/applyPlanEvent.js";
import { authorizePlanEvent, requirePlanReader } from "../policies/planPolicy.js";

type Event = { type: string } & Record<string, unknown>;

/**
 * @throws NotFoundError plan_not_found | plan_item_not_found, ForbiddenError forbidden,
 *   ValidationError agency_not_found, ConflictError event_not_allowed | rule_violated | stale_version
 */
export async function sendPlanEvent(
  deps: RuntimeDeps,
  props: { actor: Actor; planId: string; event: Event; expectedVersion?: number },
): Promise<PlanRow> {
  const { actor } = props;
  requirePlanReader(actor);
  return inTransaction(deps, async (tx) => {
    const item =
      typeof props.event.itemId === "string" ? await loadItem(tx, actor, props.planId, props.event.itemId) : null;
    authorizePlanEvent(actor, props.event.type, item);
    const event = await complete(tx, actor, props.event);
    return applyPlanEventInTx(tx, { clock: deps.clock, actor }, props.planId, event, {
      expectedVersion: props.expectedVersion,
    });
  });
}

/** The item an event names, in the plan and the actor's organisation. @throws NotFoundError plan_item_not_found */
export async function loadItem(tx: Tx, actor: Actor, planId: string, itemId: string) {
  const [item] = await tx
    .select()
    .from(planItems)
    .where(
      and(eq(planItems.id, itemId), eq(planItems.planId, planId), eq(planItems.organizationId, actor.organizationId)),
    );
  if (!item) throw new NotFoundError("plan_item_not_found", "Không tìm thấy nhiệm vụ trong danh mục.");
  return item;
}

/** What the server adds: `item.add` gets a new id and the Union as proposer; agencies named are checked. */
async function complete(tx: Tx, actor: Actor, event: Event): Promise<Event> {
  const content = event.content as { orderingAgencyId?: string | null } | undefined;
  await checkAgency(tx, actor, content?.orderingAgencyId);
  if (event.type !== "item.add") return event;
  return { ...event, itemId: randomUUID(), proposer: { kind: "union", id: null } };
}

/** @throws ValidationError agency_not_found when the content names an agency of another organisation (or none). */
export async function checkAgency(tx: Tx, actor: Actor, agencyId: string | null | undefined): Promise<void> {
  if (!agencyId) return;
  const [a] = await tx
    .select({ id: agencies.id })
    .from(agencies)
    .where(and(eq(agencies.id, agencyId), eq(agencies.organizationId, actor.organizationId)));
  if (!a) throw new ValidationError("agency_not_found", "Không tìm thấy cơ quan.", "content.orderingAgencyId");
}
