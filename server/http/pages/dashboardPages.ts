/**
 * The dashboard: "việc của tôi" (what waits on me, with due dates and overdue marks) for every
 * role, and for the Union's staff the charts: assignments by state, type and month; on-time rate
 * per stage (deadlines met vs fired); average working days per stage (from the history); adoption
 * of recommendations by agency (from the agency's answers).
 */
import { Router } from "express";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import {
  agencies,
  assignments,
  deadlines,
  history,
  invitations,
  opinionVersions,
  recommendationResponses,
  recommendations,
} from "../../db/schema.js";
import { hasRole } from "../../runtime/actor.js";
import type { RuntimeDeps } from "../../runtime/applyEvent.js";
import { visibleTo } from "../../policies/assignmentPolicy.js";
import { WAITING_ON } from "../../presenters/waitingOn.js";
import { loadCalendar } from "../../runtime/calendar.js";
import { workingDaysBetween } from "../../calendar/workingDays.js";
import { stageOf } from "../../runtime/stateValue.js";
import { barChart, columnChart } from "../../presenters/pages/charts.js";
import { actorOf, render, tr } from "./context.js";
import { listAssignments } from "./queries.js";

const STAGES = ["screening", "planning", "review", "consolidation", "response"];
const STAGE_STATES = [
  "ordered",
  "screening",
  "planning",
  "panelFormation",
  "underReview",
  "consolidation",
  "approval",
  "issuing",
  "sent",
  "awaitingResponse",
  "responded",
];

export function dashboardPages(deps: RuntimeDeps) {
  const r = Router();
  const { db, clock } = deps;

  r.get("/", async (req, res) => {
    if (!req.actor) return void res.redirect(303, "/login");
    const actor = actorOf(req);
    const t = tr(req);
    const now = clock.now();
    const mine = Object.entries(WAITING_ON)
      .filter(([, role]) => role !== "expert" && actor.roles.includes(role as never))
      .map(([s]) => s);
    const waiting = mine.length
      ? await listAssignments(db, actor, now, { waitingOn: mine, order: "due", limit: 50 })
      : { rows: [], total: 0 };
    const rows = waiting.rows.map((x) => ({ ...x, stateLabel: t(`state.${x.state}`) }));

    // Experts: open invitations, opinions to write, reports to endorse as chair.
    let expertWork: Array<{ href: string; title: string; what: string; dueAt: string | null; overdue: boolean }> = [];
    if (actor.expertId) {
      const inv = await db
        .select({ i: invitations, a: assignments })
        .from(invitations)
        .innerJoin(assignments, eq(assignments.id, invitations.assignmentId))
        .where(
          and(
            eq(invitations.organizationId, actor.organizationId),
            eq(invitations.expertId, actor.expertId),
            inArray(invitations.state, ["invited", "accepted"]),
          ),
        );
      const submitted = new Set(
        (
          await db
            .select({ a: opinionVersions.assignmentId })
            .from(opinionVersions)
            .where(and(eq(opinionVersions.expertId, actor.expertId), eq(opinionVersions.status, "submitted")))
        ).map((x) => x.a),
      );
      const reviewDue = inv.length
        ? await db
            .select()
            .from(deadlines)
            .where(
              and(
                inArray(
                  deadlines.assignmentId,
                  inv.map((x) => x.a.id),
                ),
                eq(deadlines.status, "pending"),
                sql`(${deadlines.key} = 'review' or ${deadlines.key} = ${"review:" + actor.expertId})`,
              ),
            )
        : [];
      expertWork = inv.flatMap(({ i, a }) => {
        if (i.state === "invited")
          return [
            {
              href: "/invitations",
              title: a.title,
              what: t("work.answerInvitation"),
              dueAt: i.dueAt?.toISOString() ?? null,
              overdue: !!i.dueAt && i.dueAt < now,
            },
          ];
        if (a.state === "underReview" && !submitted.has(a.id)) {
          const d = reviewDue
            .filter((x) => x.assignmentId === a.id)
            .sort((x, y) => (x.key.length > y.key.length ? -1 : 1))[0];
          return [
            {
              href: `/assignments/${a.id}/opinion`,
              title: a.title,
              what: t("work.writeOpinion"),
              dueAt: d?.dueAt.toISOString() ?? null,
              overdue: !!d && d.dueAt < now,
            },
          ];
        }
        if (a.state === "approval.awaitingChair" && i.panelRole === "chair")
          return [
            {
              href: `/assignments/${a.id}`,
              title: a.title,
              what: t("event.report.endorse"),
              dueAt: null,
              overdue: false,
            },
          ];
        return [];
      });
    }

    let charts: Record<string, string> | null = null;
    if (hasRole(actor, "secretariat", "leadership", "admin", "clerk")) charts = await buildCharts(deps, actor, t, now);
    render(req, res, "dashboard", { rows, expertWork, charts, hasWork: rows.length + expertWork.length > 0 });
  });

  return r;
}

async function buildCharts(
  deps: RuntimeDeps,
  actor: ReturnType<typeof actorOf>,
  t: (k: string, v?: Record<string, unknown>) => string,
  now: Date,
) {
  const { db } = deps;
  const vis = visibleTo(actor);
  const byState = await db
    .select({ state: assignments.state, n: sql<number>`count(*)::int` })
    .from(assignments)
    .where(vis)
    .groupBy(assignments.state);
  const stageCounts = new Map<string, number>();
  for (const s of byState) {
    const k = stageOf(s.state);
    stageCounts.set(k, (stageCounts.get(k) ?? 0) + Number(s.n));
  }
  const order = [...STAGE_STATES, "closed", "declined", "withdrawn", "onHold"];
  const byType = await db
    .select({ type: assignments.type, n: sql<number>`count(*)::int` })
    .from(assignments)
    .where(vis)
    .groupBy(assignments.type);
  const byMonth = await db
    .select({
      m: sql<string>`to_char(${assignments.createdAt} at time zone 'Asia/Ho_Chi_Minh', 'YYYY-MM')`,
      n: sql<number>`count(*)::int`,
    })
    .from(assignments)
    .where(and(vis, sql`${assignments.createdAt} > ${new Date(now.getTime() - 366 * 86_400_000)}`))
    .groupBy(sql`1`)
    .orderBy(sql`1`);

  // On time: a stage deadline cancelled before it fell due was met; one that fired was missed.
  const dl = await db
    .select({ key: deadlines.key, status: deadlines.status, n: sql<number>`count(*)::int` })
    .from(deadlines)
    .where(
      and(
        eq(deadlines.organizationId, actor.organizationId),
        eq(deadlines.workflow, "assignment"),
        inArray(deadlines.status, ["fired", "cancelled"]),
        sql`${deadlines.key} not like '%#%'`,
      ),
    )
    .groupBy(deadlines.key, deadlines.status);
  const onTime = STAGES.map((s) => {
    const rows = dl.filter((x) => x.key === s || x.key.startsWith(`${s}:`));
    const met = rows.filter((x) => x.status === "cancelled").reduce((a, x) => a + Number(x.n), 0);
    const missed = rows.filter((x) => x.status === "fired").reduce((a, x) => a + Number(x.n), 0);
    return { s, met, total: met + missed };
  }).filter((x) => x.total > 0);

  // Working days per stage from the history: from entering a stage to leaving it.
  const hist = await db
    .select({ a: history.assignmentId, from: history.fromState, to: history.toState, at: history.createdAt })
    .from(history)
    .innerJoin(assignments, eq(assignments.id, history.assignmentId))
    .where(and(eq(history.organizationId, actor.organizationId), eq(history.workflow, "assignment"), vis))
    .orderBy(asc(history.assignmentId), asc(history.id))
    .limit(20000);
  const cal = await loadCalendar(db, actor.organizationId, now);
  const spans = new Map<string, number[]>();
  let cur: { a: string; stage: string; at: Date } | null = null;
  for (const h of hist) {
    const toStage = stageOf(h.to);
    if (cur && cur.a !== h.a) cur = null;
    if (!cur) {
      cur = { a: h.a, stage: toStage, at: h.at };
      continue;
    }
    if (toStage !== cur.stage) {
      const list = spans.get(cur.stage) ?? [];
      list.push(Math.max(0, workingDaysBetween(cur.at, h.at, cal)));
      spans.set(cur.stage, list);
      cur = { a: h.a, stage: toStage, at: h.at };
    }
  }
  const avgDays = STAGE_STATES.filter((s) => spans.has(s)).map((s) => {
    const l = spans.get(s)!;
    return { label: t(`stage.${s}`), value: Math.round((l.reduce((a, b) => a + b, 0) / l.length) * 10) / 10 };
  });

  // Adoption: the newest answer to each recommendation, by ordering agency.
  const answers = await db.execute(sql`
    select ag.name as agency, r.status as status, count(*)::int as n from (
      select distinct on (rr.recommendation_id) rr.recommendation_id, rr.status, rr.assignment_id
      from ${recommendationResponses} rr where rr.organization_id = ${actor.organizationId}
      order by rr.recommendation_id, rr.created_at desc) r
    join ${assignments} a on a.id = r.assignment_id join ${agencies} ag on ag.id = a.agency_id
    group by ag.name, r.status`);
  void recommendations;
  const rowsOf = (x: unknown) =>
    ((x as { rows?: unknown[] }).rows ?? (x as unknown[])) as Array<{ agency: string; status: string; n: number }>;
  const byAgency = new Map<string, { accepted: number; partly: number; total: number }>();
  for (const row of rowsOf(answers)) {
    const e = byAgency.get(row.agency) ?? { accepted: 0, partly: 0, total: 0 };
    if (row.status === "accepted") e.accepted += Number(row.n);
    if (row.status === "partly") e.partly += Number(row.n);
    e.total += Number(row.n);
    byAgency.set(row.agency, e);
  }
  const pct = (v: number) => `${Math.round(v * 100)}%`;
  return {
    byState: barChart({
      title: t("chart.byState"),
      empty: t("chart.empty"),
      bars: order
        .filter((s) => stageCounts.has(s))
        .map((s) => ({ label: t(`stage.${s}`), value: stageCounts.get(s)! })),
    }),
    byType: barChart({
      title: t("chart.byType"),
      empty: t("chart.empty"),
      bars: byType.map((x) => ({ label: t(`type.${x.type}`), value: Number(x.n) })),
    }),
    byMonth: columnChart({
      title: t("chart.byMonth"),
      empty: t("chart.empty"),
      bars: byMonth.map((x) => ({ label: `${x.m.slice(5)}/${x.m.slice(2, 4)}`, value: Number(x.n) })),
    }),
    onTime: barChart({
      title: t("chart.onTime"),
      empty: t("chart.empty"),
      max: 1,
      format: pct,
      bars: onTime.map((x) => ({
        label: t(`deadline.${x.s}`),
        value: x.met / x.total,
        text: `${pct(x.met / x.total)} (${x.met}/${x.total})`,
      })),
    }),
    avgDays: barChart({
      title: t("chart.avgDays"),
      empty: t("chart.empty"),
      bars: avgDays,
      format: (v) => `${v} ${t("unit.wd")}`,
    }),
    adoption: barChart({
      title: t("chart.adoption"),
      empty: t("chart.empty"),
      max: 1,
      bars: [...byAgency.entries()].map(([agency, e]) => ({
        label: agency,
        value: (e.accepted + e.partly * 0.5) / e.total,
        text: t("chart.adoptionText", { accepted: e.accepted, partly: e.partly, total: e.total }),
      })),
    }),
  };
}
