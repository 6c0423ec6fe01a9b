/**
 * The installation's clock offset in the database (table installation_clock), so that every
 * process of an installation — web processes and workers — runs on the same moved clock.
 */
import { eq, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { installationClock } from "../db/schema.js";
import type { ClockOffsetStore } from "./clock.js";

/** The row of a real installation; tests pass keys of their own so they do not share one. */
export const INSTALLATION_CLOCK_KEY = "installation";

/** The offset store of the installation `key` on `db`. */
export function databaseClockStore(db: Executor, key = INSTALLATION_CLOCK_KEY): ClockOffsetStore {
  const upsert = async (ms: number, set: ReturnType<typeof sql>) => {
    const [row] = await db
      .insert(installationClock)
      .values({ key, offsetMs: ms })
      .onConflictDoUpdate({ target: installationClock.key, set: { offsetMs: set, movedAt: sql`now()` } })
      .returning({ offsetMs: installationClock.offsetMs });
    return Number(row.offsetMs);
  };
  return {
    async read() {
      const [row] = await db
        .select({ offsetMs: installationClock.offsetMs })
        .from(installationClock)
        .where(eq(installationClock.key, key));
      return Number(row?.offsetMs ?? 0);
    },
    add: (ms) => upsert(ms, sql`${installationClock.offsetMs} + excluded.offset_ms`),
    raiseTo: (ms) => upsert(ms, sql`greatest(${installationClock.offsetMs}, excluded.offset_ms)`),
  };
}
