/**
 * Property: no period given in days ever ends on a day off. Thousands of start instants and periods
 * are generated around Tết, 30/4–1/5, 2/9 and an organisation's own days off (2025–2027), counted both
 * in working days and in calendar days; every due date must be a working day of that calendar.
 */
import { expect } from "chai";
import fc from "fast-check";
import {
  addCalendarDays,
  atVietnamTime,
  dueAfter,
  isWorkingDay,
  vietnamDateOf,
  workingDaysBetween,
  type WorkingCalendar,
} from "../../server/calendar/workingDays.js";
import { vietnamCalendarData } from "../../server/calendar/holidays.js";

/** Days around which the generated starts cluster: Tết, Reunification + Labour Day, National Day. */
const ANCHORS = [
  "2025-01-25",
  "2025-04-28",
  "2025-08-30",
  "2026-02-12",
  "2026-04-28",
  "2026-08-31",
  "2027-02-04",
  "2027-04-29",
  "2027-09-01",
];

const base = vietnamCalendarData([2025, 2026, 2027]);

/** A start: an anchor, up to 40 days either side, at any minute of the Vietnam day. */
const startArb = fc
  .tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -40, max: 40 }), fc.integer({ min: 0, max: 24 * 60 - 1 }))
  .map(([anchor, shift, minute]) => {
    const day = addCalendarDays(anchor, shift);
    const hh = String(Math.floor(minute / 60)).padStart(2, "0");
    const mm = String(minute % 60).padStart(2, "0");
    return atVietnamTime(day, `${hh}:${mm}`);
  });

/** The organisation's own days off: up to 12 weekdays near the anchors (a provincial day, a bridge). */
const ownDaysArb = fc.uniqueArray(
  fc.tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -20, max: 20 })).map(([a, s]) => addCalendarDays(a, s)),
  { maxLength: 12 },
);

const calendarOf = (own: string[]): WorkingCalendar => ({
  weekend: [0, 6],
  holidays: [...base.holidays, ...own],
  makeupWorkdays: base.makeupWorkdays.filter((d) => !own.includes(d)),
  workdayEnd: "17:00",
});

describe("due dates on the working calendar (property)", () => {
  it("never ends a period counted in working days on a day off, and counts exactly n working days", () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 1, max: 120 }), ownDaysArb, (from, n, own) => {
        const cal = calendarOf(own);
        const due = dueAfter(from, n, "working", cal);
        const day = vietnamDateOf(due);
        expect(isWorkingDay(day, cal), `${from.toISOString()} + ${n} WD = ${day}`).to.equal(true);
        expect(workingDaysBetween(from, due, cal)).to.equal(n);
        expect(due.toISOString().slice(11, 16)).to.equal("10:00"); // 17:00 Vietnam time
      }),
      { numRuns: 2000 },
    );
  });

  it("moves a period counted in calendar days that ends on a day off to the next working day", () => {
    fc.assert(
      fc.property(startArb, fc.integer({ min: 0, max: 120 }), ownDaysArb, (from, n, own) => {
        const cal = calendarOf(own);
        const due = dueAfter(from, n, "calendar", cal);
        const day = vietnamDateOf(due);
        const nominal = addCalendarDays(vietnamDateOf(from), n);
        expect(isWorkingDay(day, cal), `${from.toISOString()} + ${n} days = ${day}`).to.equal(true);
        expect(day >= nominal).to.equal(true);
        // Only days off lie between the nominal last day and the due date.
        for (let d = nominal; d < day; d = addCalendarDays(d, 1)) expect(isWorkingDay(d, cal), d).to.equal(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("ends 3 working days after Thursday 27/08/2026 on Wednesday 03/09, past the weekend and 2/9", () => {
    const cal = calendarOf([]);
    const due = dueAfter(atVietnamTime("2026-08-27", "10:00"), 3, "working", cal);
    expect(vietnamDateOf(due)).to.equal("2026-09-03");
  });
});
