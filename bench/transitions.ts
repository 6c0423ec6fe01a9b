/**
 * Workflow transitions: `{"type":"reminder.send"}` through the HTTP API as the secretariat (Bearer
 * token, validation, policy, load, transition(), save snapshot + history + outbox effect, and the
 * answer: new state, version and next events), 16 concurrent clients each on its own assignment in
 * underReview, workers off. The clients run on a worker thread (`httpLoadGenerator`), off the
 * server's event loop. Baseline: the minimum same work as one bare SQL transaction per event (lock
 * the row, update snapshot and version, insert a history row, insert an effect row), 16 clients.
 */
import { randomUUID } from "node:crypto";
import { sendAssignmentEvent } from "../server/commands/sendAssignmentEvent.js";
import {
  alternate,
  closedLoop,
  dropDatabase,
  fmt,
  freshDatabase,
  httpLoadGenerator,
  median,
  ms,
  percentile,
  seedOrganisation,
  startProduct,
  toUnderReview,
  type BenchContext,
  type Row,
} from "./lib.js";

const CLIENTS = 16;

type Q = (text: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;

/** The baseline's transaction body: what a transition minimally has to write. */
async function bareTransition(q: Q, id: string) {
  const {
    rows: [row],
  } = await q("select organization_id, state, version, snapshot from assignments where id = $1 for update", [id]);
  const version = Number(row.version) + 1;
  const snapshot = typeof row.snapshot === "string" ? row.snapshot : JSON.stringify(row.snapshot);
  await q("update assignments set snapshot = $2::jsonb, version = $3, updated_at = now() where id = $1", [
    id,
    snapshot,
    version,
  ]);
  await q(
    `insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_id, actor_name, ` +
      `event_type, payload, from_state, to_state)
           values ($1, $2, 'assignment', $2, $3, null, 'bench', 'reminder.send', '{}'::jsonb, $4, $4)`,
    [row.organization_id, id, version, row.state],
  );
  await q(
    `insert into effects (organization_id, assignment_id, kind, payload, idempotency_key, status, run_after)
           values ($1, $2, 'mail', $3::jsonb, $4, 'pending', now())`,
    [
      row.organization_id,
      id,
      JSON.stringify({
        template: "opinion.reminder",
        to: { pendingExperts: true },
        data: {},
        workflow: "assignment",
        workflowId: id,
        event: "reminder.send",
      }),
      `bench:${randomUUID()}`,
    ],
  );
}

export async function transitions(ctx: BenchContext, engine: "postgres" | "pglite"): Promise<Row[]> {
  const dbName = "tvpb_bench_transitions";
  const databaseUrl = engine === "postgres" ? await freshDatabase(ctx.pgUrl, dbName) : undefined;
  const tvpb = await startProduct({ databaseUrl });
  const load = await httpLoadGenerator(tvpb.url, CLIENTS);
  const pgPool =
    engine === "postgres"
      ? new (await import("pg")).default.Pool({ connectionString: databaseUrl, max: CLIENTS })
      : null;
  pgPool?.on("error", (err) => ctx.log(`baseline pool: ${err.message}`));
  try {
    const o = await seedOrganisation(tvpb.db);
    const rt = { db: tvpb.db, clock: tvpb.clock };
    const ids: string[] = [];
    for (let i = 0; i < CLIENTS; i++) ids.push((await toUnderReview(rt, o, i)).id);
    ctx.log(`${engine}: ${CLIENTS} assignments in underReview`);
    const token = o.tokens.secretariat;
    const event = { type: "reminder.send" };
    const duration = Number(process.env.BENCH_ROUND_MS) || (ctx.smoke ? 700 : 5_000);

    // Its own keep-alive sockets each round, on the generator's worker thread (httpLoadGenerator).
    const product = () =>
      load.run(duration, (c) => ({
        method: "POST",
        path: `/api/v1/assignments/${ids[c]}/events`,
        token,
        body: event,
        status: 200,
      }));
    let baselineOp: (c: number) => Promise<void>;
    if (pgPool) {
      baselineOp = async (c) => {
        const client = await pgPool.connect();
        try {
          await client.query("begin");
          await bareTransition((t, p) => client.query(t, p), ids[c]);
          await client.query("commit");
        } catch (err) {
          await client.query("rollback").catch(() => undefined);
          client.release(true);
          throw err;
        }
        client.release();
      };
    } else {
      // The product's own PGlite instance, through its client: the same engine, no Drizzle, no HTTP.
      const client = (
        tvpb.db as unknown as { $client: { transaction<T>(fn: (tx: { query: Q }) => Promise<T>): Promise<T> } }
      ).$client;
      baselineOp = (c) => client.transaction((tx) => bareTransition((t, p) => tx.query(t, p), ids[c]));
    }
    const baseline = () => closedLoop(CLIENTS, duration, baselineOp);
    // Each event appends a history row and an effect row: remove what earlier rounds added so every
    // round starts from the same data.
    const trim = async () => {
      await tvpb.database.query(
        "delete from history where assignment_id = any($1::text[]) and event_type = 'reminder.send'",
        [ids],
      );
      await tvpb.database.query(
        "delete from effects where assignment_id = any($1::text[]) and payload->>'event' = 'reminder.send'",
        [ids],
      );
    };
    const secretariat = o.actor("secretariat");
    const command = () =>
      closedLoop(CLIENTS, duration, (c) =>
        sendAssignmentEvent(rt, { actor: secretariat, assignmentId: ids[c], event }).then(() => undefined),
      );

    // Warm both paths (JIT, connection pools, caches) before measuring.
    await product();
    await closedLoop(CLIENTS, ctx.smoke ? 300 : 1_500, baselineOp);
    const runs = await alternate(
      3,
      async () => {
        await trim();
        return product();
      },
      async () => {
        await trim();
        return baseline();
      },
    );
    // Where the time goes: the same command without HTTP, authentication and the answer.
    await trim();
    const commandOnly = await command();
    await trim();
    const pRate = median(runs.product.map((r) => r.perSecond));
    const bRate = median(runs.baseline.map((r) => r.perSecond));
    const pP50 = median(runs.product.map((r) => percentile(r.latencies, 50)));
    const pP99 = median(runs.product.map((r) => percentile(r.latencies, 99)));
    const bP99 = median(runs.baseline.map((r) => percentile(r.latencies, 99)));
    const ratio = pRate / bRate;
    ctx.log(
      `${engine}: product ${runs.product.map((r) => fmt(r.perSecond)).join(", ")} ev/s; baseline ` +
        `${runs.baseline.map((r) => fmt(r.perSecond)).join(", ")} tx/s`,
    );
    const checkP99 = engine === "postgres";
    const name = engine === "postgres" ? "PostgreSQL" : "PGlite";
    const pCpu = median(runs.product.map((r) => r.cpuMsPerOp));
    const bCpu = median(runs.baseline.map((r) => r.cpuMsPerOp));
    return [
      {
        benchmark: `transitions (${name}), HTTP`,
        product: `${fmt(pRate)} ev/s, p50 ${ms(pP50)}, p99 ${ms(pP99)}, ${ms(pCpu)} CPU/ev`,
        baseline: `${fmt(bRate)} tx/s, p99 ${ms(bP99)}, ${ms(bCpu)} CPU/tx`,
        ratio: fmt(ratio, 2),
        target: checkP99 ? "≥ 0.5; p99 < 50 ms" : "≥ 0.5",
        met: ratio >= 0.5 && (!checkP99 || pP99 < 50),
        note:
          `Node CPU per event ${ms(pCpu)} over HTTP, ${ms(commandOnly.cpuMsPerOp)} for the same command ` +
          `in-process (baseline ${ms(bCpu)} per transaction)`,
      },
      {
        // Side by side with the HTTP row: what HTTP, the token and the answer add.
        benchmark: `transitions (${name}), the command in-process`,
        product:
          `${fmt(commandOnly.perSecond)} ev/s, p99 ${ms(percentile(commandOnly.latencies, 99))}, ` +
          `${ms(commandOnly.cpuMsPerOp)} CPU/ev`,
        baseline: `${fmt(bRate)} tx/s`,
        ratio: fmt(commandOnly.perSecond / bRate, 2),
        target: "— (no HTTP, token or answer)",
        met: null,
      },
    ];
  } finally {
    await load.close();
    await pgPool?.end();
    await tvpb.cleanup();
    if (engine === "postgres") await dropDatabase(ctx.pgUrl, dbName);
  }
}

export const transitionsPostgres = (ctx: BenchContext) => transitions(ctx, "postgres");
export const transitionsPglite = (ctx: BenchContext) => transitions(ctx, "pglite");
