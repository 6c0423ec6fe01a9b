/** An installation operator signs in: checks the password and starts an operator session. */
import type { Executor } from "../db/connect.js";
import { operatorSessions } from "../db/schema.js";
import type { Clock } from "../runtime/clock.js";
import { newSecret } from "../auth/passwords.js";
import { authenticateOperator } from "../queries/findOperator.js";
import { SESSION_DAYS, type StartedSession } from "./startSession.js";

/**
 * The operator and their new session (cookie value and CSRF token).
 * @throws UnauthenticatedError for wrong credentials
 */
export async function signInOperator(
  deps: { db: Executor; clock: Clock },
  props: { email: string; password: string },
): Promise<{ operator: Awaited<ReturnType<typeof authenticateOperator>>; session: StartedSession }> {
  const operator = await authenticateOperator(deps.db, props);
  const { token, hash } = newSecret();
  const csrf = newSecret().token;
  const now = deps.clock.now();
  const maxAgeMs = SESSION_DAYS * 86_400_000;
  await deps.db.insert(operatorSessions).values({
    id: hash,
    operatorId: operator.id,
    csrfToken: csrf,
    createdAt: now,
    expiresAt: new Date(now.getTime() + maxAgeMs),
  });
  return { operator, session: { cookie: token, csrfToken: csrf, maxAgeMs } };
}
