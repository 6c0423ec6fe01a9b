/**
 * The experts late with their opinion (issue 14 §6, bulk reminders): on the assignments under review
 * the actor may see, every accepted panel member without a submitted opinion whose review deadline
 * (their own after an extension, else the panel's) has passed. Read-only.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { assignments, deadlines, experts, invitations, opinionVersions } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { visibleTo } from "../policies/assignmentPolicy.js";
import { personName } from "../words/personName.js";

/** At most this many late seats in one answer. */
const LIMIT = 500;

/** Late seats, the longest overdue first. */
export async function listLateExperts(db: Db, actor: Actor, now: Date) {
  const seats = await db
    .select({ a: { id: assignments.id, code: assignments.code, title: assignments.title }, e: experts })
    .from(invitations)
    .innerJoin(assignments, eq(assignments.id, invitations.assignmentId))
    .innerJoin(experts, eq(experts.id, invitations.expertId))
    .where(
      and(
        visibleTo(actor),
        eq(assignments.state, "underReview"),
        eq(invitations.state, "accepted"),
        sql`not exists (select 1 from ${opinionVersions} o where o.assignment_id = ${assignments.id}
          and o.expert_id = ${invitations.expertId} and o.status = 'submitted')`,
      ),
    )
    .limit(LIMIT);
  if (!seats.length) return [];
  const due = await db
    .select({ assignmentId: deadlines.assignmentId, key: deadlines.key, dueAt: deadlines.dueAt })
    .from(deadlines)
    .where(
      and(
        inArray(deadlines.assignmentId, [...new Set(seats.map((s) => s.a.id))]),
        eq(deadlines.status, "pending"),
        sql`(${deadlines.key} = 'review' or ${deadlines.key} like 'review:%')`,
      ),
    );
  const dueOf = (assignmentId: string, expertId: string) =>
    (
      due.find((d) => d.assignmentId === assignmentId && d.key === `review:${expertId}`) ??
      due.find((d) => d.assignmentId === assignmentId && d.key === "review")
    )?.dueAt;
  return seats
    .map((s) => ({
      assignmentId: s.a.id,
      code: s.a.code,
      title: s.a.title,
      expertId: s.e.id,
      expertName: personName(s.e),
      dueAt: dueOf(s.a.id, s.e.id) ?? null,
    }))
    .filter((s): s is typeof s & { dueAt: Date } => !!s.dueAt && s.dueAt.getTime() < now.getTime())
    .sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime());
}
