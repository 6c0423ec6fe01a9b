/**
 * The expert registry of the actor's organisation, by name, searched without diacritics, with each
 * expert's load (accepted invitations) and decline rate from the organisation's own history.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { experts, invitations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { requireExpertRegistryReader } from "../policies/registryPolicy.js";
import { foldVietnamese } from "../text.js";

/** At most this many experts per answer. */
const LIMIT = 500;

/** @throws ForbiddenError forbidden (only admin, secretariat and leadership read the registry) */
export async function listExperts(db: Db, actor: Actor, filters: { q?: string; active?: boolean }) {
  requireExpertRegistryReader(actor);
  const conds = [eq(experts.organizationId, actor.organizationId)];
  if (filters.q?.trim()) conds.push(sql`${experts.searchText} like ${"%" + foldVietnamese(filters.q) + "%"}`);
  if (filters.active !== undefined) conds.push(eq(experts.active, filters.active));
  const rows = await db
    .select({
      e: experts,
      load: sql<number>`(select count(*)::int from ${invitations} i where i.expert_id = ${experts.id} and
        i.state = 'accepted')`,
      declines: sql<number>`(select count(*)::int from ${invitations} i where i.expert_id = ${experts.id} and
        i.state in ('declined','expired'))`,
      invited: sql<number>`(select count(*)::int from ${invitations} i where i.expert_id = ${experts.id})`,
    })
    .from(experts)
    .where(and(...conds))
    .orderBy(sql`${experts.fullName} collate "und-x-icu"`)
    .limit(LIMIT);
  return rows.map((x) => ({
    expert: x.e,
    load: Number(x.load),
    declineRate: Number(x.invited) ? Number(x.declines) / Number(x.invited) : 0,
  }));
}
