/**
 * The panel builder's search: active experts of the organisation (matched without diacritics),
 * each with their current load, how often they declined or let an invitation expire, how often
 * they were late with an opinion and their employer; and who already holds or was offered a seat
 * on this assignment. Read-only.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies, assignments, experts, invitations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { foldVietnamese } from "../text.js";

const candidateColumns = {
  expert: experts,
  agencyName: agencies.name,
  load: sql<number>`(select count(*)::int from ${invitations} i join ${assignments} x on x.id =
    i.assignment_id where i.expert_id = ${experts.id} and i.state = 'accepted'
    and x.state not in ('closed','declined','withdrawn'))`,
  declines: sql<number>`(select count(*)::int from ${invitations} i where i.expert_id = ${experts.id} and
    i.state in ('declined','expired'))`,
  invited: sql<number>`(select count(*)::int from ${invitations} i where i.expert_id = ${experts.id})`,
  late: sql<number>`(select count(*)::int from deadlines d where d.key = 'review:' || ${experts.id} and
    d.status = 'fired')`,
};

/** Up to 200 candidates in alphabetical order, and the seats (invited or accepted) of the assignment. */
export async function searchPanelCandidates(db: Executor, actor: Actor, props: { assignmentId: string; q: string }) {
  const conds = [eq(experts.organizationId, actor.organizationId), eq(experts.active, true)];
  if (props.q.trim()) conds.push(sql`${experts.searchText} like ${"%" + foldVietnamese(props.q) + "%"}`);
  const rows = await db
    .select(candidateColumns)
    .from(experts)
    .leftJoin(agencies, eq(agencies.id, experts.employerAgencyId))
    .where(and(...conds))
    .orderBy(sql`${experts.fullName} collate "und-x-icu"`)
    .limit(200);
  const current = await db.select().from(invitations).where(eq(invitations.assignmentId, props.assignmentId));
  return {
    candidates: rows.map((x) => ({
      ...x,
      load: Number(x.load),
      declines: Number(x.declines),
      invited: Number(x.invited),
      late: Number(x.late),
    })),
    seats: current
      .filter((i) => i.state === "invited" || i.state === "accepted")
      .map((i) => ({ expertId: i.expertId, state: i.state })),
  };
}
