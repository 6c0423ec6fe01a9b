/**
 * `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/profileEvents.ts`: the transitions
 * benchmark's HTTP product side alone (16 clients sending `reminder.send` from a worker thread, as
 * the benchmark's), for a CPU profile of the server's thread. PostgreSQL when BENCH_DATABASE_URL
 * names an admin URL, else PGlite.
 * BENCH_ROUND_MS sets the measured time (default 10 s, after 2 s of warm-up). Prints CPU per event.
 * `--in-process`: the same events sent by calling the command (no HTTP, token or answer), to compare.
 * `PROFILE_OUT=<file.cpuprofile>` (instead of `--cpu-prof`): a CPU profile of the measured round only.
 * `PROFILE_ALLOC=1`: also the bytes allocated per event over the measured round (V8's sampling heap
 * profiler, objects later collected by minor and major GC included; `PROFILE_ALLOC=<file.heapprofile>`
 * also writes the profile, for DevTools' Memory tab; it costs some CPU itself, so
 * compare CPU per event between runs without it). Always printed: the garbage collections of the
 * round (scavenges and major ones, their count, total and longest pause) and p50/p99 latency.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { PerformanceObserver } from "node:perf_hooks";
import { sendAssignmentEvent } from "../server/commands/sendAssignmentEvent.js";
import {
  closedLoop,
  dropDatabase,
  freshDatabase,
  httpLoadGenerator,
  percentile,
  seedOrganisation,
  startProduct,
  toUnderReview,
} from "./lib.js";

const CLIENTS = 16;
const admin = process.env.BENCH_DATABASE_URL;
const dbName = `tvpb_bench_profile_${process.pid}`; // one per process: two runs may share a cluster
const databaseUrl = admin ? await freshDatabase(admin, dbName) : undefined;
const tvpb = await startProduct({ databaseUrl });
// The HTTP clients on a worker thread, as in the transitions benchmark: the profile is the server's thread.
const load = await httpLoadGenerator(tvpb.url, CLIENTS);
try {
  const o = await seedOrganisation(tvpb.db);
  const rt = { db: tvpb.db, clock: tvpb.clock };
  const ids: string[] = [];
  for (let i = 0; i < CLIENTS; i++) ids.push((await toUnderReview(rt, o, i)).id);
  const secretariat = o.actor("secretariat");
  const event = { type: "reminder.send" };
  const round = process.argv.includes("--in-process")
    ? (ms: number) =>
        closedLoop(CLIENTS, ms, (c) =>
          sendAssignmentEvent(rt, { actor: secretariat, assignmentId: ids[c], event }).then(() => undefined),
        )
    : (ms: number) =>
        load.run(ms, (c) => ({
          method: "POST",
          path: `/api/v1/assignments/${ids[c]}/events`,
          token: o.tokens.secretariat,
          body: event,
          status: 200,
        }));
  await round(2_000);
  const profiler = process.env.PROFILE_OUT || process.env.PROFILE_ALLOC ? new Session() : null;
  profiler?.connect();
  if (process.env.PROFILE_OUT) {
    await profiler?.post("Profiler.enable");
    await profiler?.post("Profiler.start");
  }
  if (process.env.PROFILE_ALLOC) {
    await profiler?.post("HeapProfiler.enable");
    await profiler?.post("HeapProfiler.startSampling", {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }
  const gcs = { minor: [] as number[], major: [] as number[] };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = (e as unknown as { detail?: { kind?: number } }).detail?.kind;
      // NODE_PERFORMANCE_GC_MINOR = 1 (scavenge); everything else (major, incremental, weak callbacks) as major.
      (kind === 1 ? gcs.minor : gcs.major).push(e.duration);
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  const r = await round(Number(process.env.BENCH_ROUND_MS) || 10_000);
  observer.disconnect();
  if (process.env.PROFILE_OUT)
    writeFileSync(process.env.PROFILE_OUT, JSON.stringify((await profiler!.post("Profiler.stop")).profile));
  let alloc = "";
  if (process.env.PROFILE_ALLOC) {
    const { profile } = await profiler!.post("HeapProfiler.stopSampling");
    if (process.env.PROFILE_ALLOC !== "1") writeFileSync(process.env.PROFILE_ALLOC, JSON.stringify(profile));
    type Node = { selfSize: number; children: Node[] };
    const total = (n: Node): number => n.selfSize + n.children.reduce((a, c) => a + total(c), 0);
    alloc = `, ${(total(profile.head as Node) / r.count / 1024).toFixed(1)} KB allocated per event`;
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0).toFixed(0);
  const gc = (xs: number[]) => `${xs.length} (${sum(xs)} ms, longest ${Math.max(0, ...xs).toFixed(1)} ms)`;
  console.log(
    `${r.perSecond.toFixed(1)} ev/s, ${r.cpuMsPerOp.toFixed(2)} ms CPU per event (${r.count} events)${alloc}; ` +
      `p50 ${percentile(r.latencies, 50).toFixed(1)} ms, p99 ${percentile(r.latencies, 99).toFixed(1)} ms; ` +
      `scavenges ${gc(gcs.minor)}, other GCs ${gc(gcs.major)}`,
  );
} finally {
  await load.close();
  await tvpb.cleanup();
  if (admin) await dropDatabase(admin, dbName);
}
process.exit(0);
