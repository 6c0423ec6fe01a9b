/**
 * The demo's conveniences (issue 14 §8): the sign-in page lists every demo Union's accounts, and a
 * demo account switches to another demo account without a password — never outside the demo.
 */
import { expect } from "chai";
import request from "supertest";
import { eq } from "drizzle-orm";
import { users } from "../../../server/db/schema.js";
import { hashPassword } from "../../../server/auth/passwords.js";
import { createApp } from "../../../server/app.js";
import { createWorld, silentLogger, type World } from "../../support/testApp.js";
import { allowPageSignIn, PAGE_PASSWORD, pageAgent } from "../../support/pageAgent.js";

const RENAMED = {
  agency: "coquan@demo.tvpb.vn",
  secretariat: "banthuky@demo.tvpb.vn",
} as const;

describe("demo: switching role and every Union's log-ins", () => {
  let w: World;
  let second: World;
  const originals: Array<{ id: string; email: string }> = [];

  async function rename(world: World, key: Parameters<World["userFor"]>[0], email: string) {
    const u = world.userFor(key);
    originals.push({ id: u.id, email: u.email });
    await world.db.update(users).set({ email }).where(eq(users.id, u.id));
  }

  before(async () => {
    w = await createWorld();
    second = await createWorld();
    await allowPageSignIn(w);
    await rename(w, "agency", RENAMED.agency);
    await rename(w, "secretariat", RENAMED.secretariat);
    await rename(second, "admin", "quantri@hagiang.demo.tvpb.vn");
    const hash = await hashPassword("tvpb-demo-2026");
    await second.db
      .update(users)
      .set({ passwordHash: hash })
      .where(eq(users.id, second.userFor("admin").id));
  });
  after(async () => {
    for (const o of originals) await w.db.update(users).set({ email: o.email }).where(eq(users.id, o.id));
  });

  async function signInAs(email: string) {
    const agent = request.agent(w.app);
    const login = await agent.post("/login").type("form").send({ email, password: PAGE_PASSWORD, next: "/" });
    expect(login.status).to.equal(303);
    const cookie = String(login.headers["set-cookie"]).split(";")[0];
    const page = await agent.get("/").expect(200);
    return { agent, page, cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
  }

  it("lists the demo accounts of every Union with their roles, each signing in with one click", async () => {
    const page = await request(w.app).get("/login").expect(200);
    const html = (s: string) => s.replace(/&/g, "&amp;");
    expect(page.text).to.contain(`<h3>${html(w.org.name)}</h3>`);
    expect(page.text).to.contain(`<h3>${html(second.org.name)}</h3>`);
    expect(page.text).to.contain('value="quantri@hagiang.demo.tvpb.vn"');
    expect(page.text).to.contain(">Quản trị</button>");
    const signed = await request(second.app)
      .post("/login")
      .type("form")
      .send({ email: "quantri@hagiang.demo.tvpb.vn", password: "tvpb-demo-2026", next: "/" });
    expect(signed.status).to.equal(303);
  });

  it("switches a demo account to another demo role without a password, ending the old session", async () => {
    const { agent, page, csrf, cookie } = await signInAs(RENAMED.agency);
    const secretariat = w.userFor("secretariat");
    expect(page.text).to.contain(`<option value="${secretariat.id}">`);
    const res = await agent.post("/demo/switch").type("form").send({ _csrf: csrf, account: secretariat.id });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal("/?done=demo.switched");
    const now = await agent.get(res.headers.location).expect(200);
    expect(now.text).to.contain(`<span class="me">${secretariat.fullName}</span>`);
    expect(now.text).to.contain("Đã chuyển sang tài khoản trình diễn đã chọn");
    const oldSession = await request(w.app).get("/assignments").set("Cookie", cookie);
    expect(oldSession.status).to.equal(303);
    expect(oldSession.headers.location).to.match(/^\/login/);
  });

  it("refuses a switch without the CSRF token, from a non-demo account, towards a non-demo account", async () => {
    const { agent, csrf } = await signInAs(RENAMED.agency);
    const noCsrf = await agent
      .post("/demo/switch")
      .type("form")
      .send({ account: w.userFor("secretariat").id });
    expect(noCsrf.status).to.equal(403);
    const toNonDemo = await agent
      .post("/demo/switch")
      .type("form")
      .send({ _csrf: csrf, account: w.userFor("clerk").id });
    expect(toNonDemo.status).to.equal(400);
    expect(toNonDemo.text).to.contain("Không có tài khoản trình diễn này.");
    const leader = await pageAgent(w, "leadership");
    expect((await leader.agent.get("/")).text).not.to.contain('action="/demo/switch"');
    const fromNonDemo = await leader.agent
      .post("/demo/switch")
      .type("form")
      .send({ _csrf: leader.csrf, account: w.userFor("secretariat").id });
    expect(fromNonDemo.status).to.equal(403);
    expect(fromNonDemo.text).to.contain("Chỉ đổi vai trò được trong bản trình diễn.");
  });

  it("offers nothing and refuses the switch in production, whatever the database holds", async () => {
    const app = createApp({
      db: w.db,
      database: w.database,
      clock: w.clock,
      logger: silentLogger,
      publicUrl: "http://tvpb.test",
      production: true,
    });
    const agent = request.agent(app);
    const login = await agent.get("/login").expect(200);
    expect(login.text).not.to.contain("demo.tvpb.vn");
    await agent.post("/login").type("form").send({ email: RENAMED.agency, password: PAGE_PASSWORD, next: "/" });
    const page = await agent.get("/").expect(200);
    expect(page.text).not.to.contain('action="/demo/switch"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const res = await agent
      .post("/demo/switch")
      .type("form")
      .send({ _csrf: csrf, account: w.userFor("secretariat").id });
    expect(res.status).to.equal(403);
  });
});
