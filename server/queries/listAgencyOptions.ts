/** The ordering agencies of the actor's organisation, by name (filters and forms). Read-only. */
import { eq, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** Id and name of every agency of the actor's organisation, in Vietnamese alphabetical order. */
export async function listAgencyOptions(db: Executor, actor: Actor) {
  return db
    .select({ id: agencies.id, name: agencies.name })
    .from(agencies)
    .where(eq(agencies.organizationId, actor.organizationId))
    .orderBy(sql`${agencies.name} collate "und-x-icu"`);
}
