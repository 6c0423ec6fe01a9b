/**
 * Bulk reassignment (issue 14 §6): leadership moves several assignments to another secretariat
 * member at once — the new person is named on each, and the one the work leaves (if given) is taken
 * off. Each assignment goes through `assignStaff` (its checks and its history rows); one that is
 * refused does not stop the others.
 */
import type { RuntimeDeps } from "../runtime/applyEvent.js";
import type { Actor } from "../runtime/actor.js";
import { AppError, ForbiddenError } from "../errors.js";
import { mayAssignStaff } from "../policies/assignmentPolicy.js";
import { assignStaff } from "./assignStaff.js";
import { checkSize, type BulkResult } from "./remindLateExperts.js";

export type Reassignment = { assignmentIds: string[]; toUserId: string; fromUserId?: string; note?: string };

/**
 * @throws ForbiddenError (not leadership); ValidationError bulk_empty | bulk_too_many
 */
export async function reassignWork(deps: RuntimeDeps, props: { actor: Actor; change: Reassignment }) {
  if (!mayAssignStaff(props.actor)) throw new ForbiddenError("Chỉ lãnh đạo phân công người thực hiện nhiệm vụ.");
  const { assignmentIds, toUserId, fromUserId, note } = props.change;
  checkSize(assignmentIds.length);
  const result: Omit<BulkResult, "refused"> & { refused: Array<{ assignmentId: string; code: string }> } = {
    done: 0,
    refused: [],
  };
  const remove = fromUserId && fromUserId !== toUserId ? [fromUserId] : [];
  for (const assignmentId of [...new Set(assignmentIds)]) {
    try {
      await assignStaff(deps, { actor: props.actor, assignmentId, change: { add: [toUserId], remove, note } });
      result.done++;
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      result.refused.push({ assignmentId, code: err.code });
    }
  }
  return result;
}
