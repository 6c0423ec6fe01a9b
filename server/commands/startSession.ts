/**
 * Starts a browser session for a user who has proved who they are (password or one-time link):
 * a random cookie value (only its SHA-256 is stored) and the session's CSRF token.
 */
import type { Executor } from "../db/connect.js";
import { sessions, type users } from "../db/schema.js";
import type { Clock } from "../runtime/clock.js";
import { newSecret } from "../auth/passwords.js";

/** How long a session lasts. */
export const SESSION_DAYS = 14;

export type StartedSession = { cookie: string; csrfToken: string; maxAgeMs: number };

/**
 * Writes the session row. Runs on `deps.db`, which may be the transaction of a larger command
 * (signing in with a link spends the link in the same transaction).
 */
export async function startSession(
  deps: { db: Executor; clock: Clock },
  props: { user: Pick<typeof users.$inferSelect, "id" | "organizationId"> },
): Promise<StartedSession> {
  const { token, hash } = newSecret();
  const csrf = newSecret().token;
  const now = deps.clock.now();
  await deps.db.insert(sessions).values({
    id: hash,
    userId: props.user.id,
    organizationId: props.user.organizationId,
    csrfToken: csrf,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_DAYS * 86_400_000),
  });
  return { cookie: token, csrfToken: csrf, maxAgeMs: SESSION_DAYS * 86_400_000 };
}
