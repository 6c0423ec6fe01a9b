/**
 * Who may see an assignment and who may send which event. Not visible means 404 (never reveal
 * that another organisation's or a confidential assignment exists); visible but not allowed
 * means 403.
 *
 * Confidential assignments, as practised: the clerk and leadership see them from arrival (they
 * register them and decide on them); leadership names the staff who work on them
 * (`commands/assignStaff.ts`); the ordering agency sees its own order and invited experts their
 * panel's. Everyone else, administrators included, sees at most that a confidential item exists
 * (its code and dates: `maskedConfidential`), never its title, parties, files or text.
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
/** The roles that see every confidential order from its arrival: they register it and decide on it. */
const CONFIDENTIAL_READERS: Role[] = ["clerk", "leadership"];

/**
 * A SQL condition selecting the assignments `actor` may see (organisation always included).
 */
export function visibleTo(actor: Actor): SQL {
  const orgScope = eq(assignments.organizationId, actor.organizationId);
  const ors: SQL[] = [];
  if (STAFF.some((r) => actor.roles.includes(r))) {
    ors.push(eq(assignments.confidential, false));
    if (CONFIDENTIAL_READERS.some((r) => actor.roles.includes(r))) ors.push(eq(assignments.confidential, true));
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

/**
 * Of the given assignments, the confidential ones the actor may not see, by id, with their code:
 * lists that show rows of them (the document register, the outbox) show only that code.
 */
export async function hiddenConfidential(db: Executor, actor: Actor, ids: Array<string | null>) {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))];
  const hidden = new Map<string, { code: string }>();
  if (!wanted.length) return hidden;
  const rows = await db
    .select({ id: assignments.id, code: assignments.code, visible: sql<boolean>`${visibleTo(actor)}` })
    .from(assignments)
    .where(
      and(
        inArray(assignments.id, wanted),
        eq(assignments.organizationId, actor.organizationId),
        eq(assignments.confidential, true),
      ),
    );
  for (const r of rows) if (!r.visible) hidden.set(r.id, { code: r.code });
  return hidden;
}

/** Whether the actor may name who works on an assignment (leadership). */
export function mayAssignStaff(actor: Actor): boolean {
  return hasRole(actor, "leadership");
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
