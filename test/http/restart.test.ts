import { expect } from "chai";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import request from "supertest";
import { and, asc, eq, inArray } from "drizzle-orm";
import { startTvpb, type Tvpb } from "../../server/server.js";
import { ManualClock } from "../../server/runtime/clock.js";
import { assignments, deadlines, effects, history, mailMessages } from "../../server/db/schema.js";
import { createWorld, memoryMailer, orderBody, serverTestConfig, silentLogger } from "../support/testApp.js";
import { placeOrder, send } from "../support/flows.js";
import { seedWorld } from "../support/seedWorld.js";
import { freshDatabaseUrl } from "../support/db.js";

/**
 * A place for one TVPB installation: a fresh DATA_DIR (PGlite) or, when DATABASE_URL is set, a
 * fresh database on that PostgreSQL server, dropped afterwards.
 */
async function installation() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "tvpb-restart-"));
  const db = await freshDatabaseUrl("tvpb_restart");
  const databaseUrl = db.url;
  const config = serverTestConfig(dataDir, databaseUrl ? { DATABASE_URL: databaseUrl } : {});
  const clock = new ManualClock("2026-03-02T01:00:00Z");
  const mailer = memoryMailer();
  const start = () => startTvpb({ config, clock, mailer, logger: silentLogger, workers: false });
  async function dispose() {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  }
  return { config, clock, mailer, start, dispose };
}

/** Drains deadlines and effects until there is nothing left to do. */
async function settle(t: Tvpb) {
  for (let i = 0; i < 20; i++) {
    const n = (await t.deadlineWorker.drain()) + (await t.effectWorker.drain());
    if (!n) return;
  }
}

const api = (t: Tvpb, token: string) => ({
  get: (url: string) => request(t.app).get(url).set("Authorization", `Bearer ${token}`),
  post: (url: string, body: object = {}) => request(t.app).post(url).set("Authorization", `Bearer ${token}`).send(body),
});

describe("stopping and starting TVPB again", () => {
  it("performs every queued effect exactly once and fires a deadline that fell due while it was down exactly once", async () => {
    const inst = await installation();
    let first: Tvpb | undefined;
    let second: Tvpb | undefined;
    try {
      first = await inst.start();
      const world = await seedWorld(first.db);
      const placed = await api(first, world.tokens.agency).post("/api/v1/assignments", orderBody());
      expect(placed.status, JSON.stringify(placed.body)).to.equal(201);
      const id = placed.body.data.id as string;
      const reg = await api(first, world.tokens.clerk).post(`/api/v1/assignments/${id}/events`, {
        type: "order.register",
      });
      expect(reg.status, JSON.stringify(reg.body)).to.equal(200);
      const queued = await first.db.select().from(effects).where(eq(effects.organizationId, world.org.id));
      expect(queued.length, "effects are queued").to.be.greaterThan(0);
      expect(queued.every((e) => e.status === "pending")).to.equal(true);
      expect(inst.mailer.sent).to.have.length(0);
      const [screening] = await first.db
        .select()
        .from(deadlines)
        .where(and(eq(deadlines.assignmentId, id), eq(deadlines.status, "pending")));
      expect(screening, "a pending deadline").to.not.equal(undefined);
      const historyBefore = await first.db
        .select()
        .from(history)
        .where(eq(history.assignmentId, id))
        .orderBy(asc(history.id));
      const [rowBefore] = await first.db.select().from(assignments).where(eq(assignments.id, id));

      await first.stop();
      first = undefined;

      second = await inst.start();
      expect((await request(second.app).get("/readyz")).status).to.equal(200);
      inst.clock.set(new Date(screening.dueAt.getTime() + 60_000));
      await settle(second);

      const after = await second.db.select().from(effects).where(eq(effects.organizationId, world.org.id));
      expect(after.map((e) => [e.kind, e.status])).to.deep.equal(after.map((e) => [e.kind, "done"]));
      expect(after.length).to.be.greaterThan(queued.length, "the deadline queued its escalation mail too");
      const mails = await second.db.select().from(mailMessages).where(eq(mailMessages.organizationId, world.org.id));
      expect(new Set(mails.map((m) => m.idempotencyKey)).size).to.equal(mails.length);
      expect(mails.every((m) => m.status === "sent")).to.equal(true);
      const sentIds = inst.mailer.sent.map((m) => m.messageId);
      expect(new Set(sentIds).size, "each Message-ID once").to.equal(sentIds.length);
      expect([...sentIds].sort()).to.deep.equal(mails.map((m) => m.messageId).sort());
      const mailEffects = after.filter((e) => e.kind === "mail").map((e) => e.idempotencyKey);
      for (const k of mailEffects)
        expect(
          mails.some((m) => m.idempotencyKey.startsWith(`${k}:`)),
          `mail effect ${k} sent`,
        ).to.equal(true);

      const hist = await second.db.select().from(history).where(eq(history.assignmentId, id)).orderBy(asc(history.id));
      expect(hist.filter((h) => h.eventType === "deadline.reached")).to.have.length(1);
      expect(hist.slice(0, historyBefore.length).map((h) => [h.id, h.version, h.eventType, h.toState])).to.deep.equal(
        historyBefore.map((h) => [h.id, h.version, h.eventType, h.toState]),
      );
      const [fired] = await second.db.select().from(deadlines).where(eq(deadlines.id, screening.id));
      expect(fired.status).to.equal("fired");
      const [rowAfter] = await second.db.select().from(assignments).where(eq(assignments.id, id));
      expect(rowAfter.state).to.equal(rowBefore.state);
      const assignmentHistory = hist.filter((h) => h.workflow === "assignment");
      expect(assignmentHistory.map((h) => h.version)).to.deep.equal(assignmentHistory.map((_, i) => i + 1));
      expect(rowAfter.version).to.equal(assignmentHistory.length);
      expect(assignmentHistory.at(-1)!.toState).to.equal(rowAfter.state);

      // Draining again does nothing more; the assignment still reads back through the API.
      const before = inst.mailer.sent.length;
      await settle(second);
      expect(inst.mailer.sent.length).to.equal(before);
      const detail = await api(second, world.tokens.secretariat).get(`/api/v1/assignments/${id}`);
      expect(detail.status).to.equal(200);
      expect(detail.body.data.state).to.equal(rowBefore.state);
      const next = await api(second, world.tokens.secretariat).post(`/api/v1/assignments/${id}/events`, {
        type: "order.proposeAccept",
      });
      expect(next.status, JSON.stringify(next.body)).to.equal(200);
    } finally {
      await first?.stop();
      await second?.stop();
      await inst.dispose();
    }
  });

  it("takes again an effect a crashed process left running and does not resend mail already sent", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await send(w, "clerk", a.id, { type: "order.register" });
    const queued = await w.db
      .select()
      .from(effects)
      .where(and(eq(effects.organizationId, w.org.id), eq(effects.kind, "mail")));
    expect(queued.length).to.be.greaterThan(0);
    const ids = queued.map((e) => e.id);
    // A crashed process claimed them and died: running, with a lease that has run out.
    const past = new Date(w.clock.now().getTime() - 60_000);
    await w.db
      .update(effects)
      .set({ status: "running", attempts: 1, lockedUntil: past })
      .where(inArray(effects.id, ids));
    await w.effectWorker.drain();
    const taken = await w.db.select().from(effects).where(inArray(effects.id, ids));
    expect(taken.map((e) => e.status)).to.deep.equal(taken.map(() => "done"));
    expect(taken.map((e) => e.attempts)).to.deep.equal(taken.map(() => 2));
    // Assignment codes repeat across organisations, so match the messages by their Message-IDs.
    const rowsOf = () => w.db.select().from(mailMessages).where(eq(mailMessages.assignmentId, a.id));
    const ownIds = new Set((await rowsOf()).map((r) => r.messageId));
    const mine = () => w.mailer.sent.filter((m) => ownIds.has(m.messageId));
    const sent = mine().length;
    expect(sent).to.be.greaterThan(0);

    // A retry after the mail went out but before the effect was marked done sends nothing again.
    await w.db.update(effects).set({ status: "pending", doneAt: null, runAfter: past }).where(inArray(effects.id, ids));
    await w.effectWorker.drain();
    expect(mine().length).to.equal(sent);
    const again = await w.db.select().from(effects).where(inArray(effects.id, ids));
    expect(again.map((e) => e.status)).to.deep.equal(again.map(() => "done"));
    const messageIds = mine().map((m) => m.messageId);
    expect(new Set(messageIds).size).to.equal(messageIds.length);
    const rows = await rowsOf();
    expect(rows.map((r) => r.status)).to.deep.equal(rows.map(() => "sent"));
    expect(rows).to.have.length(sent);
  });
});
