/** The member associations of the actor's organisation, by name (GET /api/v1/member-associations). */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { memberAssociations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** Every member association of the organisation (any signed-in person may list them). */
export async function listMemberAssociations(db: Db, actor: Actor) {
  return db
    .select()
    .from(memberAssociations)
    .where(eq(memberAssociations.organizationId, actor.organizationId))
    .orderBy(sql`${memberAssociations.name} collate "und-x-icu"`);
}
