/**
 * The timer worker: turns due deadline rows into workflow events, exactly once each (the row is
 * marked fired in the same transaction as the event it causes). Also after a restart: a deadline
 * that fell due while the server was down fires once when it comes back.
 */
import { and, asc, eq, gt, like, lte, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { deadlines } from "../db/schema.js";
import { AppError } from "../errors.js";
import { systemActor } from "./actor.js";
import { applyAssignmentEventInTx, applyInvitationEventInTx } from "./applyEvent.js";
import type { Clock } from "./clock.js";
import { createPollingLoop } from "./pollingLoop.js";
import { queueEffect } from "./records.js";
import { REMINDER_SEPARATOR } from "./reminders.js";
import { fireOrganizationTimer, ORGANIZATION_WORKFLOW } from "./digest.js";

type Logger = { info: (o: object, m?: string) => void; warn: (o: object, m?: string) => void; error: (o: object, m?: string) => void };

/**
 * `concurrency` (default 1) runs that many lanes side by side, each firing one deadline per
 * transaction; SKIP LOCKED keeps them off each other's rows, and a lane that loses a race for the
 * same workflow (stale version) rolls back and fires that deadline again. Useful on PostgreSQL,
 * where each lane has its own connection; on PGlite's single connection lanes just take turns.
 */
export function createDeadlineWorker(opts: { db: Db; clock: Clock; logger: Logger; batchSize?: number; concurrency?: number; onFired?: () => void }) {
  const batchSize = opts.batchSize ?? 100;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));

  /** Fires one due deadline in its own transaction; returns false when none is due. */
  async function fireOne(): Promise<boolean> {
    const now = opts.clock.now();
    return opts.db.transaction(async (tx) => {
      const [d] = await tx.select().from(deadlines)
        .where(and(eq(deadlines.status, "pending"), lte(deadlines.dueAt, now)))
        .orderBy(asc(deadlines.dueAt)).limit(1).for("update", { skipLocked: true });
      if (!d) return false;
      if (d.workflow === ORGANIZATION_WORKFLOW) {
        // Organisation-wide timers (the daily digest): fired, mailed and re-armed in this transaction.
        await tx.update(deadlines).set({ status: "fired", firedAt: now }).where(eq(deadlines.id, d.id));
        await fireOrganizationTimer(tx, d, now);
        return true;
      }
      if ((d.event as { type: string }).type === "reminder") {
        // After downtime several reminders of one deadline may be due at once: send only the
        // latest (one catch-up message, not a flood) and mark the earlier ones superseded.
        const base = d.key.split(REMINDER_SEPARATOR)[0];
        const [later] = await tx.select({ id: deadlines.id }).from(deadlines).where(and(
          eq(deadlines.workflowId, d.workflowId), like(deadlines.key, `${base}${REMINDER_SEPARATOR}%`), eq(deadlines.status, "pending"),
          lte(deadlines.dueAt, now), gt(deadlines.dueAt, d.dueAt), sql`${deadlines.event}->>'type' = 'reminder'`,
        )).limit(1);
        if (later) {
          await tx.update(deadlines).set({ status: "superseded", firedAt: now }).where(eq(deadlines.id, d.id));
          return true;
        }
        const e = d.event as { template: string; to: unknown; variant: string; dueAt: string };
        await tx.update(deadlines).set({ status: "fired", firedAt: now }).where(eq(deadlines.id, d.id));
        await queueEffect(tx, {
          organizationId: d.organizationId, assignmentId: d.assignmentId, kind: "mail",
          payload: { template: e.template, to: e.to, data: { variant: e.variant, dueAt: e.dueAt, reminderKey: d.key }, workflow: d.workflow, workflowId: d.workflowId, event: "reminder" },
          idempotencyKey: `reminder:${d.id}`, runAfter: now,
        });
        return true;
      }
      await tx.update(deadlines).set({ status: "fired", firedAt: now }).where(eq(deadlines.id, d.id));
      const actor = systemActor(d.organizationId);
      try {
        // A savepoint: if the workflow refuses the event, the deadline is still marked as fired.
        await tx.transaction(async (sp) => {
          if (d.workflow === "invitation") await applyInvitationEventInTx(sp, { clock: opts.clock, actor }, d.workflowId, d.event as never);
          else await applyAssignmentEventInTx(sp, { clock: opts.clock, actor }, d.assignmentId!, d.event as never);
        });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        // The workflow changed under us (another lane, process or request): roll back, fire again.
        if (err.code === "stale_version") throw err;
        await tx.update(deadlines).set({ status: "ignored" }).where(eq(deadlines.id, d.id));
        opts.logger.warn({ event: "deadline.ignored", deadlineId: d.id, key: d.key, code: err.code }, "deadline refused by its workflow");
      }
      return true;
    });
  }

  async function runOnce(): Promise<number> {
    let n = 0;
    const lane = async () => {
      let retries = 0;
      while (n < batchSize) {
        let fired: boolean;
        try {
          fired = await fireOne();
        } catch (err) {
          if (err instanceof AppError && err.code === "stale_version" && retries++ < 10) continue;
          throw err;
        }
        if (!fired) return;
        n++;
      }
    };
    // Every lane settles before the batch counts as done (a failing lane does not leave others running).
    const settled = await Promise.allSettled(Array.from({ length: concurrency }, lane));
    if (n) opts.onFired?.();
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    return n;
  }

  const loop = createPollingLoop({ name: "deadline_worker", runOnce, isFull: (n) => n >= batchSize, logger: opts.logger });
  return { runOnce, drain: loop.drain, start: loop.start, stop: loop.stop };
}

export type DeadlineWorker = ReturnType<typeof createDeadlineWorker>;
