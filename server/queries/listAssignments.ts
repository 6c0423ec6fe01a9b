/**
 * The list of assignments an actor may see, filtered and paged: GET /api/v1/assignments, the
 * list page, the queue and the dashboard. Visibility always through the policy's visibleTo.
 */
import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { agencies, assignments, deadlines } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { visibleTo } from "../policies/assignmentPolicy.js";
import { presentAssignmentSummary } from "../presenters/assignmentPresenter.js";
import { foldVietnamese } from "../text.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import { addWorkingDays } from "../calendar/workingDays.js";

/** A row is "due soon" when its next deadline falls within this many working days. */
export const DUE_SOON_WORKING_DAYS = 3;

/** Lists count matches up to this many past the current page, then say "more than". */
export const COUNT_CAP = 1000;

/** The columns a list row needs (never the snapshot or the search text). */
const SUMMARY_COLUMNS = {
  id: assignments.id,
  code: assignments.code,
  title: assignments.title,
  type: assignments.type,
  forms: assignments.forms,
  origin: assignments.origin,
  state: assignments.state,
  agencyId: assignments.agencyId,
  confidential: assignments.confidential,
  urgency: assignments.urgency,
  requestedDeadline: assignments.requestedDeadline,
  version: assignments.version,
  createdAt: assignments.createdAt,
  updatedAt: assignments.updatedAt,
};

export type ListFilters = {
  state?: string;
  type?: string;
  agencyId?: string;
  overdue?: boolean;
  q?: string;
  page?: number;
  order?: "updated" | "due";
  waitingOn?: string[];
  limit?: number;
};

// The next due date of each row (a correlated lookup on deadlines_assignment_idx), never an
// aggregate over every pending deadline of the organisation.
const nextDue = sql<Date | string | null>`(select min(d.due_at) from ${deadlines} d
  where d.assignment_id = ${assignments.id} and d.status = 'pending' and d.workflow = 'assignment')`;

/** Assignments the actor may see, filtered (GET /api/v1/assignments and the pages); `order: "due"` is the queue. */
export async function listAssignments(db: Db, actor: Actor, now: Date, f: ListFilters) {
  const limit = f.limit ?? 25;
  const page = Math.max(1, f.page ?? 1);
  const where = and(...conditions(actor, now, f));
  const order =
    f.order === "due"
      ? [sql`${nextDue} asc nulls last`, asc(assignments.createdAt)]
      : [desc(assignments.updatedAt), desc(assignments.id)];
  const offset = (page - 1) * limit;
  const rows = await db
    .select({ a: SUMMARY_COLUMNS, agencyName: agencies.name, dueAt: nextDue })
    .from(assignments)
    .leftJoin(agencies, eq(agencies.id, assignments.agencyId))
    .where(where)
    .orderBy(...order)
    .limit(limit)
    .offset(offset);
  // A short page needs no count at all.
  const counted =
    rows.length === limit || (rows.length === 0 && page > 1)
      ? await countCapped(db, where, offset + COUNT_CAP)
      : { total: offset + rows.length, totalCapped: false };
  // "Due soon" is within the next 3 working days on the organisation's calendar (a Friday's
  // Tuesday deadline is due soon; a weekend or a holiday does not count).
  const soon = rows.length
    ? addWorkingDays(now, DUE_SOON_WORKING_DAYS, await loadCalendar(db, actor.organizationId, now)).getTime()
    : 0;
  return {
    ...counted,
    page,
    pages: Math.max(1, Math.ceil(counted.total / limit)),
    rows: rows.map((x) => {
      const due = x.dueAt ? new Date(x.dueAt as unknown as string) : null;
      const s = presentAssignmentSummary(x.a, { agencyName: x.agencyName, nextDueAt: due, now });
      return { ...s, dueSoon: !!due && !s.overdue && due.getTime() <= soon };
    }),
  };
}

/** The filters as SQL conditions, visibility first. */
function conditions(actor: Actor, now: Date, f: ListFilters): SQL[] {
  const conds: SQL[] = [visibleTo(actor)];
  // A top-level state matches its sub-states; the expression is the one indexed (migration 0004).
  if (f.state)
    conds.push(
      f.state.includes(".")
        ? eq(assignments.state, f.state)
        : sql`split_part(${assignments.state}, '.', 1) = ${f.state}`,
    );
  if (f.type) conds.push(eq(assignments.type, f.type));
  if (f.agencyId) conds.push(eq(assignments.agencyId, f.agencyId));
  if (f.q?.trim())
    conds.push(
      sql`${assignments.searchText} like ${"%" + foldVietnamese(f.q).replace(/[%_\\]/g, (c) => "\\" + c) + "%"}`,
    );
  if (f.waitingOn)
    conds.push(
      sql`${assignments.state} in (${sql.join(
        f.waitingOn.map((s) => sql`${s}`),
        sql`, `,
      )})`,
    );
  if (f.overdue)
    conds.push(
      sql`exists (select 1 from ${deadlines} d where d.assignment_id = ${assignments.id} and d.status =
        'pending' and d.workflow = 'assignment' and d.due_at < ${now.toISOString()}::timestamptz)`,
    );
  return conds;
}

/**
 * How many rows match, counted up to `cap` (read in the list's order, so through the same index):
 * past the cap the list says "more than".
 */
async function countCapped(db: Db, where: SQL | undefined, cap: number) {
  const counted = await db.select({ n: sql<number>`count(*)::int` }).from(
    db
      .select({ one: sql`1` })
      .from(assignments)
      .where(where)
      .orderBy(desc(assignments.updatedAt), desc(assignments.id))
      .limit(cap + 1)
      .as("matching"),
  );
  return { total: Math.min(Number(counted[0].n), cap), totalCapped: Number(counted[0].n) > cap };
}
