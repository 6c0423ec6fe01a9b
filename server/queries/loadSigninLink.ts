/** What the page behind a one-time sign-in link shows: whose account it opens, in which organisation. */
import { eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { organizations } from "../db/schema.js";
import { checkLink, loadLinkedUser } from "./checkLink.js";

/**
 * Checks the link (see checkLink) and loads the account it opens.
 * @throws the link errors of checkLink and loadLinkedUser
 */
export async function loadSigninLink(deps: { db: Db; linkSecret: string; now: Date }, token: unknown) {
  const claim = await checkLink(deps, token, "signin");
  const user = await loadLinkedUser(deps.db, claim);
  const [org] = await deps.db.select().from(organizations).where(eq(organizations.id, user.organizationId));
  return { claim, email: user.email, orgName: org?.name };
}
