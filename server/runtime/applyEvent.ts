/**
 * Save, then do. One transaction loads a workflow's snapshot, computes the transition with the
 * pure `transition()`, saves the new snapshot under optimistic concurrency (a stale version is a
 * 409), appends the history row, and performs the actions the machine asked for through the
 * handlers installed at boot (runtime/handlers.ts: records such as deadlines, invitations and
 * numbered documents; effects such as mail and rendering, queued in the outbox). The effect worker
 * performs the effects after the commit.
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql, type SQL } from "drizzle-orm";
import { initialTransition, type AnyStateMachine } from "xstate";
import { transition } from "./pureTransition.js";
import {
  assignmentMachine,
  ASSIGNMENT_MACHINE_VERSION,
  type AssignmentEvent,
} from "../../workflows/assignment/assignmentMachine.js";
import type { AssignmentContext, AssignmentInput } from "../../workflows/assignment/types.js";
import {
  invitationMachine,
  INVITATION_MACHINE_VERSION,
  type InvitationEvent,
} from "../../workflows/invitation/invitationMachine.js";
import { rowsOf, type Db, type Tx } from "../db/connect.js";
import { assignments, invitations } from "../db/schema.js";
import { ConflictError, NotFoundError } from "../errors.js";
import type { Actor } from "./actor.js";
import type { Clock } from "./clock.js";
import { appendHistory, historyInsert, historyInsertMany, type HistoryEntry } from "./appendHistory.js";
import {
  onlyQueuesEffects,
  performActions,
  type ActionContext,
  type InvitationSeat,
  type WorkflowEngine,
} from "./handlers.js";
import { collectEffects, effectInsert, type QueuedEffect } from "./queueEffect.js";
import { runAssignmentSave } from "./saveStatement.js";
import { flattenState } from "./stateValue.js";
import { restoreSnapshot } from "../../workflows/restoreSnapshot.js";
import { explainRefusal } from "../../workflows/explainRefusal.js";

export type AssignmentRow = typeof assignments.$inferSelect;
/**
 * The columns of an assignment that an event reads, plans from and saves, and that its answer shows:
 * the event path reads only these (policies/assignmentPolicy.ts, `loadAssignmentForEvent`).
 */
export type EventAssignment = Pick<
  AssignmentRow,
  | "id"
  | "organizationId"
  | "code"
  | "agencyId"
  | "planItemId"
  | "state"
  | "snapshot"
  | "version"
  | "updatedAt"
  | "machineVersion"
>;
export type InvitationRow = typeof invitations.$inferSelect;

export type RuntimeDeps = { db: Db; clock: Clock; onCommitted?: () => void };

type AnyEvent = { type: string } & Record<string, unknown>;

/**
 * Which of these events the snapshot would accept right now, for the API's "can" list: XState's
 * `snapshot.can()`, guards evaluated with the given (probe) payloads.
 */
export function allowedEvents(machine: AnyStateMachine, snapshotJson: unknown, probes: readonly AnyEvent[]): string[] {
  const snap = restoreSnapshot(machine, snapshotJson);
  return probes.filter((event) => snap.can(event as never)).map((event) => event.type);
}

/**
 * Why `event` cannot be applied: wrong state (409 event_not_allowed) or a rule refused it (409
 * rule_violated, naming the rule; the command that sent it words the message).
 */
export function refuse(
  machine: AnyStateMachine,
  snap: ReturnType<AnyStateMachine["resolveState"]>,
  event: AnyEvent,
  stateLabel: string,
): never {
  const why = explainRefusal(machine, snap, event);
  if (!why.handled) {
    throw new ConflictError(
      "event_not_allowed",
      `Không thể thực hiện “${event.type}” khi nhiệm vụ đang ở bước “${stateLabel}”.`,
      { state: stateLabel, event: event.type },
    );
  }
  throw new ConflictError("rule_violated", "Thao tác không thỏa điều kiện của bước hiện tại.", {
    state: stateLabel,
    event: event.type,
    rule: why.guard,
  });
}

/** Creates the initial snapshot of an assignment (no transaction: the caller inserts the row). */
function initialAssignment(input: AssignmentInput) {
  const [snap, actions] = initialTransition(assignmentMachine, input);
  return {
    snapshot: assignmentMachine.getPersistedSnapshot(snap),
    state: flattenState(snap.value),
    actions,
    machineVersion: ASSIGNMENT_MACHINE_VERSION,
  };
}

/** A new assignment's row, without what the machine decides (state, snapshot, versions). */
export type NewAssignment = Omit<
  typeof assignments.$inferInsert,
  "state" | "snapshot" | "version" | "machineVersion"
> & {
  id: string;
  organizationId: string;
};

/**
 * Inserts a new assignment in its machine's initial state inside `tx`: the row, its first history
 * row (`created`, e.g. order.create) and the initial state's actions. Throws what the database throws.
 */
export async function createAssignmentInTx(
  tx: Tx,
  ctx: EngineCtx,
  row: NewAssignment,
  input: AssignmentInput,
  created: { eventType: string; payload: Record<string, unknown> },
): Promise<AssignmentRow> {
  const init = initialAssignment(input);
  const [inserted] = await tx
    .insert(assignments)
    .values({ ...row, state: init.state, machineVersion: init.machineVersion, snapshot: init.snapshot, version: 1 })
    .returning();
  const scope = assignmentScope(row, 1);
  await appendHistory(tx, {
    ...scope,
    actor: ctx.actor,
    eventType: created.eventType,
    payload: created.payload,
    fromState: null,
    toState: init.state,
    at: ctx.clock.now(),
  });
  const context = (init.snapshot as { context?: Record<string, unknown> }).context ?? {};
  await performActions(actionContext(tx, ctx, { ...scope, context, event: { type: created.eventType } }), init.actions);
  return inserted;
}

/**
 * Applies an event to an assignment inside `tx`.
 * @throws NotFoundError assignment_not_found, ConflictError event_not_allowed | rule_violated | stale_version
 */
export async function applyAssignmentEventInTx(
  tx: Tx,
  ctx: EngineCtx,
  assignment: string | AssignmentRow,
  event: AnyEvent,
  opts: { expectedVersion?: number; reason?: string } = {},
): Promise<AssignmentRow> {
  const row = await assignmentRow(tx, ctx.actor, assignment);
  return applyPlannedInTx(tx, ctx, planAssignmentEvent(row, event, opts), opts.reason);
}

/** A transition computed but not saved: the row it starts from, the event, the next snapshot and its actions. */
export type PlannedTransition<R extends EventAssignment = EventAssignment> = {
  row: R;
  event: AnyEvent;
  next: ReturnType<typeof transition<typeof assignmentMachine>>[0];
  actions: ReturnType<typeof transition<typeof assignmentMachine>>[1];
};

/**
 * Computes what `event` does to `row` (pure: no database): the version check, the refusal, the
 * transition. Save it with `applyPlannedInTx`, or with `saveAlone` when `savesAlone` says so.
 * @throws ConflictError event_not_allowed | rule_violated | stale_version
 */
export function planAssignmentEvent<R extends EventAssignment>(
  row: R,
  event: AnyEvent,
  opts: { expectedVersion?: number } = {},
): PlannedTransition<R> {
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.version) {
    throw new ConflictError("stale_version", STALE_ASSIGNMENT, { version: row.version });
  }
  const snap = restoreSnapshot(assignmentMachine, row.snapshot);
  if (!snap.can(event as AssignmentEvent)) refuse(assignmentMachine, snap as never, event, row.state);
  const [next, actions] = transition(assignmentMachine, snap, event as AssignmentEvent);
  return { row, event, next, actions };
}

/** The state a planned transition leads to (`screening.reviewing`). */
export const plannedState = (plan: PlannedTransition) => flattenState(plan.next.value);

/**
 * Whether a planned transition is whole in one statement, without a transaction around it: its
 * actions only queue mail (`onlyQueuesEffects`), whose outbox rows join the save's statement.
 */
export const savesAlone = (plan: PlannedTransition) => onlyQueuesEffects(plan.actions);

/** Saves a planned transition inside `tx` and performs its actions. @throws ConflictError stale_version */
export async function applyPlannedInTx<R extends EventAssignment>(
  tx: Tx,
  ctx: EngineCtx,
  plan: PlannedTransition<R>,
  reason?: string,
): Promise<R> {
  const { row, next, actions, event } = plan;
  const context = next.context as AssignmentContext;
  const perform = () =>
    performActions(actionContext(tx, ctx, { ...assignmentScope(row, row.version + 1), context, event }), actions);
  if (onlyQueuesEffects(actions)) {
    // E.g. a reminder: its one action queues a mail. The outbox rows join the save's statement.
    const effects = await collectEffects(tx, perform);
    return saveAssignment(tx, ctx, row, next, event, reason, effects);
  }
  const saved = await saveAssignment(tx, ctx, row, next, event, reason);
  await perform();
  return saved;
}

/**
 * Saves a planned transition that `savesAlone` as ONE statement on `db`, with no transaction of
 * its own (no BEGIN, no COMMIT: two round trips less per event). The statement is atomic: the
 * versioned update, the history row and the outbox rows are written together or not at all, and a
 * version moved since `plan.row` was read is a 409 as inside a transaction. Tells the workers.
 * @throws ConflictError stale_version; Error when the plan does not save alone (a caller's bug)
 */
export async function saveAlone<R extends EventAssignment>(
  deps: RuntimeDeps,
  ctx: EngineCtx,
  plan: PlannedTransition<R>,
  reason?: string,
): Promise<R> {
  if (!savesAlone(plan)) throw new Error(`saveAlone: ${plan.event.type} does more than queue mail`);
  const { row, next, actions, event } = plan;
  const context = next.context as AssignmentContext;
  // Only the engine's sendMail runs, and it only hands its effect to collectEffects: the handle is
  // never used for a query, so the database itself stands in for a transaction here.
  const handle = deps.db as unknown as Tx;
  const effects = await collectEffects(handle, () =>
    performActions(actionContext(handle, ctx, { ...assignmentScope(row, row.version + 1), context, event }), actions),
  );
  const saved = await saveAssignment(handle, ctx, row, next, event, reason, effects);
  deps.onCommitted?.();
  return saved;
}

/** One planned transition of a batch `saveAllAloneInTx` writes together, with who sends it. */
export type BatchedTransition<R extends EventAssignment = EventAssignment> = {
  plan: PlannedTransition<R>;
  actor: Actor;
};

/**
 * Saves planned transitions that each `savesAlone`, of distinct assignments, as ONE statement in
 * `tx` (the deadline worker's claimed batch): every versioned update, history row and outbox row
 * together, so the statement-level triggers run once for the batch instead of once per event.
 * `nextDueWithout`: deadline ids the caller marks spent later in the same transaction; each row's
 * `next_due_at` is written as it will be once they are (the earliest pending deadline but those), so
 * the next-due trigger then finds nothing to change and the row is updated once, not twice. The
 * trigger stays the authority: had this guessed wrong, it would write the right value.
 * @throws ConflictError stale_version when any version moved (nothing is written then); Error for a
 *   plan that does not save alone or an assignment given twice (a caller's bug)
 */
export async function saveAllAloneInTx<R extends EventAssignment>(
  tx: Tx,
  clock: Clock,
  items: readonly BatchedTransition<R>[],
  opts: { nextDueWithout?: readonly string[] } = {},
): Promise<R[]> {
  if (!items.length) return [];
  const now = clock.now();
  const seen = new Set<string>();
  const parts: Array<{ row: R; state: string; snapshotJson: string; entry: HistoryEntry }> = [];
  const effects: SQL[] = [];
  for (const { plan, actor } of items) {
    if (!savesAlone(plan)) throw new Error(`saveAllAloneInTx: ${plan.event.type} does more than queue mail`);
    if (seen.has(plan.row.id)) throw new Error(`saveAllAloneInTx: assignment ${plan.row.id} given twice`);
    seen.add(plan.row.id);
    const { row, next, actions, event } = plan;
    const ctx = { clock, actor };
    const scope = assignmentScope(row, row.version + 1);
    const queued = await collectEffects(tx, () =>
      performActions(actionContext(tx, ctx, { ...scope, context: next.context as AssignmentContext, event }), actions),
    );
    for (const e of queued) effects.push(effectInsert(e, sql`updated where updated.id = ${row.id}`));
    const state = flattenState(next.value);
    const snapshotJson = JSON.stringify(assignmentMachine.getPersistedSnapshot(next));
    parts.push({ row, state, snapshotJson, entry: historyEntry(ctx, row, state, event, undefined, now) });
  }
  const values = sql.join(
    parts.map((p) => sql`(${p.row.id}, ${p.row.version}::int, ${p.snapshotJson}::jsonb, ${p.state})`),
    sql`, `,
  );
  const spent = opts.nextDueWithout ?? [];
  const nextDue = spent.length
    ? sql`, next_due_at = (select min(d.due_at) from deadlines d where d.assignment_id = a.id and d.status = 'pending'
        and d.workflow = 'assignment' and d.id not in (${sql.join(
          spent.map((id) => sql`${id}`),
          sql`, `,
        )}))`
    : sql.empty();
  const written = await tx.execute(sql`with v (id, version, snapshot, state) as (values ${values}),
    updated as (
      update assignments a set snapshot = v.snapshot, state = v.state, version = v.version + 1,
        updated_at = ${now.toISOString()}::timestamptz, machine_version = ${ASSIGNMENT_MACHINE_VERSION} ${nextDue}
      from v where a.id = v.id and a.version = v.version returning a.id)
    ${sql.join(effects.map((e, i) => sql`, ${sql.raw(`effect${i}`)} as (${e})`))}
    ${historyInsertMany(
      parts.map((p) => p.entry),
      sql`updated`,
    )}`);
  if (rowsOf(written).length !== parts.length) throw new ConflictError("stale_version", STALE_ASSIGNMENT);
  return parts.map(({ row, state, snapshotJson }) => ({
    ...row,
    snapshot: JSON.parse(snapshotJson) as unknown,
    state,
    version: row.version + 1,
    updatedAt: now,
    machineVersion: ASSIGNMENT_MACHINE_VERSION,
  }));
}

/** The history row of a transition of `row` to `state` (the workflow's version after it: one more). */
function historyEntry(
  ctx: EngineCtx,
  row: EventAssignment,
  state: string,
  event: AnyEvent,
  reason: string | undefined,
  at: Date,
): HistoryEntry {
  return {
    ...assignmentScope(row, row.version + 1),
    actor: ctx.actor,
    eventType: event.type,
    payload: stripType(event),
    fromState: row.state,
    toState: state,
    reason: reason ?? reasonOf(event),
    at,
  };
}

const STALE_ASSIGNMENT = "Nhiệm vụ vừa được người khác cập nhật; hãy tải lại rồi thử lại.";

/**
 * The assignment row, read in the actor's organisation — or the row the caller already read in
 * this transaction, used as is: the versioned update refuses it if anything changed since.
 */
async function assignmentRow(tx: Tx, actor: Actor, assignment: string | AssignmentRow): Promise<AssignmentRow> {
  const [row] =
    typeof assignment !== "string"
      ? [assignment]
      : await tx
          .select()
          .from(assignments)
          .where(and(eq(assignments.id, assignment), eq(assignments.organizationId, actor.organizationId)));
  if (!row || row.organizationId !== actor.organizationId)
    throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
  return row;
}

/**
 * Saves a transition: the versioned update and the history row in one statement of flat SQL, built
 * once per shape (saveStatement.ts: each round trip and Drizzle's builder cost more than the
 * database's work; docs/BENCHMARKS.md), the
 * history row (and the outbox rows of `effects`, if given) inserted only if the update matched. No
 * row back means the version moved. The new row is the old one with the changes, no snapshot re-read.
 * @throws ConflictError stale_version
 */
async function saveAssignment<R extends EventAssignment>(
  tx: Tx,
  ctx: EngineCtx,
  row: R,
  next: ReturnType<typeof transition<typeof assignmentMachine>>[0],
  event: AnyEvent,
  reason: string | undefined,
  effects: QueuedEffect[] = [],
): Promise<R> {
  const now = ctx.clock.now();
  const state = flattenState(next.value);
  const version = row.version + 1;
  // The snapshot as the database will hold it (plain JSON: no Dates, no undefined), so the row this
  // returns is the one a fresh read would give.
  const snapshotJson = JSON.stringify(assignmentMachine.getPersistedSnapshot(next));
  const entry = historyEntry(ctx, row, state, event, reason, now);
  const update = {
    id: row.id,
    fromVersion: row.version,
    version,
    state,
    snapshot: snapshotJson,
    updatedAt: now.toISOString(),
    machineVersion: ASSIGNMENT_MACHINE_VERSION,
  };
  if ((await runAssignmentSave(tx, update, entry, effects)) !== 1)
    throw new ConflictError("stale_version", STALE_ASSIGNMENT);
  const snapshot: unknown = JSON.parse(snapshotJson);
  return { ...row, snapshot, state, version, updatedAt: now, machineVersion: ASSIGNMENT_MACHINE_VERSION };
}

/**
 * Applies an event to one invitation, then forwards its outcome to the assignment in the same
 * transaction (accepted / declined / expired; a loss brings the next alternate).
 * @throws NotFoundError invitation_not_found, ConflictError event_not_allowed | rule_violated | stale_version
 */
export async function applyInvitationEventInTx(
  tx: Tx,
  ctx: EngineCtx,
  invitationId: string,
  event: InvitationEvent & Record<string, unknown>,
): Promise<InvitationRow> {
  const [row] = await tx
    .select()
    .from(invitations)
    .where(and(eq(invitations.id, invitationId), eq(invitations.organizationId, ctx.actor.organizationId)));
  if (!row) throw new NotFoundError("invitation_not_found", "Không tìm thấy thư mời.");
  const snap = restoreSnapshot(invitationMachine, row.snapshot);
  if (!snap.can(event)) refuse(invitationMachine, snap as never, event, row.state);
  const [next, actions] = transition(invitationMachine, snap, event);
  const now = ctx.clock.now();
  const updated = await saveInvitation(tx, row, next, now);
  const scope = invitationScope(row.id, row, updated.version);
  await appendHistory(tx, {
    ...scope,
    actor: ctx.actor,
    eventType: event.type,
    payload: stripType(event),
    fromState: row.state,
    toState: updated.state,
    reason: reasonOf(event),
    at: now,
  });
  await performActions(actionContext(tx, ctx, { ...scope, context: next.context, event }), actions);
  return updated;
}

/** The versioned update of an invitation after a transition. @throws ConflictError stale_version */
async function saveInvitation(
  tx: Tx,
  row: InvitationRow,
  next: ReturnType<typeof transition<typeof invitationMachine>>[0],
  now: Date,
): Promise<InvitationRow> {
  const state = flattenState(next.value);
  const updated = await tx
    .update(invitations)
    .set({
      snapshot: invitationMachine.getPersistedSnapshot(next),
      state,
      version: row.version + 1,
      declaration: next.context.declaration ?? row.declaration,
      declineReason: next.context.declineReason,
      respondedAt: ["accepted", "declined"].includes(state) ? now : row.respondedAt,
    })
    .where(and(eq(invitations.id, row.id), eq(invitations.version, row.version)))
    .returning();
  if (updated.length !== 1) throw new ConflictError("stale_version", "Thư mời vừa được cập nhật; hãy tải lại.");
  return updated[0];
}

/** Inserts a new invitation row in its initial state, its history row, and performs its entry actions. */
export async function createInvitationInTx(tx: Tx, ctx: EngineCtx, seat: InvitationSeat): Promise<void> {
  const [snap, actions] = initialTransition(invitationMachine, {
    invitationId: seat.invitationId,
    assignmentId: seat.assignmentId,
    expertId: seat.expertId,
    role: seat.role,
    responseWorkingDays: seat.responseWorkingDays,
  });
  const now = ctx.clock.now();
  const state = flattenState(snap.value);
  await tx.insert(invitations).values({
    id: seat.invitationId,
    organizationId: seat.organizationId,
    assignmentId: seat.assignmentId,
    expertId: seat.expertId,
    panelRole: seat.role,
    rank: seat.rank,
    state,
    snapshot: invitationMachine.getPersistedSnapshot(snap),
    machineVersion: INVITATION_MACHINE_VERSION,
    version: 1,
    createdAt: now,
  });
  const scope = invitationScope(seat.invitationId, seat, 1);
  const event = { type: "invitation.create" };
  await appendHistory(tx, {
    ...scope,
    actor: ctx.actor,
    eventType: event.type,
    payload: { expertId: seat.expertId, role: seat.role, rank: seat.rank },
    fromState: null,
    toState: state,
    at: now,
  });
  await performActions(actionContext(tx, ctx, { ...scope, context: snap.context, event }), actions);
}

/** Who acts and when: what every engine function inside a transaction needs. */
type EngineCtx = { clock: Clock; actor: Actor };

/** Which workflow a history row or an action belongs to: an assignment at a version. */
function assignmentScope(row: { id: string; organizationId: string }, version: number) {
  return {
    organizationId: row.organizationId,
    assignmentId: row.id,
    workflow: "assignment" as const,
    workflowId: row.id,
    version,
  };
}

/** Which workflow a history row or an action belongs to: an invitation (of an assignment) at a version. */
function invitationScope(id: string, of: { organizationId: string; assignmentId: string }, version: number) {
  return {
    organizationId: of.organizationId,
    assignmentId: of.assignmentId,
    workflow: "invitation" as const,
    workflowId: id,
    version,
  };
}

/** The context an action handler runs in, with the engine bound to the same transaction. */
function actionContext(
  tx: Tx,
  ctx: EngineCtx,
  scope: Omit<ActionContext, "tx" | "clock" | "actor" | "engine">,
): ActionContext {
  const engine: WorkflowEngine = {
    applyAssignmentEvent: (assignmentId, event) => applyAssignmentEventInTx(tx, ctx, assignmentId, event),
    applyInvitationEvent: (invitationId, event) => applyInvitationEventInTx(tx, ctx, invitationId, event as never),
    createInvitation: (seat) => createInvitationInTx(tx, ctx, seat),
  };
  return { tx, clock: ctx.clock, actor: ctx.actor, ...scope, engine };
}

/** Runs `fn` in a transaction and tells the workers there may be new work once it commits. */
export async function inTransaction<T>(deps: RuntimeDeps, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const result = await deps.db.transaction(fn);
  deps.onCommitted?.();
  return result;
}

/** Applies an assignment event in its own transaction. See applyAssignmentEventInTx. */
export function applyAssignmentEvent(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string; event: AnyEvent; expectedVersion?: number },
) {
  return inTransaction(deps, (tx) =>
    applyAssignmentEventInTx(tx, { clock: deps.clock, actor: props.actor }, props.assignmentId, props.event, {
      expectedVersion: props.expectedVersion,
    }),
  );
}

/** Applies an invitation event in its own transaction. See applyInvitationEventInTx. */
export function applyInvitationEvent(
  deps: RuntimeDeps,
  props: { actor: Actor; invitationId: string; event: InvitationEvent & Record<string, unknown> },
) {
  return inTransaction(deps, (tx) =>
    applyInvitationEventInTx(tx, { clock: deps.clock, actor: props.actor }, props.invitationId, props.event),
  );
}

/** A fresh id for records the machine names before they exist (invitations). */
export const newId = () => randomUUID();

function stripType(event: AnyEvent): Record<string, unknown> {
  const { type: _t, ...rest } = event;
  return rest;
}

function reasonOf(event: AnyEvent): string | null {
  for (const k of ["reason", "reasons", "comments"]) if (typeof event[k] === "string") return event[k] as string;
  return null;
}
