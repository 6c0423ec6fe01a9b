/** Issue 13 §9: one sign-in throttle for the API and the pages, with growing delays and no lock-out of the owner. */
import { expect } from "chai";
import request from "supertest";
import { eq } from "drizzle-orm";
import { users } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import { createSignInThrottle } from "../../server/http/signInThrottle.js";
import { ManualClock } from "../../server/runtime/clock.js";
import { loadConfig } from "../../server/config.js";
import { createApp } from "../../server/app.js";
import { createWorld, silentLogger } from "../support/testApp.js";

const at = (address: string, account: string, password = "wrong-password") => ({ address, account, password });

describe("Sign-in throttling (issue 13 §9)", () => {
  it("lets a few mistakes through, then answers with doubling delays, and lets the owner in once they pass", () => {
    const clock = new ManualClock();
    const t = createSignInThrottle({ clock });
    for (let i = 0; i < 5; i++) {
      expect(t.waitMs(at("1.1.1.1", "a@x.vn"))).to.equal(0);
      t.failed(at("1.1.1.1", "a@x.vn", `guess-${i}`));
    }
    expect(t.waitMs(at("1.1.1.1", "a@x.vn"))).to.equal(0);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      t.failed(at("1.1.1.1", "a@x.vn", `more-${i}`));
      delays.push(t.waitMs(at("1.1.1.1", "a@x.vn")));
      clock.advance(delays[i]);
    }
    expect(delays).to.deep.equal([1000, 2000, 4000, 8000]);
    // Waiting it out is enough: nobody is locked out.
    expect(t.waitMs(at("1.1.1.1", "a@x.vn"))).to.equal(0);
    t.succeeded(at("1.1.1.1", "a@x.vn"));
    t.failed(at("1.1.1.1", "a@x.vn"));
    expect(t.waitMs(at("1.1.1.1", "a@x.vn"))).to.equal(0);
  });

  it("slows one password tried across many accounts from one address (credential stuffing)", () => {
    const clock = new ManualClock();
    const t = createSignInThrottle({ clock });
    for (let i = 0; i < 3; i++) t.failed(at("2.2.2.2", `victim${i}@x.vn`, "Password123!"));
    expect(t.waitMs(at("2.2.2.2", "victim3@x.vn", "Password123!"))).to.equal(0);
    t.failed(at("2.2.2.2", "victim3@x.vn", "Password123!"));
    expect(t.waitMs(at("2.2.2.2", "victim4@x.vn", "Password123!"))).to.be.greaterThan(0);
    // Another address, or another password from this one, is not held back by it.
    expect(t.waitMs(at("3.3.3.3", "victim4@x.vn", "Password123!"))).to.equal(0);
    expect(t.waitMs(at("2.2.2.2", "victim4@x.vn", "other password"))).to.equal(0);
    // Many accounts from one address with different passwords are slowed by the address's own counter.
    for (let i = 0; i < 21; i++) t.failed(at("4.4.4.4", `spray${i}@x.vn`, `pw-${i}`));
    expect(t.waitMs(at("4.4.4.4", "spray99@x.vn", "pw-99"))).to.be.greaterThan(0);
  });

  it("does not lock the owner out: failures elsewhere delay a new address briefly, never a known one", () => {
    const clock = new ManualClock();
    const t = createSignInThrottle({ clock });
    t.succeeded(at("10.0.0.1", "owner@x.vn"));
    for (let i = 0; i < 40; i++) {
      clock.advance(1000);
      t.failed(at(`198.51.100.${i}`, "owner@x.vn", `guess-${i}`));
    }
    expect(t.waitMs(at("10.0.0.1", "owner@x.vn"))).to.equal(0);
    const fromNewAddress = t.waitMs(at("10.9.9.9", "owner@x.vn"));
    expect(fromNewAddress).to.be.greaterThan(0).and.at.most(60_000);
  });

  it("shares one budget between the API and the sign-in page, with 429 rate_limited and Retry-After", async () => {
    const w = await createWorld();
    const u = w.userFor("secretariat");
    await w.db
      .update(users)
      .set({ passwordHash: await hashPassword("correct horse battery") })
      .where(eq(users.id, u.id));
    const api = (password: string) => request(w.app).post("/api/v1/auth/login").send({ email: u.email, password });
    const page = (password: string) =>
      request(w.app).post("/login").type("form").send({ email: u.email, password, next: "/" });
    for (let i = 0; i < 3; i++) expect((await api(`wrong-${i}`)).status).to.equal(401);
    for (let i = 0; i < 2; i++) expect((await page(`wrong-page-${i}`)).status).to.equal(401);
    expect((await api("wrong-5")).status).to.equal(401);
    const limited = await api("correct horse battery");
    expect(limited.status).to.equal(429);
    expect(limited.body.error.code).to.equal("rate_limited");
    expect(Number(limited.headers["retry-after"])).to.be.greaterThan(0);
    const pageLimited = await page("correct horse battery");
    expect(pageLimited.status).to.equal(429);
    w.clock.advance(Number(limited.headers["retry-after"]) * 1000);
    const ok = await api("correct horse battery");
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
  });

  it("believes X-Forwarded-For only from the proxies TRUST_PROXY names", async () => {
    expect(loadConfig({}).trustProxy).to.equal(false);
    expect(loadConfig({ TRUST_PROXY: "loopback" }).trustProxy).to.equal("loopback");
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).to.equal(2);
    // (The pool size of issue 13 §10 is read the same way.)
    expect(loadConfig({ DATABASE_POOL_MAX: "8" }).databasePoolMax).to.equal(8);
    expect(() => loadConfig({ DATABASE_POOL_MAX: "0" })).to.throw(/DATABASE_POOL_MAX/);
    const w = await createWorld();
    const email = w.userFor("clerk").email;
    const deps = { db: w.db, database: w.database, clock: w.clock, logger: silentLogger, publicUrl: "http://t" };
    const untrusting = createApp(deps);
    // Without TRUST_PROXY a forged X-Forwarded-For does not buy a fresh budget.
    for (let i = 0; i < 6; i++)
      await request(untrusting)
        .post("/api/v1/auth/login")
        .set("X-Forwarded-For", `203.0.113.${i}`)
        .send({ email, password: `wrong-${i}` });
    const forged = await request(untrusting)
      .post("/api/v1/auth/login")
      .set("X-Forwarded-For", "203.0.113.200")
      .send({ email, password: "wrong-again" });
    expect(forged.status).to.equal(429);
    // Behind a trusted proxy (here: loopback) each client address has its own pair budget.
    const trusting = createApp({ ...deps, trustProxy: "loopback" });
    for (let i = 0; i < 6; i++) {
      const res = await request(trusting)
        .post("/api/v1/auth/login")
        .set("X-Forwarded-For", `203.0.113.${i}`)
        .send({ email, password: `wrong-${i}` });
      expect(res.status, `attempt ${i}`).to.equal(401);
    }
  });
});
