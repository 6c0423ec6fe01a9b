/**
 * The web UI through HTTP with real cookie sessions: CSRF, session cookie flags, the log-in rate
 * limit, sign-out everywhere, security headers, form errors re-rendered beside their field, and
 * the pages each role lands on.
 */
import { expect } from "chai";
import request from "supertest";
import { eq } from "drizzle-orm";
import { users } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder } from "../support/flows.js";

const PASSWORD = "mat-khau-thu-nghiem-2026";

describe("web pages over HTTP", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
    const hash = await hashPassword(PASSWORD);
    for (const u of w.users) await w.db.update(users).set({ passwordHash: hash }).where(eq(users.id, u.id));
  });

  /** Signs in through the form; returns an agent holding the session cookie and the page's CSRF token. */
  async function signIn(key: Parameters<World["userFor"]>[0]) {
    const agent = request.agent(w.app);
    const res = await agent
      .post("/login")
      .type("form")
      .send({ email: w.userFor(key).email, password: PASSWORD, next: "/" });
    expect(res.status).to.equal(303);
    const page = await agent.get("/");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(csrf, "CSRF token in the page").to.be.a("string");
    return { agent, csrf: csrf!, cookie: res.headers["set-cookie"] as unknown as string[] };
  }

  it("sets an HttpOnly, SameSite session cookie on sign-in", async () => {
    const { cookie } = await signIn("secretariat");
    const c = cookie.find((x) => x.startsWith("tvpb_session="))!;
    expect(c).to.match(/HttpOnly/i);
    expect(c).to.match(/SameSite=Lax/i);
    expect(c).to.match(/Path=\//);
  });

  it("refuses a form without the CSRF token (403 csrf_failed) and accepts it with the token", async () => {
    const { agent, csrf } = await signIn("agency");
    const order = await placeOrder(w);
    const id = order.id as string;
    const refused = await agent
      .post(`/assignments/${id}/events`)
      .type("form")
      .set("Accept", "application/json")
      .send({ type: "assignment.withdraw", reason: "Thử" });
    expect(refused.status).to.equal(403);
    expect(refused.body.error.code).to.equal("csrf_failed");
    const wrong = await agent
      .post("/logout")
      .type("form")
      .set("Accept", "application/json")
      .send({ _csrf: "not-the-token" });
    expect(wrong.status).to.equal(403);
    const ok = await agent
      .post(`/assignments/${id}/events`)
      .type("form")
      .send({ _csrf: csrf, type: "assignment.withdraw", reason: "Cơ quan điều chỉnh kế hoạch." });
    expect(ok.status).to.equal(303);
    expect(ok.headers.location).to.equal(`/assignments/${id}?done=assignment.withdraw`);
  });

  it("re-renders a failed action form with the message next to the field", async () => {
    const { agent, csrf } = await signIn("secretariat");
    const order = await placeOrder(w);
    await w.as("clerk").post(`/api/v1/assignments/${order.id}/events`, { type: "order.register" }).expect(200);
    const res = await agent
      .post(`/assignments/${order.id}/events`)
      .type("form")
      .send({ _csrf: csrf, type: "documents.request", missingDocuments: "" });
    expect(res.status).to.equal(400);
    expect(res.text).to.match(/id="f-documents.request-missingDocuments"[^>]*aria-invalid="true"/);
    expect(res.text).to.contain('class="error" id="f-documents.request-missingDocuments-err"');
  });

  it("answers 429 with Retry-After once failed sign-ins pass the free few, and lets the owner in after it", async () => {
    const agent = request.agent(w.app);
    const email = w.userFor("leadership").email;
    for (let i = 0; i < 6; i++) {
      const r = await agent
        .post("/login")
        .type("form")
        .send({ email, password: `sai-mat-khau-${i}` });
      expect(r.status).to.equal(401);
    }
    const limited = await agent.post("/login").type("form").send({ email, password: PASSWORD });
    expect(limited.status).to.equal(429);
    w.clock.advance(Number(limited.headers["retry-after"]) * 1000);
    const ok = await agent.post("/login").type("form").send({ email, password: PASSWORD, next: "/" });
    expect(ok.status).to.equal(303);
  });

  it("signs out everywhere: the other sessions of the user stop working", async () => {
    const a = await signIn("clerk");
    const b = await signIn("clerk");
    expect((await b.agent.get("/registers")).status).to.equal(200);
    const out = await a.agent.post("/logout-everywhere").type("form").send({ _csrf: a.csrf });
    expect(out.status).to.equal(303);
    const after = await b.agent.get("/registers");
    expect(after.status).to.equal(303);
    expect(after.headers.location).to.match(/^\/login/);
  });

  it("sends the security headers on pages", async () => {
    const res = await request(w.app).get("/login");
    expect(res.status).to.equal(200);
    expect(res.headers["content-security-policy"]).to.contain("script-src 'self'");
    expect(res.headers["x-content-type-options"]).to.equal("nosniff");
    expect(res.headers["x-frame-options"]).to.equal("SAMEORIGIN");
    expect(res.headers["strict-transport-security"]).to.be.a("string");
    expect(res.headers["referrer-policy"]).to.equal("no-referrer");
    expect(res.headers["cache-control"]).to.equal("no-store");
  });

  it("sends people who are not signed in to the sign-in page, and switches language with a cookie", async () => {
    const res = await request(w.app).get("/assignments");
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal("/login?next=%2Fassignments");
    const vi = await request(w.app).get("/login");
    expect(vi.text).to.contain('<html lang="vi">').and.to.contain("Đăng nhập");
    const sw = await request(w.app).get("/lang/en?next=/login");
    expect(sw.status).to.equal(303);
    const en = await request(w.app)
      .get("/login")
      .set("Cookie", (sw.headers["set-cookie"] as unknown as string[])[0].split(";")[0]);
    expect(en.text).to.contain('<html lang="en">').and.to.contain("Sign in");
  });

  it("shows each role only the actions in `can` and finds assignments without diacritics", async () => {
    const order = await placeOrder(w);
    const clerk = await signIn("clerk");
    const page = await clerk.agent.get(`/assignments/${order.id}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('id="ev-order.register"');
    expect(page.text).to.not.contain('id="ev-order.proposeAccept"');
    expect(page.text).to.contain("<svg").and.to.contain('class="cur"');
    const sec = await signIn("secretariat");
    const list = await sec.agent.get("/assignments?q=duoc lieu");
    expect(list.text).to.contain(order.id as string);
  });

  it("lets the clerk issue the quarterly activity report from the registers page, and not the agency", async () => {
    const clerk = await signIn("clerk");
    const page = await clerk.agent.get("/registers?year=2026");
    expect(page.text).to.contain('action="/registers/activity-report"');
    const res = await clerk.agent
      .post("/registers/activity-report")
      .type("form")
      .send({ _csrf: clerk.csrf, year: "2026", quarter: "1" });
    expect(res.status).to.equal(303);
    const { documents } = await import("../../server/db/schema.js");
    const { and, eq } = await import("drizzle-orm");
    const rows = await w.db
      .select()
      .from(documents)
      .where(and(eq(documents.organizationId, w.org.id), eq(documents.kind, "activityReport")));
    expect(rows).to.have.length(1);
    expect(rows[0].register).to.equal("BC");
    expect((await clerk.agent.get("/registers?year=2026")).text).to.contain("quý I năm 2026");
    const agency = await signIn("agency");
    const refused = await agency.agent
      .post("/registers/activity-report")
      .type("form")
      .set("Accept", "application/json")
      .send({ _csrf: agency.csrf, year: "2026", quarter: "2" });
    expect(refused.status).to.equal(403);
  });
});
