/**
 * The timer worker: turns due deadline rows into workflow events, exactly once each (the row is
 * marked fired in the same transaction as the event it causes). Also after a restart: a deadline
 * that fell due while the server was down fires once when it comes back.
 */
import { and, asc, eq, gt, inArray, like, lte, sql } from "drizzle-orm";
import type { Db, Tx } from "../db/connect.js";
import { assignments, deadlines } from "../db/schema.js";
import { AppError } from "../errors.js";
import { systemActor } from "./actor.js";
import { applyAssignmentEventInTx, applyInvitationEventInTx, type AssignmentRow } from "./applyEvent.js";
import type { Clock } from "./clock.js";
import { createPollingLoop } from "./pollingLoop.js";
import { queueEffect } from "./queueEffect.js";
import { REMINDER_SEPARATOR } from "./deadlineKeys.js";
import { timerHandlerFor } from "./handlers.js";

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
}) {
  const batchSize = opts.batchSize ?? 100;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 1));
  const claimSize = Math.max(1, Math.floor(opts.claimSize ?? 25));

  /** Fires one claimed deadline; an event's deadline is only added to `firedEvents` (marked by the caller). */
  async function fire(
    tx: Tx,
    d: DeadlineRow,
    now: Date,
    rows: Map<string, AssignmentRow>,
    firedEvents: string[],
  ): Promise<void> {
    const timer = timerHandlerFor(d.workflow);
    if (timer) {
      // Organisation-wide timers (the daily digest; handlers installed at boot): fired and handled together.
      await tx.update(deadlines).set({ status: "fired", firedAt: now }).where(eq(deadlines.id, d.id));
      await timer(tx, d, now);
      return;
    }
    if ((d.event as { type: string }).type === "reminder") {
      // After downtime several reminders of one deadline may be due at once: send only the
      // latest (one catch-up message, not a flood) and mark the earlier ones superseded.
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
      return;
    }
    const actor = systemActor(d.organizationId);
    if (d.workflow === "invitation") {
      await applyInvitationEventInTx(tx, { clock: opts.clock, actor }, d.workflowId, d.event as never);
      if (d.assignmentId) rows.delete(d.assignmentId); // the invitation may have moved its assignment
    } else {
      const updated = await applyAssignmentEventInTx(
        tx,
        { clock: opts.clock, actor },
        rows.get(d.assignmentId!) ?? d.assignmentId!,
        d.event as never,
      );
      rows.set(updated.id, updated);
    }
    firedEvents.push(d.id); // marked fired in one statement, in this transaction, once the batch is done
  }

  /**
   * Claims up to `claimSize` due deadlines and fires them in one transaction; returns how many were
   * claimed and fired (or ignored). The fast way fires them one after another with no savepoints
   * (one statement per deadline event); if any of them fails, the whole transaction is rolled back and
   * the batch is claimed again the careful way, a savepoint per deadline.
   */
  async function fireBatch(careful: boolean): Promise<{ claimed: number; fired: number }> {
    const now = opts.clock.now();
    return opts.db.transaction(async (tx) => {
      const claimed = await tx
        .select()
        .from(deadlines)
        .where(and(eq(deadlines.status, "pending"), lte(deadlines.dueAt, now)))
        .orderBy(asc(deadlines.dueAt))
        .limit(careful ? Math.min(claimSize, 5) : claimSize)
        .for("update", { skipLocked: true });
      if (!claimed.length) return { claimed: 0, fired: 0 };
      // The assignments these deadlines move, read at once; each deadline then reuses (and
      // replaces) its row, so two deadlines of one assignment in a batch see each other's work.
      const ids = [
        ...new Set(
          claimed
            .filter((d) => d.workflow === "assignment" && d.event && (d.event as { type: string }).type !== "reminder")
            .map((d) => d.assignmentId!),
        ),
      ];
      const rows = new Map<string, AssignmentRow>(
        ids.length
          ? (await tx.select().from(assignments).where(inArray(assignments.id, ids))).map((r) => [r.id, r])
          : [],
      );
      const firedEvents: string[] = [];
      let fired = 0;
      if (!careful) {
        try {
          for (const d of claimed) await fire(tx, d, now, rows, firedEvents);
        } catch (err) {
          throw new CarefulRetry(err);
        }
        fired = claimed.length;
      } else {
        const held = new Set<string>();
        for (const d of claimed) {
          // After a stale version, the workflow's later deadlines wait too, so they fire in order.
          if (held.has(d.workflowId)) continue;
          try {
            await tx.transaction((sp) => fire(sp, d, now, rows, firedEvents));
            fired++;
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            if (d.assignmentId) rows.delete(d.assignmentId);
            if (firedEvents.at(-1) === d.id) firedEvents.pop();
            // The workflow changed under us: this deadline stays pending and is claimed again.
            if (err.code === "stale_version") {
              held.add(d.workflowId);
              continue;
            }
            // The workflow refused the event (its state moved on): the deadline is spent all the same.
            await tx.update(deadlines).set({ status: "ignored", firedAt: now }).where(eq(deadlines.id, d.id));
            opts.logger.warn(
              { event: "deadline.ignored", deadlineId: d.id, key: d.key, code: err.code },
              "deadline refused by its workflow",
            );
            fired++;
          }
        }
      }
      if (firedEvents.length)
        await tx.update(deadlines).set({ status: "fired", firedAt: now }).where(inArray(deadlines.id, firedEvents));
      return { claimed: claimed.length, fired };
    });
  }

  async function runOnce(): Promise<number> {
    let n = 0;
    let claimedTotal = 0;
    const lane = async () => {
      while (claimedTotal < batchSize) {
        let result: { claimed: number; fired: number };
        try {
          result = await fireBatch(false);
        } catch (err) {
          if (!(err instanceof CarefulRetry)) throw err;
          opts.logger.info({ event: "deadline.batch.retry", err: String(err.original) }, err.message);
          result = await fireBatch(true);
        }
        const { claimed, fired } = result;
        if (!claimed) return;
        claimedTotal += claimed;
        n += fired;
      }
    };
    // Every lane settles before the batch counts as done (a failing lane does not leave others running).
    const settled = await Promise.allSettled(Array.from({ length: concurrency }, lane));
    if (n) opts.onFired?.();
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
    return claimedTotal;
  }

  const loop = createPollingLoop({
    name: "deadline_worker",
    runOnce,
    isFull: (n) => n >= batchSize,
    logger: opts.logger,
  });
  return { runOnce, drain: loop.drain, start: loop.start, stop: loop.stop };
}

export type DeadlineWorker = ReturnType<typeof createDeadlineWorker>;
