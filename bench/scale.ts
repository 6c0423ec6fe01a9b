/**
 * Scale: one organisation with 100,000 assignments and 1,000,000 history rows. Three real
 * assignments (ordered; planning; underReview with a panel of three) are made with the commands
 * and cloned with SQL generate_series (snapshots copied, ten history rows each copied from the
 * real ones, and the real one's deadline rows: for those under review the review deadline with
 * its six planned reminders and escalations), spread over four agencies.
 * Then, through HTTP as the secretariat, one request at a time: a filtered list page
 * (`?state=underReview&page=2`), a diacritics-insensitive search typed without accents
 * (`?q=cay duoc lieu`, a quarter of all rows match; a rare term, 10 rows; and one that matches
 * nothing), and the assignment page (the API detail).
 * Issue 15 adds the pages that used to grow with the data (flatPages): the dashboard (with its charts,
 * for the secretariat and for leadership, from the roll-ups of migration perf4_rollups), the queue,
 * a list sorted by title, deep pages by cursor, approvals, registers, the document register, the
 * outbox, the assignment page with its paged timeline, and the start-up digest check; the national
 * view (the operator's, every Union, from roll-ups and the stage durations recorded by the history
 * trigger, migrations flat6_*) and the activity report's rows for the whole day before the seed (4,320
 * clones whatever the hour; the report lists each assignment of its period, so it grows with the
 * period, not with the table), both
 * timed in-process (the operator signs in by cookie, which the bench's client does not carry).
 */
import { agencies } from "../server/db/schema.js";
import type { Db } from "../server/db/connect.js";
import type { Clock } from "../server/runtime/clock.js";
import { loadNationalView } from "../server/queries/loadNationalView.js";
import { activityRows } from "../server/documents/activityReportModel.js";
import { activityPlanSection } from "../server/documents/planData.js";
import { addCalendarDays, vietnamDateOf } from "../server/calendar/workingDays.js";
import { createOrder } from "../server/commands/createOrder.js";
import { sendAssignmentEvent } from "../server/commands/sendAssignmentEvent.js";
import {
  cloneAssignments,
  dropDatabase,
  fmt,
  freshDatabase,
  httpClient,
  median,
  ms,
  percentile,
  seedOrganisation,
  startProduct,
  toUnderReview,
  type BenchContext,
  type Row,
} from "./lib.js";

export async function scale(ctx: BenchContext, engine: "postgres" | "pglite"): Promise<Row[]> {
  // BENCH_SCALE_N: another size (a mid-size database to look at, e.g. 25000); BENCH_SCALE_KEEP=1
  // leaves the PostgreSQL database (tvpb_bench_scale) in place afterwards, to EXPLAIN its queries.
  const n = Number(process.env.BENCH_SCALE_N) || (ctx.smoke ? 3_000 : 100_000);
  const historyPer = HISTORY_PER;
  const requests = ctx.smoke ? 15 : 30;
  const dbName = "tvpb_bench_scale";
  const databaseUrl = engine === "postgres" ? await freshDatabase(ctx.pgUrl, dbName) : undefined;
  const tvpb = await startProduct({ databaseUrl });
  const http = httpClient(tvpb.url, 4);
  try {
    const q = tvpb.database.query.bind(tvpb.database);
    const seeded = await seedScale(tvpb);
    const { o, reviewed } = seeded;
    const s = performance.now();
    // Each batch's wall time and this process's CPU (PGlite runs in it): a load whose batches grow
    // reads what earlier batches wrote (docs/BENCHMARKS.md, "The PGlite load at 100,000").
    await loadScale(q, seeded, n, (prefix, from, to, wallMs, cpuMs) =>
      ctx.log(`${engine}: clones ${prefix} ${from}–${to}: ${fmt(wallMs / 1000, 1)} s, CPU ${fmt(cpuMs / 1000, 1)} s`),
    );
    for (const t of ["assignments", "history", "deadlines"]) await q(`analyze ${t}`);
    const [counts] = await q(
      "select (select count(*)::int from assignments) as assignments, (select count(*)::int from history) as " +
        "history, (select count(*)::int from deadlines) as deadlines, (select count(*)::int from deadlines " +
        "where status = 'pending') as pending",
    );
    const loadSeconds = (performance.now() - s) / 1000;
    ctx.log(
      `${engine}: ${String(counts.assignments)} assignments, ${String(counts.history)} history rows, ` +
        `${String(counts.deadlines)} deadlines (${String(counts.pending)} pending), loaded in ${fmt(loadSeconds, 1)} s`,
    );

    // A rare term: ten assignments carry a phrase no other has (the search text is what search reads).
    await q(
      "update assignments set search_text = search_text || ' dam sen vang' where id in " +
        "(select id from assignments where code like 'S_-%' order by random() limit 10)",
    );
    const ids = (await q("select id from assignments where code like 'S_-%' order by random() limit 200")).map((r) =>
      String(r.id),
    );
    const token = o.tokens.secretariat;
    if (process.env.BENCH_SCALE_KEEP === "1") ctx.log(`${engine}: kept; tokens ${JSON.stringify(o.tokens)}`);
    const measure = async (path: (i: number) => string) => {
      const t: number[] = [];
      for (let i = 0; i < requests; i++) {
        const st = performance.now();
        await http.expect("GET", path(i), token);
        t.push(performance.now() - st);
      }
      return t;
    };
    const queries = {
      list: (_i: number) => "/api/v1/assignments?state=underReview&page=2",
      search: (_i: number) => `/api/v1/assignments?q=${encodeURIComponent("cay duoc lieu")}`,
      searchRare: (_i: number) => `/api/v1/assignments?q=${encodeURIComponent("đầm sen vàng")}`,
      searchNone: (_i: number) => `/api/v1/assignments?q=${encodeURIComponent("khong co nhiem vu nao nhu the")}`,
      page: (i: number) => `/api/v1/assignments/${i % 10 === 0 ? reviewed.id : ids[i % ids.length]}`,
    };
    // What the list and search answer (a sanity check that they find what they should).
    const listed = JSON.parse(await http.expect("GET", queries.list(0), token)) as { meta: { total: number } };
    const found = JSON.parse(await http.expect("GET", queries.search(0), token)) as { meta: { total: number } };
    const rare = JSON.parse(await http.expect("GET", queries.searchRare(0), token)) as { meta: { total: number } };
    const none = JSON.parse(await http.expect("GET", queries.searchNone(0), token)) as { meta: { total: number } };
    ctx.log(
      `${engine}: list total ${listed.meta.total}, search total ${found.meta.total}, rare ${rare.meta.total}, ` +
        `none ${none.meta.total}`,
    );
    for (const f of Object.values(queries)) for (let i = 0; i < 5; i++) await http.expect("GET", f(i), token); // warm
    const p95: Record<string, number[]> = Object.fromEntries(Object.keys(queries).map((k) => [k, []]));
    const p50: Record<string, number[]> = Object.fromEntries(Object.keys(queries).map((k) => [k, []]));
    for (let r = 0; r < 3; r++) {
      for (const [k, f] of Object.entries(queries)) {
        const t = await measure(f);
        p95[k].push(percentile(t, 95));
        ctx.log(`${engine}: round ${r + 1} ${k}: p50 ${ms(percentile(t, 50))}, p95 ${ms(percentile(t, 95))}`);
        p50[k].push(percentile(t, 50));
      }
    }
    // Issue 15: every page flat. The pages that grew with the data before next_due_at and the keyset
    // cursors (migrations perf2_*), each measured like the three above (p95 per round, median of rounds).
    const pages = await flatPages(ctx, engine, {
      ...{ q, http, o, orgId: o.org.id, reviewedId: reviewed.id, n, requests },
      ...{ db: tvpb.db, now: tvpb.clock.now() },
    });
    // Where the list's time goes: it joins the next due date of every assignment with a pending
    // deadline in the organisation (a GROUP BY over all of them), then keeps a page of 20.
    const aggregate: number[] = [];
    for (let i = 0; i < 5; i++) {
      const st = performance.now();
      await q(
        "select assignment_id, min(due_at) from deadlines where status = 'pending' and organization_id = $1 and " +
          "workflow = 'assignment' group by assignment_id",
        [o.org.id],
      );
      aggregate.push(performance.now() - st);
    }
    // The list's page query as SQL, before and after commit 5872410: the next due date from a
    // GROUP BY over every pending deadline of the organisation, and looked up for the page's
    // rows only through deadlines_assignment_idx (what server/queries/listAssignments.ts does now).
    const secretariatId = o.actor("secretariat").id;
    const visible =
      "a.organization_id = $1 and (a.confidential = false or a.created_by = $2 or exists (select 1 from " +
      "assignment_staff s where s.assignment_id = a.id and s.user_id = $2))";
    const filter = "(a.state = 'underReview' or a.state like 'underReview.%')";
    const asRouted = `select a.*, ag.name, nd.due_at from assignments a left join agencies ag on ag.id = a.agency_id
      left join (select assignment_id, min(due_at) as due_at from deadlines where status = 'pending' and
        organization_id = $1 and workflow = 'assignment' group by assignment_id) nd on nd.assignment_id = a.id
      where ${visible} and ${filter} order by a.updated_at desc, a.id desc limit 20 offset 20`;
    const perRow =
      `select a.*, ag.name, (select min(d.due_at) from deadlines d where d.assignment_id = a.id ` +
      `and d.status = 'pending' and d.workflow = 'assignment') as due_at
      from assignments a left join agencies ag on ag.id = a.agency_id
      where ${visible} and ${filter} order by a.updated_at desc, a.id desc limit 20 offset 20`;
    const count = `select count(*)::int from assignments a where ${visible} and ${filter}`;
    const sqlTimes: Record<string, number[]> = { asRouted: [], perRow: [], count: [] };
    for (let i = 0; i < 7; i++) {
      for (const [k, text] of Object.entries({ asRouted, perRow, count })) {
        const st = performance.now();
        await q(text, [o.org.id, secretariatId]);
        sqlTimes[k].push(performance.now() - st);
      }
    }
    const sqlNote =
      `list page SQL with the GROUP BY (before 5872410) ${ms(median(sqlTimes.asRouted))}, with ` +
      `the per-row lookup (5872410 to perf2; now a column, next_due_at) ${ms(median(sqlTimes.perRow))}, ` +
      `its count(*) ${ms(median(sqlTimes.count))}`;
    ctx.log(`${engine}: ${sqlNote}`);
    // Before the fix: the assignment page without deadlines_assignment_idx (migration 0003). Not
    // the list: since 5872410 it looks up each row's next due date through that index, and
    // without it every row would scan every deadline.
    let before: { page: number } | null = null;
    const [hasIndex] = await q("select 1 as x from pg_indexes where indexname = 'deadlines_assignment_idx'");
    if (hasIndex) {
      await q("drop index deadlines_assignment_idx");
      try {
        const pages: number[] = [];
        for (let r = 0; r < 3; r++) {
          const t: number[] = [];
          for (let i = 0; i < 10; i++) {
            const st = performance.now();
            await http.expect("GET", queries.page(i + 1), token);
            t.push(performance.now() - st);
          }
          pages.push(percentile(t, 95));
        }
        before = { page: median(pages) };
      } finally {
        await q("create index deadlines_assignment_idx on deadlines using btree (assignment_id, status)");
      }
      ctx.log(`${engine}: without deadlines_assignment_idx: page p95 ${ms(before.page)}`);
    }
    const row = (k: keyof typeof queries, what: string, limit: number): Row => {
      const v = median(p95[k]);
      return {
        benchmark: `scale ${engine === "postgres" ? "PostgreSQL" : "PGlite"}: ${what}`,
        product: `p95 ${ms(v)}, p50 ${ms(median(p50[k]))}`,
        baseline: "—",
        ratio: "—",
        target: `p95 < ${limit} ms`,
        met: v < limit,
      };
    };
    const size =
      `${(n / 1000).toLocaleString("en")}k assignments, ` + `${((n * historyPer) / 1e6).toLocaleString("en")}M history`;
    return [
      ...pages,
      {
        ...row("list", "filtered list", 50),
        note:
          `${size}, ${String(counts.deadlines)} deadlines (${String(counts.pending)} pending), loaded in ` +
          `${fmt(loadSeconds, 0)} s; the list matches ${listed.meta.total} rows, the search ` +
          `${found.meta.total}; the next-due GROUP BY over all pending deadlines alone takes ` +
          `${ms(median(aggregate))}; ${sqlNote}`,
      },
      row("search", "search without accents, common term (a quarter of all rows)", 150),
      { ...row("searchRare", "search, rare term", 150), note: `${rare.meta.total} rows match (10 expected)` },
      { ...row("searchNone", "search, no match", 150), note: `${none.meta.total} rows match (0 expected)` },
      {
        ...row("page", "assignment page", 50),
        ...(before
          ? { note: `before migration 0003 (no index on deadlines.assignment_id): p95 ${ms(before.page)}` }
          : {}),
      },
    ];
  } finally {
    http.close();
    await tvpb.cleanup();
    if (engine === "postgres" && process.env.BENCH_SCALE_KEEP !== "1") await dropDatabase(ctx.pgUrl, dbName);
  }
}

/**
 * The scale bench's organisation and its three templates, made with the real commands: one under
 * review (panel of three, the review deadline with its reminders and escalations), one ordered, one
 * in planning; and four agencies the clones are spread over. `loadBatches.ts` loads the same.
 */
export async function seedScale(tvpb: { db: Db; clock: Clock }) {
  const o = await seedOrganisation(tvpb.db);
  const rt = { db: tvpb.db, clock: tvpb.clock };
  const more = await tvpb.db
    .insert(agencies)
    .values(
      ["Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Văn hóa, Thể thao và Du lịch"].map((name) => ({
        organizationId: o.org.id,
        name,
      })),
    )
    .returning();
  const agencyIds = [o.agency.id, ...more.map((a) => a.id)];
  const reviewed = await toUnderReview(rt, o, 0);
  const ordered = await createOrder(rt, {
    actor: o.actor("secretariat"),
    input: {
      type: "critique",
      forms: ["council"],
      subjectKind: "scheme",
      agencyId: o.agency.id,
      origin: "ordered",
      title: "Đề án phát triển cây dược liệu",
    },
  });
  const planning = await createOrder(rt, {
    actor: o.actor("secretariat"),
    input: {
      type: "assessment",
      forms: ["expert_group"],
      subjectKind: "project",
      agencyId: o.agency.id,
      origin: "ordered",
      title: "Dự án đầu tư xây dựng hồ chứa nước",
    },
  });
  for (const [role, type] of [
    ["clerk", "order.register"],
    ["secretariat", "order.proposeAccept"],
    ["leadership", "order.accept"],
  ] as const) {
    await sendAssignmentEvent(rt, {
      actor: o.actor(role),
      assignmentId: planning.id,
      event: { type, ...(type === "order.proposeAccept" ? { note: "Đúng phạm vi." } : {}) },
    });
  }
  return { o, agencyIds, reviewed, ordered, planning };
}

/**
 * Clones `n` assignments as the scale bench does: a third each (the rest on the first) of the
 * template under review (prefix SR), the ordered one (SO) and the one in planning (SP), ten history
 * rows each and their templates' deadline rows, in batches of 10,000; `onBatch` hears of each batch.
 */
export async function loadScale(
  q: Parameters<typeof cloneAssignments>[0],
  seeded: Awaited<ReturnType<typeof seedScale>>,
  n: number,
  onBatch: (prefix: string, from: number, to: number, wallMs: number, cpuMs: number) => void | Promise<void>,
) {
  const third = Math.floor(n / 3);
  const series = [
    ["SR", seeded.reviewed.id, n - 2 * third],
    ["SO", seeded.ordered.id, third],
    ["SP", seeded.planning.id, third],
  ] as const;
  for (const [prefix, templateId, count] of series)
    await cloneAssignments(q, templateId, count, {
      prefix,
      agencyIds: seeded.agencyIds,
      history: HISTORY_PER,
      copyDeadlines: true,
      onBatch: (from, to, wallMs, cpuMs) => onBatch(prefix, from, to, wallMs, cpuMs),
    });
}

const HISTORY_PER = 10;

type FlatDeps = {
  q: (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;
  http: ReturnType<typeof httpClient>;
  o: Awaited<ReturnType<typeof seedOrganisation>>;
  orgId: string;
  reviewedId: string;
  n: number;
  requests: number;
  db: Db;
  now: Date;
};

/** A keyset cursor as listAssignments writes it: the row's sort value as text and its id. */
const cursorAt = async (d: FlatDeps, expr: string, order: string, offset: number) => {
  const [r] = await d.q(
    `select (${expr})::text as v, id from assignments where organization_id = $1 order by ${order} offset $2 limit 1`,
    [d.orgId, offset],
  );
  return Buffer.from(JSON.stringify([String(r.v), String(r.id)])).toString("base64url");
};

/**
 * Issue 15's pages at scale, through HTTP as the role that reads each (and the start-up digest
 * check as SQL): p95 per round of `requests`, the median over three rounds, against 50 ms on
 * PostgreSQL and 150 ms on PGlite. A page the server does not mount (the outbox with SMTP) is left out.
 */
async function flatPages(ctx: BenchContext, engine: "postgres" | "pglite", d: FlatDeps): Promise<Row[]> {
  const limit = engine === "postgres" ? 50 : 150;
  const half = Math.floor(d.n / 2);
  const deepUpdated = await cursorAt(d, "updated_at", "updated_at desc, id desc", half);
  const deepTitle = await cursorAt(d, 'title collate "und-x-icu"', 'title collate "und-x-icu", id', half);
  const t = d.o.tokens;
  const pages: Array<[string, string, string]> = [
    ["dashboard (secretariat: what waits on me by due date, and the charts)", "/", t.secretariat],
    ["dashboard (leadership: the charts over every assignment, confidential ones included)", "/", t.leadership],
    ["queue page (all by due date)", "/queue", t.secretariat],
    ["list page sorted by title", "/assignments?sort=title", t.secretariat],
    [
      `deep page by cursor (row ${half.toLocaleString("en")}, most recent first)`,
      `/api/v1/assignments?after=${deepUpdated}`,
      t.secretariat,
    ],
    [
      `deep page by cursor (row ${half.toLocaleString("en")}, by title)`,
      `/api/v1/assignments?sort=title&after=${deepTitle}`,
      t.secretariat,
    ],
    ["approvals (leadership)", "/approvals", t.leadership],
    ["registers (clerk)", "/registers", t.clerk],
    ["document register", "/api/v1/documents", t.secretariat],
    ["outbox", "/outbox", t.secretariat],
    ["assignment page (HTML, timeline paged)", `/assignments/${d.reviewedId}`, t.secretariat],
  ];
  const rows: Row[] = [];
  for (const [what, path, token] of pages) {
    const probe = await d.http.request("GET", path, token);
    if (probe.status === 404) continue;
    const time = async () => {
      const st = performance.now();
      await d.http.expect("GET", path, token);
      return performance.now() - st;
    };
    rows.push(await measuredRow(ctx, engine, what, limit, d.requests, time));
  }
  const digestSql =
    "select key from deadlines where assignment_id is null and organization_id = $1 and workflow = " +
    "'organization' and key like 'digest:%' and status = 'pending' limit 1";
  const digest = async () => {
    const st = performance.now();
    await d.q(digestSql, [d.orgId]);
    return performance.now() - st;
  };
  rows.push(await measuredRow(ctx, engine, "start-up digest check (SQL)", limit, d.requests, digest));
  rows.push(...(await reportRows(ctx, engine, d, limit)));
  return rows;
}

/** The national view and the activity report, timed in-process (issue 15 §1, flat6). */
async function reportRows(ctx: BenchContext, engine: "postgres" | "pglite", d: FlatDeps, limit: number) {
  const operator = { kind: "operator" as const, id: "bench", name: "Vận hành", email: "bench@tvpb.test" };
  const timed = (fn: () => Promise<unknown>) => async () => {
    const st = performance.now();
    await fn();
    return performance.now() - st;
  };
  // A whole Vietnam day well inside the clone range, the day before the seed: every series of clones
  // (one a minute back from its template) puts exactly 1,440 in it whatever the hour the bench runs,
  // so with three series the day holds 4,320 once n >= 8,640 (today's clones grew with the hour).
  const yesterday = addCalendarDays(vietnamDateOf(d.now), -1);
  const day = { from: yesterday, to: addCalendarDays(yesterday, 1), label: "một ngày", kind: "quarterly" as const };
  const [{ n }] = await d.q(
    "select count(*)::int as n from assignments where organization_id = $1 and created_at >= $2 and created_at < $3",
    [d.orgId, `${day.from}T00:00:00+07:00`, `${day.to}T00:00:00+07:00`],
  );
  const national = timed(() => loadNationalView(d.db, operator));
  const report = timed(async () => {
    await activityRows(d.db, d.orgId, day);
    await activityPlanSection(d.db, d.orgId, day);
  });
  const nationalRow = await measuredRow(
    ctx,
    engine,
    "national view (operator, every Union; in-process)",
    limit,
    d.requests,
    national,
  );
  const reportRow = await measuredRow(
    ctx,
    engine,
    `activity report rows (the whole day before the seed: ${Number(n).toLocaleString("en")} assignments; in-process)`,
    limit,
    d.requests,
    report,
    (p95) => `p95 ${fmt((p95 * 1000) / Math.max(1, Number(n)), 1)} µs per assignment of the day`,
  );
  return [nationalRow, reportRow];
}

/** Five warm-up calls, then three rounds of `requests`: the row with the median p95 and p50. */
async function measuredRow(
  ctx: BenchContext,
  engine: "postgres" | "pglite",
  what: string,
  limit: number,
  requests: number,
  time: () => Promise<number>,
  note?: (p95: number) => string,
): Promise<Row> {
  for (let i = 0; i < 5; i++) await time();
  const p95s: number[] = [];
  const p50s: number[] = [];
  for (let r = 0; r < 3; r++) {
    const ts: number[] = [];
    for (let i = 0; i < requests; i++) ts.push(await time());
    p95s.push(percentile(ts, 95));
    p50s.push(percentile(ts, 50));
  }
  ctx.log(`${engine}: ${what}: p95 ${ms(median(p95s))}, p50 ${ms(median(p50s))}`);
  return {
    benchmark: `scale ${engine === "postgres" ? "PostgreSQL" : "PGlite"}: ${what}`,
    product: `p95 ${ms(median(p95s))}, p50 ${ms(median(p50s))}`,
    baseline: "—",
    ratio: "—",
    target: `p95 < ${limit} ms`,
    met: median(p95s) < limit,
    ...(note ? { note: note(median(p95s)) } : {}),
  };
}

export const scalePostgres = (ctx: BenchContext) => scale(ctx, "postgres");
export const scalePglite = (ctx: BenchContext) => scale(ctx, "pglite");
