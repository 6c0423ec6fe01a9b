import { expect } from "chai";
import { and, asc, eq } from "drizzle-orm";
import { assignments, effects, history } from "../../server/db/schema.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send, toPlanning, toReview } from "../support/flows.js";

type Who = Parameters<World["as"]>[0];

/** Sends all the events at once and returns the responses. */
async function race(w: World, id: string, attempts: Array<[Who, Record<string, unknown>]>) {
  return Promise.all(
    attempts.map(([who, event]) =>
      w
        .as(who)
        .post(`/api/v1/assignments/${id}/events`, event)
        .then((r) => r),
    ),
  );
}

/** History of the assignment workflow is 1..N without gaps, and agrees with the assignment row. */
async function expectConsistent(w: World, id: string) {
  const rows = await w.db
    .select()
    .from(history)
    .where(and(eq(history.assignmentId, id), eq(history.workflow, "assignment")))
    .orderBy(asc(history.version));
  const [a] = await w.db.select().from(assignments).where(eq(assignments.id, id));
  expect(rows.map((r) => r.version)).to.deep.equal(Array.from({ length: rows.length }, (_, i) => i + 1));
  expect(rows.at(-1)!.toState).to.equal(a.state);
  expect(a.version).to.equal(rows.length);
  return { rows, assignment: a };
}

function expectOneWinner(
  responses: Array<{ status: number; body: { error?: { code: string } } }>,
  losingCodes: string[],
) {
  const statuses = responses.map((r) => r.status);
  expect(
    statuses.filter((s) => s === 200),
    JSON.stringify(statuses),
  ).to.have.length(1);
  for (const r of responses.filter((x) => x.status !== 200)) {
    expect(r.status, JSON.stringify(r.body)).to.equal(409);
    expect(losingCodes).to.include(r.body.error!.code);
  }
}

describe("conflicting events sent at the same time", () => {
  it("registers an order once when twenty registrations arrive together", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const responses = await race(
      w,
      a.id,
      Array.from({ length: 20 }, (_, i) => [i % 2 ? "clerk" : "secretariat", { type: "order.register" }]),
    );
    expectOneWinner(responses, ["event_not_allowed", "stale_version"]);
    const { rows, assignment } = await expectConsistent(w, a.id);
    expect(assignment.state).to.equal("screening.reviewing");
    expect(rows.filter((r) => r.eventType === "order.register")).to.have.length(1);
  });

  it("takes exactly one of twenty mixed accept and decline proposals during screening", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await send(w, "clerk", a.id, { type: "order.register" });
    const responses = await race(
      w,
      a.id,
      Array.from({ length: 20 }, (_, i) => [
        "secretariat",
        i % 2
          ? { type: "order.proposeAccept", note: `Đề xuất nhận số ${i}` }
          : { type: "order.proposeDecline", reasons: `Đề xuất từ chối số ${i}` },
      ]),
    );
    expectOneWinner(responses, ["event_not_allowed", "stale_version"]);
    const winner = responses.find((r) => r.status === 200)!;
    const { rows, assignment } = await expectConsistent(w, a.id);
    expect(assignment.state).to.equal(winner.body.data.state);
    expect(["screening.proposedAccept", "screening.proposedDecline"]).to.include(assignment.state);
    expect(rows.filter((r) => r.eventType.startsWith("order.propose"))).to.have.length(1);
  });

  it("lets only one of twenty requests carrying the same expectedVersion through and calls the rest stale", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    const [{ version }] = await w.db
      .select({ version: assignments.version })
      .from(assignments)
      .where(eq(assignments.id, a.id));
    const responses = await race(
      w,
      a.id,
      Array.from({ length: 20 }, () => ["clerk", { type: "order.register", expectedVersion: version }]),
    );
    expectOneWinner(responses, ["stale_version"]);
    const { assignment } = await expectConsistent(w, a.id);
    expect(assignment.version).to.equal(version + 1);
  });
  // A reminder only queues mail: it is saved as one statement without a transaction (issue 15 §2).
  it("saves racing reminders each whole or not at all: history, version and outbox agree", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id);
    const [{ version }] = await w.db
      .select({ version: assignments.version })
      .from(assignments)
      .where(eq(assignments.id, a.id));
    const stale = await race(
      w,
      a.id,
      Array.from({ length: 10 }, () => ["secretariat", { type: "reminder.send", expectedVersion: version }]),
    );
    expectOneWinner(stale, ["stale_version"]);
    const free = await race(
      w,
      a.id,
      Array.from({ length: 10 }, () => ["secretariat", { type: "reminder.send" }]),
    );
    for (const r of free) expect([200, 409], JSON.stringify(r.body)).to.include(r.status);
    const won = free.filter((r) => r.status === 200).length;
    expect(won).to.be.greaterThan(0);
    const { rows, assignment } = await expectConsistent(w, a.id);
    expect(assignment.version).to.equal(version + 1 + won);
    const reminders = rows.filter((r) => r.eventType === "reminder.send");
    expect(reminders).to.have.length(1 + won);
    const mails = await w.db.select().from(effects).where(eq(effects.assignmentId, a.id));
    const keys = new Set(mails.map((m) => m.idempotencyKey));
    // Each saved reminder queued its mail under its own version, and no refused one left a mail.
    for (const r of reminders) expect(keys.has(`${a.id}:${r.version}:0`), `mail of v${r.version}`).to.equal(true);
    const reminderMails = mails.filter((m) => (m.payload as { event?: string }).event === "reminder.send");
    expect(reminderMails).to.have.length(reminders.length);
  });
});
