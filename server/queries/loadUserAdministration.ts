/**
 * The users page: every user of the organisation (by e-mail) and what the new-user form offers
 * to link an account to (agencies by name, experts alphabetically, member associations by name).
 * Read-only.
 */
import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies, experts, memberAssociations, users } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** Users, agencies, experts and member associations of the actor's organisation. */
export async function loadUserAdministration(db: Executor, actor: Actor) {
  const org = actor.organizationId;
  const list = await db.select().from(users).where(eq(users.organizationId, org)).orderBy(asc(users.email));
  const agencyRows = await db
    .select()
    .from(agencies)
    .where(eq(agencies.organizationId, org))
    .orderBy(asc(agencies.name));
  const expertRows = await db
    .select()
    .from(experts)
    .where(eq(experts.organizationId, org))
    .orderBy(sql`${experts.fullName} collate "und-x-icu"`);
  const associationRows = await db
    .select({ id: memberAssociations.id, name: memberAssociations.name })
    .from(memberAssociations)
    .where(eq(memberAssociations.organizationId, org))
    .orderBy(sql`${memberAssociations.name} collate "und-x-icu"`);
  return { users: list, agencies: agencyRows, experts: expertRows, associations: associationRows };
}
