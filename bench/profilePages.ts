/**
 * Where a page's time goes, on a database kept by `BENCH_SCALE_KEEP=1 BENCH_SCALE_N=25000 npm run
 * bench -- scale` (PostgreSQL): the clerk's registers and the secretariat's dashboard through HTTP
 * (p50/p95 of `PROFILE_REQUESTS`, default 40), and each read behind them called in-process.
 * `node --import tsx bench/profilePages.ts <database url> '<tokens JSON as the scale bench logged them>'`.
 */
import { users } from "../server/db/schema.js";
import { actorFromUser } from "../server/http/auth.js";
import { listRegisters } from "../server/queries/listRegisters.js";
import { listAssignments } from "../server/queries/listAssignments.js";
import { loadDashboardFigures } from "../server/queries/loadDashboardFigures.js";
import { listLatePlanItems } from "../server/queries/listLatePlanItems.js";
import { loadNotifications } from "../server/queries/loadNotifications.js";
import { statesWaitingOn } from "../server/policies/pagePolicy.js";
import type { Role } from "../server/runtime/actor.js";
import { httpClient, ms, percentile, startProduct } from "./lib.js";
import { recordStatements } from "../test/support/statements.js";

const [databaseUrl, tokensJson] = process.argv.slice(2);
const tokens = JSON.parse(tokensJson) as Record<string, string>;
const requests = Number(process.env.PROFILE_REQUESTS) || 40;
const tvpb = await startProduct({ databaseUrl });
const http = httpClient(tvpb.url, 2);

async function time(what: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 5; i++) await fn();
  const t: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < requests; i++) {
    const st = performance.now();
    await fn();
    t.push(performance.now() - st);
  }
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000 / requests;
  console.log(`${what.padEnd(40)} p50 ${ms(percentile(t, 50))}  p95 ${ms(percentile(t, 95))}  Node CPU ${ms(cpuMs)}`);
}

/** Each statement `fn` sends, explained with ANALYZE on a warm connection: its execution time and plan root. */
async function explain(what: string, fn: () => Promise<unknown>) {
  const { sent: seen } = await recordStatements(tvpb.db, fn);
  for (const q of seen.filter((x) => /^\s*(select|with)\b/i.test(x.text))) {
    let line = "";
    for (let i = 0; i < 3; i++) {
      const rows = await tvpb.database.query<{ "QUERY PLAN": string }>(
        `explain (analyze, buffers) ${q.text}`,
        q.params,
      );
      const plan = rows.map((r) => r["QUERY PLAN"]);
      const exec = plan.find((l) => l.startsWith("Execution Time")) ?? "";
      line = `${exec.replace("Execution Time: ", "")} | ${plan[0].trim().slice(0, 90)}`;
    }
    console.log(`  ${what}: ${line}\n    ${q.text.replace(/\s+/g, " ").slice(0, 220)}`);
  }
}

try {
  const us = await tvpb.db.select().from(users);
  const actor = (role: Role) => actorFromUser(us.find((u) => u.roles.includes(role) && !u.expertId)!);
  const clerk = actor("clerk");
  const sec = actor("secretariat");
  const now = tvpb.clock.now();
  const year = Number(now.toISOString().slice(0, 4));
  await time("select 1 (a round trip)", () => tvpb.database.query("select 1"));
  await time("GET /registers (clerk)", () => http.expect("GET", "/registers", tokens.clerk));
  await time("GET / (secretariat)", () => http.expect("GET", "/", tokens.secretariat));
  await time("GET / (leadership)", () => http.expect("GET", "/", tokens.leadership));
  await time("listRegisters", () => listRegisters(tvpb.db, clerk, year));
  const mine = statesWaitingOn(sec);
  await time("dashboard waiting list (secretariat)", () =>
    listAssignments(tvpb.db, sec, now, { waitingOn: mine, order: "due", limit: 50, count: false }),
  );
  await time("loadDashboardFigures (secretariat)", () => loadDashboardFigures(tvpb.db, sec, now));
  await time("listLatePlanItems (secretariat)", () => listLatePlanItems(tvpb.db, sec, now));
  await time("loadNotifications (clerk)", () => loadNotifications(tvpb.db, clerk, { now }));
  await time("loadNotifications (secretariat)", () => loadNotifications(tvpb.db, sec, { now }));
  if (process.env.PROFILE_EXPLAIN === "1") {
    await explain("registers", () => listRegisters(tvpb.db, clerk, year));
    await explain("waiting", () =>
      listAssignments(tvpb.db, sec, now, { waitingOn: mine, order: "due", limit: 50, count: false }),
    );
    await explain("figures", () => loadDashboardFigures(tvpb.db, sec, now));
    await explain("notifications clerk", () => loadNotifications(tvpb.db, clerk, { now }));
    await explain("notifications secretariat", () => loadNotifications(tvpb.db, sec, { now }));
  }
} finally {
  http.close();
  await tvpb.cleanup();
}
