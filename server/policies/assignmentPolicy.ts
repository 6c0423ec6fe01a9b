/**
 * Who may see an assignment and who may send which event. Not visible means 404 (never reveal
 * that another organisation's or a confidential assignment exists); visible but not allowed
 * means 403.
 */
import { and, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { assignments, assignmentStaff, invitations } from "../db/schema.js";
import { ForbiddenError, NotFoundError } from "../errors.js";
import { hasRole, type Actor, type Role } from "../runtime/actor.js";
import { allowedEvents, type AssignmentRow } from "../runtime/applyEvent.js";
import { assignmentMachine } from "../../workflows/assignment/assignmentMachine.js";
import type { AssignmentContext } from "../../workflows/assignment/types.js";
import { declarationOf, PEOPLE_EVENT_TYPES } from "../commands/events/index.js";
import { probeEvent } from "../commands/events/probeEvent.js";

const STAFF: Role[] = ["secretariat", "leadership", "clerk", "admin"];

/**
 * A SQL condition selecting the assignments `actor` may see (organisation always included).
 */
export function visibleTo(actor: Actor): SQL {
  const orgScope = eq(assignments.organizationId, actor.organizationId);
  const ors: SQL[] = [];
  if (STAFF.some((r) => actor.roles.includes(r))) {
    ors.push(eq(assignments.confidential, false));
    if (actor.id) {
      ors.push(eq(assignments.createdBy, actor.id));
      ors.push(
        sql`exists (select 1 from ${assignmentStaff} s where s.assignment_id = ${assignments.id} and s.user_id
          = ${actor.id})`,
      );
    }
  }
  if (hasRole(actor, "agency") && actor.agencyId) ors.push(eq(assignments.agencyId, actor.agencyId));
  if (hasRole(actor, "expert") && actor.expertId) {
    ors.push(
      sql`exists (select 1 from ${invitations} i where i.assignment_id = ${assignments.id} and i.expert_id =
        ${actor.expertId} and i.state in ('invited','accepted'))`,
    );
  }
  if (!ors.length) return and(orgScope, sql`false`)!;
  return and(orgScope, or(...ors))!;
}

/**
 * Loads an assignment the actor may see.
 * @throws NotFoundError assignment_not_found (also for other organisations and hidden ones)
 */
export async function loadAssignment(db: Executor, actor: Actor, id: string): Promise<AssignmentRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
  const [row] = await db
    .select()
    .from(assignments)
    .where(and(eq(assignments.id, id), visibleTo(actor)));
  if (!row) throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
  return row;
}

/**
 * Whether the actor's roles allow an event on an assignment they can see (no state check): the
 * roles its declaration names; an agency only for its own orders, an expert only with an expert
 * record. System events and unknown types are never allowed.
 */
export function mayAttempt(actor: Actor, eventType: string, assignment: AssignmentRow): boolean {
  const roles = declarationOf(eventType)?.roles ?? [];
  return roles.some((role) => {
    if (!actor.roles.includes(role)) return false;
    if (role === "agency") return !!actor.agencyId && actor.agencyId === assignment.agencyId;
    if (role === "expert") return !!actor.expertId;
    return true;
  });
}

/**
 * Refuses an event the actor's roles do not allow.
 * @throws ForbiddenError forbidden
 */
export function authorizeEvent(actor: Actor, eventType: string, assignment: AssignmentRow): void {
  if (!mayAttempt(actor, eventType, assignment)) {
    throw new ForbiddenError(`Vai trò của bạn không được thực hiện “${eventType}” trên nhiệm vụ này.`);
  }
}

/**
 * The events this actor may send to the assignment now, in declaration order: the roles first,
 * then the machine, asked with each event's probe (see commands/events/probeEvent.ts).
 */
export function allowedEventsFor(actor: Actor, assignment: AssignmentRow): string[] {
  const ctx = ((assignment.snapshot as { context?: AssignmentContext }).context ?? {}) as AssignmentContext;
  const probes = PEOPLE_EVENT_TYPES.filter((type) => mayAttempt(actor, type, assignment)).map((type) =>
    probeEvent(type, ctx, actor),
  );
  return allowedEvents(assignmentMachine, assignment.snapshot, probes);
}

/** Whether the actor is an accepted panel member (expert) of the assignment. */
export async function panelSeatOf(db: Executor, actor: Actor, assignmentId: string) {
  if (!actor.expertId) return undefined;
  const [inv] = await db
    .select()
    .from(invitations)
    .where(
      and(
        eq(invitations.assignmentId, assignmentId),
        eq(invitations.expertId, actor.expertId),
        inArray(invitations.state, ["accepted"]),
      ),
    );
  return inv;
}

/** Staff-only actions (registry, users). @throws ForbiddenError */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!hasRole(actor, ...roles)) throw new ForbiddenError();
}
