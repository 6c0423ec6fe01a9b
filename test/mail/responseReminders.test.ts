/**
 * The agency's response step on the injected clock: the reminder policy before and after the
 * response is due, the official reminder letter at the due instant, escalation, and everything
 * pending cancelled when the agency answers or the assignment closes.
 */
import { expect } from "chai";
import { and, eq, like } from "drizzle-orm";
import { deadlines, documents } from "../../server/db/schema.js";
import type { OutgoingMail } from "../../server/adapters/mailer.js";
import { createWorld, type World } from "../support/testApp.js";
import { markIssued, placeOrder, send, submitOpinions, toIssuing, toPlanning, toReview } from "../support/flows.js";

const to = (w: World, address: string | null | undefined, from: number) =>
  w.mailer.sent.slice(from).filter((m: OutgoingMail) => m.to[0].address === address);

/**
 * An assignment whose result was sent on 02/03/2026 and awaits the agency's response (30 working
 * days: due Mon 13/04 17:00).
 */
async function awaitingResponse(w: World) {
  const a = await placeOrder(w, {
    type: "consultancy",
    forms: ["expert_group", "written"],
    subjectKind: "plan",
    title: "Kế hoạch chuyển đổi số nông nghiệp",
  });
  await toPlanning(w, a.id);
  await toReview(w, a.id, 2);
  await submitOpinions(w, a.id, [0, 1]);
  await send(w, "secretariat", a.id, { type: "review.close" });
  await toIssuing(w, a.id, false);
  await send(w, "clerk", a.id, { type: "report.issue" });
  await markIssued(w, a.id);
  await send(w, "clerk", a.id, { type: "delivery.recorded", channel: "email" });
  await w.settled();
  return a.id as string;
}

describe("reminders to the agency for its response (injected clock)", () => {
  it(
    "reminds the agency before and on the due day, issues a reminder letter when due, reminds after, then " +
      "escalates",
    async () => {
      const w = await createWorld();
      const id = await awaitingResponse(w);
      const rows = await w.db
        .select()
        .from(deadlines)
        .where(and(eq(deadlines.assignmentId, id), like(deadlines.key, "response%")));
      const response = rows.find((r) => r.key === "response")!;
      expect(response.dueAt.toISOString()).to.equal("2026-04-13T10:00:00.000Z");
      expect(rows.map((r) => r.key).sort()).to.include.members([
        "response#before-3",
        "response#before-1",
        "response#due",
        "response#after-2",
        "response#escalate-secretariat",
        "response#escalate-leadership",
      ]);
      const agency = w.agency.email;
      let mark = w.mailer.sent.length;
      w.clock.set("2026-04-08T02:00:00Z"); // Wed 08/04: 3 WD before Mon 13/04
      await w.settled();
      expect(to(w, agency, mark), "before-3").to.have.length(1);
      mark = w.mailer.sent.length;
      w.clock.set("2026-04-13T11:00:00Z"); // after the due instant (17:00 Vietnam time) on 13/04
      await w.settled();
      expect(to(w, agency, mark).length, "before-1 was 10/04 and is superseded by the due-day reminder").to.equal(1);
      const letters = await w.db
        .select()
        .from(documents)
        .where(and(eq(documents.assignmentId, id), eq(documents.kind, "responseReminder")));
      expect(letters, "an official reminder letter is issued at the due instant").to.have.length(1);
      expect(letters[0].number).to.be.a("number");
      mark = w.mailer.sent.length;
      w.clock.set("2026-04-17T02:00:00Z"); // after-2 (15/04) and escalate-secretariat (16/04) both due
      await w.settled();
      expect(to(w, agency, mark), "one catch-up reminder to the agency").to.have.length(1);
      expect(to(w, w.userFor("secretariat").email, mark).length, "escalated to the secretariat").to.be.greaterThan(0);
      expect(to(w, w.userFor("leadership").email, mark), "not yet to leadership").to.have.length(0);
    },
  );

  it("cancels every pending reminder when the agency answers, and nothing is sent afterwards", async () => {
    const w = await createWorld();
    const id = await awaitingResponse(w);
    const a = (await w.as("agency").get(`/api/v1/assignments/${id}`)).body.data;
    await send(w, "agency", id, {
      type: "response.submit",
      answers: a.recommendations.map((r: { id: string }) => ({ recommendationId: r.id, status: "accepted" })),
    });
    const pending = await w.db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.assignmentId, id), eq(deadlines.status, "pending")));
    expect(pending).to.have.length(0);
    const mark = w.mailer.sent.length;
    w.clock.set("2026-05-25T02:00:00Z");
    await w.settled();
    expect(to(w, w.agency.email, mark)).to.have.length(0);
  });

  it("cancels the review reminders when the assignment is withdrawn, so the experts hear nothing more", async () => {
    const w = await createWorld();
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id, 3);
    expect(
      (
        await w.db
          .select()
          .from(deadlines)
          .where(and(eq(deadlines.assignmentId, a.id), eq(deadlines.status, "pending")))
      ).length,
    ).to.be.greaterThan(3);
    await send(w, "agency", a.id, { type: "assignment.withdraw", reason: "UBND tỉnh dừng xây dựng đề án." });
    const left = await w.db
      .select()
      .from(deadlines)
      .where(and(eq(deadlines.assignmentId, a.id), eq(deadlines.status, "pending")));
    expect(left).to.have.length(0);
    await w.settled();
    const mark = w.mailer.sent.length;
    w.clock.set("2026-05-25T02:00:00Z");
    await w.settled();
    expect(w.mailer.sent.slice(mark).filter((m) => w.experts.some((e) => e.email === m.to[0].address))).to.have.length(
      0,
    );
  });
});
