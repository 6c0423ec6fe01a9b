/**
 * The working days the actor's assignments spent in each top-level stage, from the stays recorded
 * when a stage ends (`stage_stays`, `stage_day_counts`, kept by the history trigger of migration
 * flat6_stage_trigger; issue 15: flat at any size). A stay lasts the working days after its first
 * Vietnam date up to and including its last (`workingDaysBetween`, never negative), on the
 * organisation's calendar as it is today, so an edited holiday shows at once. Read-only.
 */
import { and, eq, isNotNull, sql, type SQL } from "drizzle-orm";
import { type Executor } from "../db/connect.js";
import { assignments, stageDayCounts, stageStays } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { organisationShare } from "../policies/assignmentPolicy.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import { vietnamDateOf, workingDaysBetween, type WorkingCalendar } from "../calendar/workingDays.js";

/** Per stage: the working days of all finished stays together, and how many stays. */
export type StageDays = Record<string, { total: number; stays: number }>;

type DayRow = { stage: string; day: string; starts: number; ends: number };

/**
 * Σ ends·C(day) − Σ starts·C(day) per stage, C counting working days from the first date: the
 * working days of every stay in the roll-up, walking the calendar once over its few hundred dates.
 */
function fromDayCounts(rows: DayRow[], cal: WorkingCalendar): StageDays {
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const running = new Map<string, number>();
  let c = 0;
  days.forEach((d, i) => {
    if (i > 0) c += workingDaysBetween(days[i - 1], d, cal);
    running.set(d, c);
  });
  const out: StageDays = {};
  for (const r of rows) {
    const s = (out[r.stage] ??= { total: 0, stays: 0 });
    s.total += (Number(r.ends) - Number(r.starts)) * running.get(r.day)!;
    s.stays += Number(r.ends);
  }
  return out;
}

type Stay = { stage: string; enteredAt: Date; leftAt: Date | null };

/** Adds (sign 1) or takes away (sign −1) single stays. */
function addStays(into: StageDays, stays: Stay[], cal: WorkingCalendar, sign: 1 | -1): StageDays {
  for (const s of stays) {
    const days = Math.max(0, workingDaysBetween(vietnamDateOf(s.enteredAt), vietnamDateOf(s.leftAt!), cal));
    const t = (into[s.stage] ??= { total: 0, stays: 0 });
    t.total += sign * days;
    t.stays += sign;
  }
  for (const [k, v] of Object.entries(into)) if (v.stays === 0) delete into[k];
  return into;
}

/** The finished stays of the assignments `where` selects (a reader's few, or the hidden confidential ones). */
async function staysOf(db: Executor, where: SQL): Promise<Stay[]> {
  return db
    .select({ stage: stageStays.stage, enteredAt: stageStays.enteredAt, leftAt: stageStays.leftAt })
    .from(stageStays)
    .innerJoin(assignments, eq(assignments.id, stageStays.assignmentId))
    .where(and(where, isNotNull(stageStays.leftAt)));
}

/**
 * Working days per stage over the assignments the actor may see (`vis`, from visibleTo): the
 * organisation's roll-up for those who see it all; the roll-up less the confidential assignments
 * not granted to them for other staff; the stays of their own assignments for anyone else.
 */
export async function loadStageDays(db: Executor, actor: Actor, vis: SQL, now: Date): Promise<StageDays> {
  const cal = await loadCalendar(db, actor.organizationId, now);
  const share = organisationShare(actor);
  if (share === "some") return addStays({}, await staysOf(db, vis), cal, 1);
  // One row per stage and day, summed over the roll-up's slots (migration lock9_rollup_slots).
  const rows = await db
    .select({
      stage: stageDayCounts.stage,
      day: stageDayCounts.day,
      starts: sql<number>`sum(${stageDayCounts.starts})::int`,
      ends: sql<number>`sum(${stageDayCounts.ends})::int`,
    })
    .from(stageDayCounts)
    .where(eq(stageDayCounts.organizationId, actor.organizationId))
    .groupBy(stageDayCounts.stage, stageDayCounts.day);
  const all = fromDayCounts(rows, cal);
  if (share === "all") return all;
  const hidden = and(
    eq(assignments.organizationId, actor.organizationId),
    sql`${assignments.confidential}`,
    sql`not (${vis})`,
  )!;
  return addStays(all, await staysOf(db, hidden), cal, -1);
}
