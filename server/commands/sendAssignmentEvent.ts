/**
 * The one use case behind every event a person sends to an assignment, from the JSON API and from
 * the web pages alike: check the role, complete the event with what the server knows (as its
 * declaration in ./events/ says), apply it, and word a refused rule with the declared message.
 * A transition that only queues mail is one statement without a transaction (README.md).
 */
import { eq } from "drizzle-orm";
import type { Tx } from "../db/connect.js";
import { planItems } from "../db/schema.js";
import { systemActor, type Actor } from "../runtime/actor.js";
import { applyPlanEventInTx } from "../runtime/applyPlanEvent.js";
import {
  applyAssignmentEventInTx,
  applyPlannedInTx,
  inTransaction,
  plannedState,
  planAssignmentEvent,
  saveAlone,
  savesAlone,
  type AssignmentRow,
  type EventAssignment,
  type RuntimeDeps,
} from "../runtime/applyEvent.js";
import { authorizeEvent, loadAssignment, loadAssignmentForEvent } from "../policies/assignmentPolicy.js";
import { declarationOf } from "./events/index.js";
import { withRuleMessage } from "./events/withRuleMessage.js";

type Event = { type: string } & Record<string, unknown>;

/**
 * @throws NotFoundError assignment_not_found, ForbiddenError forbidden, ValidationError (from the
 *   declaration's checks, e.g. expert_not_found), ConflictError event_not_allowed | rule_violated |
 *   stale_version | expert_conflict
 */
export async function sendAssignmentEvent(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string; event: Event; expectedVersion?: number },
): Promise<EventAssignment> {
  const { actor } = props;
  if (declarationOf(props.event.type)?.enrich) return sendInTransaction(deps, props);
  // The event as sent: read, check and plan outside a transaction; a transition that only queues
  // mail (a reminder) is then saved as one statement, any other in a transaction from the plan.
  const assignment = await loadAssignmentForEvent(deps.db, actor, props.assignmentId);
  authorizeEvent(actor, props.event.type, assignment);
  const ctx = { clock: deps.clock, actor };
  try {
    const plan = planAssignmentEvent(assignment, props.event, { expectedVersion: props.expectedVersion });
    if (savesAlone(plan) && !closesPlanItem(assignment, plannedState(plan))) return await saveAlone(deps, ctx, plan);
    return await inTransaction(deps, async (tx) => {
      const saved = await applyPlannedInTx(tx, ctx, plan);
      await completePlanItem(tx, deps, saved);
      return saved;
    });
  } catch (err) {
    // Vietnamese, as every error message of the API; the error handler localizes by code.
    throw withRuleMessage(err, "vi");
  }
}

/** An event the server completes first (its declaration's `enrich` reads in the transaction). */
function sendInTransaction(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string; event: Event; expectedVersion?: number },
): Promise<AssignmentRow> {
  const { actor } = props;
  return inTransaction(deps, async (tx) => {
    const assignment = await loadAssignment(tx, actor, props.assignmentId);
    authorizeEvent(actor, props.event.type, assignment);
    const enrich = declarationOf(props.event.type)?.enrich;
    const event = enrich
      ? ((await enrich(tx, { actor, assignment, now: deps.clock.now() }, props.event)) as Event)
      : props.event;
    try {
      const saved = await applyAssignmentEventInTx(tx, { clock: deps.clock, actor }, assignment, event, {
        expectedVersion: props.expectedVersion,
      });
      await completePlanItem(tx, deps, saved);
      return saved;
    } catch (err) {
      throw withRuleMessage(err, "vi");
    }
  });
}

/** Whether reaching `state` closes an item of the annual list (the plan must hear it, in a transaction). */
const closesPlanItem = (assignment: EventAssignment, state: string) => state === "closed" && !!assignment.planItemId;

/** An annual list item is done when its assignment closes: the plan hears it in the same transaction. */
async function completePlanItem(tx: Tx, deps: RuntimeDeps, saved: EventAssignment): Promise<void> {
  if (saved.state !== "closed" || !saved.planItemId) return;
  const [item] = await tx
    .select({ planId: planItems.planId })
    .from(planItems)
    .where(eq(planItems.id, saved.planItemId));
  if (!item) return;
  const actor = systemActor(saved.organizationId);
  await applyPlanEventInTx(tx, { clock: deps.clock, actor }, item.planId, {
    type: "item.completed",
    itemId: saved.planItemId,
  });
}
