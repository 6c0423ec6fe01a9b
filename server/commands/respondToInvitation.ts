/**
 * An expert answers an invitation: accept with the conflict-of-interest and confidentiality
 * declaration, or decline (with a conflict flag when that is the reason). The outcome goes to
 * the assignment in the same transaction; a decline brings the next ranked alternate.
 */
import { and, eq } from "drizzle-orm";
import { invitations } from "../db/schema.js";
import { ForbiddenError, NotFoundError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { applyInvitationEventInTx, inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import type { InvitationEvent } from "../../workflows/invitation/invitationMachine.js";
import { withRuleMessage } from "./events/withRuleMessage.js";

/**
 * @throws NotFoundError invitation_not_found; ForbiddenError when it is someone else's invitation;
 *   ConflictError when it was already answered or the declaration is incomplete.
 */
export async function respondToInvitation(
  deps: RuntimeDeps,
  props: { actor: Actor; invitationId: string; event: InvitationEvent & Record<string, unknown>; onBehalf?: boolean },
) {
  return inTransaction(deps, async (tx) => {
    const [inv] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.id, props.invitationId), eq(invitations.organizationId, props.actor.organizationId)));
    if (!inv) throw new NotFoundError("invitation_not_found", "Không tìm thấy thư mời.");
    const own = props.actor.expertId === inv.expertId;
    if (!own && !(props.onBehalf && hasRole(props.actor, "secretariat"))) {
      if (!hasRole(props.actor, "secretariat"))
        throw new NotFoundError("invitation_not_found", "Không tìm thấy thư mời.");
      throw new ForbiddenError("Chỉ chuyên gia được mời mới trả lời thư mời.");
    }
    return applyInvitationEventInTx(tx, { clock: deps.clock, actor: props.actor }, inv.id, props.event).catch(
      (err: unknown) => {
        throw withRuleMessage(err, "vi");
      },
    );
  });
}
