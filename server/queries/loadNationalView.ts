/**
 * The national view for the installation's operator (VUSTA): per Union and in total, how many
 * assignments by type, form, origin and state, the on-time rate of stage deadlines, the average
 * duration of each stage (calendar days from entering a stage to leaving it: provinces' holidays
 * differ, so working days would not add up across Unions), the adoption of recommendations (the
 * province's newest answer to each) and how many experts were engaged. Aggregates only: no titles,
 * no names, no personal data; a confidential assignment is counted like any other and never described.
 */
import { sql } from "drizzle-orm";
import { rowsOf, type Executor } from "../db/connect.js";
import type { Operator } from "../runtime/actor.js";
import { requireOperator } from "../policies/operatorPolicy.js";

type Counts = Record<string, number>;
export type UnionFigures = {
  unionId: string;
  slug: string;
  name: string;
  province: string | null;
  assignments: number;
  byType: Counts;
  byForm: Counts;
  byOrigin: Counts;
  byState: Counts;
  /** Stage deadlines met before they fell due ÷ (met + fallen due); null when none has ended. */
  onTimeRate: number | null;
  /** Per top-level stage: the average calendar days of a finished stay, and how many stays. */
  stageDays: Record<string, { days: number; stays: number }>;
  /** The newest answer to each recommendation answered, by answer (accepted, partly, not_accepted). */
  byAnswer: Counts;
  /** Recommendations accepted ÷ answered; null when none was answered. */
  adoptionRate: number | null;
  expertsInvited: number;
  expertsWithOpinion: number;
};

type Row = { org: string; dim: string; code: string; n: number };

/**
 * Every Union's counts from the roll-ups kept by triggers (issue 15: flat at any size): type and
 * state from `assignment_counts`, forms and origins from `assignment_tallies`, ended stage
 * deadlines (reminders apart) from `deadline_outcomes`, answers from `answer_counts`; the experts
 * engaged by one index probe per expert of the Union's registry (a scalar sub-select with LIMIT 1,
 * which the planner cannot turn into a join reading every invitation or opinion).
 */
const figuresQuery = sql`
  select organization_id as org, 'type' as dim, type as code, sum(n)::int as n from assignment_counts
    group by 1, 3 having sum(n) <> 0
  union all select organization_id, 'state', state, sum(n)::int from assignment_counts
    group by 1, 3 having sum(n) <> 0
  union all select organization_id, dim, code, sum(n)::int from assignment_tallies
    group by 1, 2, 3 having sum(n) <> 0
  union all select organization_id, 'deadline', status, sum(n)::int from deadline_outcomes
    where status in ('cancelled', 'fired') group by 1, 3 having sum(n) <> 0
  union all select e.organization_id, 'invited', '', count(*)::int from experts e
    where (select 1 from invitations i where i.organization_id = e.organization_id and i.expert_id = e.id limit 1) = 1
    group by 1
  union all select e.organization_id, 'opinion', '', count(*)::int from experts e
    where (select 1 from opinion_versions o where o.organization_id = e.organization_id and o.expert_id = e.id
      limit 1) = 1
    group by 1
  union all select organization_id, 'answer', status, sum(n)::int from answer_counts
    group by 1, 3 having sum(n) <> 0`;

/** Per Union and the installation's total. @throws UnauthenticatedError without an operator */
export async function loadNationalView(db: Executor, operator: Operator | undefined) {
  requireOperator(operator);
  const unions = rowsOf<{ id: string; slug: string; name: string; province: string | null }>(
    await db.execute(sql`select id, slug, name, province from organizations order by created_at, slug`),
  );
  const rows = rowsOf<Row>(await db.execute(figuresQuery));
  const stays = await stageStays(db);
  const perUnion = unions.map((u) =>
    figures(
      u,
      rows.filter((r) => r.org === u.id),
      stays.filter((r) => r.org === u.id),
    ),
  );
  return { unions: perUnion, total: total(perUnion) };
}

type StayRow = { org: string; stage: string; days: number; stays: number };

/**
 * Finished stays in each top-level stage, per Union, from the roll-up `stage_day_counts` (kept by
 * the history trigger of migration flat6_stage_trigger): the seconds of all stays over their count.
 */
async function stageStays(db: Executor): Promise<StayRow[]> {
  const rows = rowsOf<{ org: string; stage: string; days: string | number; stays: number }>(
    await db.execute(sql`
      select organization_id as org, stage, round(sum(seconds) / 86400 / sum(ends), 1) as days, sum(ends)::int as stays
      from stage_day_counts group by 1, 2 having sum(ends) > 0`),
  );
  return rows.map((r) => ({ org: r.org, stage: r.stage, days: Number(r.days), stays: Number(r.stays) }));
}

function figures(
  u: { id: string; slug: string; name: string; province: string | null },
  rows: Row[],
  stays: StayRow[],
): UnionFigures {
  const of = (dim: string) => Object.fromEntries(rows.filter((r) => r.dim === dim).map((r) => [r.code, Number(r.n)]));
  const one = (dim: string) => Number(rows.find((r) => r.dim === dim)?.n ?? 0);
  const byType = of("type");
  const d = of("deadline");
  const ended = (d.cancelled ?? 0) + (d.fired ?? 0);
  return {
    ...{ unionId: u.id, slug: u.slug, name: u.name, province: u.province },
    assignments: Object.values(byType).reduce((a, b) => a + b, 0),
    ...{ byType, byForm: of("form"), byOrigin: of("origin"), byState: of("state") },
    onTimeRate: ended ? Math.round(((d.cancelled ?? 0) / ended) * 1000) / 1000 : null,
    stageDays: Object.fromEntries(stays.map((r) => [r.stage, { days: r.days, stays: r.stays }])),
    ...adoption(of("answer")),
    expertsInvited: one("invited"),
    expertsWithOpinion: one("opinion"),
  };
}

/** The answers and the share accepted. */
function adoption(byAnswer: Counts) {
  const answered = Object.values(byAnswer).reduce((a, b) => a + b, 0);
  return { byAnswer, adoptionRate: answered ? Math.round(((byAnswer.accepted ?? 0) / answered) * 1000) / 1000 : null };
}

/** Each stage's average over all Unions, weighted by their stays. */
function totalStageDays(all: UnionFigures[]) {
  const acc: Record<string, { sum: number; stays: number }> = {};
  for (const f of all)
    for (const [stage, v] of Object.entries(f.stageDays)) {
      const a = (acc[stage] ??= { sum: 0, stays: 0 });
      a.sum += v.days * v.stays;
      a.stays += v.stays;
    }
  return Object.fromEntries(
    Object.entries(acc).map(([stage, a]) => [stage, { days: Math.round((a.sum / a.stays) * 10) / 10, stays: a.stays }]),
  );
}

function total(all: UnionFigures[]) {
  const sum = (pick: (f: UnionFigures) => Record<string, number>) => {
    const out: Record<string, number> = {};
    for (const f of all) for (const [k, v] of Object.entries(pick(f))) out[k] = (out[k] ?? 0) + v;
    return out;
  };
  const rated = all.filter((f) => f.onTimeRate !== null);
  return {
    unions: all.length,
    assignments: all.reduce((a, f) => a + f.assignments, 0),
    ...{ byType: sum((f) => f.byType), byForm: sum((f) => f.byForm), byOrigin: sum((f) => f.byOrigin) },
    byState: sum((f) => f.byState),
    onTimeRate: rated.length
      ? Math.round((rated.reduce((a, f) => a + f.onTimeRate!, 0) / rated.length) * 1000) / 1000
      : null,
    stageDays: totalStageDays(all),
    ...adoption(sum((f) => f.byAnswer)),
    expertsInvited: all.reduce((a, f) => a + f.expertsInvited, 0),
    expertsWithOpinion: all.reduce((a, f) => a + f.expertsWithOpinion, 0),
  };
}
