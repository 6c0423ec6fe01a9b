/**
 * The delivery log of an assignment: every message the mail effect built (with its status and
 * attempts), and the mail effects that failed before any message existed (unknown template, bad data).
 */
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { effects, mailMessages } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { requireMailLogReader } from "../policies/mailPolicy.js";
import { isStaff } from "../policies/staffPolicy.js";

/** @throws NotFoundError assignment_not_found; ForbiddenError forbidden (staff only) */
export async function listMailLog(db: Db, actor: Actor, assignmentId: string) {
  const a = await loadAssignment(db, actor, assignmentId);
  requireMailLogReader(actor);
  const messages = await db
    .select()
    .from(mailMessages)
    .where(eq(mailMessages.assignmentId, a.id))
    .orderBy(asc(mailMessages.createdAt), asc(mailMessages.idempotencyKey));
  const failed = await db
    .select()
    .from(effects)
    .where(and(eq(effects.assignmentId, a.id), eq(effects.kind, "mail"), eq(effects.status, "failed")));
  // A message's idempotency key starts with its effect's key.
  const failedBeforeMessage = failed.filter(
    (e) => !messages.some((m) => m.idempotencyKey.startsWith(`${e.idempotencyKey}:`)),
  );
  return { messages, failedBeforeMessage };
}

/**
 * The assignment's failed messages as its page shows them to staff (with "Send again"); none for
 * anyone else. @throws NotFoundError assignment_not_found
 */
export async function listFailedMail(db: Db, actor: Actor, assignmentId: string) {
  if (!isStaff(actor)) return { messages: [], failedBeforeMessage: [] };
  const log = await listMailLog(db, actor, assignmentId);
  return { ...log, messages: log.messages.filter((m) => m.status === "failed") };
}
