/**
 * Deadlines the machines ask for, as rows with an absolute due time that the deadline worker
 * turns into events: scheduled on the organisation's working calendar (with the reminders planned
 * around them), cancelled, paused (keeping the time left) and resumed.
 */
import { and, desc, eq, inArray, like, or } from "drizzle-orm";
import { deadlines, invitations } from "../db/schema.js";
import { dueAfter } from "../calendar/workingDays.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import { scheduleReminders } from "../reminders/scheduleReminders.js";
import { REMINDER_SEPARATOR } from "../runtime/deadlineKeys.js";
import type { ActionContext, ActionHandler } from "../runtime/handlers.js";

/** `scheduleDeadline`'s parameters: `workingDays` (or, where a rule says so, calendar `days`) after now or `from`. */
type ScheduleParams = {
  key: string;
  workingDays?: number;
  days?: number;
  from?: string;
  event: Record<string, unknown>;
};

/** The machine actions on deadlines, by name. */
export const deadlineActions: Record<string, ActionHandler> = {
  /** Replaces the deadline `key` (and its reminders) with one due as asked. */
  async scheduleDeadline(ctx, params: ScheduleParams) {
    const now = ctx.clock.now();
    const due = await dueAt(ctx, params, now);
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
    await scheduleReminders(ctx.tx, { ...scopeOf(ctx), key: params.key, dueAt: due }, now);
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

  /** Resuming gives a paused deadline the time it had left. */
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

  /** Cancels every open deadline of the assignment (it ended). */
  async cancelAllDeadlines(ctx) {
    await ctx.tx
      .update(deadlines)
      .set({ status: "cancelled" })
      .where(and(eq(deadlines.assignmentId, ctx.assignmentId), inArray(deadlines.status, ["pending", "paused"])));
  },
};

/** The due instant: counted from now, or from the latest live deadline `from` of the same workflow. */
async function dueAt(ctx: ActionContext, params: ScheduleParams, now: Date): Promise<Date> {
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
  const cal = await loadCalendar(ctx.tx, ctx.organizationId, base);
  // Calendar days only where a rule says so; they too end on a working day (BLDS 2015, Điều 148).
  if (params.workingDays === undefined) return dueAfter(base, params.days ?? 0, "calendar", cal);
  return dueAfter(base, params.workingDays, "working", cal);
}

function scopeOf(ctx: ActionContext) {
  const { organizationId, assignmentId, workflow, workflowId } = ctx;
  return { organizationId, assignmentId, workflow, workflowId };
}

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
