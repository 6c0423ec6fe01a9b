/**
 * The figures behind the dashboard's charts, for the assignments the actor may see: how many are
 * in each stage, of each type and from each of the last 13 months (the current one included), read
 * from roll-ups kept by triggers (issue 15: flat at any size); how often each stage's
 * deadline was met (cancelled before it fell due) or missed (fired); how many working days each
 * stage took (from the history); and how each ordering agency answered the recommendations (the
 * newest answer to each). Read-only.
 */
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Executor } from "../db/connect.js";
import {
  agencies,
  assignmentCounts,
  assignments,
  deadlineOutcomes as deadlineOutcomeCounts,
  history,
  recommendationResponses,
} from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { organisationShare, visibleTo } from "../policies/assignmentPolicy.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import { stageOf } from "../runtime/stateValue.js";
import { workingDaysBetween } from "../calendar/workingDays.js";

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

/** Working days spent in each stage, one number per stay: from entering a stage to leaving it. */
async function stageDurations(db: Executor, actor: Actor, vis: SQL, now: Date) {
  const hist = await db
    .select({ a: history.assignmentId, to: history.toState, at: history.createdAt })
    .from(history)
    .innerJoin(assignments, eq(assignments.id, history.assignmentId))
    .where(and(eq(history.organizationId, actor.organizationId), eq(history.workflow, "assignment"), vis))
    .orderBy(asc(history.assignmentId), asc(history.id))
    .limit(20000);
  const cal = await loadCalendar(db, actor.organizationId, now);
  const spans: Record<string, number[]> = {};
  let cur: { a: string | null; stage: string; at: Date } | null = null;
  for (const h of hist) {
    const toStage = stageOf(h.to);
    if (cur && cur.a !== h.a) cur = null;
    if (!cur) cur = { a: h.a, stage: toStage, at: h.at };
    else if (toStage !== cur.stage) {
      (spans[cur.stage] ??= []).push(Math.max(0, workingDaysBetween(cur.at, h.at, cal)));
      cur = { a: h.a, stage: toStage, at: h.at };
    }
  }
  return spans;
}

/** How long a computed stage-days figure may be reused while no history is written (calendar edits). */
export const STAGE_DAYS_TTL_MS = 5 * 60_000;
const STAGE_DAYS_MAX = 500;
type CachedSpans = { spans: Record<string, number[]>; until: number };
const stageDayCaches = new WeakMap<object, Map<string, CachedSpans>>();

/** The newest history row of the organisation (history_org_created_idx read backward: one row). */
async function newestHistory(db: Executor, organizationId: string): Promise<string> {
  const [row] = rowsOf<{ at: string; id: string }>(
    await db.execute(sql`select created_at::text as at, id::text as id from ${history}
      where organization_id = ${organizationId} order by created_at desc, id desc limit 1`),
  );
  return row ? `${row.at}/${row.id}` : "none";
}

/**
 * stageDurations, reused while the organisation writes no history (issue 15: the charts flat):
 * keyed by organisation, reader (everyone who sees the whole organisation shares one entry), day
 * and the newest history row, so any event, in any process, makes the next view compute it
 * again; a holiday edited meanwhile shows after at most STAGE_DAYS_TTL_MS.
 */
async function cachedStageDurations(db: Executor, actor: Actor, vis: SQL, now: Date) {
  let cache = stageDayCaches.get(db);
  if (!cache) stageDayCaches.set(db, (cache = new Map()));
  const reader = organisationShare(actor) === "all" ? "all" : (actor.id ?? "");
  const key = [
    actor.organizationId,
    reader,
    now.toISOString().slice(0, 10),
    await newestHistory(db, actor.organizationId),
  ];
  const k = key.join("|");
  const hit = cache.get(k);
  if (hit && hit.until > Date.now()) return hit.spans;
  const spans = await stageDurations(db, actor, vis, now);
  if (cache.size >= STAGE_DAYS_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(k, { spans, until: Date.now() + STAGE_DAYS_TTL_MS });
  return spans;
}

/** The newest answer to each recommendation, counted by ordering agency and answer. */
async function adoptionByAgency(db: Executor, organizationId: string) {
  const answers = await db.execute(sql`
    select ag.name as agency, r.status as status, count(*)::int as n from (
      select distinct on (rr.recommendation_id) rr.recommendation_id, rr.status, rr.assignment_id
      from ${recommendationResponses} rr where rr.organization_id = ${organizationId}
      order by rr.recommendation_id, rr.created_at desc) r
    join ${assignments} a on a.id = r.assignment_id join ${agencies} ag on ag.id = a.agency_id
    group by ag.name, r.status`);
  return rowsOf<AdoptionRow>(answers).map((x) => ({ ...x, n: Number(x.n) }));
}

/** Every figure of the dashboard's charts for what the actor may see. */
export async function loadDashboardFigures(db: Executor, actor: Actor, now: Date) {
  const vis = visibleTo(actor);
  return {
    ...(await counts(db, actor, vis, now)),
    onTime: await deadlineOutcomes(db, actor.organizationId),
    stageDays: await cachedStageDurations(db, actor, vis, now),
    adoption: await adoptionByAgency(db, actor.organizationId),
  };
}

/** The dashboard's figures (see loadDashboardFigures). */
export type DashboardFigures = Awaited<ReturnType<typeof loadDashboardFigures>>;
