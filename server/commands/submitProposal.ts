/**
 * A proposal for the year's list (proposal.submit): an agency or a member association proposes a
 * task for itself, the secretariat for the Union. The server names the item and the proposer.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { applyPlanEventInTx } from "../runtime/applyPlanEvent.js";
import { proposerFor } from "../policies/planPolicy.js";
import type { ItemContent } from "../../workflows/annualPlan/types.js";
import { checkAgency } from "./sendPlanEvent.js";

/**
 * @returns the new item's id
 * @throws ForbiddenError forbidden, NotFoundError plan_not_found, ValidationError agency_not_found,
 *   ConflictError event_not_allowed (the call is closed) | rule_violated
 */
export async function submitProposal(
  deps: RuntimeDeps,
  props: { actor: Actor; planId: string; content: ItemContent },
): Promise<{ itemId: string }> {
  const { actor } = props;
  const proposer = proposerFor(actor);
  const itemId = randomUUID();
  await inTransaction(deps, async (tx) => {
    await checkAgency(tx, actor, props.content.orderingAgencyId);
    const content = proposer.kind === "agency" ? { orderingAgencyId: proposer.id, ...props.content } : props.content;
    await applyPlanEventInTx(tx, { clock: deps.clock, actor }, props.planId, {
      type: "proposal.submit",
      itemId,
      proposer,
      content,
    });
  });
  return { itemId };
}
