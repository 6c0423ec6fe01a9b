/**
 * Shared pieces of the benchmarks: statistics, a throwaway PostgreSQL database per benchmark, a
 * started TVPB, an organisation with actors, driving assignments to `underReview` with the real
 * commands, and cloning a real assignment with SQL when thousands are needed.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { eq, inArray } from "drizzle-orm";
import pino from "pino";
import { loadConfig } from "../server/config.js";
import { startTvpb, type StartOptions, type Tvpb } from "../server/server.js";
import type { Db } from "../server/db/connect.js";
import { invitations, users } from "../server/db/schema.js";
import { actorFromUser } from "../server/http/auth.js";
import { createOrder } from "../server/commands/createOrder.js";
import { sendAssignmentEvent } from "../server/commands/sendAssignmentEvent.js";
import { respondToInvitation } from "../server/commands/respondToInvitation.js";
import type { Actor, Role } from "../server/runtime/actor.js";
import type { Clock } from "../server/runtime/clock.js";
import type { LoadResult, LoadWork } from "./support/httpLoad.js";
import { seedWorld } from "../test/support/seedWorld.js";

/** One line of the results table. `ratio` is product ÷ baseline in the benchmark's own unit. */
export type Row = {
  benchmark: string;
  product: string;
  baseline: string;
  ratio: string;
  target: string;
  met: boolean | null;
  note?: string;
  /** The benchmark did not finish (killed at its time limit, crashed, or failed); `note` says why. */
  unfinished?: boolean;
};

/** What a benchmark module receives: whether to run tiny sizes, where PostgreSQL is, a logger. */
export type BenchContext = {
  smoke: boolean;
  /** Admin URL of the benchmark PostgreSQL cluster (databases are created under it). */
  pgUrl: string;
  log: (msg: string) => void;
};

export type Benchmark = (ctx: BenchContext) => Promise<Row[]>;

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
export const silent = pino({ level: "silent" });

// ---------------------------------------------------------------------------------------------
// Processes.

/** Parent pid and process group of every process, from /proc (Linux). */
function processTable(): Map<number, { ppid: number; pgid: number }> {
  const table = new Map<number, { ppid: number; pgid: number }>();
  for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const [, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(name), { ppid: Number(ppid), pgid: Number(pgid) });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** The process groups of `pid`'s tree (its descendants' and its own), except this process's group. */
export function treeGroups(pid: number): number[] {
  const table = processTable();
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, { ppid }] of table)
      if (tree.has(ppid) && !tree.has(p)) {
        tree.add(p);
        grew = true;
      }
  }
  const own = table.get(process.pid)?.pgid;
  return [...new Set([...tree].map((p) => table.get(p)?.pgid ?? p))].filter((g) => g > 1 && g !== own);
}

/**
 * Kills, with SIGKILL, those of `groups` (seen earlier in a benchmark child's tree) whose leader is
 * still there and has been orphaned (parent 1): a browser left behind by a server that was killed
 * before it could close it. A group whose leader is gone or has another parent is left alone (its
 * id may have been reused). Returns the groups killed.
 */
export function killOrphanedGroups(groups: Iterable<number>): number[] {
  const table = processTable();
  const killed: number[] = [];
  for (const g of groups) {
    if (table.get(g)?.ppid !== 1) continue;
    try {
      process.kill(-g, "SIGKILL");
      killed.push(g);
    } catch {
      // already gone
    }
  }
  return killed;
}

/**
 * Kills `pid`'s whole tree with SIGKILL: every descendant's process group (Chromium makes a group
 * of its own), each descendant, and `pid`'s own group. Returns the pids found in the tree.
 */
export function killTree(pid: number): number[] {
  const table = processTable();
  const tree = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [p, { ppid }] of table)
      if (tree.has(ppid) && !tree.has(p)) {
        tree.add(p);
        grew = true;
      }
  }
  const own = table.get(process.pid)?.pgid;
  const groups = new Set([pid, ...[...tree].map((p) => table.get(p)?.pgid ?? p)].filter((g) => g > 1 && g !== own));
  for (const target of [...[...groups].map((g) => -g), ...tree]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return [...tree].filter((p) => p !== pid);
}

// ---------------------------------------------------------------------------------------------
// Statistics.

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

export const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "—");
export const ms = (n: number) => `${fmt(n, n < 10 ? 2 : 1)} ms`;

/** Runs `rounds` rounds of product then baseline, back to back, and returns both series. */
export async function alternate<T>(
  rounds: number,
  product: (round: number) => Promise<T>,
  baseline: (round: number) => Promise<T>,
) {
  const p: T[] = [];
  const b: T[] = [];
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so neither side always runs on a warmer (or more tired) machine.
    if (r % 2 === 0) {
      p.push(await product(r));
      b.push(await baseline(r));
    } else {
      b.push(await baseline(r));
      p.push(await product(r));
    }
  }
  return { product: p, baseline: b };
}

/** Runs `one` `total` times, `inFlight` at once (a burst, as a pool's queue sees it); resolves when all are done. */
export async function burstOf(total: number, inFlight: number, one: () => Promise<unknown>): Promise<void> {
  let left = total;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (left > 0) {
        left--;
        await one();
      }
    }),
  );
}

/**
 * Runs `clients` loops, each calling `op(client)` until `durationMs` has passed; returns the
 * operations per second and every latency in ms.
 */
export async function closedLoop(clients: number, durationMs: number, op: (client: number) => Promise<void>) {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  const until = started + durationMs;
  let errors = 0;
  let firstError: unknown;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await op(c);
          latencies.push(performance.now() - t);
        } catch (err) {
          errors++;
          firstError ??= err;
          if (errors > 20) throw firstError;
        }
      }
    }),
  );
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (errors) throw new Error(`${errors} operations failed: ${String(firstError)}`);
  return {
    perSecond: (latencies.length / elapsed) * 1000,
    latencies,
    count: latencies.length,
    elapsedMs: elapsed,
    /** CPU of this (Node) process per operation, in ms: the server, its drivers and the load generator. */
    cpuMsPerOp: (used.user + used.system) / 1000 / Math.max(1, latencies.length),
  };
}

/** One request a client of `httpLoadGenerator` sends again and again, and the status it expects. */
export type LoadRequest = LoadWork["requests"][number];

/**
 * Closed loops over HTTP with the load generator on a worker thread (support/httpLoad.ts), started
 * once and kept warm across rounds: `run` sends, from `clients` loops, `requestFor(client)` to
 * `baseUrl` for `durationMs` (`closedLoop`'s answer). The server under test keeps the main thread's
 * event loop and heap to itself, as it would with its clients on other machines; `cpuMsPerOp` is
 * still the whole process's CPU (server, drivers and the generator's thread). `close` ends the worker.
 */
export async function httpLoadGenerator(baseUrl: string, clients: number) {
  const worker = new Worker(new URL("./support/httpLoadWorker.mjs", import.meta.url));
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      const answer = (m: T) => {
        worker.off("error", fail);
        resolve(m);
      };
      const fail = (err: Error) => {
        worker.off("message", answer);
        reject(err);
      };
      worker.once("error", fail);
      worker.once("message", answer);
    });
  try {
    await next<"ready">();
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  return {
    async run(durationMs: number, requestFor: (client: number) => LoadRequest) {
      const work: LoadWork = {
        url: baseUrl,
        durationMs,
        requests: Array.from({ length: clients }, (_, c) => requestFor(c)),
      };
      const cpu = process.cpuUsage();
      const answer = next<LoadResult>();
      worker.postMessage(work);
      const r = await answer;
      const used = process.cpuUsage(cpu);
      if (r.errors) throw new Error(`${r.errors} operations failed: ${r.firstError}`);
      const latencies = Array.from(r.latencies);
      return {
        perSecond: (latencies.length / r.elapsedMs) * 1000,
        latencies,
        count: latencies.length,
        elapsedMs: r.elapsedMs,
        cpuMsPerOp: (used.user + used.system) / 1000 / Math.max(1, latencies.length),
      };
    },
    close: () => worker.terminate(),
  };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: one fresh database per benchmark in the benchmark cluster.

/** Runs SQL on the admin database with a one-off pg client. */
export async function adminQuery(adminUrl: string, text: string) {
  const pg = (await import("pg")).default;
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** Creates (after dropping any leftover) database `name` and returns its URL. */
export async function freshDatabase(adminUrl: string, name: string): Promise<string> {
  await adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  await adminQuery(adminUrl, `create database ${name}`);
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * Drops a benchmark's database once its product has stopped. Not WITH (FORCE): terminating a
 * connection some pool still holds would make that pool emit an error and end the benchmark
 * before it reports; a leftover database is dropped (forcibly) by the next freshDatabase.
 */
export async function dropDatabase(adminUrl: string, name: string) {
  await adminQuery(adminUrl, `drop database if exists ${name}`).catch(() => undefined);
}

/** Starts (or finds) the throwaway benchmark cluster; returns its URL and how to stop it. */
export function startBenchCluster(): { url: string; stop: () => void } {
  const env = {
    ...process.env,
    PGTEST_PORT: process.env.PGTEST_PORT ?? "55470",
    PGTEST_DIR: process.env.PGTEST_DIR ?? "/tmp/tvpb-bench-pg",
  };
  const out = execFileSync("bash", [path.join(root, "scripts/pg-test.sh"), "start"], { env, encoding: "utf8" });
  const m = /DATABASE_URL=(\S+)/.exec(out);
  if (!m) throw new Error(`pg-test.sh printed no DATABASE_URL: ${out}`);
  return { url: m[1], stop: () => void execFileSync("bash", [path.join(root, "scripts/pg-test.sh"), "stop"], { env }) };
}

// ---------------------------------------------------------------------------------------------
// TVPB.

/** Starts TVPB on an ephemeral port with workers off (benchmarks drive them) and silent logs. */
export async function startProduct(
  opts: { databaseUrl?: string; dataDir?: string; smtpUrl?: string; clock?: Clock; workers?: boolean } = {},
): Promise<Tvpb & { cleanup: () => Promise<void> }> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "tvpb-bench-"));
  const config = loadConfig({
    NODE_ENV: "test",
    PORT: "0",
    DATA_DIR: dataDir,
    DATABASE_URL: opts.databaseUrl,
    // The pool as the server sizes it (DATABASE_POOL_MAX, else 2 per core), or BENCH_POOL_MAX to compare sizes.
    DATABASE_POOL_MAX: process.env.BENCH_POOL_MAX,
    SEED_DEMO: "false",
    LOG_LEVEL: "silent",
    SMTP_URL: opts.smtpUrl,
    PUBLIC_URL: "http://localhost:3000",
  });
  const start: StartOptions = {
    config,
    logger: silent,
    workers: opts.workers ?? false,
    ...(opts.clock ? { clock: opts.clock } : {}),
  };
  const tvpb = await startTvpb(start);
  return {
    ...tvpb,
    async cleanup() {
      await tvpb.stop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An organisation with one user per role, three experts, and actors to drive commands with. */
export async function seedOrganisation(db: Db) {
  const world = await seedWorld(db, { expertCount: 3 });
  const us = await db.select().from(users).where(eq(users.organizationId, world.org.id));
  const actor = (role: Role): Actor => actorFromUser(us.find((u) => u.roles.includes(role) && !u.expertId)!);
  const expertActor = (expertId: string): Actor => actorFromUser(us.find((u) => u.expertId === expertId)!);
  return { ...world, users: us, actor, expertActor };
}

export type Organisation = Awaited<ReturnType<typeof seedOrganisation>>;

const TITLES = [
  "Đề án phát triển cây dược liệu tỉnh Tuyên Quang giai đoạn 2026–2030",
  "Kế hoạch ứng dụng khoa học công nghệ và chuyển đổi số trong sản xuất nông nghiệp",
  "Dự thảo Nghị quyết quy định chính sách thu hút, trọng dụng trí thức, nhà khoa học",
  "Quy hoạch phát triển du lịch cộng đồng vùng đồng bào dân tộc thiểu số",
];

/** Creates an order and drives it with the real commands to `underReview` (panel of three accepted). */
export async function toUnderReview(rt: { db: Db; clock: Clock }, o: Organisation, i = 0) {
  const a = await createOrder(rt, {
    actor: o.actor("secretariat"),
    input: {
      type: "consultancy",
      forms: ["expert_group", "written"],
      subjectKind: "plan",
      agencyId: o.agency.id,
      title: `${TITLES[i % TITLES.length]} (${i + 1})`,
      draftingAgency: "Sở Khoa học và Công nghệ",
      orderNumber: `${100 + i}/SKHCN-QLKH`,
      orderDate: "2026-10-20",
      budget: 18_000_000,
      origin: "ordered",
    },
  });
  const send = (role: Role, event: { type: string } & Record<string, unknown>) =>
    sendAssignmentEvent(rt, { actor: o.actor(role), assignmentId: a.id, event });
  await send("clerk", { type: "order.register" });
  await send("secretariat", { type: "order.proposeAccept", note: "Đúng lĩnh vực, hồ sơ đầy đủ." });
  await send("leadership", { type: "order.accept" });
  await send("secretariat", {
    type: "plan.submit",
    workPlan: "Lấy ý kiến bằng văn bản của Tổ chuyên gia 3 người trong 15 ngày.",
    costEstimate: 18_000_000,
    reviewDays: 15,
  });
  await send("secretariat", {
    type: "panel.invite",
    members: o.experts.map((e, k) => ({ expertId: e.id, role: k === 0 ? "chair" : "member" })),
  });
  const invs = await rt.db
    .select()
    .from(invitations)
    .where(inArray(invitations.assignmentId, [a.id]));
  for (const inv of invs) {
    await respondToInvitation(rt, {
      actor: o.expertActor(inv.expertId),
      invitationId: inv.id,
      event: { type: "invitation.accept", declaration: { noConflict: true, confidentiality: true } },
    });
  }
  await send("secretariat", { type: "panel.submit" });
  return send("leadership", { type: "panel.approve" });
}

/** A raw SQL runner over either engine (`database.query`). */
export type Sql = (text: string, params?: unknown[]) => Promise<Array<Record<string, unknown>>>;

/**
 * Puts back the next-due trigger function as an older migration wrote it, for a before/after on the
 * same machine state: `BENCH_OLD_TRIGGERS=1` in `loadBatches.ts` and `deadlines.ts` is the function
 * before branch dl7 (migration perf2_next_due_trigger), `BENCH_OLD_TRIGGERS=dl7` the one before
 * scale8 (dl7_next_due_plan: the same body without `plan_cache_mode = force_custom_plan`). The history
 * trigger is left as it is. Call it before anything fires the trigger: PL/pgSQL plans a function's
 * statements at its first call in a session.
 */
export async function restoreOldTriggers(q: Sql, which: "perf2" | "dl7" = "perf2") {
  const dir = path.join(import.meta.dirname, "../server/db/migrations");
  const file = readdirSync(dir).find((f) =>
    f.endsWith(which === "dl7" ? "_dl7_next_due_plan.sql" : "_perf2_next_due_trigger.sql"),
  );
  const fn = "assignments_refresh_next_due";
  const stmt = readFileSync(path.join(dir, file!), "utf8")
    .split("--> statement-breakpoint")
    .find((x) => x.includes(`FUNCTION ${fn}()`))!;
  const create = stmt.slice(stmt.indexOf("CREATE "));
  await q(create.replace(/^CREATE (OR REPLACE )?FUNCTION/, "CREATE OR REPLACE FUNCTION"));
}

/**
 * Clones assignment `templateId` `n` times with SQL, in batches: a new id, code `<prefix>-<i>`
 * and title; the snapshot copied with its assignmentId replaced; `history` rows each, copied in
 * turn from the template's own assignment history (real payloads); optionally copies of the
 * template's assignment deadlines (the review deadline with its planned reminders and escalations,
 * and the cancelled ones), and optionally one extra deadline row each. Each clone's `next_due_at`
 * is written with it, as the earliest pending deadline among those rows: the next-due trigger still
 * runs over every clone but has nothing to update (before, it rewrote each new row at once, with all
 * its index entries: a third of a batch's time on PGlite; docs/BENCHMARKS.md, "The PGlite load at
 * 100,000").
 */
export async function cloneAssignments(
  q: Sql,
  templateId: string,
  n: number,
  opts: {
    prefix: string;
    batch?: number;
    titles?: string[];
    agencyIds?: string[];
    history?: number;
    deadline?: { key: string; dueAt: Date; event: Record<string, unknown> };
    copyDeadlines?: boolean;
    /** Called after each batch with its clone numbers, wall time and this process's CPU (ms). */
    onBatch?: (from: number, to: number, wallMs: number, cpuMs: number) => void | Promise<void>;
  },
) {
  const batch = opts.batch ?? 10_000;
  for (let from = 1; from <= n; from += batch) {
    const to = Math.min(n, from + batch - 1);
    const started = performance.now();
    const cpu = process.cpuUsage();
    await q(
      `
      with s as (
        select gen_random_uuid()::text as id, i, ($4::text[])[1 + i % cardinality($4::text[])] || ' số ' || i as title
        from generate_series($3::int, $6::int) i
      ), t as (select * from assignments where id = $1),
      ins as (
        insert into assignments (id, organization_id, code, type, forms, subject_kind, title, summary,
          agency_id, drafting_agency, origin,
          order_number, order_date, requested_deadline, budget, confidential, urgency, state, machine_version,
            snapshot, version, search_text,
          created_by, created_at, updated_at, next_due_at)
        select s.id, t.organization_id, $2 || '-' || s.i, t.type, t.forms, t.subject_kind, s.title, t.summary,
          coalesce(($5::text[])[1 + s.i % greatest(1, cardinality($5::text[]))], t.agency_id),
            t.drafting_agency, t.origin,
          t.order_number, t.order_date, t.requested_deadline, t.budget, t.confidential, t.urgency, t.state,
            t.machine_version,
          jsonb_set(t.snapshot, '{context,assignmentId}', to_jsonb(s.id)), t.version,
          lower(unaccent(replace(replace($2 || '-' || s.i || ' ' || s.title, 'Đ', 'D'), 'đ', 'd'))),
          t.created_by, t.created_at - (s.i || ' minutes')::interval, t.updated_at - (s.i || ' seconds')::interval,
          -- What the next-due trigger will find (the earliest pending deadline of the rows copied below),
          -- written here so that its update of every clone finds nothing to change (see the doc above).
          least(case when $11::boolean then t.next_due_at end, case when $8::text is not null then $9::timestamptz end)
        from s, t
        returning id, organization_id, created_at
      ),
      h as (
        insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_id,
          actor_name, event_type, payload, from_state, to_state, reason, created_at)
        select ins.organization_id, ins.id, 'assignment', ins.id, g, th.actor_id, th.actor_name, th.event_type,
          th.payload, th.from_state, th.to_state, th.reason,
          ins.created_at + g * interval '1 hour'
        from ins cross join generate_series(1, $7::int) g
        join (select row_number() over (order by id) - 1 as k, count(*) over () as total, * from history where
          assignment_id = $1 and workflow = 'assignment') th
          on th.k = (g - 1) % th.total
        returning 1
      ),
      dl as (
        insert into deadlines (id, organization_id, assignment_id, workflow, workflow_id, key, due_at, event,
          status, remaining_ms, created_at, fired_at)
        select gen_random_uuid()::text, ins.organization_id, ins.id, 'assignment', ins.id, td.key, td.due_at,
          td.event, td.status, td.remaining_ms, td.created_at, td.fired_at
        from ins cross join (select * from deadlines where assignment_id = $1 and workflow = 'assignment') td
        where $11::boolean
        returning 1
      )
      insert into deadlines (id, organization_id, assignment_id, workflow, workflow_id, key, due_at, event, status)
      select gen_random_uuid()::text, ins.organization_id, ins.id, 'assignment', ins.id, $8::text,
        $9::timestamptz, $10::jsonb, 'pending'
      from ins where $8::text is not null`,
      [
        templateId,
        opts.prefix,
        from,
        opts.titles ?? TITLES,
        opts.agencyIds ?? [],
        to,
        opts.history ?? 0,
        opts.deadline?.key ?? null,
        opts.deadline?.dueAt ?? null,
        opts.deadline ? JSON.stringify(opts.deadline.event) : null,
        !!opts.copyDeadlines,
      ],
    );
    const used = process.cpuUsage(cpu);
    await opts.onBatch?.(from, to, performance.now() - started, (used.user + used.system) / 1000);
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP client: keep-alive, no JSON parsing unless asked (support/httpClient.ts).

export { httpClient } from "./support/httpClient.js";
