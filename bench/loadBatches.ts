/**
 * The scale load, batch by batch: clones `BENCH_SCALE_N` assignments (default 30,000) from one
 * assignment under review, ten history rows each and its deadline rows, in batches of
 * `BENCH_BATCH` (default 5,000), and prints each batch's time; a load whose batches grow means a
 * trigger (or a plan) reads what earlier batches wrote. PGlite unless `BENCH_DATABASE_URL` is set.
 * `BENCH_SCALE_SEED=1` loads exactly what the scale bench loads instead (`seedScale`, `loadScale`:
 * three templates made with the commands, a third of the clones each, batches of 10,000).
 * Process CPU per batch is printed too (PGlite runs in this process): steadier than wall time on
 * a shared machine. `BENCH_DISABLE="history_stage_stays,…"` disables those triggers, to find which
 * one grows; `BENCH_DEADLINES=0` copies no deadline rows; `BENCH_DISCARD=1` drops cached plans
 * before each batch; `BENCH_EXPLAIN=1` prints EXPLAIN ANALYZE of the last batch (each trigger's
 * time at the end), `BENCH_EXPLAIN=1,6` of batches 1 and 6; `BENCH_ANALYZE=1` runs ANALYZE on the
 * written tables after each batch (what autovacuum would do on PostgreSQL; PGlite never does);
 * `BENCH_OLD_TRIGGERS=1` runs the next-due trigger as it was before dl7, `=dl7` as before scale8.
 * Each batch's line ends with the database's size after it. `node --import tsx bench/loadBatches.ts`
 */
import { cloneAssignments, fmt, restoreOldTriggers, seedOrganisation, startProduct, toUnderReview } from "./lib.js";
import { loadScale, seedScale } from "./scale.js";

const n = Number(process.env.BENCH_SCALE_N) || 30_000;
const batch = Number(process.env.BENCH_BATCH) || 5_000;
const asScale = process.env.BENCH_SCALE_SEED === "1";
const explainAt = (process.env.BENCH_EXPLAIN ?? "").split(",").filter(Boolean).map(Number);
const batches = asScale ? 3 * Math.ceil(n / 3 / 10_000) : Math.ceil(n / batch);
const explained = explainAt.length === 1 && explainAt[0] === 1 ? [batches] : explainAt;
const written = ["assignments", "history", "deadlines", "stage_stays", "stage_day_counts"];
const tvpb = await startProduct({ databaseUrl: process.env.BENCH_DATABASE_URL });
try {
  const q = tvpb.database.query.bind(tvpb.database);
  // Before anything fires them: PL/pgSQL plans a function's statements at its first call in a session.
  if (process.env.BENCH_OLD_TRIGGERS === "1" || process.env.BENCH_OLD_TRIGGERS === "dl7")
    await restoreOldTriggers(q, process.env.BENCH_OLD_TRIGGERS === "dl7" ? "dl7" : "perf2");
  const seeded = asScale ? await seedScale(tvpb) : undefined;
  const template = seeded ? undefined : await toUnderReview(tvpb, await seedOrganisation(tvpb.db), 0);
  for (const name of (process.env.BENCH_DISABLE ?? "").split(",").filter(Boolean)) {
    const [row] = await q("select tgrelid::regclass::text as t from pg_trigger where tgname = $1", [name]);
    await q(`alter table ${String(row.t)} disable trigger ${name}`);
  }
  let k = 0;
  // Each clone statement is one batch: this runs it (under EXPLAIN ANALYZE when asked).
  const run: typeof q = async (text, params) => {
    k++;
    if (process.env.BENCH_DISCARD === "1") await q("discard plans");
    if (!explained.includes(k)) return q(text, params);
    const rows = await q(`explain (analyze, costs off) ${text}`, params);
    for (const r of rows) console.log(String(Object.values(r)[0]));
    return [];
  };
  const report = async (what: string, wallMs: number, cpuMs: number) => {
    if (process.env.BENCH_ANALYZE === "1") for (const t of written) await q(`analyze ${t}`);
    const [size] = await q("select pg_database_size(current_database())::bigint as b");
    console.log(
      `batch ${k} (${what}): ${fmt(wallMs / 1000, 2)} s, CPU ${fmt(cpuMs / 1000, 2)} s, ` +
        `database ${fmt(Number(size.b) / 2 ** 20, 0)} MB`,
    );
  };
  const all = performance.now();
  if (seeded)
    await loadScale(run, seeded, n, (prefix, from, to, wall, cpu) => report(`${prefix} ${from}–${to}`, wall, cpu));
  else
    await cloneAssignments(run, template!.id, n, {
      prefix: "B",
      batch,
      history: 10,
      copyDeadlines: process.env.BENCH_DEADLINES !== "0",
      onBatch: (from, to, wall, cpu) => report(`${from}–${to}`, wall, cpu),
    });
  const [c] = await q(
    "select (select count(*)::int from assignments) as a, (select count(*)::int from history) as h, " +
      "(select count(*)::int from stage_stays) as s, (select count(*)::int from deadlines) as d",
  );
  console.log(`loaded ${JSON.stringify(c)} in ${fmt((performance.now() - all) / 1000, 1)} s`);
} finally {
  await tvpb.cleanup();
}
