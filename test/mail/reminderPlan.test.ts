import { expect } from "chai";
import {
  collapseOverdue,
  defaultReminderPolicy,
  planReminders,
  replan,
  type PlannedReminder,
} from "../../server/mail/reminderPlan.js";
import { addWorkingDays, atVietnamTime, type WorkingCalendar } from "../../server/calendar/workingDays.js";
import { vietnamCalendarData } from "../../server/calendar/holidays.js";
import { AppError } from "../../server/errors.js";

const calendar: WorkingCalendar = { weekend: [0, 6], ...vietnamCalendarData([2026]) };
/** 08:00 Vietnam time = 01:00Z. */
const at8 = (date: string) => `${date}T01:00:00.000Z`;
const dueEndOf = (date: string) => atVietnamTime(date, "17:00");
const table = (plan: PlannedReminder[]) => plan.map((r) => [r.key, r.at.toISOString(), r.audience]);

describe("reminder plan", () => {
  it("has the documented defaults", () => {
    expect(defaultReminderPolicy).to.deep.equal({
      before: [3, 1],
      onDue: true,
      after: [2],
      escalateSecretariatAfter: 3,
      escalateLeadershipAfter: 5,
    });
  });

  it("plans 3 and 1 WD before (across Tết), on the day, 2 WD after, then escalates", () => {
    // Due Tuesday 24/02/2026 at 17:00, right after the Tết break (14–22/02).
    const plan = planReminders({ dueAt: dueEndOf("2026-02-24"), calendar });
    expect(table(plan)).to.deep.equal([
      ["before-3", at8("2026-02-12"), "recipient"], // 23/02 (1), 13/02 (2), 12/02 (3): Tết skipped
      ["before-1", at8("2026-02-23"), "recipient"], // Monday after the break
      ["due", at8("2026-02-24"), "recipient"],
      ["after-2", at8("2026-02-26"), "recipient"],
      ["escalate-secretariat", at8("2026-02-27"), "secretariat"],
      ["escalate-leadership", at8("2026-03-03"), "leadership"], // 26, 27 Feb, 2, 3 Mar … 5th WD
    ]);
  });

  it("skips a weekend and the Hùng Kings' compensated Monday before the due date", () => {
    // Due Wednesday 29/04/2026: 28/04 (1), [27/04 holiday, 25–26 weekend], 24/04 (2), 23/04 (3).
    const plan = planReminders({ dueAt: dueEndOf("2026-04-29"), calendar });
    const byKey = Object.fromEntries(plan.map((r) => [r.key, r.at.toISOString()]));
    expect(byKey["before-3"]).to.equal(at8("2026-04-23"));
    expect(byKey["before-1"]).to.equal(at8("2026-04-28"));
    // After: 30/4 and 1/5 are holidays, then the weekend → 04/05 (1), 05/05 (2).
    expect(byKey["after-2"]).to.equal(at8("2026-05-05"));
    expect(byKey["escalate-secretariat"]).to.equal(at8("2026-05-06"));
    expect(byKey["escalate-leadership"]).to.equal(at8("2026-05-08"));
  });

  it("follows a custom policy and rejects nonsense offsets", () => {
    const plan = planReminders({
      dueAt: dueEndOf("2026-01-13"),
      calendar,
      policy: { before: [5], onDue: false, after: [1, 3], escalateSecretariatAfter: 4, escalateLeadershipAfter: 10 },
    });
    expect(plan.map((r) => r.key)).to.deep.equal([
      "before-5",
      "after-1",
      "after-3",
      "escalate-secretariat",
      "escalate-leadership",
    ]);
    expect(plan[0].at.toISOString()).to.equal(at8("2026-01-06"));
    try {
      planReminders({ dueAt: dueEndOf("2026-01-13"), calendar, policy: { ...defaultReminderPolicy, before: [-1] } });
      expect.fail("should throw");
    } catch (err) {
      expect((err as AppError).code).to.equal("invalid_reminder_policy");
    }
  });

  it("leaves out reminders already in the past when given now", () => {
    const plan = planReminders({ dueAt: dueEndOf("2026-01-13"), calendar, now: atVietnamTime("2026-01-09", "10:00") });
    // before-3 (Thu 08/01) is past; before-1 is Mon 12/01.
    expect(plan.map((r) => r.key)).to.deep.equal([
      "before-1",
      "due",
      "after-2",
      "escalate-secretariat",
      "escalate-leadership",
    ]);
  });

  it("collapses a catch-up after downtime to one message per audience and reports the rest", () => {
    const plan = planReminders({ dueAt: dueEndOf("2026-02-24"), calendar });
    // before-3 went out on 12/02; the worker was down from 20/02 until Friday 27/02 09:00.
    const unsent = plan.filter((r) => r.key !== "before-3");
    const result = collapseOverdue(unsent, atVietnamTime("2026-02-27", "09:00"));
    expect(result.send.map((r) => r.key)).to.deep.equal(["after-2", "escalate-secretariat"]);
    expect(result.superseded.map((r) => r.key)).to.deep.equal(["before-1", "due"]);
    expect(result.pending.map((r) => r.key)).to.deep.equal(["escalate-leadership"]);
    // Nothing is lost: every input is in exactly one list.
    expect(result.send.length + result.superseded.length + result.pending.length).to.equal(unsent.length);
  });

  it("infers the audience from the key when rows do not carry it, and sends nothing early", () => {
    const rows = [
      { key: "due", at: new Date(at8("2026-02-24")) },
      { key: "after-2", at: new Date(at8("2026-02-26")) },
      { key: "escalate-leadership", at: new Date(at8("2026-03-03")) },
    ];
    const all = collapseOverdue(rows, atVietnamTime("2026-03-10", "09:00"));
    expect(all.send.map((r) => r.key)).to.deep.equal(["after-2", "escalate-leadership"]);
    expect(all.superseded.map((r) => r.key)).to.deep.equal(["due"]);
    const none = collapseOverdue(rows, atVietnamTime("2026-02-23", "09:00"));
    expect(none.send).to.deep.equal([]);
    expect(none.pending).to.have.length(3);
  });

  it("re-plans from the new due date after an extension", () => {
    const oldDue = dueEndOf("2026-02-24");
    // Monday 23/02 10:00: before-1 has gone; the secretariat grants 5 more working days.
    const now = atVietnamTime("2026-02-23", "10:00");
    const newDue = addWorkingDays(oldDue, 5, calendar);
    expect(newDue.toISOString()).to.equal(dueEndOf("2026-03-03").toISOString());
    const plan = replan({ dueAt: newDue, calendar, now });
    expect(table(plan)).to.deep.equal([
      ["before-3", at8("2026-02-26"), "recipient"],
      ["before-1", at8("2026-03-02"), "recipient"],
      ["due", at8("2026-03-03"), "recipient"],
      ["after-2", at8("2026-03-05"), "recipient"],
      ["escalate-secretariat", at8("2026-03-06"), "secretariat"],
      ["escalate-leadership", at8("2026-03-10"), "leadership"],
    ]);
    expect(table(plan)).to.deep.equal(table(planReminders({ dueAt: newDue, calendar, now })));
  });
});
