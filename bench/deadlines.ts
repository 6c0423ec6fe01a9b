/**
 * Deadlines: 10,000 deadlines falling due at once, each on its own assignment in underReview
 * (`{type:"deadline.reached", key:"review"}`), fired by the product's deadline worker (each lane
 * claims a batch with SKIP LOCKED and fires it in one transaction, each event applied and its
 * history row written), on PostgreSQL. Checks exactly once: fired rows, `deadline.reached` history
 * rows and distinct assignments all equal the number due. Once with one lane, once with the
 * worker as the server starts it on PostgreSQL (four lanes).
 */
import { createDeadlineWorker } from "../server/runtime/deadlineWorker.js";
import {
  cloneAssignments,
  dropDatabase,
  fmt,
  freshDatabase,
  median,
  restoreOldTriggers,
  seedOrganisation,
  silent,
  startProduct,
  toUnderReview,
  type BenchContext,
  type Row,
} from "./lib.js";

/** Lanes of the server's deadline worker on PostgreSQL (server/server.ts). */
const LANES = 4;

export async function deadlines(ctx: BenchContext): Promise<Row[]> {
  // BENCH_DEADLINES_N: another count (a reduced one on a shared machine); BENCH_OLD_TRIGGERS=1: the
  // trigger functions as they were before branch dl7 (a before/after on the same machine state).
  const n = Number(process.env.BENCH_DEADLINES_N) || (ctx.smoke ? 300 : 10_000);
  const rounds = 3;
  const stats = process.env.BENCH_FUNCTION_STATS === "1";
  const dbName = "tvpb_bench_deadlines";
  const databaseUrl = await freshDatabase(ctx.pgUrl, dbName);
  const tvpb = await startProduct({ databaseUrl });
  try {
    const q = tvpb.database.query.bind(tvpb.database);
    // Before anything fires them: PL/pgSQL plans a function's statements at its first call in a session.
    if (process.env.BENCH_OLD_TRIGGERS === "1" || process.env.BENCH_OLD_TRIGGERS === "dl7")
      await restoreOldTriggers(q, process.env.BENCH_OLD_TRIGGERS === "dl7" ? "dl7" : "perf2");
    const o = await seedOrganisation(tvpb.db);
    const template = await toUnderReview({ db: tvpb.db, clock: tvpb.clock }, o, 0);
    // Each clone carries the template's history, so it has its open stage stay as every real
    // assignment in underReview has (BENCH_DEADLINES_HISTORY=0: none, as before branch dl8: each
    // fired deadline then opens its clone's first stay, a path no real assignment takes).
    const [{ n: templateHistory }] = await q(
      "select count(*)::int as n from history where assignment_id = $1 and workflow = 'assignment'",
      [template.id],
    );
    const history = process.env.BENCH_DEADLINES_HISTORY === "0" ? 0 : Number(templateHistory);

    /** Clones n assignments whose review deadline is already due, runs `fire`, checks exactly once. */
    const round = async (label: string, fire: () => Promise<unknown>) => {
      const prefix = `DL${label}`;
      await cloneAssignments(q, template.id, n, {
        prefix,
        history,
        deadline: {
          key: "review",
          dueAt: new Date(Date.now() - 1000),
          event: { type: "deadline.reached", key: "review" },
        },
      });
      await q("analyze deadlines");
      if (stats) await resetStats(q);
      const cpu0 = process.cpuUsage();
      const s = performance.now();
      await fire();
      const seconds = (performance.now() - s) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const [c] = await q(
        `
        select (select count(*)::int from deadlines d join assignments a on a.id = d.assignment_id where a.code
          like $1 and d.status = 'fired') as fired,
               (select count(*)::int from deadlines d join assignments a on a.id = d.assignment_id where a.code
                 like $1 and d.status <> 'fired') as other,
               (select count(*)::int from history h join assignments a on a.id = h.assignment_id where a.code
                 like $1 and h.event_type = 'deadline.reached') as events,
               (select count(distinct h.assignment_id)::int from history h join assignments a on a.id =
                 h.assignment_id where a.code like $1 and h.event_type = 'deadline.reached') as distinct_assignments`,
        [`${prefix}-%`],
      );
      const exactlyOnce = c.fired === n && c.other === 0 && c.events === n && c.distinct_assignments === n;
      ctx.log(
        `${label}: ${n} fired in ${fmt(seconds, 2)} s, Node CPU ${fmt((cpu.user + cpu.system) / 1000 / n, 2)} ms ` +
          `per deadline (fired ${String(c.fired)}, history ${String(c.events)}, ` +
          `distinct ${String(c.distinct_assignments)}, not fired ${String(c.other)})`,
      );
      return { seconds, exactlyOnce };
    };

    const one: Array<{ seconds: number; exactlyOnce: boolean }> = [];
    const four: Array<{ seconds: number; exactlyOnce: boolean }> = [];
    for (let r = 0; r < rounds; r++) {
      const oneLane = createDeadlineWorker({ db: tvpb.db, clock: tvpb.clock, logger: silent, concurrency: 1 });
      one.push(await round(`1l${r}`, () => oneLane.drain()));
      four.push(await round(`${LANES}l${r}`, () => tvpb.deadlineWorker.drain()));
    }
    if (stats) for (const line of await readStats(q)) ctx.log(line);
    const s1 = median(one.map((x) => x.seconds));
    const s4 = median(four.map((x) => x.seconds));
    const ok1 = one.every((x) => x.exactlyOnce);
    const ok4 = four.every((x) => x.exactlyOnce);
    return [
      {
        benchmark: `deadlines: ${n.toLocaleString("en")} due at once (one lane)`,
        product: `${fmt(s1, 2)} s (${fmt(n / s1, 0)}/s), exactly once: ${ok1 ? "yes" : "NO"}`,
        baseline: "—",
        ratio: "—",
        target: "≤ 10 s, exactly once",
        met: s1 <= 10 && ok1,
      },
      {
        benchmark: `deadlines: ${n.toLocaleString("en")} due at once (as the server runs it: ${LANES} lanes)`,
        product: `${fmt(s4, 2)} s (${fmt(n / s4, 0)}/s), exactly once: ${ok4 ? "yes" : "NO"}`,
        baseline: "—",
        ratio: "—",
        target: "≤ 10 s, exactly once",
        met: s4 <= 10 && ok4,
      },
    ];
  } finally {
    await tvpb.cleanup();
    await dropDatabase(ctx.pgUrl, dbName);
  }
}

type Query = (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/** Zeroes the counters before a timed fire, so the last round's alone are read (BENCH_FUNCTION_STATS=1). */
async function resetStats(q: Query): Promise<void> {
  await q("select pg_stat_reset()");
  // pg_stat_statements only when the cluster preloads it (shared_preload_libraries).
  await q("create extension if not exists pg_stat_statements").catch(() => undefined);
  await q("select pg_stat_statements_reset()").catch(() => undefined);
}

/**
 * The last timed fire's database time: each trigger function's calls and time (ms; needs
 * track_functions = 'all'), and with pg_stat_statements (track = 'all', so the triggers' own
 * statements too) the statements of this database by total time.
 */
async function readStats(q: Query): Promise<string[]> {
  const functions = await q(
    "select funcname, calls::int, round(total_time)::int as total_ms, round(self_time)::int as self_ms, " +
      "round((total_time / nullif(calls, 0))::numeric, 3)::float as ms_per_call from pg_stat_user_functions " +
      "where calls > 0 order by 3 desc",
  );
  const statements = await q(
    "select calls::int, round(total_exec_time)::int as total_ms, round(mean_exec_time::numeric, 3)::float as ms, " +
      "rows::int, left(regexp_replace(query, '\\s+', ' ', 'g'), 160) as query from pg_stat_statements " +
      "where dbid = (select oid from pg_database where datname = current_database()) " +
      "order by total_exec_time desc limit 15",
  ).catch(() => []);
  return [...functions, ...statements].map((r) => JSON.stringify(r));
}
