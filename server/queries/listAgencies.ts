/** The ordering agencies of the actor's organisation, by name (GET /api/v1/agencies, filters and forms). */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { agencies } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** Every agency row of the organisation (any signed-in person may list them). */
export async function listAgencies(db: Db, actor: Actor) {
  return db
    .select()
    .from(agencies)
    .where(eq(agencies.organizationId, actor.organizationId))
    .orderBy(sql`${agencies.name} collate "und-x-icu"`);
}

/** Only id and name, for filters and select boxes. */
export async function agencyOptions(db: Db, actor: Actor) {
  return db
    .select({ id: agencies.id, name: agencies.name })
    .from(agencies)
    .where(eq(agencies.organizationId, actor.organizationId))
    .orderBy(sql`${agencies.name} collate "und-x-icu"`);
}
