/**
 * The reader marks their notifications seen (issue 14 §6): changes on their assignments up to now
 * are no longer new to them. Only the reader's own mark moves; the history is untouched.
 */
import { eq } from "drizzle-orm";
import { users } from "../db/schema.js";
import type { RuntimeDeps } from "../runtime/applyEvent.js";
import type { Actor } from "../runtime/actor.js";
import { ForbiddenError } from "../errors.js";

/** @throws ForbiddenError forbidden (no user behind the actor) */
export async function markNotificationsSeen(deps: RuntimeDeps, props: { actor: Actor }): Promise<Date> {
  if (!props.actor.id) throw new ForbiddenError();
  const at = deps.clock.now();
  await deps.db.update(users).set({ notificationsSeenAt: at }).where(eq(users.id, props.actor.id));
  return at;
}
