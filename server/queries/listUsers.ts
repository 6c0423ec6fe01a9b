/** The user accounts of the actor's organisation, by e-mail. */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { users } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { requireUserAdmin } from "../policies/registryPolicy.js";

/** @throws ForbiddenError forbidden (the administrator only) */
export async function listUsers(db: Db, actor: Actor) {
  requireUserAdmin(actor);
  return db.select().from(users).where(eq(users.organizationId, actor.organizationId)).orderBy(asc(users.email));
}
