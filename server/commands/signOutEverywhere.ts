/** Signs a user out on every device: revokes all of their open sessions (API tokens stay). */
import { and, eq, isNull } from "drizzle-orm";
import { sessions } from "../db/schema.js";
import { UnauthenticatedError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import type { RuntimeDeps } from "../runtime/applyEvent.js";

/** @throws UnauthenticatedError when there is no signed-in user (no actor, or the system) */
export async function signOutEverywhere(deps: RuntimeDeps, props: { actor: Actor | undefined }): Promise<void> {
  const userId = props.actor?.id;
  if (!userId) throw new UnauthenticatedError();
  await deps.db
    .update(sessions)
    .set({ revokedAt: deps.clock.now() })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
