/**
 * The effect worker: performs outbox rows after their transaction committed. Delivery is at least
 * once, so handlers are idempotent (they check their own record by idempotency key). Retryable
 * failures back off exponentially; permanent ones, or too many attempts, mark the effect failed
 * and call `onFailed` so the workflow and the secretariat hear of it. A row left "running" by a
 * crashed process is taken again when its lease runs out.
 */
import { and, asc, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { effects } from "../db/schema.js";
import { EffectError } from "../errors.js";
import type { Clock } from "./clock.js";
import { createPollingLoop } from "./pollingLoop.js";

export type EffectRow = typeof effects.$inferSelect;
export type EffectHandler = (effect: EffectRow) => Promise<void>;
type Logger = {
  info: (o: object, m?: string) => void;
  warn: (o: object, m?: string) => void;
  error: (o: object, m?: string) => void;
};

export type EffectWorkerOptions = {
  db: Db;
  clock: Clock;
  handlers: Record<string, EffectHandler>;
  logger: Logger;
  batchSize?: number;
  concurrency?: number;
  maxAttempts?: number;
  leaseMs?: number;
  onFailed?: (effect: EffectRow, error: Error) => Promise<void>;
};

/** Backoff before attempt n+1: 5 s, 10 s, 20 s … capped at 30 minutes. */
export const backoffMs = (attempts: number) => Math.min(30 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1));

export function createEffectWorker(opts: EffectWorkerOptions) {
  const batchSize = opts.batchSize ?? 50;
  const concurrency = opts.concurrency ?? 8;
  const maxAttempts = opts.maxAttempts ?? 8;
  const leaseMs = opts.leaseMs ?? 5 * 60_000;

  /** Claims due rows (and rows whose lease expired) so no other worker takes them. */
  async function claim(): Promise<EffectRow[]> {
    const now = opts.clock.now();
    return opts.db.transaction(async (tx) => {
      const due = await tx
        .select({ id: effects.id })
        .from(effects)
        .where(
          or(
            and(eq(effects.status, "pending"), lte(effects.runAfter, now)),
            and(eq(effects.status, "running"), lte(effects.lockedUntil, now)),
          ),
        )
        .orderBy(asc(effects.id))
        .limit(batchSize)
        .for("update", { skipLocked: true });
      if (!due.length) return [];
      return tx
        .update(effects)
        .set({
          status: "running",
          attempts: sql`${effects.attempts} + 1`,
          lockedUntil: new Date(now.getTime() + leaseMs),
        })
        .where(
          inArray(
            effects.id,
            due.map((d) => d.id),
          ),
        )
        .returning();
    });
  }

  async function perform(effect: EffectRow) {
    const handler = opts.handlers[effect.kind];
    try {
      if (!handler) throw new EffectError(`No handler for effect kind ${effect.kind}`, true, "effect_unknown");
      await handler(effect);
      await opts.db
        .update(effects)
        .set({ status: "done", doneAt: opts.clock.now(), lockedUntil: null, lastError: null })
        .where(eq(effects.id, effect.id));
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      const permanent = e instanceof EffectError && e.permanent;
      if (permanent || effect.attempts >= maxAttempts) {
        await opts.db
          .update(effects)
          .set({ status: "failed", lockedUntil: null, lastError: e.message })
          .where(eq(effects.id, effect.id));
        opts.logger.error(
          { event: `effect.${effect.kind}.failed`, effectId: effect.id, key: effect.idempotencyKey, err: e.message },
          "effect failed permanently",
        );
        if (opts.onFailed)
          await opts.onFailed(effect, e).catch((x) => opts.logger.error({ err: String(x) }, "onFailed handler failed"));
      } else {
        const runAfter = new Date(opts.clock.now().getTime() + backoffMs(effect.attempts));
        await opts.db
          .update(effects)
          .set({ status: "pending", lockedUntil: null, runAfter, lastError: e.message })
          .where(eq(effects.id, effect.id));
        opts.logger.warn(
          { event: `effect.${effect.kind}.retry`, effectId: effect.id, attempts: effect.attempts, err: e.message },
          "effect will be retried",
        );
      }
    }
  }

  /** Claims and performs one batch; returns how many effects it handled. */
  async function runOnce(): Promise<number> {
    const rows = await claim();
    let next = 0;
    const lane = async () => {
      while (next < rows.length) await perform(rows[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, lane));
    return rows.length;
  }

  // A batch that found work may have left more behind: look again at once until one finds none.
  const loop = createPollingLoop({ name: "effect_worker", runOnce, isFull: (n) => n > 0, logger: opts.logger });
  return { runOnce, ...loop };
}

export type EffectWorker = ReturnType<typeof createEffectWorker>;
