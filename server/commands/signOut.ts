/**
 * Signs out: revokes the session the request came with. The JSON API and the pages both call it;
 * a request without a session (a Bearer token, or nobody) has nothing to revoke.
 */
import { eq } from "drizzle-orm";
import { sessions } from "../db/schema.js";
import type { RuntimeDeps } from "../runtime/applyEvent.js";

/** Revokes the session, if there is one. Never throws for a missing or already revoked session. */
export async function signOut(deps: RuntimeDeps, props: { sessionId: string | undefined }): Promise<void> {
  if (!props.sessionId) return;
  await deps.db.update(sessions).set({ revokedAt: deps.clock.now() }).where(eq(sessions.id, props.sessionId));
}
