/**
 * The header's notifications (issue 14 §6): what waits on the reader (the assignments in a step that
 * waits on one of their roles; for an expert, the invitations to answer and the opinions to write)
 * and what others changed on the reader's assignments since they last marked them seen (from the
 * history). "My assignments": an agency's orders, an expert's panels, and for the Union's staff those
 * they are named on (phân công), created or acted on. Read-only.
 */
import { and, desc, eq, gt, ne, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { assignmentStaff, assignments, history, users } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { visibleTo } from "../policies/assignmentPolicy.js";
import { isStaff, statesWaitingOn } from "../policies/pagePolicy.js";
import { listAssignments } from "./listAssignments.js";
import { listExpertWork } from "./listExpertWork.js";

/** How far back changes count when the reader has never marked them seen. */
export const FIRST_LOOK_DAYS = 14;

/** A row of "what waits on me" as the header shows it. */
export type WaitingRow = { id: string; code: string; title: string; nextDueAt: string | null };

export type NotificationOptions = {
  now: Date;
  limit?: number;
  /**
   * "What waits on me" already read by the page (listAssignments with the actor's waiting states,
   * by due date, at least as long): its first `limit` rows are used instead of reading them again.
   */
  waitingRows?: WaitingRow[];
};

/** Whether an assignment is the actor's own work (beyond being visible to them). */
function mine(actor: Actor): SQL {
  if (!isStaff(actor)) return visibleTo(actor);
  const me = actor.id ?? "";
  return and(
    visibleTo(actor),
    or(
      eq(assignments.createdBy, me),
      sql`exists (select 1 from ${assignmentStaff} s where s.assignment_id = ${assignments.id} and s.user_id = ${me})`,
      sql`exists (select 1 from ${history} h where h.assignment_id = ${assignments.id} and h.actor_id = ${me})`,
    ),
  )!;
}

/** When the actor last looked (or FIRST_LOOK_DAYS ago). */
async function seenAt(db: Db, actor: Actor, now: Date): Promise<Date> {
  const [row] = actor.id
    ? await db.select({ at: users.notificationsSeenAt }).from(users).where(eq(users.id, actor.id))
    : [];
  return row?.at ?? new Date(now.getTime() - FIRST_LOOK_DAYS * 86_400_000);
}

/** What others changed on the actor's assignments after `since`, newest first. */
async function changesSince(db: Db, actor: Actor, since: Date, limit: number) {
  const rows = await db
    .select({
      id: history.id,
      assignmentId: history.assignmentId,
      code: assignments.code,
      title: assignments.title,
      event: history.eventType,
      workflow: history.workflow,
      actorName: history.actorName,
      toState: history.toState,
      at: history.createdAt,
    })
    .from(history)
    .innerJoin(assignments, eq(assignments.id, history.assignmentId))
    .where(
      and(
        eq(history.organizationId, actor.organizationId),
        gt(history.createdAt, since),
        actor.id ? or(ne(history.actorId, actor.id), sql`${history.actorId} is null`) : undefined,
        mine(actor),
      ),
    )
    .orderBy(desc(history.createdAt), desc(history.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/** What waits on an expert: invitations to answer and accepted seats without a submitted opinion. */
async function expertWaiting(db: Db, actor: Actor) {
  const work = await listExpertWork(db, actor);
  const submitted = new Set(work.submittedIn);
  return work.seats
    .filter((s) => s.invitation.state === "invited" || !submitted.has(s.assignment.id))
    .filter((s) => s.invitation.state === "invited" || s.assignment.state === "underReview")
    .map((s) => ({
      id: s.assignment.id,
      code: s.assignment.code,
      title: s.assignment.title,
      what: s.invitation.state === "invited" ? "invitation" : "opinion",
      dueAt: s.invitation.state === "invited" ? (s.invitation.dueAt?.toISOString() ?? null) : null,
    }));
}

/** The waiting work and the unseen changes, with counts for the header. */
export async function loadNotifications(db: Db, actor: Actor, opts: NotificationOptions) {
  const limit = opts.limit ?? 20;
  const states = statesWaitingOn(actor);
  const waitingRows = opts.waitingRows
    ? opts.waitingRows.slice(0, limit)
    : states.length
      ? (await listAssignments(db, actor, opts.now, { waitingOn: states, order: "due", limit, count: false })).rows
      : [];
  const waiting = [
    ...(actor.expertId ? await expertWaiting(db, actor) : []),
    ...waitingRows.map((r) => ({ id: r.id, code: r.code, title: r.title, what: "step", dueAt: r.nextDueAt })),
  ];
  const since = await seenAt(db, actor, opts.now);
  const changes = await changesSince(db, actor, since, limit);
  return { waiting, changes: changes.rows, moreChanges: changes.more, since };
}
