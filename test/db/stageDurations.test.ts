/**
 * Issue 15, stage durations as data: the stays recorded by the history trigger (`stage_stays`,
 * `stage_day_counts`) give the same working days per stage (dashboard, for each role) and the same
 * calendar days per stage and Union (national view) as the old recompute over the whole history,
 * after a mixed set of events: steps days apart, a weekend and a holiday, confidential orders (one
 * named to the secretariat), a stage left and entered again, and history written by one flat SQL
 * statement carrying several rows of the same assignment. And the national view's counts, read from
 * roll-ups kept by triggers, equal counting the tables (the old query; stage deadlines counted without
 * their reminders, keys with "#", as the dashboard does); and the migrations' backfills compute what
 * the triggers keep. Runs on PGlite and on PostgreSQL alike.
 */
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { and, asc, eq, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Executor } from "../../server/db/connect.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send, submitOpinions, toClosed, toIssuing, toPlanning, toReview } from "../support/flows.js";
import { actorFromUser } from "../../server/queries/findActor.js";
import { loadStageDays } from "../../server/queries/loadStageDays.js";
import { loadNationalView } from "../../server/queries/loadNationalView.js";
import { loadDashboardFigures } from "../../server/queries/loadDashboardFigures.js";
import { visibleTo } from "../../server/policies/assignmentPolicy.js";
import { assignments, history } from "../../server/db/schema.js";
import { stageOf } from "../../server/runtime/stateValue.js";
import { loadCalendar } from "../../server/calendar/loadCalendar.js";
import { workingDaysBetween } from "../../server/calendar/workingDays.js";
import type { Actor, Role } from "../../server/runtime/actor.js";

const DAY = 86_400_000;

/** The backfill statements of a migration into `tables`: its INSERTs into them (the ones after its triggers). */
function backfillOf(file: string, tables: string[]): string[] {
  const text = readFileSync(path.join("server/db/migrations", file), "utf8");
  return text
    .split("--> statement-breakpoint")
    .map((x) => x.trim())
    .filter((x) => tables.some((t) => x.startsWith(`INSERT INTO ${t} `)));
}

/**
 * The body of `fn` as the newest migration that defines it writes it (a later one may replace it), and
 * the settings it gives the function (`SET name = value` before the body, as `name=value`).
 */
function newestBodyOf(fn: string): { file: string; body: string; settings: string[] } {
  const dir = "server/db/migrations";
  const file = readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .filter((f) => readFileSync(path.join(dir, f), "utf8").includes(`FUNCTION ${fn}()`))
    .at(-1)!;
  const text = readFileSync(path.join(dir, file), "utf8");
  const header = text.indexOf(`FUNCTION ${fn}()`);
  const from = text.indexOf("$$", header) + 2;
  const settings = [...text.slice(header, from).matchAll(/\bSET (\w+) = (\w+)/g)].map((m) => `${m[1]}=${m[2]}`);
  return { file, body: text.slice(from, text.indexOf("$$", from)), settings };
}

const ROLLED_BACK = new Error("rolled back");

/**
 * Inside a transaction that is rolled back: the tables' rows as the triggers kept them, then as the
 * migration's backfill computes them from scratch.
 */
async function triggerAndBackfill(w: World, file: string, tables: Record<string, string>) {
  const read = async (tx: Executor) => {
    const out: Record<string, string[]> = {};
    for (const [t, q] of Object.entries(tables))
      out[t] = rowsOf(await tx.execute(sql.raw(q)))
        .map((r) => JSON.stringify(r))
        .sort();
    return out;
  };
  let seen: { kept: Record<string, string[]>; rebuilt: Record<string, string[]> } | undefined;
  await w.db
    .transaction(async (tx) => {
      const kept = await read(tx);
      for (const t of Object.keys(tables)) await tx.execute(sql.raw(`delete from ${t}`));
      for (const stmt of backfillOf(file, Object.keys(tables))) await tx.execute(sql.raw(stmt));
      seen = { kept, rebuilt: await read(tx) };
      throw ROLLED_BACK;
    })
    .catch((e: unknown) => {
      if (e !== ROLLED_BACK) throw e;
    });
  return seen!;
}

/** The dashboard's old recompute (before issue 15's stage durations): every history row, cut into stays. */
async function oldWorkingDays(db: Executor, actor: Actor, vis: SQL, now: Date) {
  const hist = await db
    .select({ a: history.assignmentId, to: history.toState, at: history.createdAt })
    .from(history)
    .innerJoin(assignments, eq(assignments.id, history.assignmentId))
    .where(and(eq(history.organizationId, actor.organizationId), eq(history.workflow, "assignment"), vis))
    .orderBy(asc(history.assignmentId), asc(history.id));
  const cal = await loadCalendar(db, actor.organizationId, now);
  const spans: Record<string, { total: number; stays: number }> = {};
  let cur: { a: string | null; stage: string; at: Date } | null = null;
  for (const h of hist) {
    const toStage = stageOf(h.to);
    if (cur && cur.a !== h.a) cur = null;
    if (!cur) cur = { a: h.a, stage: toStage, at: h.at };
    else if (toStage !== cur.stage) {
      const s = (spans[cur.stage] ??= { total: 0, stays: 0 });
      s.total += Math.max(0, workingDaysBetween(cur.at, h.at, cal));
      s.stays += 1;
      cur = { a: h.a, stage: toStage, at: h.at };
    }
  }
  return spans;
}

/** The national view's old recompute: islands of the same stage over each assignment's history. */
async function oldCalendarDays(db: Executor) {
  const rows = rowsOf<{ org: string; stage: string; days: string; stays: number }>(
    await db.execute(sql`
      with h as (
        select organization_id, workflow_id, version, created_at, split_part(to_state, '.', 1) as stage,
          lag(split_part(to_state, '.', 1)) over (partition by workflow_id order by version) as prev
        from history where workflow = 'assignment'),
      runs as (select *, count(*) filter (where prev is distinct from stage)
          over (partition by workflow_id order by version) as run from h),
      stays as (select organization_id, workflow_id, run, min(stage) as stage, min(created_at) as started
        from runs group by organization_id, workflow_id, run),
      ended as (select organization_id, stage,
          extract(epoch from lead(started) over (partition by workflow_id order by run) - started) / 86400 as days
        from stays)
      select organization_id as org, stage, round(avg(days)::numeric, 1) as days, count(*)::int as stays
      from ended where days is not null group by 1, 2`),
  );
  const out: Record<string, Record<string, { days: number; stays: number }>> = {};
  for (const r of rows) (out[r.org] ??= {})[r.stage] = { days: Number(r.days), stays: Number(r.stays) };
  return out;
}

/** The national view's old counts over the tables themselves (before the roll-ups), per Union. */
async function oldNationalCounts(db: Executor) {
  const rows = rowsOf<{ org: string; dim: string; code: string; n: number }>(
    await db.execute(sql`
      select organization_id as org, 'type' as dim, type as code, count(*)::int as n from assignments group by 1, 3
      union all select organization_id, 'form', f, count(*)::int from assignments, unnest(forms) f group by 1, 3
      union all select organization_id, 'origin', origin, count(*)::int from assignments group by 1, 3
      union all select organization_id, 'state', state, count(*)::int from assignments group by 1, 3
      union all select organization_id, 'deadline', status, count(*)::int from deadlines
        where workflow = 'assignment' and key not like '%#%' and status in ('cancelled', 'fired') group by 1, 3
      union all select organization_id, 'invited', '', count(distinct expert_id)::int from invitations group by 1
      union all select organization_id, 'opinion', '', count(distinct expert_id)::int from opinion_versions group by 1
      union all select organization_id, 'answer', status, count(*)::int from (
        select distinct on (recommendation_id) organization_id, status from recommendation_responses
        order by recommendation_id, created_at desc) newest group by 1, 3`),
  );
  return (org: string, dim: string) =>
    Object.fromEntries(rows.filter((r) => r.org === org && r.dim === dim).map((r) => [r.code, Number(r.n)]));
}

/**
 * The trigger's fast path (migration event7_stage_stays_fast_path) must not skip a statement in which
 * any row changes stage: one statement with a row that stays in a's stage and one that moves b on;
 * then a statement whose only row stays in a's stage (a reminder's kind), which it may skip.
 */
async function sameStageAndMove(w: World, aId: string, bId: string, bVersion: number) {
  const [a] = await w.database.query<{ state: string; version: number }>(
    `select state, version from assignments where id = $1`,
    [aId],
  );
  const insert = `insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_name,
    event_type, payload, from_state, to_state, created_at) `;
  const row = (id: string, v: string, state: string) =>
    `($1, ${id}, 'assignment', ${id}, ${v}::int, 'SQL', 'test.same', '{}'::jsonb, null, ${state}, $2::timestamptz)`;
  const at = new Date(w.clock.now().getTime() + DAY).toISOString();
  await w.database.query(insert + `values ${row("$3", "$4", "$5")}, ${row("$6", "$7", "$8")}`, [
    w.org.id,
    at,
    aId,
    a.version + 1,
    a.state,
    bId,
    bVersion + 1,
    "underReview.waiting",
  ]);
  await w.database.query(insert + `values ${row("$3", "$4", "$5")}`, [w.org.id, at, aId, a.version + 2, a.state]);
  await w.database.query(`update assignments set version = $2 where id = $1`, [aId, a.version + 2]);
}

/** Steps days apart (over a weekend and a holiday), confidential orders, a stage entered twice, flat SQL history. */
async function mixedEvents(w: World) {
  await w.database.query(`insert into holidays (organization_id, day, name) values ($1, '2026-03-05', 'Nghỉ')`, [
    w.org.id,
  ]);
  const a = await placeOrder(w, { title: "Đề án thứ nhất" });
  const b = await placeOrder(w, { title: "Dự án thứ hai" });
  const secret = await placeOrder(w, { confidential: true, title: "Đề án mật" });
  const hidden = await placeOrder(w, { confidential: true, title: "Đề án mật khác" });
  w.clock.advance(2 * DAY + 3_600_000);
  await send(w, "clerk", b.id, { type: "order.register" });
  const named = await w.as("leadership").post(`/api/v1/assignments/${secret.id}/staff`, {
    add: [w.userFor("secretariat").id],
  });
  expect(named.status).to.equal(200);
  w.clock.advance(3 * DAY);
  await toPlanning(w, a.id);
  await toPlanning(w, secret.id);
  w.clock.advance(4 * DAY);
  await send(w, "clerk", hidden.id, { type: "order.register" });
  // One statement, several rows of the same assignment: back to "ordered", on to "underReview", on again.
  const [last] = await w.database.query<{ version: number }>(
    `select max(version)::int as version from history where workflow_id = $1`,
    [b.id],
  );
  await w.database.query(
    `insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_name, event_type,
       payload, from_state, to_state, created_at)
     select $1, $2, 'assignment', $2, $3 + g, 'SQL', 'test.step', '{}'::jsonb, null, s, $4::timestamptz + g * interval '1 day'
     from (values (1, 'ordered'), (2, 'underReview.waiting'), (3, 'underReview.other'), (4, 'screening'))
       as v(g, s)`,
    [w.org.id, b.id, last.version, w.clock.now().toISOString()],
  );
  await sameStageAndMove(w, a.id, b.id, last.version + 4);
  // Keep b whole for the other tests sharing the database: its version past those rows, no deadline left to fire.
  await w.database.query(`update assignments set version = $2 + 5 where id = $1`, [b.id, last.version]);
  await w.database.query(`update deadlines set status = 'cancelled' where assignment_id = $1 and status = 'pending'`, [
    b.id,
  ]);
  w.clock.advance(6 * DAY);
}

describe("stage durations as data (issue 15)", () => {
  let w: World;
  let other: World;

  before(async () => {
    w = await createWorld();
    other = await createWorld();
    await mixedEvents(w);
    await placeOrder(other, { title: "Đề án của Liên hiệp khác" });
    other.clock.advance(DAY);
    await mixedEvents(other);
    const done = await placeOrder(other, { forms: ["expert_group", "written"], title: "Đề án đến cuối" });
    await toPlanning(other, done.id);
    await toReview(other, done.id, 2);
    await submitOpinions(other, done.id, [0, 1]);
    await send(other, "secretariat", done.id, { type: "review.close" });
    await toIssuing(other, done.id, false);
    await toClosed(other, done.id); // two recommendations answered
    await other.database.query(`update assignments set forms = array['written'] where organization_id = $1`, [
      other.org.id,
    ]);
  });

  it("give each role the same working days per stage as the old recompute over history", async () => {
    for (const world of [w, other]) {
      const now = world.clock.now();
      for (const role of ["clerk", "leadership", "secretariat", "admin", "agency"] as Role[]) {
        const actor = actorFromUser(world.userFor(role));
        const vis = visibleTo(actor);
        const recorded = await loadStageDays(world.db, actor, vis, now);
        expect(recorded, role).to.deep.equal(await oldWorkingDays(world.db, actor, vis, now));
      }
    }
    const clerk = await loadStageDays(
      w.db,
      actorFromUser(w.userFor("clerk")),
      visibleTo(actorFromUser(w.userFor("clerk"))),
      w.clock.now(),
    );
    const sec = actorFromUser(w.userFor("secretariat"));
    const secretariat = await loadStageDays(w.db, sec, visibleTo(sec), w.clock.now());
    const stays = (s: typeof clerk) => Object.values(s).reduce((a, x) => a + x.stays, 0);
    expect(stays(clerk), "the clerk sees the hidden confidential order's stay too").to.equal(stays(secretariat) + 1);
    expect(
      Object.values(clerk).some((x) => x.total > 1),
      "stays of several working days",
    ).to.equal(true);
  });

  it("give the national view the same calendar days per stage and Union as the old recompute", async () => {
    // The recompute cuts each workflow's rows (by workflow_id, in version order), the trigger each assignment's
    // (by assignment_id, in insert order): one history only because the engine writes an assignment's rows under
    // its own id, at increasing versions. Every Union in the database is compared, those of tests run before in
    // the same process too, except a Union holding assignment history the engine never writes (another
    // workflow id: fixtures written by SQL, such as test/db/queryPlans.test.ts's inert clones); this file's own
    // Unions must be among those compared.
    const foreign = new Set(
      (
        await w.database.query<{ id: string }>(
          `select distinct organization_id as id from history
           where workflow = 'assignment' and workflow_id is distinct from assignment_id`,
        )
      ).map((r) => r.id),
    );
    const view = await loadNationalView(w.db, { kind: "operator", id: "op", name: "Op", email: "op@example.vn" });
    const old = await oldCalendarDays(w.db);
    const compared = view.unions.filter((u) => !foreign.has(u.unionId));
    expect(
      compared.map((u) => u.unionId),
      "this file's Unions hold only history the engine writes",
    ).to.include.members([w.org.id, other.org.id]);
    for (const u of compared) expect(u.stageDays, u.slug).to.deep.equal(old[u.unionId] ?? {});
    const mine = view.unions.find((u) => u.unionId === w.org.id)!;
    expect(Object.keys(mine.stageDays).length, "several stages").to.be.greaterThan(1);
  });

  it("give the national view the same counts per Union as counting the tables (roll-ups kept by triggers)", async () => {
    const view = await loadNationalView(w.db, { kind: "operator", id: "op", name: "Op", email: "op@example.vn" });
    const old = await oldNationalCounts(w.db);
    for (const u of view.unions) {
      const one = (dim: string) => old(u.unionId, dim)[""] ?? 0;
      expect(
        { type: u.byType, form: u.byForm, origin: u.byOrigin, state: u.byState, answer: u.byAnswer },
        u.slug,
      ).to.deep.equal({
        ...{ type: old(u.unionId, "type"), form: old(u.unionId, "form"), origin: old(u.unionId, "origin") },
        ...{ state: old(u.unionId, "state"), answer: old(u.unionId, "answer") },
      });
      const d = old(u.unionId, "deadline");
      const ended = (d.cancelled ?? 0) + (d.fired ?? 0);
      expect(u.onTimeRate, u.slug).to.equal(ended ? Math.round(((d.cancelled ?? 0) / ended) * 1000) / 1000 : null);
      expect([u.expertsInvited, u.expertsWithOpinion], u.slug).to.deep.equal([one("invited"), one("opinion")]);
    }
    const theirs = view.unions.find((u) => u.unionId === other.org.id)!;
    expect(theirs.byForm, "forms rewritten by SQL").to.deep.equal({ written: theirs.assignments });
    expect(
      Object.values(theirs.byAnswer).reduce((a, b) => a + b, 0),
      "answers",
    ).to.equal(2);
    expect(theirs.expertsWithOpinion, "experts with an opinion").to.equal(2);
  });

  it("give the dashboard's adoption chart the same counts per agency as the old query over every answer", async () => {
    for (const world of [w, other]) {
      const figures = await loadDashboardFigures(
        world.db,
        actorFromUser(world.userFor("leadership")),
        world.clock.now(),
      );
      const old = rowsOf<{ agency: string; status: string; n: number }>(
        await world.db.execute(sql`
          select ag.name as agency, r.status as status, count(*)::int as n from (
            select distinct on (rr.recommendation_id) rr.recommendation_id, rr.status, rr.assignment_id
            from recommendation_responses rr where rr.organization_id = ${world.org.id}
            order by rr.recommendation_id, rr.created_at desc) r
          join assignments a on a.id = r.assignment_id join agencies ag on ag.id = a.agency_id
          group by ag.name, r.status`),
      ).map((x) => ({ ...x, n: Number(x.n) }));
      const key = (x: { agency: string; status: string }) => `${x.agency}|${x.status}`;
      const sorted = (rows: typeof old) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));
      expect(sorted(figures.adoption), world.org.id).to.deep.equal(sorted(old));
    }
    const theirs = await loadDashboardFigures(other.db, actorFromUser(other.userFor("clerk")), other.clock.now());
    expect(
      theirs.adoption.reduce((a, x) => a + x.n, 0),
      "two answers",
    ).to.equal(2);
  });

  it("backfill, in the migrations, what the triggers keep", async () => {
    // The triggers compared are the newest definitions (a later migration may replace a function).
    // The next-due trigger's too (scale8: planned for each call's values, plan_cache_mode on the function).
    const fns = [
      "stage_stays_apply",
      "assignment_tallies_apply",
      "assignment_tallies_row_update",
      "answer_counts_apply",
      "assignment_counts_apply",
      "deadline_outcomes_apply",
      "rollup_slot",
      "assignments_refresh_next_due",
    ];
    for (const fn of fns) {
      const newest = newestBodyOf(fn);
      const [row] = await w.database.query<{ src: string; config: string[] | null }>(
        "select prosrc as src, proconfig as config from pg_proc where proname = $1",
        [fn],
      );
      expect(row.src, `${fn} as ${newest.file} defines it`).to.equal(newest.body);
      expect(row.config ?? [], `${fn}'s settings as ${newest.file} gives them`).to.deep.equal(newest.settings);
    }
    expect(newestBodyOf("assignments_refresh_next_due").settings).to.deep.equal(["plan_cache_mode=force_custom_plan"]);
    const stages = await triggerAndBackfill(w, "0024_flat6_stage_trigger.sql", {
      stage_stays: `select organization_id, assignment_id, stage, entered_at::text, left_at::text from stage_stays
        order by 1, 2, 4`,
      // Summed over the slots (migration lock9_rollup_slots): the backfill writes slot 0 only.
      stage_day_counts: `select organization_id, stage, day::text, sum(starts)::int as starts, sum(ends)::int as ends,
        sum(seconds)::text as seconds from stage_day_counts group by 1, 2, 3
        having sum(starts) <> 0 or sum(ends) <> 0 order by 1, 2, 3`,
    });
    expect(stages.rebuilt).to.deep.equal(stages.kept);
    expect(stages.kept.stage_day_counts.length, "several days").to.be.greaterThan(3);
    const national = await triggerAndBackfill(w, "0026_flat6_national_trigger.sql", {
      assignment_tallies: `select organization_id, dim, code, sum(n)::int as n from assignment_tallies
        group by 1, 2, 3 having sum(n) <> 0 order by 1, 2, 3`,
    });
    expect(national.rebuilt).to.deep.equal(national.kept);
    expect(national.kept.assignment_tallies.length, "tallies").to.be.greaterThan(3);
    const answers = await triggerAndBackfill(w, "0027_answer_counts_agency.sql", {
      answer_counts: `select organization_id, agency_id, status, sum(n)::int as n from answer_counts
        group by 1, 2, 3 having sum(n) <> 0 order by 1, 2, 3`,
    });
    expect(answers.rebuilt).to.deep.equal(answers.kept);
    expect(answers.kept.answer_counts.length, "answers").to.be.greaterThan(0);
  });

  it("record a stage when it ends: one open stay per assignment, the rest closed", async () => {
    const rows = await w.database.query<{ open: number; assignments: number }>(
      `select count(*) filter (where left_at is null)::int as open, count(distinct assignment_id)::int as assignments
       from stage_stays where organization_id = $1`,
      [w.org.id],
    );
    expect(rows[0].open).to.equal(rows[0].assignments);
    const twice = await w.database.query<{ n: number }>(
      `select count(*)::int as n from stage_stays where organization_id = $1 and stage = 'ordered'
       group by assignment_id having count(*) > 1`,
      [w.org.id],
    );
    expect(twice.length, "a stage left and entered again: two stays").to.equal(1);
  });
});
