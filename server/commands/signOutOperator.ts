/** Ends an operator's session (the operator cookie's row is revoked). */
import { eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { operatorSessions } from "../db/schema.js";
import type { Clock } from "../runtime/clock.js";

/** Revokes the session with this id, if any. */
export async function signOutOperator(deps: { db: Executor; clock: Clock }, props: { sessionId?: string }) {
  if (!props.sessionId) return;
  await deps.db
    .update(operatorSessions)
    .set({ revokedAt: deps.clock.now() })
    .where(eq(operatorSessions.id, props.sessionId));
}
