/**
 * The expert registry page: every expert of the organisation (alphabetically, with their member
 * association's name), and the associations and agencies the new-expert form offers. Read-only.
 */
import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies, experts, memberAssociations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** Experts with their association's name, associations and agencies of the actor's organisation. */
export async function loadExpertRegistry(db: Executor, actor: Actor) {
  const org = actor.organizationId;
  const rows = await db
    .select({ expert: experts, associationName: memberAssociations.name })
    .from(experts)
    .leftJoin(memberAssociations, eq(memberAssociations.id, experts.memberAssociationId))
    .where(eq(experts.organizationId, org))
    .orderBy(sql`${experts.fullName} collate "und-x-icu"`);
  const associations = await db
    .select()
    .from(memberAssociations)
    .where(eq(memberAssociations.organizationId, org))
    .orderBy(asc(memberAssociations.name));
  const agencyRows = await db
    .select()
    .from(agencies)
    .where(eq(agencies.organizationId, org))
    .orderBy(asc(agencies.name));
  return { experts: rows, associations, agencies: agencyRows };
}
