/**
 * Surviving a database outage inside one process: requests get 503 `database_unavailable` while the
 * database is away, workers back off and resume by themselves, and effect leases are short, renewed
 * while a handler runs, taken over once they run out, and fenced so a late worker records nothing.
 * On PostgreSQL the outage is real: a TCP proxy in front of the test cluster drops every connection,
 * also one a transaction holds. Several processes and a real restart: test/http/databaseRestart.test.ts.
 */
import { expect } from "chai";
import net from "node:net";
import request from "supertest";
import { eq } from "drizzle-orm";
import { createApp } from "../../server/app.js";
import { openDatabase, type Db } from "../../server/db/connect.js";
import { effects } from "../../server/db/schema.js";
import { isDatabaseUnavailable } from "../../server/errors.js";
import type { Clock } from "../../server/runtime/clock.js";
import { createEffectWorker, type EffectHandler } from "../../server/runtime/effectWorker.js";
import { pollDelay } from "../../server/runtime/pollingLoop.js";
import { dbKind } from "../support/db.js";
import { createWorld, silentLogger, type World } from "../support/testApp.js";

/** The error each driver gives when its connection is gone. */
const lostConnection = () =>
  dbKind() === "postgres" ? new Error("Connection terminated unexpectedly") : new Error("PGlite is closed");

/** The world's database, failing every query as a lost connection would while `state.down`. */
function flaky(db: Db, state: { down: boolean }): Db {
  const verbs = new Set(["select", "insert", "update", "delete", "execute", "transaction"]);
  return new Proxy(db, {
    get: (target, key) =>
      state.down && typeof key === "string" && verbs.has(key)
        ? () => {
            throw lostConnection();
          }
        : Reflect.get(target, key),
  });
}

/** A clock that runs in real time from the world's clock (leases expire while the test waits). */
function runningClock(w: World): Clock {
  const base = w.clock.now().getTime();
  const started = Date.now();
  return { now: () => new Date(base + Date.now() - started) };
}

/** Queues one effect of `kind` due now; returns its id. */
async function queueProbe(w: World, kind: string, clock: Clock = w.clock) {
  const [row] = await w.db
    .insert(effects)
    .values({
      organizationId: w.org.id,
      assignmentId: null,
      kind,
      payload: {},
      idempotencyKey: `${kind}:${Math.random()}`,
      runAfter: new Date(clock.now().getTime() - 1000),
    })
    .returning();
  return row.id;
}

const effectRow = async (w: World, id: number) => (await w.db.select().from(effects).where(eq(effects.id, id)))[0];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logs = () => {
  const lines: Array<{ level: string; event?: string }> = [];
  const at = (level: string) => (o: object) => void lines.push({ level, ...(o as { event?: string }) });
  return { lines, logger: { info: at("info"), warn: at("warn"), error: at("error") } };
};

describe("a database outage inside one process", () => {
  it("recognises lost connections, and only those, as the database being unavailable", () => {
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).to.equal(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code: "ECONNREFUSED" }))).to.equal(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection"), { code: "57P01" }))).to.equal(true);
    expect(isDatabaseUnavailable(new Error("Failed query", { cause: new Error("PGlite is closed") }))).to.equal(true);
    expect(isDatabaseUnavailable(Object.assign(new Error("duplicate key"), { code: "23505" }))).to.equal(false);
    expect(isDatabaseUnavailable(new Error("connection reset at server/db/connect.ts:42"))).to.equal(false);
  });

  it("answers 503 database_unavailable while the database is away and serves again once it is back", async () => {
    const w = await createWorld();
    const state = { down: false };
    const app = createApp({
      db: flaky(w.db, state),
      database: w.database,
      clock: w.clock,
      logger: silentLogger,
      publicUrl: "http://tvpb.test",
    });
    const list = () =>
      request(app)
        .get("/api/v1/assignments")
        .set("Authorization", `Bearer ${w.tokens[w.userFor("secretariat").id]}`);
    expect((await list()).status).to.equal(200);
    state.down = true;
    const away = await list();
    expect(away.status).to.equal(503);
    expect(away.body.error.code).to.equal("database_unavailable");
    state.down = false;
    expect((await list()).status).to.equal(200);
  });

  it("backs the effect worker off while the database is away and resumes by itself, logging once each way", async () => {
    const w = await createWorld();
    const state = { down: true };
    const calls: number[] = [];
    const { lines, logger } = logs();
    const worker = createEffectWorker({
      db: flaky(w.db, state),
      organizations: () => [w.org.id],
      clock: w.clock,
      logger,
      handlers: { probe: async (e) => void calls.push(e.id) },
    });
    const id = await queueProbe(w, "probe");
    worker.start(20);
    try {
      const failures = () => lines.filter((l) => l.event === "effect_worker.failed");
      for (let i = 0; i < 400 && failures().length === 0; i++) await sleep(50); // wait for the first failure
      await sleep(400); // 20, 40, 80, 160 ms … between failing batches: several more fail, none is logged
      const failed = failures();
      expect(failed, "the first failure is logged, not every one").to.have.length(1);
      state.down = false;
      for (let i = 0; i < 100 && !calls.includes(id); i++) await sleep(50);
      expect(calls).to.include(id);
      expect(lines.filter((l) => l.event === "effect_worker.resumed")).to.have.length(1);
    } finally {
      await worker.stop();
    }
    for (let i = 0; i < 50 && (await effectRow(w, id)).status !== "done"; i++) await sleep(20);
    expect((await effectRow(w, id)).status).to.equal("done");
    expect(pollDelay(1000, 0)).to.equal(1000);
    expect(pollDelay(1000, 3)).to.equal(4000);
    expect(pollDelay(1000, 10), "never longer than 5 s").to.equal(5000);
  });

  it("renews the lease while a long effect runs, so another worker does not take it", async () => {
    const w = await createWorld();
    const clock = runningClock(w);
    let runs = 0;
    const slow: EffectHandler = async () => {
      runs++;
      await sleep(1500);
    };
    const make = () =>
      createEffectWorker({
        db: w.db,
        organizations: () => [w.org.id],
        clock,
        logger: silentLogger,
        leaseMs: 400,
        handlers: { slowProbe: slow },
      });
    const [a, b] = [make(), make()];
    const id = await queueProbe(w, "slowProbe", clock);
    const first = a.runOnce();
    await sleep(100);
    // B looks for work for well beyond A's 400 ms lease; A's heartbeat keeps it.
    for (let i = 0; i < 12; i++) {
      await b.runOnce();
      await sleep(100);
    }
    await first;
    const row = await effectRow(w, id);
    expect(runs).to.equal(1);
    expect(row.status).to.equal("done");
    expect(row.attempts).to.equal(1);
    expect(row.lockedBy).to.equal(null);
  });

  it("takes over an effect whose worker stopped renewing, and records nothing the late worker says", async () => {
    const w = await createWorld();
    const clock = runningClock(w);
    let release: () => void = () => undefined;
    const stuck = new Promise<void>((r) => (release = r));
    const { lines, logger } = logs();
    // A "crashed": it never renews (heartbeat far beyond its lease) and its handler hangs.
    const a = createEffectWorker({
      db: w.db,
      organizations: () => [w.org.id],
      clock,
      logger,
      leaseMs: 300,
      heartbeatMs: 3_600_000,
      handlers: { probe: () => stuck.then(() => Promise.reject(new Error("A gave up late"))) },
    });
    const b = createEffectWorker({
      db: w.db,
      organizations: () => [w.org.id],
      clock,
      logger: silentLogger,
      leaseMs: 300,
      handlers: { probe: async () => {} },
    });
    const id = await queueProbe(w, "probe", clock);
    const aRun = a.runOnce();
    await sleep(100);
    expect(await b.runOnce(), "not before the lease has run out").to.equal(0);
    await sleep(400);
    expect(await b.runOnce()).to.equal(1);
    release();
    await aRun;
    const row = await effectRow(w, id);
    expect(row.status).to.equal("done");
    expect(row.attempts).to.equal(2);
    expect(row.lastError, "A's late failure is not recorded").to.equal(null);
    expect(lines.some((l) => l.event === "effect.probe.lease_lost")).to.equal(true);
  });

  it("aborts a handler's signal once another worker holds its effect", async () => {
    const w = await createWorld();
    let aborted = false;
    const worker = createEffectWorker({
      db: w.db,
      organizations: () => [w.org.id],
      clock: w.clock,
      logger: silentLogger,
      leaseMs: 400,
      handlers: {
        probe: async (_e, { signal }) => {
          for (let i = 0; i < 60 && !signal.aborted; i++) await sleep(25);
          aborted = signal.aborted;
        },
      },
    });
    const id = await queueProbe(w, "probe");
    const run = worker.runOnce();
    await sleep(50);
    await w.db.update(effects).set({ lockedBy: "another-process" }).where(eq(effects.id, id));
    await run;
    expect(aborted).to.equal(true);
  });

  describe("a real lost connection (PostgreSQL)", () => {
    it("keeps the process alive when a connection a transaction holds is dropped, answers 503, and recovers", async function () {
      if (dbKind() !== "postgres") this.skip();
      const w = await createWorld();
      const proxy = await startProxy(new URL(process.env.DATABASE_URL!));
      const database = await openDatabase({ databaseUrl: proxy.url, migrate: false, logger: silentLogger });
      try {
        const app = createApp({
          db: database.db,
          database,
          clock: w.clock,
          logger: silentLogger,
          publicUrl: "http://t",
        });
        const token = w.tokens[w.userFor("secretariat").id];
        const list = () => request(app).get("/api/v1/assignments").set("Authorization", `Bearer ${token}`);
        expect((await list()).status).to.equal(200);
        // A transaction holds a checked-out client, idle between statements, when every connection is cut.
        let cut: () => void = () => undefined;
        const cutNow = new Promise<void>((r) => (cut = r));
        const held = database.db.transaction(async (tx) => {
          await tx.execute("select 1");
          await cutNow;
          await sleep(100);
          await tx.execute("select 1");
        });
        await sleep(50);
        proxy.down();
        cut();
        const failed = await held.then(
          () => null,
          (err: unknown) => err,
        );
        expect(isDatabaseUnavailable(failed), String(failed)).to.equal(true);
        const away = await list();
        expect(away.status).to.equal(503);
        expect(away.body.error.code).to.equal("database_unavailable");
        proxy.up();
        expect((await list()).status).to.equal(200);
      } finally {
        proxy.up();
        await database.close();
        await proxy.close();
      }
    });
  });
});

/** A TCP proxy to PostgreSQL that can drop every connection and refuse new ones (`down`) until `up`. */
async function startProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let refusing = false;
  const server = net.createServer((client) => {
    if (refusing) return void client.destroy();
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => {
        sockets.delete(s);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = new URL(target);
  url.host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return {
    url: url.toString(),
    down() {
      refusing = true;
      for (const s of sockets) s.destroy();
    },
    up() {
      refusing = false;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
