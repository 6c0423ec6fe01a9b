/**
 * Time, for demos and checks (issue 11 §10): outside production an administrator moves the
 * installation's clock forward (API and /admin/clock); deadlines fall due by it and the header shows
 * the simulated date. Refused in production; TVPB_CLOCK_OFFSET sets it at start.
 */
import { expect } from "chai";
import { randomUUID } from "node:crypto";
import request from "supertest";
import { and, eq } from "drizzle-orm";
import { deadlines, history } from "../../server/db/schema.js";
import { ConfigError, loadConfig } from "../../server/config.js";
import { ManualClock, MovableClock, parseClockOffset } from "../../server/runtime/clock.js";
import { databaseClockStore } from "../../server/runtime/clockStore.js";
import { createDeadlineWorker } from "../../server/runtime/deadlineWorker.js";
import { createApp } from "../../server/app.js";
import { createWorld, silentLogger } from "../support/testApp.js";
import { placeOrder, send } from "../support/flows.js";

describe("the installation's clock", () => {
  it("moves forward for an administrator, and the screening deadline falls due by it", async () => {
    const w = await createWorld({ movableClock: "development" });
    const a = await placeOrder(w);
    await send(w, "clerk", a.id, { type: "order.register" });
    const [due] = await w.db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.assignmentId, a.id), eq(deadlines.key, "screening")));
    expect(due.status).to.equal("pending");
    expect((await w.as("secretariat").post("/api/v1/clock/advance", { by: "30d" })).status).to.equal(403);
    expect((await w.as("admin").post("/api/v1/clock/advance", { by: "-3d" })).body.error.code).to.equal(
      "invalid_offset",
    );
    const before = w.runClock.now().getTime();
    const moved = await w.as("admin").post("/api/v1/clock/advance", { by: "30d" });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
    expect(moved.body.data.simulated).to.equal(true);
    expect(moved.body.data.offsetMs).to.equal(30 * 86_400_000);
    expect(new Date(moved.body.data.now).getTime() - before).to.be.within(30 * 86_400_000, 30 * 86_400_000 + 5000);
    await w.settled();
    const [after] = await w.db.select().from(deadlines).where(eq(deadlines.id, due.id));
    expect(after.status).to.not.equal("pending");
    const events = await w.db.select().from(history).where(eq(history.workflowId, a.id));
    expect(events.map((h) => h.eventType)).to.include("deadline.reached");
    const page = await w.as("secretariat").get("/");
    expect(page.text).to.include("simulated-clock");
  });

  it("offers the page under /admin and shows no banner while the clock is real", async () => {
    const w = await createWorld({ movableClock: "development" });
    expect((await w.as("agency").get("/")).text).to.not.include("simulated-clock");
    const page = await w.as("admin").get("/admin/clock");
    expect(page.status).to.equal(200);
    expect(page.text).to.include('name="by"');
    const posted = await w.as("admin").post("/admin/clock").type("form").send({ by: "2d" });
    expect(posted.status).to.equal(303);
    expect((await w.as("admin").get("/api/v1/clock")).body.data.offsetMs).to.equal(2 * 86_400_000);
    expect((await w.as("agency").get("/admin/clock")).status).to.equal(403);
  });

  it("refuses to move in production with a clear error", async () => {
    const w = await createWorld({ movableClock: "production" });
    const r = await w.as("admin").post("/api/v1/clock/advance", { by: "3d" });
    expect(r.status).to.equal(403);
    expect(r.body.error.code).to.equal("clock_fixed_in_production");
    expect((await w.as("admin").get("/api/v1/clock")).body.data.movable).to.equal(false);
  });

  it("reads TVPB_CLOCK_OFFSET at start, and refuses it in production", () => {
    expect(parseClockOffset("3d")).to.equal(3 * 86_400_000);
    expect(parseClockOffset("1d6h")).to.equal(30 * 3_600_000);
    expect(parseClockOffset("36")).to.equal(36 * 3_600_000);
    expect(parseClockOffset("soon")).to.equal(null);
    expect(loadConfig({ TVPB_CLOCK_OFFSET: "3d" }).clockOffsetMs).to.equal(3 * 86_400_000);
    expect(() => loadConfig({ TVPB_CLOCK_OFFSET: "yesterday" })).to.throw(ConfigError, /TVPB_CLOCK_OFFSET/);
    const prod = {
      NODE_ENV: "production",
      TVPB_CLOCK_OFFSET: "3d",
      SESSION_SECRET: "s".repeat(40),
      PUBLIC_URL: "https://tvpb.example.vn",
      DATABASE_URL: "postgres://tvpb@127.0.0.1/tvpb",
    };
    expect(() => loadConfig(prod)).to.throw(ConfigError, /TVPB_CLOCK_OFFSET: the clock cannot be moved in production/);
  });
});

describe("the installation's clock across processes", () => {
  it("is shared through the database: a move made through one app instance is the time of another", async () => {
    const key = `test-${randomUUID()}`;
    const w = await createWorld({ movableClock: "development", clockKey: key });
    const a = await placeOrder(w);
    await send(w, "clerk", a.id, { type: "order.register" });
    // A second process of the same installation: its own app and clock over the same database.
    const otherClock = new MovableClock(new ManualClock(w.clock.now()), {
      movable: true,
      store: databaseClockStore(w.db, key),
    });
    await otherClock.start();
    const other = createApp({
      ...{ db: w.db, database: w.database, clock: otherClock, logger: silentLogger },
      publicUrl: "http://tvpb.test",
      documents: w.documents,
    });
    const admin = `Bearer ${w.tokens[w.userFor("admin").id]}`;
    const clockOf = async (app: typeof other) =>
      (await request(app).get("/api/v1/clock").set("Authorization", admin)).body.data;
    expect((await clockOf(other)).offsetMs).to.equal(0);

    const moved = await request(w.app).post("/api/v1/clock/advance").set("Authorization", admin).send({ by: "30d" });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
    const seen = await clockOf(other);
    expect(seen.offsetMs, "the other instance reads the move").to.equal(30 * 86_400_000);
    expect(seen.simulated).to.equal(true);
    expect(new Date(seen.now).getTime() - w.clock.now().getTime()).to.equal(30 * 86_400_000);
    // Moves add up whichever instance makes them; the first instance follows the second's.
    await request(other).post("/api/v1/clock/advance").set("Authorization", admin).send({ by: "1d" });
    expect((await clockOf(w.app)).offsetMs).to.equal(31 * 86_400_000);
    expect((await request(w.app).get("/").set("Authorization", admin)).text).to.include("simulated-clock");

    // A process starting later with a smaller TVPB_CLOCK_OFFSET keeps the installation's time.
    const late = new MovableClock(new ManualClock(w.clock.now()), {
      offsetMs: 2 * 86_400_000,
      movable: true,
      store: databaseClockStore(w.db, key),
    });
    await late.start();
    expect(late.offsetMs).to.equal(31 * 86_400_000);

    // The deadline worker of the other process finds the screening deadline due by the shared clock.
    const worker = createDeadlineWorker({
      db: w.db,
      organizations: () => [w.org.id],
      clock: otherClock,
      logger: silentLogger,
    });
    await otherClock.sync();
    expect(await worker.drain()).to.be.at.least(1);
    const [after] = await w.db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.assignmentId, a.id), eq(deadlines.key, "screening")));
    expect(after.status).to.not.equal("pending");
  });

  it("keeps each process's clock fixed in production, whatever the database holds", async () => {
    const key = `test-${randomUUID()}`;
    const w = await createWorld();
    await databaseClockStore(w.db, key).add(5 * 86_400_000);
    const fixed = new MovableClock(new ManualClock(w.clock.now()), {
      movable: false,
      store: databaseClockStore(w.db, key),
    });
    await fixed.start();
    await fixed.sync();
    expect(fixed.offsetMs).to.equal(0);
  });
});
