/**
 * The three counts that used to be 24-hour days are working days on the organisation's calendar
 * (weekends and its holidays): how late an escalation says a task is, the answer-by date of an
 * invitation without a stored deadline, and "due soon" in the lists (within 3 working days).
 */
import { expect } from "chai";
import { eq } from "drizzle-orm";
import { invitations } from "../../server/db/schema.js";
import type { OutgoingMail } from "../../server/adapters/mailer.js";
import { createWorld, type World } from "../support/testApp.js";
import vi from "../../templates/locales/vi.json" with { type: "json" };
import { placeOrder, send, submitOpinions, toPlanning, toReview } from "../support/flows.js";

const sentTo = (w: World, address: string | null | undefined, from: number) =>
  w.mailer.sent.slice(from).filter((m: OutgoingMail) => m.to[0].address === address);

async function putHolidays(w: World, days: string[]) {
  const res = await w.as("admin").put("/api/v1/settings", {
    holidays: { year: 2026, days: days.map((day) => ({ day, name: "Ngày nghỉ của tỉnh" })) },
  });
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
}

/** Whether the list page marks the assignment's next deadline "due soon" (the world's only assignment). */
async function dueSoonOf(w: World, id: string): Promise<boolean> {
  const res = await w.as("secretariat").get("/assignments").set("Accept", "text/html");
  expect(res.status).to.equal(200);
  expect(res.text, "the assignment is listed").to.contain(`/assignments/${id}`);
  // The list's own badge (the header's notification count is a badge too).
  return res.text.includes(`<span class="badge soon">${vi["due.soon"]}</span>`);
}

describe("overdue days, the invitation's answer-by date and 'due soon' count working days", () => {
  it("says how late a review is in working days, skipping the weekend and the province's day off", async () => {
    const w = await createWorld(); // Monday 02/03/2026
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await toReview(w, a.id, 3); // 15 working days: due Monday 23/03 17:00
    await submitOpinions(w, a.id, [0, 1]);
    await putHolidays(w, ["2026-03-24"]); // Tuesday 24/03: the province's own day off
    await w.settled();
    // The leadership escalation comes 5 working days after the due date: 25, 26, 27, 30, 31/03.
    // 24-hour days would have said 7 (Saturday, Sunday and the day off counted).
    const mark = w.mailer.sent.length;
    w.clock.set("2026-03-31T02:00:00Z");
    await w.settled();
    const toLeaders = sentTo(w, w.userFor("leadership").email, mark).filter((m) => /quá hạn/.test(m.subject));
    expect(toLeaders.length, "escalated to leadership").to.be.greaterThan(0);
    expect(toLeaders[0].subject).to.contain("quá hạn 5 ngày làm việc");
    expect(toLeaders[0].text).to.contain("quá hạn 5 ngày làm việc");
    expect(toLeaders[0].subject).to.not.contain("7 ngày");
  });

  it("gives an invitation without a stored deadline the organisation's invitation period in working days", async () => {
    const w = await createWorld({ start: "2026-04-29T02:00:00Z" }); // Wednesday 29/04, before 30/4 and 1/5
    const a = await placeOrder(w);
    await toPlanning(w, a.id);
    await w.settled();
    await send(w, "secretariat", a.id, {
      type: "plan.submit",
      workPlan: "Lấy ý kiến bằng văn bản; 15 ngày nhận xét.",
      costEstimate: 30000000,
      reviewDays: 15,
    });
    await send(w, "secretariat", a.id, {
      type: "panel.invite",
      members: [{ expertId: w.experts[0].id, role: "chair" }],
    });
    // The invitation's own deadline is gone (a row from before deadlines were stored): the mail
    // falls back to 3 working days — Thursday 30/04 and Friday 01/05 are public holidays, then the
    // weekend — so Monday 04/05, Tuesday 05/05, Wednesday 06/05. Fourteen 24-hour days gave 13/05.
    await w.db.update(invitations).set({ dueAt: null }).where(eq(invitations.assignmentId, a.id));
    const mark = w.mailer.sent.length;
    await w.settled();
    const [mail] = sentTo(w, w.experts[0].email, mark);
    expect(mail, "the invitation went out").to.not.equal(undefined);
    expect(mail.text).to.contain("trước ngày 06/05/2026");
  });

  it("marks a deadline due soon within 3 working days: over a Saturday, and further with a holiday", async () => {
    const w = await createWorld(); // Monday 02/03/2026 08:00
    const a = await placeOrder(w);
    await send(w, "clerk", a.id, { type: "order.register" }); // screening: 5 working days → Monday 09/03 17:00
    w.clock.set("2026-03-05T02:00:00Z"); // Thursday 05/03: 3 working days reach Tuesday 10/03
    expect(await dueSoonOf(w, a.id), "Thursday, deadline Monday").to.equal(true);
    w.clock.set("2026-03-03T02:00:00Z"); // Tuesday 03/03: 3 working days reach Friday 06/03
    expect(await dueSoonOf(w, a.id), "Tuesday, deadline next Monday").to.equal(false);
    await putHolidays(w, ["2026-03-05", "2026-03-06"]); // Thursday and Friday off: 04, 09, 10/03
    expect(await dueSoonOf(w, a.id), "Tuesday, with two days off before the deadline").to.equal(true);
  });
});
