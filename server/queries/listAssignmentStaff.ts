/**
 * Who works on an assignment (phân công), for the assignment page: the staff named to it, and —
 * for leadership, who names them — the organisation's other active staff who could be added.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { assignmentStaff, users } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { loadAssignment, mayAssignStaff } from "../policies/assignmentPolicy.js";
import { isStaff, STAFF_ROLES } from "../policies/staffPolicy.js";

export type StaffPerson = { id: string; name: string; roles: string[] };

/**
 * The staff named to the assignment and, for leadership, the candidates; `null` for people who
 * are not the Union's staff (agencies and experts do not see who works on it).
 * @throws NotFoundError assignment_not_found (not visible to the actor)
 */
export async function listAssignmentStaff(db: Executor, actor: Actor, assignmentId: string) {
  const a = await loadAssignment(db, actor, assignmentId);
  if (!isStaff(actor)) return null;
  const members = await db
    .select({ id: users.id, name: users.fullName, roles: users.roles })
    .from(assignmentStaff)
    .innerJoin(users, eq(users.id, assignmentStaff.userId))
    .where(eq(assignmentStaff.assignmentId, a.id))
    .orderBy(asc(users.fullName));
  const mayAssign = mayAssignStaff(actor);
  const named = new Set(members.map((m) => m.id));
  const everyone = mayAssign
    ? await db
        .select({ id: users.id, name: users.fullName, roles: users.roles })
        .from(users)
        .where(and(eq(users.organizationId, a.organizationId), eq(users.active, true)))
        .orderBy(asc(users.fullName))
    : [];
  const candidates = everyone.filter((u) => !named.has(u.id) && u.roles.some((r) => STAFF_ROLES.includes(r as never)));
  return { members: members as StaffPerson[], candidates: candidates as StaffPerson[], mayAssign };
}
