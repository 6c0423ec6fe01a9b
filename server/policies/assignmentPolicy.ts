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
import { and, eq, inArray, is, or, sql, type SQL } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db, Executor } from "../db/connect.js";
import { assignments, assignmentStaff, invitations } from "../db/schema.js";
import { ForbiddenError, NotFoundError } from "../errors.js";
import { hasRole, type Actor, type Role } from "../runtime/actor.js";
import { allowedEvents, type AssignmentRow, type EventAssignment } from "../runtime/applyEvent.js";
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
 * How much of the organisation `actor` sees whole, for counts kept per organisation (the
 * dashboard's roll-up): "all" (every assignment), "open" (every non-confidential one, plus the
 * confidential ones `visibleTo` grants one by one), or "some" (only what `visibleTo` selects).
 */
export function organisationShare(actor: Actor): "all" | "open" | "some" {
  if (!STAFF.some((r) => actor.roles.includes(r))) return "some";
  return CONFIDENTIAL_READERS.some((r) => actor.roles.includes(r)) ? "all" : "open";
}

/**
 * Loads an assignment the actor may see.
 * @throws NotFoundError assignment_not_found (also for other organisations and hidden ones)
 */
export async function loadAssignment(db: Executor, actor: Actor, id: string): Promise<AssignmentRow> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
  const [row] = is(db, PgTransaction)
    ? await db
        .select()
        .from(assignments)
        .where(and(eq(assignments.id, id), visibleTo(actor)))
    : ((await visibleAssignmentQuery(db as Db, actor, "row").execute({
        id,
        ...placeholderValues(actor),
      })) as AssignmentRow[]);
  if (!row) throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
  return row;
}

/** The columns of `EventAssignment`: what an event reads of its assignment (not its title, text or search terms). */
const EVENT_COLUMNS = {
  id: assignments.id,
  organizationId: assignments.organizationId,
  code: assignments.code,
  agencyId: assignments.agencyId,
  planItemId: assignments.planItemId,
  state: assignments.state,
  snapshot: assignments.snapshot,
  version: assignments.version,
  updatedAt: assignments.updatedAt,
  machineVersion: assignments.machineVersion,
};

/**
 * Loads the columns an event needs of an assignment the actor may see, the same way as
 * `loadAssignment` (the same visibility): every event reads its assignment so, and parsing the
 * row's other columns (title, summary, search text, dates, arrays) cost CPU and memory per event.
 * @throws NotFoundError assignment_not_found (also for other organisations and hidden ones)
 */
export async function loadAssignmentForEvent(db: Executor, actor: Actor, id: string): Promise<EventAssignment> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
  const [row] = is(db, PgTransaction)
    ? await db
        .select(EVENT_COLUMNS)
        .from(assignments)
        .where(and(eq(assignments.id, id), visibleTo(actor)))
    : await visibleAssignmentQuery(db as Db, actor, "event").execute({ id, ...placeholderValues(actor) });
  if (!row) throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
  return row;
}

/**
 * The same read as a prepared query, built once per database, per shape of `visibleTo` (which
 * of its conditions the actor's roles and ids switch on) and per set of columns (the whole row, or
 * an event's), with the ids as placeholders: every event reads its assignment so, and Drizzle's
 * query builder cost more CPU than the read itself. On PostgreSQL it is a named prepared statement
 * (parsed once per connection).
 */
function visibleAssignmentQuery(db: Db, actor: Actor, columns: "row" | "event") {
  const shape = `${columns}_${visibilityShape(actor)}`;
  let byShape = preparedReads.get(db);
  if (!byShape) preparedReads.set(db, (byShape = new Map()));
  let query = byShape.get(shape);
  if (!query) {
    const stand = {
      ...actor,
      organizationId: sql.placeholder("organizationId"),
      id: actor.id && sql.placeholder("actorId"),
      agencyId: actor.agencyId && sql.placeholder("agencyId"),
      expertId: actor.expertId && sql.placeholder("expertId"),
    } as unknown as Actor;
    const select = columns === "row" ? db.select() : db.select(EVENT_COLUMNS);
    query = select
      .from(assignments)
      .where(and(eq(assignments.id, sql.placeholder("id")), visibleTo(stand)))
      .prepare(`tvpb_visible_assignment_${byShape.size}_${shape}`) as VisibleRead;
    byShape.set(shape, query);
  }
  return query;
}

type VisibleRead = { execute(values: Record<string, unknown>): Promise<EventAssignment[]> };
const preparedReads = new WeakMap<Db, Map<string, VisibleRead>>();

/** Which conditions `visibleTo` builds for this actor: its roles and which of its ids are set. */
function visibilityShape(actor: Actor): string {
  const roles = [...actor.roles].sort().join("-");
  return `${roles}_${actor.id ? 1 : 0}${actor.agencyId ? 1 : 0}${actor.expertId ? 1 : 0}`;
}

function placeholderValues(actor: Actor) {
  return {
    organizationId: actor.organizationId,
    actorId: actor.id,
    agencyId: actor.agencyId,
    expertId: actor.expertId,
  };
}

/**
 * Whether the actor's roles allow an event on an assignment they can see (no state check): the
 * roles its declaration names; an agency only for its own orders, an expert only with an expert
 * record. System events and unknown types are never allowed.
 */
export function mayAttempt(actor: Actor, eventType: string, assignment: Pick<AssignmentRow, "agencyId">): boolean {
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
export function authorizeEvent(actor: Actor, eventType: string, assignment: Pick<AssignmentRow, "agencyId">): void {
  if (!mayAttempt(actor, eventType, assignment)) {
    throw new ForbiddenError(`Vai trò của bạn không được thực hiện “${eventType}” trên nhiệm vụ này.`);
  }
}

/**
 * The events this actor may send to the assignment now, in declaration order: the roles first,
 * then the machine, asked with each event's probe (see commands/events/probeEvent.ts).
 *
 * Memoised (every event's answer and every detail asks): the answer depends only on the state, the
 * actor and the context fields the guards and probes read. The first computation for a state and
 * actor records which top-level context fields were read (a Proxy); the result is kept under the
 * values of those fields (the union of all fields ever read for that state and actor), so a
 * change of any field a guard looks at is a new key. Guards are pure (no clock, no I/O).
 */
export function allowedEventsFor(
  actor: Actor,
  assignment: Pick<AssignmentRow, "state" | "snapshot" | "agencyId">,
): string[] {
  const snapshot = assignment.snapshot as { value?: unknown; status?: string; context?: AssignmentContext };
  const ctx = (snapshot.context ?? {}) as AssignmentContext;
  const base = JSON.stringify([
    assignment.state,
    snapshot.value,
    snapshot.status,
    actor.id,
    actor.roles,
    actor.agencyId,
    actor.expertId,
    actor.memberAssociationId,
    !!actor.agencyId && actor.agencyId === assignment.agencyId,
  ]);
  const fields = fieldsRead.get(base);
  const hit = fields && allowedMemo.get(base + contextKey(ctx, fields));
  if (hit) return [...hit];
  const read = new Set<string>(fields);
  const tracked = trackReads(ctx, read);
  const probes = PEOPLE_EVENT_TYPES.filter((type) => mayAttempt(actor, type, assignment)).map((type) =>
    probeEvent(type, tracked, actor),
  );
  const allowed = allowedEvents(assignmentMachine, { ...snapshot, context: tracked }, probes);
  const union = [...read].sort();
  if (allowedMemo.size >= ALLOWED_MEMO_MAX) allowedMemo.clear();
  if (fieldsRead.size >= ALLOWED_MEMO_MAX) fieldsRead.clear();
  fieldsRead.set(base, union);
  allowedMemo.set(base + contextKey(ctx, union), allowed);
  return [...allowed];
}

const ALLOWED_MEMO_MAX = 5_000;
/** State and actor → the context fields read so far (sorted; "*" means the whole context). */
const fieldsRead = new Map<string, string[]>();
/** State and actor and the values of those fields → the allowed event types. */
const allowedMemo = new Map<string, string[]>();

/** The values of the given context fields (absent and null told apart), as a key. */
function contextKey(ctx: AssignmentContext, fields: string[]): string {
  const c = ctx as unknown as Record<string, unknown>;
  if (fields.includes("*")) return JSON.stringify(c);
  return JSON.stringify(fields.map((f) => (f in c ? [f, c[f]] : [f])));
}

/** The context behind a Proxy that notes each top-level field read (any enumeration: "*"). */
function trackReads(ctx: AssignmentContext, read: Set<string>): AssignmentContext {
  return new Proxy(ctx, {
    get(target, key, receiver) {
      if (typeof key === "string") read.add(key);
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      if (typeof key === "string") read.add(key);
      return Reflect.has(target, key);
    },
    ownKeys(target) {
      read.add("*");
      return Reflect.ownKeys(target);
    },
    getOwnPropertyDescriptor(target, key) {
      read.add("*");
      return Reflect.getOwnPropertyDescriptor(target, key);
    },
  });
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
