/**
 * The scale load, batch by batch: clones `BENCH_SCALE_N` assignments (default 30,000) from one
 * assignment under review, ten history rows each and its deadline rows, in batches of
 * `BENCH_BATCH` (default 5,000), and prints each batch's time; a load whose batches grow means a
 * trigger (or a plan) reads what earlier batches wrote. PGlite unless `BENCH_DATABASE_URL` is set.
 * Process CPU per batch is printed too (PGlite runs in this process): steadier than wall time on
 * a shared machine. `BENCH_DISABLE="history_stage_stays,…"` disables those triggers, to find which
 * one grows; `BENCH_DEADLINES=0` copies no deadline rows; `BENCH_DISCARD=1` drops cached plans
 * before each batch; `BENCH_EXPLAIN=1` prints EXPLAIN ANALYZE of the last batch (each trigger's
 * time at the end); `BENCH_OLD_TRIGGERS=1` runs the trigger functions as they were before dl7.
 * `node --import tsx bench/loadBatches.ts`
 */
import { cloneAssignments, fmt, restoreOldTriggers, seedOrganisation, startProduct, toUnderReview } from "./lib.js";

const n = Number(process.env.BENCH_SCALE_N) || 30_000;
const batch = Number(process.env.BENCH_BATCH) || 5_000;
const tvpb = await startProduct({ databaseUrl: process.env.BENCH_DATABASE_URL });
try {
  const q = tvpb.database.query.bind(tvpb.database);
  // Before anything fires them: PL/pgSQL plans a function's statements at its first call in a session.
  if (process.env.BENCH_OLD_TRIGGERS === "1") await restoreOldTriggers(q);
  const o = await seedOrganisation(tvpb.db);
  const template = await toUnderReview({ db: tvpb.db, clock: tvpb.clock }, o, 0);
  for (const name of (process.env.BENCH_DISABLE ?? "").split(",").filter(Boolean)) {
    const [row] = await q("select tgrelid::regclass::text as t from pg_trigger where tgname = $1", [name]);
    await q(`alter table ${String(row.t)} disable trigger ${name}`);
  }
  const all = performance.now();
  for (let from = 0; from < n; from += batch) {
    if (process.env.BENCH_DISCARD === "1") await q("discard plans");
    const s = performance.now();
    const cpu = process.cpuUsage();
    const explain = process.env.BENCH_EXPLAIN === "1" && from + batch >= n;
    const run: typeof q = explain
      ? async (text, params) => {
          const rows = await q(`explain (analyze, costs off) ${text}`, params);
          for (const r of rows) console.log(String(Object.values(r)[0]));
          return [];
        }
      : q;
    await cloneAssignments(run, template.id, Math.min(batch, n - from), {
      prefix: `B${from}`,
      history: 10,
      copyDeadlines: process.env.BENCH_DEADLINES !== "0",
    });
    const used = process.cpuUsage(cpu);
    console.log(
      `batch ${from / batch + 1}: ${Math.min(batch, n - from)} in ${fmt((performance.now() - s) / 1000, 2)} s, ` +
        `CPU ${fmt((used.user + used.system) / 1e6, 2)} s`,
    );
  }
  const [c] = await q(
    "select (select count(*)::int from assignments) as a, (select count(*)::int from history) as h, " +
      "(select count(*)::int from stage_stays) as s, (select count(*)::int from deadlines) as d",
  );
  console.log(`loaded ${JSON.stringify(c)} in ${fmt((performance.now() - all) / 1000, 1)} s`);
} finally {
  await tvpb.cleanup();
}
