/**
 * The demo seeds two Unions (issue 11 §2): Tuyên Quang's log-ins keep working, Hà Giang's people see
 * only Hà Giang, the person in both chooses at sign-in, and the operator signs in.
 */
import { expect } from "chai";
import request from "supertest";
import { createApp } from "../../server/app.js";
import { openDatabase, type Database } from "../../server/db/connect.js";
import { ManualClock } from "../../server/runtime/clock.js";
import { DEMO_PASSWORD, seedDemo } from "../../server/seed/demo.js";
import { DEMO_SHARED_EMAIL } from "../../server/seed/demoSecondUnion.js";
import { freshDatabaseUrl } from "../support/db.js";
import { silentLogger } from "../support/testApp.js";

describe("the demo's two Unions", function () {
  this.timeout(600_000);
  let database: Database;
  let drop: () => Promise<void>;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    const fresh = await freshDatabaseUrl("demo_seed");
    drop = fresh.drop;
    database = await openDatabase(fresh.url ? { databaseUrl: fresh.url } : { memory: true });
    const clock = new ManualClock("2026-11-25T02:00:00Z");
    await seedDemo({ db: database.db, clock, publicUrl: "http://tvpb.test" });
    app = createApp({ db: database.db, database, clock, logger: silentLogger, publicUrl: "http://tvpb.test" });
  });
  after(async () => {
    await database.close();
    await drop();
  });

  const signIn = async (email: string, extra: object = {}) => {
    const agent = request.agent(app);
    const res = await agent.post("/api/v1/auth/login").send({ email, password: DEMO_PASSWORD, ...extra });
    return { res, agent };
  };

  it("keeps the Tuyên Quang log-ins and shows each Union only its own assignments", async () => {
    const tq = await signIn("banthuky@demo.tvpb.vn");
    expect(tq.res.status).to.equal(200);
    const hg = await signIn("banthuky@hagiang.demo.tvpb.vn");
    expect(hg.res.status).to.equal(200);
    const mine = (await tq.agent.get("/api/v1/assignments")).body.data as Array<{ id: string; title: string }>;
    const theirs = (await hg.agent.get("/api/v1/assignments")).body.data as Array<{ id: string; title: string }>;
    expect(mine.length, "three seeded, one started from the annual list").to.equal(4);
    expect(theirs.length).to.equal(1);
    expect(mine.map((a) => a.title)).to.include(theirs[0].title);
    expect(mine.map((a) => a.id)).to.not.include(theirs[0].id);
    expect((await tq.agent.get(`/api/v1/assignments/${theirs[0].id}`)).status).to.equal(404);
  });

  it("asks the person in both Unions to choose, and signs the operator in", async () => {
    const both = await signIn(DEMO_SHARED_EMAIL);
    expect(both.res.status).to.equal(409);
    expect((await signIn(DEMO_SHARED_EMAIL, { organization: "ha-giang" })).res.status).to.equal(200);
    const op = await request(app)
      .post("/api/v1/operator/auth/login")
      .send({ email: "vanhanh@demo.tvpb.vn", password: DEMO_PASSWORD });
    expect(op.status).to.equal(200);
  });

  it("seeds the year's list in execution, next year's call, the rates and a paid fee, for the accountant and an association", async () => {
    const sec = await signIn("banthuky@demo.tvpb.vn");
    const plans = (await sec.agent.get("/api/v1/annual-plans")).body.data as Array<{
      id: string;
      year: number;
      state: string;
    }>;
    expect(plans.map((p) => [p.year, p.state]).sort()).to.deep.equal([
      [2026, "inExecution.running"],
      [2027, "collecting"],
    ]);
    const thisYear = (await sec.agent.get(`/api/v1/annual-plans/${plans.find((p) => p.year === 2026)!.id}`)).body.data;
    const statuses = (thisYear.items as Array<{ status: string }>).map((i) => i.status).sort();
    expect(statuses).to.deep.equal(["approved", "approved", "cut", "started"]);
    const mine = (await sec.agent.get("/api/v1/assignments")).body.data as Array<{ origin: string }>;
    expect(mine.filter((a) => a.origin === "annual_list")).to.have.length(1);
    const accountant = await signIn("ketoan@demo.tvpb.vn");
    expect(accountant.res.status).to.equal(200);
    const paid = (await accountant.agent.get("/api/v1/payments?year=2026")).body.data as Array<{ amount: number }>;
    expect(paid.map((p) => p.amount)).to.deep.equal([2_400_000]);
    const assoc = await signIn("hoidongy@demo.tvpb.vn");
    expect(assoc.res.status).to.equal(200);
    const next = (await assoc.agent.get(`/api/v1/annual-plans/${plans.find((p) => p.year === 2027)!.id}`)).body.data;
    expect(next.items, "the association sees only its own proposal").to.have.length(1);
  });
});
