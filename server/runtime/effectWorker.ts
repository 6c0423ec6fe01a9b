/**
 * The effect worker: performs outbox rows after their transaction committed. Delivery is at least
 * once, so handlers are idempotent (they check their own record by idempotency key). Retryable
 * failures back off exponentially; permanent ones, or too many attempts, mark the effect failed
 * and call `onFailed` so the workflow and the secretariat hear of it.
 *
 * Leases: a claimed row is `running`, held by this worker (`locked_by`) until `locked_until`. The
 * lease is short (30 s) and renewed every few seconds while the handler runs (heartbeat), so a row
 * of a crashed process is taken by another within about the lease. Every write that ends a run is
 * fenced by `locked_by` and `attempts`: a worker whose lease was taken over writes nothing. A
 * handler whose lease is lost (taken, or not renewable for most of its length while the database
 * is away) sees its `signal` aborted and should stop before its next side effect.
 */
import { randomUUID } from "node:crypto";
import { and, asc, eq, inArray, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { retryWhileUnavailable } from "../db/retry.js";
import { effects } from "../db/schema.js";
import { EffectError, isDatabaseUnavailable } from "../errors.js";
import type { Clock } from "./clock.js";
import { createPollingLoop } from "./pollingLoop.js";

export type EffectRow = typeof effects.$inferSelect;
/** What a handler gets besides its row: `signal` aborts when this worker no longer holds the lease. */
export type EffectContext = { signal: AbortSignal };
export type EffectHandler = (effect: EffectRow, ctx: EffectContext) => Promise<void>;
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
  /** How long a claim holds without renewal (default 30 s). */
  leaseMs?: number;
  /** How often running rows' leases are renewed (default a quarter of the lease). */
  heartbeatMs?: number;
  onFailed?: (effect: EffectRow, error: Error) => Promise<void>;
  /**
   * Only these organisations' effects (read at each claim); absent: every organisation's. Tests that
   * share one database give each world's worker its own, so no test performs another's effects.
   */
  organizations?: () => readonly string[];
};

/** Default lease of a claimed effect: another process takes a crashed one's rows within it. */
export const EFFECT_LEASE_MS = 30_000;

/** How soon a run that failed because the database was away is tried again. */
const UNAVAILABLE_RETRY_MS = 1_000;

/** Backoff before attempt n+1: 5 s, 10 s, 20 s … capped at 30 minutes. */
export const backoffMs = (attempts: number) => Math.min(30 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1));

type Settings = Required<Omit<EffectWorkerOptions, "onFailed" | "organizations">> &
  Pick<EffectWorkerOptions, "onFailed" | "organizations"> & { owner: string };

/** Builds the worker; `start(pollMs)` runs it, `drain()` runs it until nothing is due (tests). */
export function createEffectWorker(opts: EffectWorkerOptions) {
  const leaseMs = opts.leaseMs ?? EFFECT_LEASE_MS;
  const s: Settings = {
    batchSize: 50,
    concurrency: 8,
    maxAttempts: 8,
    heartbeatMs: Math.max(50, Math.floor(leaseMs / 4)),
    ...opts,
    leaseMs,
    owner: randomUUID(),
  };
  const leases = createLeaseKeeper(s);

  /** Claims and performs one batch; returns how many effects it handled. */
  async function runOnce(): Promise<number> {
    const rows = await claimEffects(s);
    let next = 0;
    const lane = async () => {
      while (next < rows.length) await perform(s, leases, rows[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(s.concurrency, rows.length) }, lane));
    return rows.length;
  }

  // A batch that found work may have left more behind: look again at once until one finds none.
  const loop = createPollingLoop({ name: "effect_worker", runOnce, isFull: (n) => n > 0, logger: opts.logger });
  return { runOnce, ...loop, owner: s.owner };
}

export type EffectWorker = ReturnType<typeof createEffectWorker>;

/** Claims due rows (and rows whose lease expired) for this worker, so no other worker takes them. */
async function claimEffects(s: Settings): Promise<EffectRow[]> {
  const now = s.clock.now();
  return s.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: effects.id })
      .from(effects)
      .where(
        and(
          or(
            and(eq(effects.status, "pending"), lte(effects.runAfter, now)),
            and(eq(effects.status, "running"), lte(effects.lockedUntil, now)),
          ),
          s.organizations ? inArray(effects.organizationId, [...s.organizations()]) : undefined,
        ),
      )
      .orderBy(asc(effects.id))
      .limit(s.batchSize)
      .for("update", { skipLocked: true });
    if (!due.length) return [];
    return tx
      .update(effects)
      .set({
        status: "running",
        attempts: sql`${effects.attempts} + 1`,
        lockedUntil: new Date(now.getTime() + s.leaseMs),
        lockedBy: s.owner,
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

/** Runs one claimed effect and records how it ended; never throws. */
async function perform(s: Settings, leases: LeaseKeeper, effect: EffectRow) {
  const signal = leases.hold(effect);
  try {
    const handler = s.handlers[effect.kind];
    if (!handler) throw new EffectError(`No handler for effect kind ${effect.kind}`, true, "effect_unknown");
    await handler(effect, { signal });
    await finish(s, effect, {
      status: "done",
      doneAt: s.clock.now(),
      lockedUntil: null,
      lockedBy: null,
      lastError: null,
    });
  } catch (err) {
    await recordFailure(s, effect, err instanceof Error ? err : new Error(String(err)));
  } finally {
    leases.release(effect);
  }
}

/** A failed run: permanent (or out of attempts) → failed and `onFailed`; otherwise pending again, later. */
async function recordFailure(s: Settings, effect: EffectRow, e: Error) {
  try {
    const permanent = e instanceof EffectError && e.permanent;
    if (permanent || effect.attempts >= s.maxAttempts) {
      if (!(await finish(s, effect, { status: "failed", lockedUntil: null, lockedBy: null, lastError: e.message })))
        return;
      s.logger.error(
        { event: `effect.${effect.kind}.failed`, effectId: effect.id, key: effect.idempotencyKey, err: e.message },
        "effect failed permanently",
      );
      if (s.onFailed)
        await s.onFailed(effect, e).catch((x) => s.logger.error({ err: String(x) }, "onFailed handler failed"));
      return;
    }
    // A run that failed because the database went away is tried again soon after it is back, not after the backoff.
    const delay = isDatabaseUnavailable(e) ? UNAVAILABLE_RETRY_MS : backoffMs(effect.attempts);
    const runAfter = new Date(s.clock.now().getTime() + delay);
    if (
      !(await finish(s, effect, {
        status: "pending",
        lockedUntil: null,
        lockedBy: null,
        runAfter,
        lastError: e.message,
      }))
    )
      return;
    s.logger.warn(
      { event: `effect.${effect.kind}.retry`, effectId: effect.id, attempts: effect.attempts, err: e.message },
      "effect will be retried",
    );
  } catch (err) {
    // The database stayed away longer than we retry: the row stays running and its lease runs out.
    s.logger.error(
      { event: "effect.record.failed", effectId: effect.id, err: String(err) },
      "effect outcome not saved",
    );
  }
}

/**
 * Ends this worker's run of `effect` with `set`, only if the lease is still ours (same owner, same
 * attempt); retried through a short database outage. Returns whether the row was ours.
 */
async function finish(s: Settings, effect: EffectRow, set: Partial<typeof effects.$inferInsert>): Promise<boolean> {
  const rows = await retryWhileUnavailable(() =>
    s.db
      .update(effects)
      .set(set)
      .where(
        and(
          eq(effects.id, effect.id),
          eq(effects.status, "running"),
          eq(effects.lockedBy, s.owner),
          eq(effects.attempts, effect.attempts),
        ),
      )
      .returning({ id: effects.id }),
  );
  if (!rows.length)
    s.logger.warn(
      { event: `effect.${effect.kind}.lease_lost`, effectId: effect.id, attempts: effect.attempts },
      "effect was taken over by another worker; its outcome here is not recorded",
    );
  return rows.length > 0;
}

type LeaseKeeper = ReturnType<typeof createLeaseKeeper>;

/**
 * The heartbeat: while this worker runs effects, renews their leases every `heartbeatMs` in one
 * statement. A row the renewal no longer finds (another worker took it) is aborted; if renewals
 * fail for three quarters of the lease (the database is away), every run is aborted, because
 * another process may take the rows once their lease has run out.
 */
function createLeaseKeeper(s: Settings) {
  const held = new Map<number, { attempts: number; controller: AbortController }>();
  let timer: NodeJS.Timeout | null = null;
  let renewedAt = Date.now();
  let renewing = false;

  async function renew() {
    if (renewing || !held.size) return;
    renewing = true;
    const ids = [...held.keys()];
    try {
      const kept = await s.db
        .update(effects)
        .set({ lockedUntil: new Date(s.clock.now().getTime() + s.leaseMs) })
        .where(and(inArray(effects.id, ids), eq(effects.status, "running"), eq(effects.lockedBy, s.owner)))
        .returning({ id: effects.id, attempts: effects.attempts });
      renewedAt = Date.now();
      const mine = new Set(kept.map((k) => `${k.id}:${k.attempts}`));
      for (const id of ids) {
        const h = held.get(id);
        if (h && !mine.has(`${id}:${h.attempts}`))
          h.controller.abort(new EffectError("lease lost", false, "lease_lost"));
      }
    } catch (err) {
      if (Date.now() - renewedAt < (s.leaseMs * 3) / 4) return;
      const running = [...held.values()].filter((h) => !h.controller.signal.aborted);
      if (running.length)
        s.logger.warn({ event: "effect.lease.expiring", err: String(err) }, "leases cannot be renewed; stopping runs");
      for (const h of running) h.controller.abort(new EffectError("lease not renewable", false, "lease_lost"));
    } finally {
      renewing = false;
    }
  }

  return {
    /** Starts holding `effect`'s lease; returns the signal its handler watches. */
    hold(effect: EffectRow): AbortSignal {
      const controller = new AbortController();
      if (!held.size) renewedAt = Date.now();
      held.set(effect.id, { attempts: effect.attempts, controller });
      timer ??= setInterval(() => void renew(), s.heartbeatMs).unref();
      return controller.signal;
    },
    release(effect: EffectRow) {
      held.delete(effect.id);
      if (!held.size && timer) {
        clearInterval(timer);
        timer = null;
      }
    },
  };
}
