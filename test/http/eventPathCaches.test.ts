/**
 * The event path's caches (issue 15 §2) keep their promises: a token stops working at once when it
 * is revoked, its user deactivated or demoted, or its Union suspended through this process, and
 * within TOKEN_CACHE_TTL_MS when another process changes the database; the memoised `can` list
 * tells apart contexts whose guards answer differently; a reminder's mail is written with its
 * history row, at the same version.
 */
import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import request from "supertest";
import { apiTokens, assignments, effects, history } from "../../server/db/schema.js";
import { TOKEN_CACHE_TTL_MS } from "../../server/queries/findActor.js";
import { allowedEventsFor } from "../../server/policies/assignmentPolicy.js";
import { actorFromUser } from "../../server/queries/findActor.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send, toReview, toPlanning } from "../support/flows.js";

const me = (w: World, token: string) => request(w.app).get("/api/v1/me").set("Authorization", `Bearer ${token}`);

describe("the event path's caches", function () {
  this.timeout(600_000);

  it("stops a used token at once when its user is deactivated or loses a role", async () => {
    const w = await createWorld();
    const clerk = w.userFor("clerk");
    const token = w.tokens[clerk.id];
    expect((await me(w, token)).status).to.equal(200);
    const demoted = await w.as("admin").patch(`/api/v1/users/${clerk.id}`, { roles: ["secretariat"] });
    expect(demoted.status, JSON.stringify(demoted.body)).to.equal(200);
    expect((await me(w, token)).body.data.roles).to.deep.equal(["secretariat"]);
    expect((await w.as("admin").patch(`/api/v1/users/${clerk.id}`, { active: false })).status).to.equal(200);
    expect((await me(w, token)).status).to.equal(401);
  });

  it("stops a token revoked by another process (SQL) within TOKEN_CACHE_TTL_MS", async () => {
    const w = await createWorld();
    const clerk = w.userFor("clerk");
    const token = w.tokens[clerk.id];
    expect((await me(w, token)).status).to.equal(200);
    await w.db.update(apiTokens).set({ revokedAt: new Date() }).where(eq(apiTokens.userId, clerk.id));
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < TOKEN_CACHE_TTL_MS + 2_000) {
      status = (await me(w, token)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).to.equal(401);
    expect(Date.now() - revokedAt).to.be.at.most(TOKEN_CACHE_TTL_MS + 1_000);
  });

  it("tells apart contexts whose guards differ when it memoises the events an actor may send", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id);
    const [row] = await w.db.select().from(assignments).where(eq(assignments.id, a.id));
    const secretariat = actorFromUser(w.userFor("secretariat"));
    const before = allowedEventsFor(secretariat, row);
    expect(before).to.include("reminder.send").and.not.include("extension.grant");
    const snapshot = row.snapshot as { context: Record<string, unknown> };
    const pending = { expertId: w.experts[1].id, days: 5, reason: "Cần thêm thời gian", status: "pending" };
    const withRequest = {
      ...row,
      snapshot: { ...snapshot, context: { ...snapshot.context, extensionRequests: [pending] } },
    };
    expect(allowedEventsFor(secretariat, withRequest)).to.include("extension.grant");
    expect(allowedEventsFor(secretariat, row)).to.deep.equal(before);
    // Another actor in the same state gets its own answer, not the secretariat's.
    const expert = actorFromUser(w.userFor("expert1"));
    expect(allowedEventsFor(expert, row)).to.not.include("reminder.send");
  });

  it("writes a reminder's mail with its history row, at the same version", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id);
    const sent = await send(w, "secretariat", a.id, { type: "reminder.send" });
    const version = sent.version as number;
    const [h] = await w.db
      .select()
      .from(history)
      .where(and(eq(history.workflowId, a.id), eq(history.version, version)));
    expect(h.eventType).to.equal("reminder.send");
    const [e] = await w.db
      .select()
      .from(effects)
      .where(eq(effects.idempotencyKey, `${a.id}:${version}:0`));
    expect(e.kind).to.equal("mail");
    expect((e.payload as { template: string }).template).to.equal("opinion.reminder");
  });
});
