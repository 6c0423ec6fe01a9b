/**
 * The figures behind the dashboard's charts, for the assignments the actor may see: how many are
 * in each stage, of each type and from each of the last 13 months (the current one included), read
 * from roll-ups kept by triggers (issue 15: flat at any size); how often each stage's
 * deadline was met (cancelled before it fell due) or missed (fired); how many working days each
 * stage took (from the stays recorded when a stage ends, loadStageDays); and how each ordering
 * agency answered the recommendations (the newest answer to each, from a roll-up). Read-only.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Executor } from "../db/connect.js";
import {
  agencies,
  answerCounts,
  assignmentCounts,
  assignments,
  deadlineOutcomes as deadlineOutcomeCounts,
} from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { organisationShare, visibleTo } from "../policies/assignmentPolicy.js";
import { stageOf } from "../runtime/stateValue.js";
import { loadStageDays } from "./loadStageDays.js";

/** The stages whose deadlines the on-time figure counts. */
export const DEADLINE_STAGES = ["screening", "planning", "review", "consolidation", "response"];

type Count = { n: number };
export type AdoptionRow = { agency: string; status: string; n: number };

/** The first of the 13 months the chart shows (YYYY-MM in Asia/Ho_Chi_Minh, UTC+7 all year). */
function firstMonth(now: Date): string {
  const local = new Date(now.getTime() + 7 * 3_600_000);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 12, 1)).toISOString().slice(0, 7);
}

/**
 * The assignments the actor sees, counted per state, per type and per month of arrival (the 13
 * whole months up to the current one), from the roll-up `assignment_counts` (kept by triggers):
 * all of it for the confidential readers; for other staff its non-confidential counts plus the
 * few confidential assignments they are granted one by one (through the partial index); for
 * anyone else the assignments themselves.
 */
async function counts(db: Executor, actor: Actor, vis: SQL, now: Date) {
  const share = organisationShare(actor);
  const own = sql`select ${assignments.state} as state, ${assignments.type} as type,
    to_char(${assignments.createdAt} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM') as month, 1 as n
    from ${assignments}`;
  const granted = sql`union all ${own} where ${vis} and ${assignments.confidential}`;
  const source =
    share === "some"
      ? sql`${own} where ${vis}`
      : sql`select state, type, month, n from ${assignmentCounts} where organization_id = ${actor.organizationId}
          ${share === "open" ? sql`and not confidential ${granted}` : sql``}`;
  const from = firstMonth(now);
  const rows = rowsOf<{ dim: string; k: string; n: number }>(
    await db.execute(sql`with c as (${source})
      select 'state' as dim, state as k, sum(n)::int as n from c group by state having sum(n) <> 0
      union all select 'type', type, sum(n)::int from c group by type having sum(n) <> 0
      union all select 'month', month, sum(n)::int from c where month >= ${from} group by month having sum(n) <> 0`),
  );
  const of = (dim: string) => rows.filter((r) => r.dim === dim).map((r) => ({ k: r.k, n: Number(r.n) }));
  const byStage: Record<string, number> = {};
  for (const r of of("state")) byStage[stageOf(r.k)] = (byStage[stageOf(r.k)] ?? 0) + r.n;
  const byType = of("type").map((r) => ({ type: r.k, n: r.n }));
  const byMonth = of("month")
    .map((r) => ({ month: r.k, n: r.n }))
    .sort((a, b) => a.month.localeCompare(b.month));
  return { byStage, byType, byMonth };
}

/** Per stage: deadlines met (cancelled before they fell due) and all that ended (met + fired), from the roll-up. */
async function deadlineOutcomes(db: Executor, organizationId: string) {
  const rows = await db
    .select({ key: deadlineOutcomeCounts.key, status: deadlineOutcomeCounts.status, n: deadlineOutcomeCounts.n })
    .from(deadlineOutcomeCounts)
    .where(and(eq(deadlineOutcomeCounts.organizationId, organizationId), sql`${deadlineOutcomeCounts.n} <> 0`));
  const sum = (list: Array<Count>) => list.reduce((a, x) => a + Number(x.n), 0);
  return DEADLINE_STAGES.map((stage) => {
    const mine = rows.filter((x) => x.key === stage || x.key.startsWith(`${stage}:`));
    const met = sum(mine.filter((x) => x.status === "cancelled"));
    return { stage, met, total: met + sum(mine.filter((x) => x.status === "fired")) };
  }).filter((x) => x.total > 0);
}

/**
 * The newest answer to each recommendation, counted by ordering agency and answer, from the roll-up
 * `answer_counts` (kept by a trigger on the answers; one row per agency and answer).
 */
async function adoptionByAgency(db: Executor, organizationId: string) {
  const answers = await db.execute(sql`
    select ag.name as agency, c.status as status, sum(c.n)::int as n
    from ${answerCounts} c join ${agencies} ag on ag.id = c.agency_id
    where c.organization_id = ${organizationId} and c.n <> 0
    group by ag.name, c.status`);
  return rowsOf<AdoptionRow>(answers).map((x) => ({ ...x, n: Number(x.n) }));
}

/** Every figure of the dashboard's charts for what the actor may see. */
export async function loadDashboardFigures(db: Executor, actor: Actor, now: Date) {
  const vis = visibleTo(actor);
  return {
    ...(await counts(db, actor, vis, now)),
    onTime: await deadlineOutcomes(db, actor.organizationId),
    stageDays: await loadStageDays(db, actor, vis, now),
    adoption: await adoptionByAgency(db, actor.organizationId),
  };
}

/** The dashboard's figures (see loadDashboardFigures). */
export type DashboardFigures = Awaited<ReturnType<typeof loadDashboardFigures>>;
