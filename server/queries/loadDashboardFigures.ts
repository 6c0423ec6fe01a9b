/**
 * The figures behind the dashboard's charts, for the assignments the actor may see: how many are
 * in each stage, of each type and from each month of the last year; how often each stage's
 * deadline was met (cancelled before it fell due) or missed (fired); how many working days each
 * stage took (from the history); and how each ordering agency answered the recommendations (the
 * newest answer to each). Read-only.
 */
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Executor } from "../db/connect.js";
import { agencies, assignments, deadlines, history, recommendationResponses } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { visibleTo } from "../policies/assignmentPolicy.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import { stageOf } from "../runtime/stateValue.js";
import { workingDaysBetween } from "../calendar/workingDays.js";

/** The stages whose deadlines the on-time figure counts. */
export const DEADLINE_STAGES = ["screening", "planning", "review", "consolidation", "response"];

type Count = { n: number };
export type AdoptionRow = { agency: string; status: string; n: number };

async function countByStage(db: Executor, vis: SQL) {
  const rows = await db
    .select({ state: assignments.state, n: sql<number>`count(*)::int` })
    .from(assignments)
    .where(vis)
    .groupBy(assignments.state);
  const counts: Record<string, number> = {};
  for (const r of rows) counts[stageOf(r.state)] = (counts[stageOf(r.state)] ?? 0) + Number(r.n);
  return counts;
}

async function countByType(db: Executor, vis: SQL) {
  const rows = await db
    .select({ type: assignments.type, n: sql<number>`count(*)::int` })
    .from(assignments)
    .where(vis)
    .groupBy(assignments.type);
  return rows.map((x) => ({ type: x.type, n: Number(x.n) }));
}

async function countByMonth(db: Executor, vis: SQL, now: Date) {
  const rows = await db
    .select({
      month: sql<string>`to_char(${assignments.createdAt} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM')`,
      n: sql<number>`count(*)::int`,
    })
    .from(assignments)
    .where(and(vis, sql`${assignments.createdAt} > ${new Date(now.getTime() - 366 * 86_400_000)}`))
    .groupBy(sql`1`)
    .orderBy(sql`1`);
  return rows.map((x) => ({ month: x.month, n: Number(x.n) }));
}

/** Per stage: deadlines met (cancelled before they fell due) and all that ended (met + fired). */
async function deadlineOutcomes(db: Executor, organizationId: string) {
  const rows = await db
    .select({ key: deadlines.key, status: deadlines.status, n: sql<number>`count(*)::int` })
    .from(deadlines)
    .where(
      and(
        eq(deadlines.organizationId, organizationId),
        eq(deadlines.workflow, "assignment"),
        inArray(deadlines.status, ["fired", "cancelled"]),
        sql`${deadlines.key} not like '%#%'`,
      ),
    )
    .groupBy(deadlines.key, deadlines.status);
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
    byStage: await countByStage(db, vis),
    byType: await countByType(db, vis),
    byMonth: await countByMonth(db, vis, now),
    onTime: await deadlineOutcomes(db, actor.organizationId),
    stageDays: await stageDurations(db, actor, vis, now),
    adoption: await adoptionByAgency(db, actor.organizationId),
  };
}

/** The dashboard's figures (see loadDashboardFigures). */
export type DashboardFigures = Awaited<ReturnType<typeof loadDashboardFigures>>;
