/** The member associations of the organisation, alphabetically, each with its number of experts. Read-only. */
import { eq, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { experts, memberAssociations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** Associations of the actor's organisation with `experts`, the count of registry experts in each. */
export async function listAssociationsWithCounts(db: Executor, actor: Actor) {
  const rows = await db
    .select({
      association: memberAssociations,
      experts: sql<number>`(select count(*)::int from ${experts} e where e.member_association_id =
        ${memberAssociations.id})`,
    })
    .from(memberAssociations)
    .where(eq(memberAssociations.organizationId, actor.organizationId))
    .orderBy(sql`${memberAssociations.name} collate "und-x-icu"`);
  return rows.map((x) => ({ ...x.association, experts: Number(x.experts) }));
}
