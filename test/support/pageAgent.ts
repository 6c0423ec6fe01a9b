/** A signed-in browser-like agent for page tests: a cookie session and the page's CSRF token. */
import { expect } from "chai";
import request from "supertest";
import { eq } from "drizzle-orm";
import { users } from "../../server/db/schema.js";
import { hashPassword } from "../../server/auth/passwords.js";
import type { World } from "./testApp.js";

export const PAGE_PASSWORD = "mat-khau-thu-nghiem-2026";

/** Gives every user of the world the page password (once per world). */
export async function allowPageSignIn(w: World) {
  const hash = await hashPassword(PAGE_PASSWORD);
  for (const u of w.users) await w.db.update(users).set({ passwordHash: hash }).where(eq(users.id, u.id));
}

/** Signs in through the form; returns the agent holding the session cookie and the CSRF token. */
export async function pageAgent(w: World, key: Parameters<World["userFor"]>[0]) {
  const agent = request.agent(w.app);
  const res = await agent
    .post("/login")
    .type("form")
    .send({ email: w.userFor(key).email, password: PAGE_PASSWORD, next: "/" });
  expect(res.status).to.equal(303);
  const page = await agent.get("/");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  expect(csrf, "CSRF token in the page").to.be.a("string");
  return { agent, csrf: csrf! };
}
