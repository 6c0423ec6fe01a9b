/**
 * Leadership names who works on an assignment (phân công): adds and removes staff members. For a
 * confidential assignment these are, besides the clerk and leadership, the only staff who see it.
 * Each change is an official act on the record: one history row per person added or removed.
 */
import { and, eq, inArray } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { assignmentStaff, users } from "../db/schema.js";
import { ForbiddenError, ValidationError } from "../errors.js";
import type { Tx } from "../db/connect.js";
import type { Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { appendHistory } from "../runtime/appendHistory.js";
import { loadAssignment, mayAssignStaff } from "../policies/assignmentPolicy.js";

/** Who to add and who to remove (user ids), and why. */
export type StaffChange = { add?: string[]; remove?: string[]; note?: string };

/** The staff roles a person named to work on an assignment must hold. */
const STAFF_ROLES = ["secretariat", "leadership", "clerk", "admin"];

/**
 * Applies the change and returns the assignment's staff after it (user ids).
 * @throws NotFoundError assignment_not_found; ForbiddenError (not leadership);
 *   ValidationError staff_user_not_found (not an active staff member of the organisation)
 */
export async function assignStaff(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string; change: StaffChange },
): Promise<string[]> {
  const { actor, change } = props;
  return inTransaction(deps, async (tx) => {
    const a = await loadAssignment(tx, actor, props.assignmentId);
    if (!mayAssignStaff(actor)) throw new ForbiddenError("Chỉ lãnh đạo phân công người thực hiện nhiệm vụ.");
    const add = [...new Set(change.add ?? [])];
    const remove = [...new Set(change.remove ?? [])].filter((id) => !add.includes(id));
    const people = await staffToAdd(tx, a.organizationId, add);
    const current = await currentStaff(tx, a.id);
    const now = deps.clock.now();
    const record = (eventType: string, userId: string, name: string) =>
      appendHistory(tx, {
        organizationId: a.organizationId,
        assignmentId: a.id,
        workflow: "staff",
        workflowId: randomUUID(),
        version: 1,
        actor,
        eventType,
        payload: { userId, name },
        fromState: a.state,
        toState: a.state,
        reason: change.note ?? null,
        at: now,
      });
    for (const u of people.filter((p) => !current.has(p.id))) {
      await tx.insert(assignmentStaff).values({ assignmentId: a.id, userId: u.id, organizationId: a.organizationId });
      await record("staff.add", u.id, u.fullName);
      current.add(u.id);
    }
    const leaving = remove.filter((id) => current.has(id));
    if (leaving.length) {
      const names = await tx.select().from(users).where(inArray(users.id, leaving));
      await tx
        .delete(assignmentStaff)
        .where(and(eq(assignmentStaff.assignmentId, a.id), inArray(assignmentStaff.userId, leaving)));
      for (const id of leaving) {
        await record("staff.remove", id, names.find((n) => n.id === id)?.fullName ?? id);
        current.delete(id);
      }
    }
    return [...current];
  });
}

/**
 * The active staff members of the organisation named in `add`.
 * @throws ValidationError staff_user_not_found when one is not such a person
 */
async function staffToAdd(tx: Tx, organizationId: string, add: string[]) {
  const people = add.length
    ? await tx
        .select()
        .from(users)
        .where(and(eq(users.organizationId, organizationId), inArray(users.id, add), eq(users.active, true)))
    : [];
  for (const id of add) {
    const u = people.find((p) => p.id === id);
    if (!u || !u.roles.some((r) => STAFF_ROLES.includes(r)))
      throw new ValidationError("staff_user_not_found", "Không tìm thấy cán bộ của Liên hiệp hội.", "add");
  }
  return people;
}

/** The user ids of the assignment's staff now. */
async function currentStaff(tx: Tx, assignmentId: string): Promise<Set<string>> {
  const rows = await tx
    .select({ userId: assignmentStaff.userId })
    .from(assignmentStaff)
    .where(eq(assignmentStaff.assignmentId, assignmentId));
  return new Set(rows.map((x) => x.userId));
}
