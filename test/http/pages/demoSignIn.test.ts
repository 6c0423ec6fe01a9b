/**
 * A newcomer's sign-in (issue 14 §8): where the demo is seeded, the sign-in page lists each demo
 * account with its role in words, and pressing a role signs in as that account in one click.
 */
import { expect } from "chai";
import request from "supertest";
import { eq } from "drizzle-orm";
import { users } from "../../../server/db/schema.js";
import { hashPassword } from "../../../server/auth/passwords.js";
import { createWorld } from "../../support/testApp.js";

describe("demo sign-in", () => {
  it("shows each demo account's role and signs in as it with one press", async () => {
    const w = await createWorld();
    const hash = await hashPassword("tvpb-demo-2026");
    const agency = w.userFor("agency");
    await w.db.update(users).set({ email: "coquan@demo.tvpb.vn", passwordHash: hash }).where(eq(users.id, agency.id));
    const agent = request.agent(w.app);
    const page = await agent.get("/login").expect(200);
    const email = '<input type="hidden" name="email" value="coquan@demo.tvpb.vn">';
    const button = '<button type="submit" class="secondary">Cơ quan đặt hàng</button>';
    expect(page.text).to.contain(email);
    expect(page.text.indexOf(button)).to.be.greaterThan(page.text.indexOf(email));
    expect(page.text).to.contain(`${agency.fullName} · coquan@demo.tvpb.vn`);
    const signed = await agent
      .post("/login")
      .type("form")
      .send({ next: "/", email: "coquan@demo.tvpb.vn", password: "tvpb-demo-2026" });
    expect(signed.status).to.equal(303);
    expect(signed.headers.location).to.equal("/");
    await w.db.update(users).set({ email: agency.email }).where(eq(users.id, agency.id));
  });
});
