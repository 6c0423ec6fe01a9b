/**
 * Who works on what (issue 14 §6, reassigning work): the open assignments the actor may see with
 * the staff named on each, and the secretariat members work may move to. Read-only.
 */
import { and, asc, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { assignmentStaff, assignments, users } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { visibleTo } from "../policies/assignmentPolicy.js";

/** At most this many assignments in one answer. */
const LIMIT = 300;

/** Final states: nothing left to work on. */
const FINAL = ["closed", "declined", "withdrawn"];

/** Open assignments with their staff (names), oldest first; `staffUserId` keeps those one person works on. */
export async function listStaffWork(db: Db, actor: Actor, filters: { staffUserId?: string } = {}) {
  const rows = await db
    .select({ id: assignments.id, code: assignments.code, title: assignments.title, state: assignments.state })
    .from(assignments)
    .where(
      and(
        visibleTo(actor),
        notInArray(assignments.state, FINAL),
        filters.staffUserId
          ? sql`exists (select 1 from ${assignmentStaff} s where s.assignment_id = ${assignments.id}
              and s.user_id = ${filters.staffUserId})`
          : undefined,
      ),
    )
    .orderBy(asc(assignments.createdAt))
    .limit(LIMIT);
  const staff = rows.length
    ? await db
        .select({ assignmentId: assignmentStaff.assignmentId, userId: users.id, name: users.fullName })
        .from(assignmentStaff)
        .innerJoin(users, eq(users.id, assignmentStaff.userId))
        .where(
          inArray(
            assignmentStaff.assignmentId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const secretariat = await db
    .select({ id: users.id, name: users.fullName })
    .from(users)
    .where(
      and(
        eq(users.organizationId, actor.organizationId),
        eq(users.active, true),
        sql`'secretariat' = any(${users.roles})`,
      ),
    )
    .orderBy(asc(users.fullName));
  return {
    assignments: rows.map((r) => ({ ...r, staff: staff.filter((s) => s.assignmentId === r.id) })),
    secretariat,
  };
}
