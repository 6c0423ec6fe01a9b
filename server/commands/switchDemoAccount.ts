/**
 * In the demo only (issue 14 §8): a demo account changes to another demo account — another role,
 * or the same role in another demo Union — without typing a password. The session it came with is
 * revoked and a new one starts for the chosen account. Refused outside the demo: where the demo was
 * not seeded, in production, for an account that is not a demo account, or towards one that is not.
 */
import { eq } from "drizzle-orm";
import { sessions } from "../db/schema.js";
import type { RuntimeDeps } from "../runtime/applyEvent.js";
import type { Actor } from "../runtime/actor.js";
import { AppError, ForbiddenError } from "../errors.js";
import { listDemoAccounts } from "../queries/listDemoAccounts.js";
import { startSession, type StartedSession } from "./startSession.js";

/**
 * @throws ForbiddenError demo_only (production, no demo, or the actor is not a demo account)
 * @throws AppError 400 demo_account_unknown (the target is not a demo account)
 */
export async function switchDemoAccount(
  deps: RuntimeDeps & { production: boolean },
  props: { actor: Actor; sessionId: string | undefined; targetUserId: string },
): Promise<StartedSession> {
  const demoOnly = () => new ForbiddenError("Chỉ đổi vai trò được trong bản trình diễn.", "demo_only");
  if (deps.production || !props.sessionId) throw demoOnly();
  const accounts = await listDemoAccounts(deps.db);
  if (!accounts.some((a) => a.userId === props.actor.id)) throw demoOnly();
  const target = accounts.find((a) => a.userId === props.targetUserId);
  if (!target) throw new AppError(400, "demo_account_unknown", "Không có tài khoản trình diễn này.", "account");
  const sessionId = props.sessionId;
  return deps.db.transaction(async (tx) => {
    await tx.update(sessions).set({ revokedAt: deps.clock.now() }).where(eq(sessions.id, sessionId));
    const user = { id: target.userId, organizationId: target.organizationId };
    return startSession({ db: tx, clock: deps.clock }, { user });
  });
}
