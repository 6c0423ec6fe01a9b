/**
 * What the engine performs but does not know about. Machines name actions (`scheduleDeadline`,
 * `renderDocument`, `createInvitations` …) and the deadline table holds organisation-wide timer
 * rows (the daily digest); their handlers belong to the domain's rooms (server/records,
 * server/digest), which install them at boot (`installDomainHandlers` in server/server.ts), so
 * the engine never imports them. `sendMail` is the engine's own: it queues a mail effect.
 */
import type { Tx } from "../db/connect.js";
import type { deadlines } from "../db/schema.js";
import type { Actor } from "./actor.js";
import type { Clock } from "./clock.js";
import { queueEffect } from "./queueEffect.js";

type AnyEvent = { type: string } & Record<string, unknown>;

/** A panel seat to create an invitation for (the invitation machine's input and its row). */
export type InvitationSeat = {
  invitationId: string;
  assignmentId: string;
  expertId: string;
  role: "chair" | "secretary" | "member";
  rank: number;
  responseWorkingDays: number;
  organizationId: string;
};

/** What an action handler may ask of the engine, inside the same transaction. */
export type WorkflowEngine = {
  applyAssignmentEvent(assignmentId: string, event: AnyEvent): Promise<unknown>;
  applyInvitationEvent(invitationId: string, event: AnyEvent): Promise<unknown>;
  createInvitation(seat: InvitationSeat): Promise<void>;
};

/** Where an action runs: the transaction that saved the snapshot, and the workflow that asked. */
export type ActionContext = {
  tx: Tx;
  clock: Clock;
  actor: Actor;
  organizationId: string;
  assignmentId: string;
  workflow: "assignment" | "invitation";
  workflowId: string;
  /** The workflow's version after the transition (idempotency keys derive from it). */
  version: number;
  context: Record<string, unknown>;
  event: AnyEvent;
  engine: WorkflowEngine;
};

/** Performs one machine action; `index` is the action's place in the transition's list. */
export type ActionHandler = (ctx: ActionContext, params: never, index: number) => Promise<void>;

/**
 * Where an annual plan's action runs: the transaction that saved the plan's snapshot. A plan is a
 * workflow of its own (no assignment); `planId` is its `workflowId`.
 */
export type PlanActionContext = {
  tx: Tx;
  clock: Clock;
  actor: Actor;
  organizationId: string;
  workflow: "annualPlan";
  workflowId: string;
  planId: string;
  /** The plan's version after the transition (idempotency keys derive from it). */
  version: number;
  context: Record<string, unknown>;
  event: AnyEvent;
};

/** Performs one of an annual plan machine's actions. */
export type PlanActionHandler = (ctx: PlanActionContext, params: never, index: number) => Promise<void>;

/** Fires a timer row of an organisation-wide workflow (already marked fired by the deadline worker). */
export type TimerHandler = (tx: Tx, row: typeof deadlines.$inferSelect, now: Date) => Promise<void>;

/** The engine's own actions. */
const builtIn: Record<string, ActionHandler> = {
  /** Queues a mail effect; the idempotency key is the workflow, its version and the action's place. */
  async sendMail(ctx, params: { template: string; to: unknown; data?: Record<string, unknown> }, index) {
    await queueEffect(ctx.tx, {
      organizationId: ctx.organizationId,
      assignmentId: ctx.assignmentId,
      kind: "mail",
      payload: {
        template: params.template,
        to: params.to,
        data: params.data ?? {},
        workflow: ctx.workflow,
        workflowId: ctx.workflowId,
        event: ctx.event.type,
      },
      idempotencyKey: `${ctx.workflowId}:${ctx.version}:${index}`,
      runAfter: ctx.clock.now(),
    });
  },
};

let actionHandlers: Record<string, ActionHandler> = { ...builtIn };

/**
 * Whether these actions only queue effects (the engine's `sendMail`, which no installed handler
 * replaces): run before the save, they touch no row the save reads, so their outbox rows can be
 * written in the save's own statement.
 */
export function onlyQueuesEffects(actions: ReadonlyArray<{ type: string }>): boolean {
  return actions.every((a) => a.type === "sendMail");
}
let timerHandlers: Record<string, TimerHandler> = {};
let planActionHandlers: Record<string, PlanActionHandler> = {};

/**
 * Installs the domain's handlers: machine actions by name, timers by the `workflow` of their rows.
 * Replaces what an earlier call installed (the engine's own actions stay).
 */
export function installHandlers(handlers: {
  actions: Record<string, ActionHandler>;
  timers: Record<string, TimerHandler>;
  planActions?: Record<string, PlanActionHandler>;
}): void {
  actionHandlers = { ...handlers.actions, ...builtIn };
  timerHandlers = { ...handlers.timers };
  planActionHandlers = { ...handlers.planActions };
}

/**
 * Performs an annual plan transition's actions in order (records inside the transaction, effects
 * queued for after the commit).
 * @throws Error for an action no handler was installed for, and whatever a handler throws
 */
export async function performPlanActions(
  ctx: PlanActionContext,
  actions: ReadonlyArray<{ type: string; params?: unknown }>,
): Promise<void> {
  let index = 0;
  for (const action of actions) {
    const handler = planActionHandlers[action.type];
    if (!handler) throw new Error(`No handler for annual plan action "${action.type}": are the handlers installed?`);
    await handler(ctx, (action.params ?? {}) as never, index++);
  }
}

/**
 * Performs a transition's actions in order.
 * @throws Error for an action no handler was installed for (a programming error), and whatever a handler throws
 */
export async function performActions(
  ctx: ActionContext,
  actions: ReadonlyArray<{ type: string; params?: unknown }>,
): Promise<void> {
  let index = 0;
  for (const action of actions) {
    const handler = actionHandlers[action.type];
    if (!handler) {
      throw new Error(`No handler for machine action "${action.type}": are the domain's handlers installed?`);
    }
    await handler(ctx, (action.params ?? {}) as never, index++);
  }
}

/** The handler of timer rows of `workflow`, if the domain installed one (else they are workflow events). */
export function timerHandlerFor(workflow: string): TimerHandler | undefined {
  return timerHandlers[workflow];
}
