/** The actor's organisation row (name, slug, settings as stored). Read-only. */
import { eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { organizations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** The organisation the actor belongs to (it always exists while the actor does). */
export async function findOrganization(db: Executor, actor: Actor) {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, actor.organizationId));
  return org;
}
