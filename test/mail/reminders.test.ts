/**
 * Reminders through the runtime, driven by an injected clock (no sleeping): each rule of the
 * default policy on the review step, weekends and Tết, an extension re-arming one expert's
 * reminders, cancellation, and catch-up after downtime (one message, the rest recorded superseded).
 */
import { expect } from "chai";
import { and, asc, eq, like } from "drizzle-orm";
import { deadlines, history } from "../../server/db/schema.js";
import { vietnamDateOf, isWorkingDay } from "../../server/calendar/workingDays.js";
import { loadCalendar } from "../../server/calendar/loadCalendar.js";
import type { OutgoingMail } from "../../server/adapters/mailer.js";
import { createWorld, type World } from "../support/testApp.js";
import { placeOrder, send, submitOpinions, toPlanning, toReview } from "../support/flows.js";

const to = (w: World, address: string | null | undefined, from: number) =>
  w.mailer.sent.slice(from).filter((m: OutgoingMail) => m.to[0].address === address);

async function reminderRows(w: World, assignmentId: string, key: string) {
  return w.db
    .select()
    .from(deadlines)
    .where(and(eq(deadlines.assignmentId, assignmentId), like(deadlines.key, `${key}#%`)));
}

/**
 * An assignment under review with three experts (review of 15 working days: due Mon 23/03/2026
 * 17:00 when started 02/03).
 */
async function underReview(w: World) {
  const a = await placeOrder(w);
  await toPlanning(w, a.id);
  await toReview(w, a.id, 3);
  await w.settled();
  return a.id as string;
}

describe("reminders through the runtime (injected clock)", () => {
  it(
    "fires before-3, before-1, due, after-2 to the late expert, then escalates to the secretariat and then " +
      "leadership, each once",
    async () => {
      const w = await createWorld();
      const id = await underReview(w);
      await submitOpinions(w, id, [0, 1]);
      await w.settled();
      const late = w.experts[2].email;
      const steps: Array<[string, string, RegExp | null]> = [
        ["2026-03-18T01:30:00Z", "before-3", /còn|sắp|hạn/i], // Wed 18/03 08:30
        ["2026-03-20T01:30:00Z", "before-1", /còn|sắp|hạn/i], // Fri 20/03
        ["2026-03-23T01:30:00Z", "due", /hôm nay|hạn/i], // Mon 23/03
        ["2026-03-25T01:30:00Z", "after-2", /quá hạn|Quá hạn/], // Wed 25/03
      ];
      for (const [at, key, subject] of steps) {
        const mark = w.mailer.sent.length;
        w.clock.set(at);
        await w.settled();
        const got = to(w, late, mark);
        expect(got, key).to.have.length(1);
        if (subject) expect(got[0].subject, key).to.match(subject);
        expect(to(w, w.experts[0].email, mark), `${key}: nothing to who submitted`).to.have.length(0);
        const [row] = (await reminderRows(w, id, "review")).filter((r) => r.key === `review#${key}`);
        expect(row.status, key).to.equal("fired");
        await w.settled();
        expect(to(w, late, mark), `${key} only once`).to.have.length(1);
      }
      let mark = w.mailer.sent.length;
      w.clock.set("2026-03-26T01:30:00Z"); // escalate-secretariat: 3 WD after (Thu 26/03)
      await w.settled();
      expect(to(w, w.userFor("secretariat").email, mark).length).to.be.greaterThan(0);
      expect(to(w, w.userFor("leadership").email, mark)).to.have.length(0);
      mark = w.mailer.sent.length;
      w.clock.set("2026-03-30T01:30:00Z"); // escalate-leadership: 5 WD after (Mon 30/03)
      await w.settled();
      expect(to(w, w.userFor("leadership").email, mark).length).to.be.greaterThan(0);
      const levels = (
        await w.db
          .select()
          .from(history)
          .where(and(eq(history.assignmentId, id), eq(history.eventType, "deadline.reached")))
          .orderBy(asc(history.id))
      ).map((h) => (h.payload as { level?: string }).level ?? "due");
      expect(levels).to.deep.equal(["due", "secretariat", "leadership"]);
    },
  );

  it("plans every reminder at 08:00 on a working day: weekends and Tết 2026 (14–22/02) are skipped", async () => {
    // Review of 15 working days from Wed 28/01: 29–30/01, 02–13/02, then 23–25/02 (Tết skipped) → due 25/02.
    const w = await createWorld({ start: "2026-01-28T02:00:00Z" });
    const id = await underReview(w);
    const rows = await reminderRows(w, id, "review");
    expect(rows.length).to.be.greaterThan(4);
    const cal = await loadCalendar(w.db, w.org.id, new Date("2026-02-15T00:00:00Z"));
    for (const r of rows) {
      const day = vietnamDateOf(r.dueAt);
      expect(isWorkingDay(day, cal), `${r.key} on ${day}`).to.equal(true);
      expect(day < "2026-02-14" || day > "2026-02-22", `${r.key} not during Tết (${day})`).to.equal(true);
      expect(new Date(r.dueAt).getUTCHours(), r.key).to.equal(1); // 08:00 Vietnam
    }
    const [due] = await w.db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.assignmentId, id), eq(deadlines.key, "review")));
    expect(vietnamDateOf(due.dueAt)).to.equal("2026-02-25");
    // before-3 is the last working day before Tết (13/02); nothing at all during the holiday nor on
    // the Monday after it; before-1 on Tue 24/02; the first overdue reminder 2 working days after (27/02).
    let mark = w.mailer.sent.length;
    w.clock.set("2026-02-13T01:30:00Z");
    await w.settled();
    expect(to(w, w.experts[2].email, mark), "13/02: one reminder").to.have.length(1);
    mark = w.mailer.sent.length;
    for (const day of ["2026-02-16", "2026-02-18", "2026-02-20", "2026-02-22", "2026-02-23"]) {
      w.clock.set(`${day}T03:00:00Z`);
      await w.settled();
      expect(to(w, w.experts[2].email, mark), `nothing on ${day}`).to.have.length(0);
    }
    w.clock.set("2026-02-24T01:30:00Z");
    await w.settled();
    expect(to(w, w.experts[2].email, mark), "24/02: before-1").to.have.length(1);
    mark = w.mailer.sent.length;
    w.clock.set("2026-02-27T01:30:00Z");
    await w.settled();
    const after = to(w, w.experts[2].email, mark);
    expect(after, "27/02: overdue").to.have.length(1);
    expect(after[0].subject).to.match(/quá hạn|Quá hạn/);
  });

  it("re-arms reminders for the expert whose extension is granted, and only for that expert", async () => {
    const w = await createWorld();
    const id = await underReview(w);
    await send(w, "expert1", id, {
      type: "extension.request",
      days: 7,
      reason: "Cần khảo sát bổ sung tại vùng trồng.",
    });
    await send(w, "secretariat", id, { type: "extension.grant", expertId: w.experts[1].id });
    await w.settled();
    const own = await reminderRows(w, id, `review:${w.experts[1].id}`);
    expect(own.map((r) => r.key.split("#")[1]).sort()).to.deep.equal([
      "after-2",
      "before-1",
      "before-3",
      "due",
      "escalate-leadership",
      "escalate-secretariat",
    ]);
    const [due] = await w.db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.assignmentId, id), eq(deadlines.key, `review:${w.experts[1].id}`)));
    expect(vietnamDateOf(due.dueAt)).to.equal("2026-04-01"); // Mon 23/03 + 7 working days = Wed 01/04
    const mark = w.mailer.sent.length;
    w.clock.set("2026-03-27T01:30:00Z"); // Fri 27/03: before-3 of the extended deadline
    await w.settled();
    const ext = to(w, w.experts[1].email, mark);
    expect(ext, "the extended expert gets the before-3 of the new date").to.have.length(1);
    expect(ext[0].text).to.contain("01/04/2026");
  });

  it("cancels pending reminders when the experts submit and when the agency withdraws", async () => {
    const w = await createWorld();
    const id = await underReview(w);
    await submitOpinions(w, id, [0, 1, 2]);
    await w.settled();
    let mark = w.mailer.sent.length;
    w.clock.set("2026-03-18T01:30:00Z");
    await w.settled();
    for (let i = 0; i < 3; i++) expect(to(w, w.experts[i].email, mark), `expert ${i} submitted`).to.have.length(0);

    const w2 = await createWorld();
    const id2 = await underReview(w2);
    await send(w2, "agency", id2, { type: "assignment.withdraw", reason: "UBND tỉnh dừng xây dựng Đề án." });
    await w2.settled();
    const rows = await reminderRows(w2, id2, "review");
    expect(
      rows.every((r) => r.status === "cancelled"),
      rows.map((r) => `${r.key}:${r.status}`).join(),
    ).to.equal(true);
    mark = w2.mailer.sent.length;
    w2.clock.set("2026-04-06T01:30:00Z");
    await w2.settled();
    for (let i = 0; i < 3; i++) expect(to(w2, w2.experts[i].email, mark)).to.have.length(0);
  });

  it("after downtime sends one catch-up reminder per audience and records the skipped ones as superseded", async () => {
    const w = await createWorld();
    const id = await underReview(w);
    await submitOpinions(w, id, [0, 1]);
    await w.settled();
    const mark = w.mailer.sent.length;
    w.clock.set("2026-03-25T03:00:00Z"); // down from 02/03 to 25/03: before-3, before-1, due and after-2 all passed
    await w.settled();
    const got = to(w, w.experts[2].email, mark);
    expect(got, "one message, not four").to.have.length(1);
    expect(got[0].subject).to.match(/quá hạn|Quá hạn/);
    const rows = await reminderRows(w, id, "review");
    const status = Object.fromEntries(rows.map((r) => [r.key.split("#")[1], r.status]));
    expect(status).to.include({
      "before-3": "superseded",
      "before-1": "superseded",
      due: "superseded",
      "after-2": "fired",
    });
    expect(status["escalate-secretariat"]).to.equal("pending");
  });
});
