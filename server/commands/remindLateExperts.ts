/**
 * Bulk reminders (issue 14 §6): the secretariat reminds several late experts at once. Each reminder
 * is the assignment's own `reminder.send` event for that expert (its checks, its mail and its history
 * row), one assignment after another; one that is refused does not stop the others.
 */
import type { RuntimeDeps } from "../runtime/applyEvent.js";
import type { Actor } from "../runtime/actor.js";
import { AppError, ForbiddenError, ValidationError } from "../errors.js";
import { sendAssignmentEvent } from "./sendAssignmentEvent.js";

/** At most this many reminders in one go. */
export const MAX_BULK = 200;

export type Pick = { assignmentId: string; expertId: string };
export type BulkResult = { done: number; refused: Array<Pick & { code: string }> };

/**
 * @throws ForbiddenError forbidden (not secretariat); ValidationError bulk_empty | bulk_too_many
 */
export async function remindLateExperts(
  deps: RuntimeDeps,
  props: { actor: Actor; picks: Pick[] },
): Promise<BulkResult> {
  if (!props.actor.roles.includes("secretariat")) throw new ForbiddenError();
  checkSize(props.picks.length);
  const result: BulkResult = { done: 0, refused: [] };
  for (const pick of props.picks) {
    try {
      const event = { type: "reminder.send", expertId: pick.expertId };
      await sendAssignmentEvent(deps, { actor: props.actor, assignmentId: pick.assignmentId, event });
      result.done++;
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      result.refused.push({ ...pick, code: err.code });
    }
  }
  return result;
}

/** @throws ValidationError bulk_empty (nothing chosen), bulk_too_many (more than MAX_BULK) */
export function checkSize(n: number): void {
  if (n === 0) throw new ValidationError("bulk_empty", "Chưa chọn mục nào.", "pick");
  if (n > MAX_BULK) throw new ValidationError("bulk_too_many", `Mỗi lần chọn tối đa ${MAX_BULK} mục.`, "pick");
}
