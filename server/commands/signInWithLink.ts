/**
 * Signs in with a one-time link from an e-mail (GET /auth/link shows the form, its POST lands
 * here): spends the link and starts a session for the account it names, in one transaction.
 */
import type { RuntimeDeps } from "../runtime/applyEvent.js";
import { loadLinkedUser, type LinkClaim } from "../queries/checkLink.js";
import { spendLink } from "./spendLink.js";
import { startSession, type StartedSession } from "./startSession.js";

/**
 * `link` is the verified claim of a sign-in link (server/queries/checkLink.ts).
 * @throws ConflictError link_used; NotFoundError user_not_found; ForbiddenError link_wrong_person
 */
export async function signInWithLink(deps: RuntimeDeps, props: { link: LinkClaim }): Promise<StartedSession> {
  return deps.db.transaction(async (tx) => {
    await spendLink(tx, props.link.jti);
    const user = await loadLinkedUser(tx, props.link);
    return startSession({ db: tx, clock: deps.clock }, { user });
  });
}
