/** Signing in through the web form as a person of a test world; the agent keeps the session cookie. */
import { expect } from "chai";
import request from "supertest";
import { eq } from "drizzle-orm";
import { users } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import type { World } from "./testApp.js";

export const PAGE_PASSWORD = "mat-khau-thu-nghiem-2026";

/** Gives every user of the world (and any added since) the test password. */
export async function givePasswords(w: World) {
  const hash = await hashPassword(PAGE_PASSWORD);
  await w.db.update(users).set({ passwordHash: hash }).where(eq(users.organizationId, w.org.id));
}

/** Signs in by e-mail; returns the agent and the CSRF token of its session. */
export async function signInAs(w: World, email: string) {
  const agent = request.agent(w.app);
  const res = await agent.post("/login").type("form").send({ email, password: PAGE_PASSWORD, next: "/" });
  expect(res.status, res.text.slice(0, 300)).to.equal(303);
  const page = await agent.get("/");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  expect(csrf, "CSRF token in the page").to.be.a("string");
  return { agent, csrf: csrf! };
}

/** The e-mail of a user id. */
export async function emailOf(w: World, userId: string) {
  const [u] = await w.db.select().from(users).where(eq(users.id, userId));
  return u.email;
}
