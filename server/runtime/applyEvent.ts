/**
 * Save, then do. One transaction loads a workflow's snapshot, computes the transition with the
 * pure `transition()`, saves the new snapshot under optimistic concurrency (a stale version is a
 * 409), appends the history row, performs the records the machine asked for (deadlines,
 * invitations, numbered documents) and queues its effects (mail, rendering) in the outbox. The
 * effect worker performs them after the commit.
 */
import { randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { initialTransition, transition, type AnyStateMachine } from "xstate";
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
import { assignments, history, invitations } from "../db/schema.js";
import { ConflictError, NotFoundError } from "../errors.js";
import type { Actor } from "./actor.js";
import type { Clock } from "./clock.js";
import { performActions, type ActionContext } from "./records.js";
import { flattenState } from "./stateValue.js";
import { restoreSnapshot } from "../../workflows/restoreSnapshot.js";
import { explainRefusal } from "../../workflows/explainRefusal.js";

export type AssignmentRow = typeof assignments.$inferSelect;
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
function refuse(
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
export function initialAssignment(input: AssignmentInput) {
  const [snap, actions] = initialTransition(assignmentMachine, input);
  return {
    snapshot: assignmentMachine.getPersistedSnapshot(snap),
    state: flattenState(snap.value),
    actions,
    machineVersion: ASSIGNMENT_MACHINE_VERSION,
  };
}

/**
 * Applies an event to an assignment inside `tx`.
 * @throws NotFoundError assignment_not_found, ConflictError event_not_allowed | rule_violated | stale_version
 */
export async function applyAssignmentEventInTx(
  tx: Tx,
  ctx: { clock: Clock; actor: Actor },
  assignment: string | AssignmentRow,
  event: AnyEvent,
  opts: { expectedVersion?: number; reason?: string } = {},
): Promise<AssignmentRow> {
  // A row the caller already read in this transaction is used as is: the versioned update below
  // refuses it if anything changed since.
  const [row] =
    typeof assignment !== "string"
      ? [assignment]
      : await tx
          .select()
          .from(assignments)
          .where(and(eq(assignments.id, assignment), eq(assignments.organizationId, ctx.actor.organizationId)));
  if (!row || row.organizationId !== ctx.actor.organizationId)
    throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== row.version) {
    throw new ConflictError("stale_version", "Nhiệm vụ vừa được người khác cập nhật; hãy tải lại rồi thử lại.", {
      version: row.version,
    });
  }
  const snap = restoreSnapshot(assignmentMachine, row.snapshot);
  if (!snap.can(event as AssignmentEvent)) refuse(assignmentMachine, snap as never, event, row.state);
  const [next, actions] = transition(assignmentMachine, snap, event as AssignmentEvent);
  const now = ctx.clock.now();
  const nextState = flattenState(next.value);
  const version = row.version + 1;
  // The snapshot as the database will hold it (plain JSON: no Dates, no undefined), so the row this
  // returns is the one a fresh read would give.
  const snapshotJson = JSON.stringify(assignmentMachine.getPersistedSnapshot(next));
  const snapshot: unknown = JSON.parse(snapshotJson);
  const changes = { snapshot, state: nextState, version, updatedAt: now, machineVersion: ASSIGNMENT_MACHINE_VERSION };
  // The two writes of every transition in one statement of flat SQL (each round trip and
  // Drizzle's builder cost more than the database's work; docs/BENCHMARKS.md): the versioned
  // update, and the history row inserted only if the update matched. No row back means the
  // version moved. The new row is the old one with these changes, no snapshot re-read.
  const written = await tx.execute(sql`with updated as (
      update assignments set snapshot = ${snapshotJson}::jsonb, state = ${nextState}, version = ${version},
        updated_at = ${now.toISOString()}::timestamptz, machine_version = ${ASSIGNMENT_MACHINE_VERSION}
      where id = ${row.id} and version = ${row.version} returning id)
    insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_id, actor_name,
      event_type, payload, from_state, to_state, reason, created_at)
    select ${row.organizationId}, updated.id, 'assignment', updated.id, ${version}, ${ctx.actor.id ?? null},
      ${ctx.actor.name}, ${event.type}, ${JSON.stringify(stripType(event))}::jsonb,
      ${row.state}, ${nextState}, ${opts.reason ?? reasonOf(event) ?? null}, ${now.toISOString()}::timestamptz
        from updated
    returning id`);
  if (rowsOf(written).length !== 1) {
    throw new ConflictError("stale_version", "Nhiệm vụ vừa được người khác cập nhật; hãy tải lại rồi thử lại.");
  }
  const actx: ActionContext = {
    tx,
    clock: ctx.clock,
    actor: ctx.actor,
    organizationId: row.organizationId,
    assignmentId: row.id,
    workflow: "assignment",
    workflowId: row.id,
    version,
    context: next.context as AssignmentContext,
    event,
  };
  await performActions(actx, actions);
  return { ...row, ...changes };
}

/**
 * Applies an event to one invitation, then forwards its outcome to the assignment in the same
 * transaction (accepted / declined / expired; a loss brings the next alternate).
 * @throws NotFoundError invitation_not_found, ConflictError event_not_allowed | rule_violated
 */
export async function applyInvitationEventInTx(
  tx: Tx,
  ctx: { clock: Clock; actor: Actor },
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
  const nextState = flattenState(next.value);
  const version = row.version + 1;
  const updated = await tx
    .update(invitations)
    .set({
      snapshot: invitationMachine.getPersistedSnapshot(next),
      state: nextState,
      version,
      declaration: next.context.declaration ?? row.declaration,
      declineReason: next.context.declineReason,
      respondedAt: ["accepted", "declined"].includes(nextState) ? now : row.respondedAt,
    })
    .where(and(eq(invitations.id, row.id), eq(invitations.version, row.version)))
    .returning();
  if (updated.length !== 1) throw new ConflictError("stale_version", "Thư mời vừa được cập nhật; hãy tải lại.");
  await tx.insert(history).values({
    organizationId: row.organizationId,
    assignmentId: row.assignmentId,
    workflow: "invitation",
    workflowId: row.id,
    version,
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    eventType: event.type,
    payload: stripType(event),
    fromState: row.state,
    toState: nextState,
    reason: reasonOf(event),
    createdAt: now,
  });
  await performActions(
    {
      tx,
      clock: ctx.clock,
      actor: ctx.actor,
      organizationId: row.organizationId,
      assignmentId: row.assignmentId,
      workflow: "invitation",
      workflowId: row.id,
      version,
      context: next.context,
      event,
    },
    actions,
  );
  return updated[0];
}

/** Inserts a new invitation row in its initial state and performs its entry actions. */
export async function createInvitationInTx(
  tx: Tx,
  ctx: { clock: Clock; actor: Actor },
  seat: {
    invitationId: string;
    assignmentId: string;
    expertId: string;
    role: "chair" | "secretary" | "member";
    rank: number;
    responseWorkingDays: number;
    organizationId: string;
  },
) {
  const [snap, actions] = initialTransition(invitationMachine, {
    invitationId: seat.invitationId,
    assignmentId: seat.assignmentId,
    expertId: seat.expertId,
    role: seat.role,
    responseWorkingDays: seat.responseWorkingDays,
  });
  const now = ctx.clock.now();
  await tx.insert(invitations).values({
    id: seat.invitationId,
    organizationId: seat.organizationId,
    assignmentId: seat.assignmentId,
    expertId: seat.expertId,
    panelRole: seat.role,
    rank: seat.rank,
    state: flattenState(snap.value),
    snapshot: invitationMachine.getPersistedSnapshot(snap),
    machineVersion: INVITATION_MACHINE_VERSION,
    version: 1,
    createdAt: now,
  });
  await tx.insert(history).values({
    organizationId: seat.organizationId,
    assignmentId: seat.assignmentId,
    workflow: "invitation",
    workflowId: seat.invitationId,
    version: 1,
    actorId: ctx.actor.id,
    actorName: ctx.actor.name,
    eventType: "invitation.create",
    payload: { expertId: seat.expertId, role: seat.role, rank: seat.rank },
    fromState: null,
    toState: flattenState(snap.value),
    reason: null,
    createdAt: now,
  });
  await performActions(
    {
      tx,
      clock: ctx.clock,
      actor: ctx.actor,
      organizationId: seat.organizationId,
      assignmentId: seat.assignmentId,
      workflow: "invitation",
      workflowId: seat.invitationId,
      version: 1,
      context: snap.context,
      event: { type: "invitation.create" },
    },
    actions,
  );
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
