/**
 * Mixed load: 32 clients for 2 minutes against two real TVPB processes (server/main.ts, workers on,
 * Chromium for documents when present, mail written to the outbox) on one PostgreSQL database with
 * 5,000 assignments. Each client works on an assignment of its own in underReview and loops over
 * a mix: the assignment list (45 %), its assignment (25 %), a reminder event (20 %, one mail to
 * each expert), and a whole new order taken to acceptance (10 %: four requests, the acceptance
 * letter rendered as a PDF). Clients alternate between the processes. Reports errors (must be 0),
 * p50/p99/max over every request and per kind, the processes' memory (RSS) before and after, and
 * the event-loop delay each process saw (bench/support/loopProbe.mjs, preloaded).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "../server/db/connect.js";
import { findChromium } from "../server/adapters/pdf.js";
import { installDomainHandlers } from "../server/server.js";
import { startTvpbProcess, type TvpbProcess } from "../test/support/processes.js";
import {
  cloneAssignments,
  dropDatabase,
  fmt,
  freshDatabase,
  httpClient,
  median,
  percentile,
  root,
  seedOrganisation,
  toUnderReview,
  type BenchContext,
  type Row,
} from "./lib.js";

const CLIENTS = 32;
type Kind = "list" | "detail" | "event" | "order";
type Sample = { kind: Kind; ms: number; step?: string };

/** Resident memory of a process in MiB (Linux /proc). */
function rssMiB(pid: number | undefined): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

/** The worst event-loop delay each process reported (p99 and max, ms) in its output after `from`. */
function loopDelays(procs: TvpbProcess[], from: number[]) {
  return procs.map((p, i) => {
    const lines = p
      .output()
      .slice(from[i])
      .split("\n")
      .filter((l) => l.startsWith("@@loop "));
    const all = lines.map((l) => JSON.parse(l.slice(7)) as { p99: number; max: number });
    return { p99: Math.max(0, ...all.map((x) => x.p99)), max: Math.max(0, ...all.map((x) => x.max)) };
  });
}

export async function load(ctx: BenchContext): Promise<Row[]> {
  const durationMs = ctx.smoke ? 15_000 : 120_000;
  const dbName = "tvpb_bench_load";
  const databaseUrl = await freshDatabase(ctx.pgUrl, dbName);
  installDomainHandlers(); // the seeding below applies events in this process, as startTvpb would
  const setup = await openDatabase({ databaseUrl });
  const o = await seedOrganisation(setup.db);
  const rt = { db: setup.db, clock: { now: () => new Date() } };
  const ids: string[] = [];
  for (let i = 0; i < CLIENTS; i++) ids.push((await toUnderReview(rt, o, i)).id);
  await cloneAssignments(setup.query.bind(setup), ids[0], ctx.smoke ? 500 : 5_000, { prefix: "LOAD", history: 5 });
  await setup.query("analyze");
  await setup.close();
  ctx.log(`${CLIENTS} assignments in underReview and ${ctx.smoke ? 500 : 5_000} more`);

  const chromium = findChromium({});
  const env = {
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "warn",
    // BENCH_CPU_PROF=<dir>: each process writes a CPU profile there when it stops (where the loop blocks).
    NODE_OPTIONS:
      `--import ${path.join(root, "bench/support/loopProbe.mjs")}` +
      (process.env.BENCH_CPU_PROF ? ` --import ${path.join(root, "bench/support/cpuProfile.mjs")}` : ""),
    ...(chromium.path ? { CHROMIUM_PATH: chromium.path } : {}),
  };
  const procs = await Promise.all([startTvpbProcess(env), startTvpbProcess(env)]);
  const clients = procs.map((p) => httpClient(p.url, CLIENTS));
  try {
    const run = (ms: number) => mixedLoad(clients, o.tokens, ids, ms);
    await run(ctx.smoke ? 3_000 : 10_000); // warm-up: JIT, pools, the browser
    const before = procs.map((p) => rssMiB(p.child.pid));
    for (const p of procs) p.child.kill("SIGUSR2"); // resets the loop probes
    const mark = procs.map((p) => p.output().length);
    const r = await run(durationMs);
    const after = procs.map((p) => rssMiB(p.child.pid));
    return report(r, { before, after, loops: loopDelays(procs, mark), durationMs });
  } finally {
    for (const c of clients) c.close();
    await Promise.all(procs.map((p) => p.stop()));
    await dropDatabase(ctx.pgUrl, dbName);
  }
}

/** `CLIENTS` closed loops over the mix for `durationMs`; every request's latency and every error. */
async function mixedLoad(
  clients: Array<ReturnType<typeof httpClient>>,
  tokens: Record<string, string>,
  ids: string[],
  durationMs: number,
) {
  const samples: Sample[] = [];
  const errors: string[] = [];
  const until = performance.now() + durationMs;
  const timed = async (c: number, kind: Kind, method: string, p: string, token: string, body?: unknown) => {
    // An order's four requests are told apart in the note (`step`): which of them makes its tail.
    const step =
      kind !== "order" ? undefined : p.endsWith("/events") ? (body as { type: string }).type : "order.create";
    const t = performance.now();
    const res = await clients[c % 2].request(method, p, token, body).catch((err: Error) => ({
      status: 0,
      body: err.message,
    }));
    samples.push({ kind, ms: performance.now() - t, step });
    if (res.status >= 300 || res.status === 0) errors.push(`${method} ${p}: ${res.status} ${res.body.slice(0, 200)}`);
    return res;
  };
  const order = async (c: number) => {
    const placed = await timed(c, "order", "POST", "/api/v1/assignments", tokens.agency, {
      type: "consultancy",
      forms: ["expert_group", "written"],
      subjectKind: "ke_hoach",
      title: `Kế hoạch thử tải số ${c}-${samples.length}`,
      orderNumber: `${c}/UBND`,
      orderDate: "2026-10-20",
    });
    if (placed.status !== 201) return;
    const id = (JSON.parse(placed.body) as { data: { id: string } }).data.id;
    const event = (token: string, type: string, extra = {}) =>
      timed(c, "order", "POST", `/api/v1/assignments/${id}/events`, token, { type, ...extra });
    await event(tokens.clerk, "order.register");
    await event(tokens.secretariat, "order.proposeAccept", { note: "Đúng phạm vi." });
    await event(tokens.leadership, "order.accept");
  };
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; performance.now() < until; i++) {
        const pick = (i * 37 + c * 11) % 100; // a fixed, interleaved mix per client
        if (pick < 45) await timed(c, "list", "GET", "/api/v1/assignments?limit=20", tokens.secretariat);
        else if (pick < 70) await timed(c, "detail", "GET", `/api/v1/assignments/${ids[c]}`, tokens.secretariat);
        else if (pick < 90)
          await timed(c, "event", "POST", `/api/v1/assignments/${ids[c]}/events`, tokens.secretariat, {
            type: "reminder.send",
          });
        else await order(c);
      }
    }),
  );
  return { samples, errors };
}

function report(
  r: { samples: Sample[]; errors: string[] },
  m: { before: number[]; after: number[]; loops: Array<{ p99: number; max: number }>; durationMs: number },
): Row[] {
  const all = r.samples.map((s) => s.ms);
  const of = (k: Kind) => r.samples.filter((s) => s.kind === k).map((s) => s.ms);
  const p = (xs: number[]) => `p50 ${fmt(median(xs), 0)} / p99 ${fmt(percentile(xs, 99), 0)} ms`;
  const kinds = (["list", "detail", "event", "order"] as Kind[]).map((k) => `${k} ${p(of(k))}`).join("; ");
  const steps = [...new Set(r.samples.flatMap((s) => (s.step ? [s.step] : [])))]
    .map((step) => `${step} ${p(r.samples.filter((s) => s.step === step).map((s) => s.ms))}`)
    .join(", ");
  const mib = (xs: number[]) => xs.map((x) => fmt(x, 0)).join(" + ");
  const p99 = percentile(all, 99);
  const loops = m.loops.map((l) => `${fmt(l.p99, 0)}/${fmt(l.max, 0)}`).join(", ");
  return [
    {
      benchmark: "load",
      product: `${p(all)}, max ${fmt(Math.max(...all), 0)} ms`,
      baseline: `${fmt((all.length / m.durationMs) * 1000, 0)} req/s, ${r.errors.length} errors`,
      ratio: "—",
      target: "0 errors, p99 < 1 s",
      met: r.errors.length === 0 && p99 < 1000,
      note:
        `32 clients, 2 processes, ${fmt(m.durationMs / 1000, 0)} s: ${kinds} (order's requests: ${steps}); ` +
        `RSS MiB before ${mib(m.before)}, ` +
        `after ${mib(m.after)}; event-loop delay p99/max ms ${loops}` +
        (r.errors.length ? `; first error: ${r.errors[0]}` : ""),
    },
  ];
}
