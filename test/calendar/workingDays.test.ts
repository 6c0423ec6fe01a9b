import { expect } from "chai";
import {
  addWorkingDays,
  atVietnamTime,
  isWorkingDay,
  shiftWorkingDays,
  vietnamDateOf,
  workingDaysBetween,
  type WorkingCalendar,
} from "../../server/calendar/workingDays.js";
import { defaultVietnamHolidays, vietnamCalendarData } from "../../server/calendar/holidays.js";
import { AppError } from "../../server/errors.js";

const cal: WorkingCalendar = { weekend: [0, 6], ...vietnamCalendarData([2025, 2026, 2027]), workdayEnd: "17:00" };
/** An instant given as Vietnam wall-clock time. */
const vn = (date: string, time = "09:00") => atVietnamTime(date, time);
/** The UTC ISO string of 17:00 Vietnam time on `date` — the end of that working day. */
const endOf = (date: string) => `${date}T10:00:00.000Z`;

function expectCode(fn: () => unknown, code: string) {
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(AppError);
    expect((err as AppError).code).to.equal(code);
    return;
  }
  expect.fail(`expected ${code}`);
}

describe("working-day calendar", () => {
  it("treats Saturday and Sunday as days off and weekdays as working days", () => {
    expect(isWorkingDay("2026-01-03", cal)).to.equal(false); // Saturday
    expect(isWorkingDay("2026-01-04", cal)).to.equal(false); // Sunday
    expect(isWorkingDay("2026-01-05", cal)).to.equal(true); // Monday
    expect(addWorkingDays(vn("2026-01-09"), 1, cal).toISOString()).to.equal(endOf("2026-01-12")); // Fri → Mon
  });

  it("honours a configurable weekend (a six-day week)", () => {
    const sixDays: WorkingCalendar = { weekend: [0], holidays: [] };
    expect(isWorkingDay("2026-01-03", sixDays)).to.equal(true);
    expect(addWorkingDays(vn("2026-01-09"), 1, sixDays).toISOString()).to.equal(endOf("2026-01-10"));
  });

  it("moves a deadline that spans Tết 2026 past Sunday 22/02/2026", () => {
    for (const d of ["2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"]) {
      expect(isWorkingDay(d, cal), d).to.equal(false);
    }
    // Thursday 12/02: 1 → Fri 13/02, 2 → Mon 23/02 (the whole break 14–22/02 is skipped).
    expect(addWorkingDays(vn("2026-02-12"), 2, cal).toISOString()).to.equal(endOf("2026-02-23"));
  });

  it("lands 20 working days from Tuesday 2026-02-10 on Tuesday 2026-03-17", () => {
    // Counted by hand, 10/02 itself not counted:
    //  1–3  : Wed 11, Thu 12, Fri 13 February
    //  —    : Sat 14 – Sun 22 February, the official Tết break (nothing counts)
    //  4–8  : Mon 23 – Fri 27 February
    //  9–13 : Mon 02 – Fri 06 March
    // 14–18 : Mon 09 – Fri 13 March
    // 19–20 : Mon 16, Tue 17 March  → due at 17:00 Vietnam time on 17/03 = 10:00Z.
    const due = addWorkingDays(vn("2026-02-10"), 20, cal);
    expect(due.toISOString()).to.equal("2026-03-17T10:00:00.000Z");
    expect(workingDaysBetween(vn("2026-02-10"), due, cal)).to.equal(20);
  });

  it("skips 30/4 and 1/5 (2026) and the 2025 swapped day, and works the make-up Saturday", () => {
    // Wed 29/04/2026 + 1: Thu 30/4 and Fri 1/5 are holidays, then the weekend → Mon 04/05.
    expect(addWorkingDays(vn("2026-04-29"), 1, cal).toISOString()).to.equal(endOf("2026-05-04"));
    // 2025: Fri 02/05 was swapped for Sat 26/04.
    expect(isWorkingDay("2025-05-02", cal)).to.equal(false);
    expect(isWorkingDay("2025-04-26", cal)).to.equal(true);
    expect(addWorkingDays(vn("2025-04-29"), 1, cal).toISOString()).to.equal(endOf("2025-05-05"));
    expect(addWorkingDays(vn("2025-04-25"), 1, cal).toISOString()).to.equal(endOf("2025-04-26"));
  });

  it("skips National Day 2/9 and its adjacent day", () => {
    expect(isWorkingDay("2025-09-01", cal)).to.equal(false);
    expect(isWorkingDay("2025-09-02", cal)).to.equal(false);
    // Mon 31/08/2026 + 1: Tue 1/9 and Wed 2/9 are off → Thu 03/09.
    expect(addWorkingDays(vn("2026-08-31"), 1, cal).toISOString()).to.equal(endOf("2026-09-03"));
  });

  it("gives the Monday after Hùng Kings' day when it falls on Sunday 26/04/2026", () => {
    expect(isWorkingDay("2026-04-27", cal)).to.equal(false);
    // Fri 24/04 + 1: weekend, compensated Monday 27/04 → Tue 28/04.
    expect(addWorkingDays(vn("2026-04-24"), 1, cal).toISOString()).to.equal(endOf("2026-04-28"));
  });

  it("with n = 0 ends the same working day, or the next one when started on a day off", () => {
    expect(addWorkingDays(vn("2026-01-05"), 0, cal).toISOString()).to.equal(endOf("2026-01-05"));
    expect(addWorkingDays(vn("2026-01-03"), 0, cal).toISOString()).to.equal(endOf("2026-01-05"));
    expect(addWorkingDays(vn("2026-02-17"), 0, cal).toISOString()).to.equal(endOf("2026-02-23"));
  });

  it("counts back with a negative offset, across weekends and Tết", () => {
    expect(shiftWorkingDays("2026-01-09", -3, cal)).to.equal("2026-01-06"); // Fri → Tue
    expect(shiftWorkingDays("2026-01-13", -3, cal)).to.equal("2026-01-08"); // Tue → previous Thu
    expect(shiftWorkingDays("2026-02-24", -3, cal)).to.equal("2026-02-12"); // 23/02, 13/02, 12/02
    expect(addWorkingDays(vn("2026-01-13", "17:00"), -1, cal).toISOString()).to.equal(endOf("2026-01-12"));
    expect(workingDaysBetween("2026-01-13", "2026-01-08", cal)).to.equal(-3);
  });

  it("computes on Vietnam dates, not UTC dates or the machine's zone", () => {
    expect(vietnamDateOf(new Date("2026-01-05T18:30:00Z"))).to.equal("2026-01-06");
    expect(vietnamDateOf(new Date("2026-01-05T16:59:59Z"))).to.equal("2026-01-05");
    expect(vietnamDateOf(new Date("2026-01-05T17:00:00Z"))).to.equal("2026-01-06");
    // Friday 2026-01-09T18:30Z is Saturday 01:30 in Vietnam: n = 0 lands on Monday 12/01.
    expect(addWorkingDays(new Date("2026-01-09T18:30:00Z"), 0, cal).toISOString()).to.equal(endOf("2026-01-12"));
    // Monday 2026-01-05T18:30Z is Tuesday in Vietnam: + 1 → Wednesday 07/01.
    expect(addWorkingDays(new Date("2026-01-05T18:30:00Z"), 1, cal).toISOString()).to.equal(endOf("2026-01-07"));
  });

  it("is the inverse of workingDaysBetween for every offset up to 60", () => {
    const from = vn("2026-01-28");
    for (let n = 1; n <= 60; n++) {
      expect(workingDaysBetween(from, addWorkingDays(from, n, cal), cal), `n=${n}`).to.equal(n);
    }
  });

  it("uses the calendar's end of the working day", () => {
    const early: WorkingCalendar = { ...cal, workdayEnd: "16:30" };
    expect(addWorkingDays(vn("2026-01-05"), 1, early).toISOString()).to.equal("2026-01-06T09:30:00.000Z");
  });

  it("rejects malformed dates, offsets and calendars with stable codes", () => {
    expectCode(() => isWorkingDay("2026-02-30", cal), "invalid_date");
    expectCode(() => isWorkingDay("06/01/2026", cal), "invalid_date");
    expectCode(() => addWorkingDays(new Date("nope"), 1, cal), "invalid_date");
    expectCode(() => addWorkingDays(vn("2026-01-05"), 1.5, cal), "invalid_offset");
    expectCode(() => isWorkingDay("2026-01-05", { weekend: [0, 1, 2, 3, 4, 5, 6], holidays: [] }), "invalid_calendar");
    expectCode(() => isWorkingDay("2026-01-05", { weekend: [0, 6], holidays: ["2026-13-01"] }), "invalid_date");
    expectCode(() => isWorkingDay("2026-01-05", { ...cal, workdayEnd: "5pm" }), "invalid_calendar");
  });
});

describe("default Vietnamese holidays", () => {
  it("has the fixed, Tết and Hùng Kings days for 2025–2027", () => {
    const y2025 = defaultVietnamHolidays(2025);
    expect(y2025).to.include.members([
      "2025-01-01",
      "2025-01-29",
      "2025-04-07",
      "2025-04-30",
      "2025-05-01",
      "2025-09-01",
      "2025-09-02",
    ]);
    const y2026 = defaultVietnamHolidays(2026);
    expect(y2026).to.include.members([
      "2026-01-01",
      "2026-02-14",
      "2026-02-22",
      "2026-04-26",
      "2026-04-27",
      "2026-09-02",
    ]);
    expect(defaultVietnamHolidays(2027)).to.include.members(["2027-01-01", "2027-04-16", "2027-05-03", "2027-09-02"]);
    expect(y2026).to.deep.equal([...y2026].sort());
  });

  it("returns only the four fixed holidays for a year not in the table", () => {
    expect(defaultVietnamHolidays(2030)).to.deep.equal(["2030-01-01", "2030-04-30", "2030-05-01", "2030-09-02"]);
    expect(() => defaultVietnamHolidays(20.5)).to.throw(RangeError);
  });
});
