/**
 * The one use case behind every event a person sends to an assignment, from the JSON API and from
 * the web pages alike: check the role, complete the event with what the server knows (as its
 * declaration in ./events/ says), apply it, and word a refused rule with the declared message.
 */
import type { Actor } from "../runtime/actor.js";
import {
  applyAssignmentEventInTx,
  inTransaction,
  type AssignmentRow,
  type RuntimeDeps,
} from "../runtime/applyEvent.js";
import { authorizeEvent, loadAssignment } from "../policies/assignmentPolicy.js";
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
      return await applyAssignmentEventInTx(tx, { clock: deps.clock, actor }, assignment, event, {
        expectedVersion: props.expectedVersion,
      });
    } catch (err) {
      // Vietnamese, as every error message of the API; the error handler localizes by code.
      throw withRuleMessage(err, "vi");
    }
  });
}
