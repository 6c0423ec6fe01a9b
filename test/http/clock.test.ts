/**
 * Time, for demos and checks (issue 11 §10): outside production an administrator moves the
 * installation's clock forward (API and /admin/clock); deadlines fall due by it and the header shows
 * the simulated date. Refused in production; TVPB_CLOCK_OFFSET sets it at start.
 */
import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { deadlines, history } from "../../server/db/schema.js";
import { ConfigError, loadConfig } from "../../server/config.js";
import { parseClockOffset } from "../../server/runtime/clock.js";
import { createWorld } from "../support/testApp.js";
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
