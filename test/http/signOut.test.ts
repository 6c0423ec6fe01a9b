/**
 * One sign-in and one sign-out for both faces: a session started by the JSON API's log-in works on
 * the pages and the API alike, and the API's log-out and the pages' log-out end it the same way
 * (the signOut command); log-out everywhere needs a signed-in user.
 */
import { expect } from "chai";
import request from "supertest";
import { eq } from "drizzle-orm";
import { sessions, users } from "../../server/db/schema.js";
import { hashPassword, sha256 } from "../../server/auth/passwords.js";
import { createWorld, type World } from "../support/testApp.js";

const PASSWORD = "mat-khau-thu-nghiem-2026";

describe("signing in and out through the API and the pages", () => {
  let w: World;
  before(async () => {
    w = await createWorld();
    const hash = await hashPassword(PASSWORD);
    await w.db
      .update(users)
      .set({ passwordHash: hash })
      .where(eq(users.id, w.userFor("clerk").id));
  });

  /** Logs in through the API; returns the cookie pair and the CSRF token. */
  async function apiLogin() {
    const res = await request(w.app)
      .post("/api/v1/auth/login")
      .send({ email: w.userFor("clerk").email, password: PASSWORD });
    expect(res.status, res.text).to.equal(200);
    const set = res.headers["set-cookie"] as unknown as string[];
    const cookie = set.find((c) => c.startsWith("tvpb_session="))!;
    expect(cookie)
      .to.match(/HttpOnly/i)
      .and.match(/SameSite=Lax/i);
    return { cookie: cookie.split(";")[0], csrf: res.body.data.csrfToken as string };
  }

  it("ends an API session with the API's log-out: the cookie stops working on the API and the pages", async () => {
    const s = await apiLogin();
    expect((await request(w.app).get("/api/v1/me").set("Cookie", s.cookie)).status).to.equal(200);
    expect((await request(w.app).get("/registers").set("Cookie", s.cookie)).status).to.equal(200);

    const refused = await request(w.app).post("/api/v1/auth/logout").set("Cookie", s.cookie);
    expect(refused.status, "a cookie session logs out with its CSRF token").to.equal(403);
    expect(refused.body.error.code).to.equal("csrf_failed");

    const out = await request(w.app).post("/api/v1/auth/logout").set("Cookie", s.cookie).set("X-CSRF-Token", s.csrf);
    expect(out.status).to.equal(204);
    expect(String(out.headers["set-cookie"])).to.match(/tvpb_session=;/);
    expect((await request(w.app).get("/api/v1/me").set("Cookie", s.cookie)).status).to.equal(401);
    const page = await request(w.app).get("/registers").set("Cookie", s.cookie);
    expect(page.status).to.equal(303);
    expect(page.headers.location).to.match(/^\/login/);
  });

  it("ends the same kind of session with the pages' log-out, which revokes the row the API checks", async () => {
    const s = await apiLogin();
    const out = await request(w.app).post("/logout").type("form").set("Cookie", s.cookie).send({ _csrf: s.csrf });
    expect(out.status).to.equal(303);
    expect(out.headers.location).to.equal("/login");
    expect((await request(w.app).get("/api/v1/me").set("Cookie", s.cookie)).status).to.equal(401);
    const id = sha256(decodeURIComponent(s.cookie.slice("tvpb_session=".length)));
    const [row] = await w.db.select().from(sessions).where(eq(sessions.id, id));
    expect(row.revokedAt, "the session row is revoked").to.be.instanceOf(Date);
  });

  it("signs a user out everywhere from the API, also with a Bearer token, and refuses it without a user", async () => {
    const a = await apiLogin();
    const b = await apiLogin();
    const token = w.tokens[w.userFor("clerk").id];
    const out = await request(w.app).post("/api/v1/auth/logout-everywhere").set("Authorization", `Bearer ${token}`);
    expect(out.status).to.equal(204);
    for (const s of [a, b])
      expect((await request(w.app).get("/api/v1/me").set("Cookie", s.cookie)).status).to.equal(401);
    expect((await request(w.app).get("/api/v1/me").set("Authorization", `Bearer ${token}`)).status).to.equal(200);

    const nobody = await request(w.app).post("/api/v1/auth/logout-everywhere");
    expect(nobody.status).to.equal(401);
    expect(nobody.body.error.code).to.equal("unauthenticated");
    expect((await request(w.app).post("/api/v1/auth/logout")).status, "nothing to end is not an error").to.equal(204);
  });

  it("treats a session cookie that is not valid percent-encoding as no session, not as a server error", async () => {
    const res = await request(w.app).get("/api/v1/me").set("Cookie", "tvpb_session=%E0%A4%A");
    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal("unauthenticated");
  });
});
