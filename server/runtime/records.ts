/**
 * Performs what a machine asked for, inside the transaction that saved its snapshot. Records
 * (deadlines, invitations, recommendations, responses, numbered documents) are written now;
 * effects (mail, rendering) are queued in the outbox with an idempotency key derived from the
 * workflow id and version, so a retried effect is recognisable.
 */
import { and, desc, eq, inArray, like, or, sql } from "drizzle-orm";
import type { Tx } from "../db/connect.js";
import {
  assignments,
  deadlines,
  documents,
  effects,
  invitations,
  recommendationResponses,
  recommendations,
} from "../db/schema.js";
import { addCalendarDays, addWorkingDays, atVietnamTime, vietnamDateOf } from "../calendar/workingDays.js";
import type { Actor } from "./actor.js";
import type { Clock } from "./clock.js";
import { loadCalendar } from "./calendar.js";
import { applyAssignmentEventInTx, applyInvitationEventInTx, createInvitationInTx, newId } from "./applyEvent.js";
import { allocateNumber, registerFor } from "./numbering.js";
import { scheduleReminders, REMINDER_SEPARATOR } from "./reminders.js";

export type ActionContext = {
  tx: Tx;
  clock: Clock;
  actor: Actor;
  organizationId: string;
  assignmentId: string;
  workflow: "assignment" | "invitation";
  workflowId: string;
  version: number;
  context: Record<string, unknown>;
  event: { type: string } & Record<string, unknown>;
};

type Action = { type: string; params?: unknown };

/** Performs every action in order. Unknown action types are a programming error. */
export async function performActions(ctx: ActionContext, actions: readonly Action[]): Promise<void> {
  let i = 0;
  for (const action of actions) {
    const handler = handlers[action.type];
    if (!handler) throw new Error(`No runtime handler for machine action "${action.type}"`);
    await handler(ctx, (action.params ?? {}) as never, i++);
  }
}

/** Queues an effect in the outbox; the same idempotency key is never queued twice. */
export async function queueEffect(
  tx: Tx,
  row: {
    organizationId: string;
    assignmentId: string | null;
    kind: string;
    payload: Record<string, unknown>;
    idempotencyKey: string;
    runAfter: Date;
  },
) {
  // Flat SQL: queued by nearly every transition, and Drizzle's builder costs more CPU than the insert.
  await tx.execute(sql`insert into effects (organization_id, assignment_id, kind, payload, idempotency_key,
    status, run_after)
    values (${row.organizationId}, ${row.assignmentId}, ${row.kind}, ${JSON.stringify(row.payload)}::jsonb,
      ${row.idempotencyKey}, 'pending', ${row.runAfter.toISOString()}::timestamptz)
    on conflict (idempotency_key) do nothing`);
}

const handlers: Record<string, (ctx: ActionContext, params: never, index: number) => Promise<void>> = {
  async sendMail(ctx, params: { template: string; to: unknown; data?: Record<string, unknown> }, i) {
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
      idempotencyKey: `${ctx.workflowId}:${ctx.version}:${i}`,
      runAfter: ctx.clock.now(),
    });
  },

  async renderDocument(ctx, params: { kind: string; issue?: boolean }, i) {
    const now = ctx.clock.now();
    const [a] = await ctx.tx
      .select({ confidential: assignments.confidential, title: assignments.title })
      .from(assignments)
      .where(eq(assignments.id, ctx.assignmentId));
    let numbering: { register: string; year: number; number: number } | null = null;
    if (params.issue) {
      const register = registerFor(params.kind, a?.confidential ?? false);
      const year = Number(vietnamDateOf(now).slice(0, 4));
      numbering = { register, year, number: await allocateNumber(ctx.tx, ctx.organizationId, register, year) };
    }
    const id = newId();
    await ctx.tx.insert(documents).values({
      id,
      organizationId: ctx.organizationId,
      assignmentId: ctx.assignmentId,
      kind: params.kind,
      title: a?.title ?? params.kind,
      status: numbering ? "issuing" : "draft",
      register: numbering?.register,
      year: numbering?.year,
      number: numbering?.number,
      issuedBy: numbering ? ctx.actor.id : null,
      issuedAt: numbering ? now : null,
      createdAt: now,
      viewModel: { event: ctx.event.type, version: ctx.version },
    });
    await queueEffect(ctx.tx, {
      organizationId: ctx.organizationId,
      assignmentId: ctx.assignmentId,
      kind: "render",
      payload: { documentId: id },
      idempotencyKey: `${ctx.workflowId}:${ctx.version}:${i}`,
      runAfter: now,
    });
  },

  async scheduleDeadline(
    ctx,
    params: { key: string; workingDays?: number; days?: number; from?: string; event: Record<string, unknown> },
  ) {
    const now = ctx.clock.now();
    let base = now;
    if (params.from) {
      const [from] = await ctx.tx
        .select()
        .from(deadlines)
        .where(
          and(
            eq(deadlines.workflowId, ctx.workflowId),
            eq(deadlines.key, params.from),
            inArray(deadlines.status, ["pending", "paused", "fired"]),
          ),
        )
        .orderBy(desc(deadlines.createdAt))
        .limit(1);
      if (from) base = from.dueAt;
    }
    const due =
      params.workingDays !== undefined
        ? addWorkingDays(base, params.workingDays, await loadCalendar(ctx.tx, ctx.organizationId, base))
        : atVietnamTime(addCalendarDays(vietnamDateOf(base), params.days ?? 0), "17:00");
    await setStatus(ctx, params.key, ["pending", "paused"], "cancelled");
    await ctx.tx.insert(deadlines).values({
      organizationId: ctx.organizationId,
      assignmentId: ctx.assignmentId,
      workflow: ctx.workflow,
      workflowId: ctx.workflowId,
      key: params.key,
      dueAt: due,
      event: params.event,
      status: "pending",
      createdAt: now,
    });
    await scheduleReminders(ctx, params.key, due);
    if (ctx.workflow === "invitation")
      await ctx.tx.update(invitations).set({ dueAt: due }).where(eq(invitations.id, ctx.workflowId));
  },

  /** Cancels a deadline and the reminders planned around it. */
  async cancelDeadline(ctx, params: { key: string }) {
    await setStatus(ctx, params.key, ["pending", "paused"], "cancelled");
  },

  /** Pausing keeps the time left; `*` pauses every deadline of the assignment (on hold). */
  async pauseDeadline(ctx, params: { key: string }) {
    const now = ctx.clock.now().getTime();
    const rows = await ctx.tx
      .select()
      .from(deadlines)
      .where(and(scope(ctx, params.key), eq(deadlines.status, "pending")));
    for (const d of rows) {
      await ctx.tx
        .update(deadlines)
        .set({ status: "paused", remainingMs: Math.max(0, d.dueAt.getTime() - now) })
        .where(eq(deadlines.id, d.id));
    }
  },

  async resumeDeadline(ctx, params: { key: string }) {
    const now = ctx.clock.now().getTime();
    const rows = await ctx.tx
      .select()
      .from(deadlines)
      .where(and(scope(ctx, params.key), eq(deadlines.status, "paused")));
    for (const d of rows) {
      await ctx.tx
        .update(deadlines)
        .set({ status: "pending", dueAt: new Date(now + (d.remainingMs ?? 0)), remainingMs: null })
        .where(eq(deadlines.id, d.id));
    }
  },

  async cancelAllDeadlines(ctx) {
    await ctx.tx
      .update(deadlines)
      .set({ status: "cancelled" })
      .where(and(eq(deadlines.assignmentId, ctx.assignmentId), inArray(deadlines.status, ["pending", "paused"])));
  },

  async createInvitations(
    ctx,
    params: { seats: Array<{ invitationId: string; expertId: string; role: "chair" | "secretary" | "member" }> },
  ) {
    const timeline = (ctx.context as { timeline: { invitationWorkingDays: number } }).timeline;
    const [{ n }] = await ctx.tx
      .select({ n: sql<number>`count(*)::int` })
      .from(invitations)
      .where(eq(invitations.assignmentId, ctx.assignmentId));
    let rank = Number(n);
    for (const seat of params.seats) {
      await createInvitationInTx(ctx.tx, ctx, {
        ...seat,
        assignmentId: ctx.assignmentId,
        organizationId: ctx.organizationId,
        rank: rank++,
        responseWorkingDays: timeline.invitationWorkingDays,
      });
    }
  },

  /** Invitations still open when the panel is settled (or the assignment ends) are cancelled. */
  async cancelInvitations(ctx) {
    const open = await ctx.tx
      .select({ id: invitations.id })
      .from(invitations)
      .where(and(eq(invitations.assignmentId, ctx.assignmentId), eq(invitations.state, "invited")));
    for (const inv of open) await applyInvitationEventInTx(ctx.tx, ctx, inv.id, { type: "invitation.cancel" });
  },

  async notifyAssignment(
    ctx,
    params: { type: "invitation.accepted" | "invitation.declined" | "invitation.expired"; conflict?: boolean },
  ) {
    const event =
      params.type === "invitation.accepted"
        ? { type: params.type, invitationId: ctx.workflowId }
        : { type: params.type, invitationId: ctx.workflowId, conflict: !!params.conflict, nextInvitationId: newId() };
    await applyAssignmentEventInTx(ctx.tx, ctx, ctx.assignmentId, event);
  },

  async createRecommendations(ctx) {
    const recs = (ctx.event.recommendations ?? []) as Array<{ id: string; number: number; text: string }>;
    const c = ctx.context as { round: number; reportVersion: number };
    if (recs.length) {
      await ctx.tx.insert(recommendations).values(
        recs.map((r) => ({
          id: r.id,
          organizationId: ctx.organizationId,
          assignmentId: ctx.assignmentId,
          round: c.round,
          number: r.number,
          text: r.text,
          reportVersion: c.reportVersion,
          createdAt: ctx.clock.now(),
        })),
      );
    }
  },

  async recordResponses(ctx) {
    const answers = (ctx.event.answers ?? []) as Array<{
      recommendationId: string;
      status: string;
      explanation?: string;
    }>;
    if (answers.length) {
      await ctx.tx.insert(recommendationResponses).values(
        answers.map((a) => ({
          organizationId: ctx.organizationId,
          assignmentId: ctx.assignmentId,
          recommendationId: a.recommendationId,
          status: a.status,
          explanation: a.explanation ?? null,
          respondedBy: ctx.actor.id,
          createdAt: ctx.clock.now(),
        })),
      );
    }
  },
};

/** A deadline and its reminders (`key#before-3` …); `*` is every deadline of the assignment. */
function scope(ctx: ActionContext, key: string) {
  if (key === "*") return eq(deadlines.assignmentId, ctx.assignmentId);
  return and(
    eq(deadlines.workflowId, ctx.workflowId),
    or(eq(deadlines.key, key), like(deadlines.key, `${key}${REMINDER_SEPARATOR}%`)),
  )!;
}

async function setStatus(ctx: ActionContext, key: string, from: string[], to: string) {
  await ctx.tx
    .update(deadlines)
    .set({ status: to })
    .where(and(scope(ctx, key), inArray(deadlines.status, from)));
}
