/**
 * The timer worker: turns due deadline rows into workflow events, exactly once each (the row is
 * marked fired in the same transaction as the event it causes). Also after a restart: a deadline
 * that fell due while the server was down fires once when it comes back. No lease is involved: a
 * claim is a row lock inside the batch's transaction, so a connection lost mid-batch rolls the
 * whole batch back and it is claimed again once the database is back.
 */
import { and, asc, eq, gt, inArray, like, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/connect.js";
import { assignments, deadlines } from "../db/schema.js";
import { AppError, isDatabaseUnavailable } from "../errors.js";
import { systemActor } from "./actor.js";
import {
  applyAssignmentEventInTx,
  applyInvitationEventInTx,
  planAssignmentEvent,
  saveAllAloneInTx,
  savesAlone,
  type AssignmentRow,
  type BatchedTransition,
  type PlannedTransition,
} from "./applyEvent.js";
import type { Clock } from "./clock.js";
import { createPollingLoop } from "./pollingLoop.js";
import { queueEffect } from "./queueEffect.js";
import { REMINDER_SEPARATOR } from "./deadlineKeys.js";
import { timerHandlerFor } from "./handlers.js";
import { applyPlanEventInTx } from "./applyPlanEvent.js";

type DeadlineRow = typeof deadlines.$inferSelect;

/** Thrown out of a fast batch so its transaction rolls back and the batch is fired carefully. */
class CarefulRetry extends Error {
  constructor(readonly original: unknown) {
    super("a deadline in the batch failed; retrying it with a savepoint per deadline");
  }
}
type Logger = {
  info: (o: object, m?: string) => void;
  warn: (o: object, m?: string) => void;
  error: (o: object, m?: string) => void;
};

/** What every step of the worker needs. */
type Ctx = { db: Db; clock: Clock; logger: Logger; claimSize: number; organizations?: () => readonly string[] };

/**
 * One claimed batch being fired in its transaction: the assignments it moves (read once, then
 * reused and replaced, so two deadlines of one assignment see each other's work) and the event
 * deadlines fired so far (marked fired in one statement at the end).
 */
type Batch = { tx: Tx; now: Date; rows: Map<string, AssignmentRow>; firedEvents: string[] };

/**
 * `concurrency` (default 1) runs that many lanes side by side. Each lane claims up to `claimSize`
 * due deadlines in one statement (`FOR UPDATE SKIP LOCKED`, so lanes and processes never share a
 * row) and fires them in one transaction: each deadline's event (snapshot, history, effects) and
 * its `fired` mark commit together, so each fires exactly once. If any deadline of a batch fails,
 * the batch is rolled back and claimed again carefully, a savepoint per deadline: one the workflow
 * refuses is marked `ignored`; one whose workflow changed under it (stale version: another lane,
 * process or request) stays pending for the next claim. Lanes pay off on PostgreSQL, where each
 * has its own connection; on PGlite's single connection they just take turns.
 */
export function createDeadlineWorker(opts: {
  db: Db;
  clock: Clock;
  logger: Logger;
  batchSize?: number;
  concurrency?: number;
  claimSize?: number;
  onFired?: () => void;
  /** Only these organisations' deadlines (read at each claim); absent: every organisation's (tests: one world's). */
  organizations?: () => readonly string[];
}) {
  const batchSize = opts.batchSize ?? 100;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
  const ctx: Ctx = {
    db: opts.db,
    clock: opts.clock,
    logger: opts.logger,
    claimSize: Math.max(1, Math.floor(opts.claimSize ?? 50)),
    organizations: opts.organizations,
  };
  const runOnce = () => runLanes(ctx, { batchSize, concurrency, onFired: opts.onFired });
  const loop = createPollingLoop({
    name: "deadline_worker",
    runOnce,
    isFull: (n) => n >= batchSize,
    logger: opts.logger,
  });
  return { runOnce, drain: loop.drain, start: loop.start, stop: loop.stop };
}

export type DeadlineWorker = ReturnType<typeof createDeadlineWorker>;

/** Runs `concurrency` lanes until `batchSize` deadlines are claimed or none is due; returns how many were claimed. */
async function runLanes(ctx: Ctx, o: { batchSize: number; concurrency: number; onFired?: () => void }) {
  let n = 0;
  let claimedTotal = 0;
  const lane = async () => {
    while (claimedTotal < o.batchSize) {
      const { claimed, fired } = await fireOneBatch(ctx);
      if (!claimed) return;
      claimedTotal += claimed;
      n += fired;
    }
  };
  // Every lane settles before the batch counts as done (a failing lane does not leave others running).
  const settled = await Promise.allSettled(Array.from({ length: o.concurrency }, lane));
  if (n) o.onFired?.();
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
  return claimedTotal;
}

/** Fires one batch the fast way; if a deadline in it fails, fires the batch again the careful way. */
async function fireOneBatch(ctx: Ctx): Promise<{ claimed: number; fired: number }> {
  try {
    return await fireBatch(ctx, false);
  } catch (err) {
    if (!(err instanceof CarefulRetry)) throw err;
    ctx.logger.info({ event: "deadline.batch.retry", err: String(err.original) }, err.message);
    return fireBatch(ctx, true);
  }
}

/**
 * Claims up to `claimSize` due deadlines and fires them in one transaction; returns how many were
 * claimed and fired (or ignored). The fast way fires them one after another with no savepoints
 * (one statement per deadline event); if any of them fails, the whole transaction is rolled back and
 * the batch is claimed again the careful way, a savepoint per deadline.
 */
async function fireBatch(ctx: Ctx, careful: boolean): Promise<{ claimed: number; fired: number }> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const claimed = await tx
      .select()
      .from(deadlines)
      .where(
        and(
          eq(deadlines.status, "pending"),
          lte(deadlines.dueAt, now),
          ctx.organizations ? inArray(deadlines.organizationId, [...ctx.organizations()]) : undefined,
        ),
      )
      .orderBy(asc(deadlines.dueAt))
      .limit(careful ? Math.min(ctx.claimSize, 5) : ctx.claimSize)
      .for("update", { skipLocked: true });
    if (!claimed.length) return { claimed: 0, fired: 0 };
    const batch: Batch = { tx, now, rows: await assignmentsMoved(tx, claimed), firedEvents: [] };
    const fired = careful ? await fireCarefully(ctx, batch, claimed) : await fireAll(ctx, batch, claimed);
    if (batch.firedEvents.length)
      await tx.update(deadlines).set({ status: "fired", firedAt: now }).where(inArray(deadlines.id, batch.firedEvents));
    return { claimed: claimed.length, fired };
  });
}

/** The assignments the claimed event deadlines move, read in one statement. */
async function assignmentsMoved(tx: Tx, claimed: DeadlineRow[]): Promise<Map<string, AssignmentRow>> {
  const ids = [
    ...new Set(
      claimed
        .filter((d) => d.workflow === "assignment" && d.event && (d.event as { type: string }).type !== "reminder")
        .map((d) => d.assignmentId!),
    ),
  ];
  if (!ids.length) return new Map();
  const rows = await tx.select().from(assignments).where(inArray(assignments.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The fast way: every deadline in turn, no savepoints; any failure but a lost connection retries
 * carefully. Consecutive assignment events whose transitions only queue mail (the common case: an
 * overdue mark, an escalation) are saved together, one statement for the run (`saveAllAloneInTx`);
 * anything else first writes the run so far, then fires alone, so the batch keeps its order.
 */
async function fireAll(ctx: Ctx, batch: Batch, claimed: DeadlineRow[]): Promise<number> {
  // In the fast way every claimed deadline ends fired or spent, or the transaction rolls back.
  const spent = claimed.map((d) => d.id);
  let run: Array<BatchedTransition<AssignmentRow> & { deadlineId: string }> = [];
  const flush = async () => {
    if (!run.length) return;
    const saved = await saveAllAloneInTx(batch.tx, ctx.clock, run, { nextDueWithout: spent });
    for (const row of saved) batch.rows.set(row.id, row);
    batch.firedEvents.push(...run.map((x) => x.deadlineId));
    run = [];
  };
  try {
    for (const d of claimed) {
      if (run.some((x) => x.plan.row.id === d.assignmentId)) await flush(); // its second deadline sees the first
      const plan = plannedAlone(batch, d);
      if (plan) {
        run.push({ plan, actor: systemActor(d.organizationId), deadlineId: d.id });
        continue;
      }
      await flush();
      await fire(ctx, batch.tx, batch, d);
    }
    await flush();
  } catch (err) {
    if (isDatabaseUnavailable(err)) throw err;
    throw new CarefulRetry(err);
  }
  return claimed.length;
}

/**
 * The transition of an assignment deadline's event, if it saves alone (only queues mail) from the
 * row the batch read. Throws what `planAssignmentEvent` throws (a refusal: the batch goes careful).
 */
function plannedAlone(batch: Batch, d: DeadlineRow): PlannedTransition<AssignmentRow> | undefined {
  if (d.workflow !== "assignment") return undefined;
  if ((d.event as { type: string }).type === "reminder") return undefined;
  const row = batch.rows.get(d.assignmentId!);
  if (!row || row.organizationId !== d.organizationId) return undefined;
  const plan = planAssignmentEvent(row, d.event as never);
  return savesAlone(plan) ? plan : undefined;
}

/**
 * The careful way: a savepoint per deadline. A refused event spends its deadline (`ignored`); a
 * stale version leaves it, and the workflow's later deadlines in the batch, pending for the next claim.
 */
async function fireCarefully(ctx: Ctx, batch: Batch, claimed: DeadlineRow[]): Promise<number> {
  let fired = 0;
  const held = new Set<string>();
  for (const d of claimed) {
    if (held.has(d.workflowId)) continue;
    try {
      await batch.tx.transaction((sp) => fire(ctx, sp, batch, d));
      fired++;
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      if (d.assignmentId) batch.rows.delete(d.assignmentId);
      if (batch.firedEvents.at(-1) === d.id) batch.firedEvents.pop();
      if (err.code === "stale_version") {
        held.add(d.workflowId);
        continue;
      }
      await batch.tx.update(deadlines).set({ status: "ignored", firedAt: batch.now }).where(eq(deadlines.id, d.id));
      ctx.logger.warn(
        { event: "deadline.ignored", deadlineId: d.id, key: d.key, code: err.code },
        "deadline refused by its workflow",
      );
      fired++;
    }
  }
  return fired;
}

/** Fires one claimed deadline in `tx` (the batch's transaction or a savepoint of it). */
async function fire(ctx: Ctx, tx: Tx, batch: Batch, d: DeadlineRow): Promise<void> {
  const timer = timerHandlerFor(d.workflow);
  if (timer) {
    // Organisation-wide timers (the daily digest; handlers installed at boot): fired and handled together.
    await tx.update(deadlines).set({ status: "fired", firedAt: batch.now }).where(eq(deadlines.id, d.id));
    await timer(tx, d, batch.now);
    return;
  }
  if ((d.event as { type: string }).type === "reminder") return fireReminder(tx, d, batch.now);
  const actor = systemActor(d.organizationId);
  if (d.workflow === "annualPlan") {
    await applyPlanEventInTx(tx, { clock: ctx.clock, actor }, d.workflowId, d.event as never);
  } else if (d.workflow === "invitation") {
    await applyInvitationEventInTx(tx, { clock: ctx.clock, actor }, d.workflowId, d.event as never);
    if (d.assignmentId) batch.rows.delete(d.assignmentId); // the invitation may have moved its assignment
  } else {
    const updated = await applyAssignmentEventInTx(
      tx,
      { clock: ctx.clock, actor },
      batch.rows.get(d.assignmentId!) ?? d.assignmentId!,
      d.event as never,
    );
    batch.rows.set(updated.id, updated);
  }
  batch.firedEvents.push(d.id); // marked fired in one statement, in this transaction, once the batch is done
}

/**
 * A reminder queues its mail. After downtime several reminders of one deadline may be due at once:
 * only the latest is sent (one catch-up message, not a flood) and the earlier ones are superseded.
 */
async function fireReminder(tx: Tx, d: DeadlineRow, now: Date): Promise<void> {
  const base = d.key.split(REMINDER_SEPARATOR)[0];
  const [later] = await tx
    .select({ id: deadlines.id })
    .from(deadlines)
    .where(
      and(
        eq(deadlines.workflowId, d.workflowId),
        like(deadlines.key, `${base}${REMINDER_SEPARATOR}%`),
        eq(deadlines.status, "pending"),
        lte(deadlines.dueAt, now),
        gt(deadlines.dueAt, d.dueAt),
        sql`${deadlines.event}->>'type' = 'reminder'`,
      ),
    )
    .limit(1);
  if (later) {
    await tx.update(deadlines).set({ status: "superseded", firedAt: now }).where(eq(deadlines.id, d.id));
    return;
  }
  const e = d.event as { template: string; to: unknown; variant: string; dueAt: string };
  await tx.update(deadlines).set({ status: "fired", firedAt: now }).where(eq(deadlines.id, d.id));
  await queueEffect(tx, {
    organizationId: d.organizationId,
    assignmentId: d.assignmentId,
    kind: "mail",
    payload: {
      template: e.template,
      to: e.to,
      data: { variant: e.variant, dueAt: e.dueAt, reminderKey: d.key },
      workflow: d.workflow,
      workflowId: d.workflowId,
      event: "reminder",
    },
    idempotencyKey: `reminder:${d.id}`,
    runAfter: now,
  });
}
