/**
 * `node --cpu-prof --cpu-prof-dir=<dir> --import tsx bench/profileEvents.ts`: the transitions
 * benchmark's HTTP product side alone (16 clients sending `reminder.send`), for a CPU profile of
 * one event over HTTP in-process. PostgreSQL when BENCH_DATABASE_URL names an admin URL, else PGlite.
 * BENCH_ROUND_MS sets the measured time (default 10 s, after 2 s of warm-up). Prints CPU per event.
 * `--in-process`: the same events sent by calling the command (no HTTP, token or answer), to compare.
 * `PROFILE_OUT=<file.cpuprofile>` (instead of `--cpu-prof`): a CPU profile of the measured round only.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { sendAssignmentEvent } from "../server/commands/sendAssignmentEvent.js";
import {
  closedLoop,
  dropDatabase,
  freshDatabase,
  httpClient,
  seedOrganisation,
  startProduct,
  toUnderReview,
} from "./lib.js";

const CLIENTS = 16;
const admin = process.env.BENCH_DATABASE_URL;
const dbName = "tvpb_bench_profile";
const databaseUrl = admin ? await freshDatabase(admin, dbName) : undefined;
const tvpb = await startProduct({ databaseUrl });
const http = httpClient(tvpb.url, CLIENTS * 2);
try {
  const o = await seedOrganisation(tvpb.db);
  const rt = { db: tvpb.db, clock: tvpb.clock };
  const ids: string[] = [];
  for (let i = 0; i < CLIENTS; i++) ids.push((await toUnderReview(rt, o, i)).id);
  const secretariat = o.actor("secretariat");
  const event = { type: "reminder.send" };
  const send = process.argv.includes("--in-process")
    ? (c: number) => sendAssignmentEvent(rt, { actor: secretariat, assignmentId: ids[c], event })
    : (c: number) => http.expect("POST", `/api/v1/assignments/${ids[c]}/events`, o.tokens.secretariat, event);
  await closedLoop(CLIENTS, 2_000, (c) => send(c).then(() => undefined));
  const profiler = process.env.PROFILE_OUT ? new Session() : null;
  profiler?.connect();
  await profiler?.post("Profiler.enable");
  await profiler?.post("Profiler.start");
  const r = await closedLoop(CLIENTS, Number(process.env.BENCH_ROUND_MS) || 10_000, (c) =>
    send(c).then(() => undefined),
  );
  if (profiler) writeFileSync(process.env.PROFILE_OUT!, JSON.stringify((await profiler.post("Profiler.stop")).profile));
  console.log(`${r.perSecond.toFixed(1)} ev/s, ${r.cpuMsPerOp.toFixed(2)} ms CPU per event (${r.count} events)`);
} finally {
  http.close();
  await tvpb.cleanup();
  if (admin) await dropDatabase(admin, dbName);
}
process.exit(0);
