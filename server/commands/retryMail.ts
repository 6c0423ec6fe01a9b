/**
 * Sends a failed message again from the delivery log, once the data that stopped it (a sender or
 * recipient name with a line break, a wrong address) is fixed. The failed mail effect goes back to
 * `pending` now; the mail handler skips the recipients it already reached (their messages are
 * "sent") and builds the others afresh from the database, so the fixed names are used.
 */
import { and, eq, sql } from "drizzle-orm";
import { effects, mailMessages } from "../db/schema.js";
import { ConflictError, NotFoundError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { requireMailRetrier } from "../policies/mailPolicy.js";
import type { Tx } from "../db/connect.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Queues the failed message `entryId` of the delivery log again (a message id, or `effect-<n>` for
 * a mail effect that failed before any message existed).
 * @throws NotFoundError assignment_not_found, mail_not_found; ForbiddenError forbidden (not staff);
 *   ConflictError mail_not_failed (the message is not failed: sent, or already being sent again)
 */
export async function retryMail(deps: RuntimeDeps, props: { actor: Actor; assignmentId: string; entryId: string }) {
  return inTransaction(deps, async (tx) => {
    const a = await loadAssignment(tx, props.actor, props.assignmentId);
    requireMailRetrier(props.actor);
    const effect = await failedEffectOf(tx, a.id, props.entryId);
    const now = deps.clock.now();
    await tx
      .update(effects)
      .set({ status: "pending", runAfter: now, lockedUntil: null, lockedBy: null, lastError: null, doneAt: null })
      .where(and(eq(effects.id, effect.id), eq(effects.status, "failed")));
    await tx
      .update(mailMessages)
      .set({ status: "retrying" })
      .where(
        and(
          eq(mailMessages.assignmentId, a.id),
          eq(mailMessages.status, "failed"),
          sql`starts_with(${mailMessages.idempotencyKey}, ${`${effect.idempotencyKey}:`})`,
        ),
      );
    return { effectId: effect.id, queuedAt: now };
  });
}

/** The failed mail effect behind a delivery-log entry of assignment `assignmentId`. */
async function failedEffectOf(tx: Tx, assignmentId: string, entryId: string) {
  const notFound = () => new NotFoundError("mail_not_found", "Không tìm thấy thư trong nhật ký gửi thư.");
  let key: string | null = null;
  let effectId: number | null = null;
  if (/^effect-\d{1,15}$/.test(entryId)) effectId = Number(entryId.slice(7));
  else if (UUID.test(entryId)) {
    const [m] = await tx
      .select()
      .from(mailMessages)
      .where(and(eq(mailMessages.id, entryId), eq(mailMessages.assignmentId, assignmentId)));
    if (!m) throw notFound();
    // A message's idempotency key is its effect's key, a colon and the recipient's address.
    key = m.idempotencyKey.slice(0, m.idempotencyKey.lastIndexOf(":"));
  } else throw notFound();
  const [effect] = await tx
    .select()
    .from(effects)
    .where(
      and(
        eq(effects.assignmentId, assignmentId),
        eq(effects.kind, "mail"),
        effectId !== null ? eq(effects.id, effectId) : eq(effects.idempotencyKey, key!),
      ),
    );
  if (!effect) throw notFound();
  if (effect.status !== "failed")
    throw new ConflictError("mail_not_failed", "Thư này không ở trạng thái gửi lỗi nên không gửi lại được.");
  return effect;
}
