/**
 * Vietnamese public holidays (ngày nghỉ lễ, Tết) as DATA, per year. The Labour Code 2019
 * (Bộ luật Lao động 45/2019/QH14, art. 112) fixes the days; each year the Ministry (formerly
 * MOLISA, since 2025 the Ministry of Home Affairs, Bộ Nội vụ) announces, with the Prime Minister's
 * approval, the exact Tết break and any swapped days for public servants (cán bộ, công chức, viên
 * chức), which is the calendar a Union of associations follows. When a holiday falls on a weekly
 * day off, the next working day is given instead (art. 111(3)).
 *
 * Organisations edit these tables every year once the official notice is out: they are data, not
 * logic. Every entry says where it comes from, or that it is an ASSUMPTION awaiting the notice.
 * Weekend days inside an official break are listed too, so that each block reads like the notice;
 * they change nothing because weekend days are not working days anyway.
 */

type YearTable = {
  /** Days off, 'YYYY-MM-DD', with their source. */
  holidays: Array<[date: string, note: string]>;
  /** Weekend days worked in exchange for a swapped day off (ngày làm bù). */
  makeupWorkdays: Array<[date: string, note: string]>;
};

const TABLE: Record<number, YearTable> = {
  2025: {
    holidays: [
      ["2025-01-01", "Tết Dương lịch (fixed, Wed)"],
      // Tết Ất Tỵ, mùng 1 = 29/01/2025. Official public-sector break Sat 25/01 – Sun 02/02/2025
      // (9 days), Mon 27/01 swapped and worked on Sat 08/02 — Thông báo 6150/TB-LĐTBXH (12/11/2024).
      ["2025-01-25", "Tết Nguyên đán 2025 (break, Sat)"],
      ["2025-01-26", "Tết Nguyên đán 2025 (break, Sun)"],
      ["2025-01-27", "Tết Nguyên đán 2025 (swapped day, made up on 08/02)"],
      ["2025-01-28", "Tết Nguyên đán 2025 (29 Tết)"],
      ["2025-01-29", "Tết Nguyên đán 2025 (mùng 1)"],
      ["2025-01-30", "Tết Nguyên đán 2025 (mùng 2)"],
      ["2025-01-31", "Tết Nguyên đán 2025 (mùng 3)"],
      ["2025-02-01", "Tết Nguyên đán 2025 (mùng 4, Sat)"],
      ["2025-02-02", "Tết Nguyên đán 2025 (break, Sun)"],
      ["2025-04-07", "Giỗ Tổ Hùng Vương 10/3 âm lịch (Mon)"],
      // 30/4 and 1/5 (Wed, Thu); Fri 02/05 swapped and worked on Sat 26/04 — Thông báo 6150/TB-LĐTBXH.
      ["2025-04-30", "Ngày Giải phóng miền Nam (fixed)"],
      ["2025-05-01", "Quốc tế Lao động (fixed)"],
      ["2025-05-02", "swapped day, made up on 26/04"],
      // 2/9 (Tue) plus Mon 01/09 as the adjacent day, break 30/08 – 02/09 — Thông báo 6150/TB-LĐTBXH.
      ["2025-09-01", "Quốc khánh (adjacent day)"],
      ["2025-09-02", "Quốc khánh (fixed)"],
    ],
    makeupWorkdays: [
      ["2025-02-08", "Sat worked for Mon 27/01 (Tết)"],
      ["2025-04-26", "Sat worked for Fri 02/05"],
    ],
  },
  2026: {
    holidays: [
      // 1/1/2026 is a Thursday. A swap of Fri 02/01 was proposed by the Ministry of Home Affairs;
      // ASSUMPTION: not entered until confirmed — add "2026-01-02" here and its make-up Saturday below.
      ["2026-01-01", "Tết Dương lịch (fixed, Thu)"],
      // Tết Bính Ngọ, mùng 1 = 17/02/2026. Official break Sat 14/02 (27 tháng Chạp) – Sun 22/02
      // (mùng 6), 9 days, no swapped day — the Prime Minister's approval of the Ministry of Home
      // Affairs' proposal (late 2025).
      ["2026-02-14", "Tết Nguyên đán 2026 (break, Sat)"],
      ["2026-02-15", "Tết Nguyên đán 2026 (break, Sun)"],
      ["2026-02-16", "Tết Nguyên đán 2026 (29 Tết)"],
      ["2026-02-17", "Tết Nguyên đán 2026 (mùng 1)"],
      ["2026-02-18", "Tết Nguyên đán 2026 (mùng 2)"],
      ["2026-02-19", "Tết Nguyên đán 2026 (mùng 3)"],
      ["2026-02-20", "Tết Nguyên đán 2026 (mùng 4)"],
      ["2026-02-21", "Tết Nguyên đán 2026 (break, Sat)"],
      ["2026-02-22", "Tết Nguyên đán 2026 (break, Sun)"],
      // 10/3 âm lịch = Sun 26/04/2026 → compensated on Mon 27/04 (Labour Code art. 111(3)).
      ["2026-04-26", "Giỗ Tổ Hùng Vương (Sun)"],
      ["2026-04-27", "Giỗ Tổ Hùng Vương (compensated day)"],
      ["2026-04-30", "Ngày Giải phóng miền Nam (fixed, Thu)"],
      ["2026-05-01", "Quốc tế Lao động (fixed, Fri)"],
      // 2/9 is a Wednesday; the adjacent day is Tue 01/09 as proposed for 2026. ASSUMPTION: a swap
      // of Mon 31/08 (for a 5-day break) was proposed; not entered until confirmed.
      ["2026-09-01", "Quốc khánh (adjacent day)"],
      ["2026-09-02", "Quốc khánh (fixed)"],
    ],
    makeupWorkdays: [],
  },
  2027: {
    holidays: [
      ["2027-01-01", "Tết Dương lịch (fixed, Fri)"],
      // Tết Đinh Mùi, mùng 1 = Sat 06/02/2027. ASSUMPTION (no official notice yet): the five Tết
      // days are 30 Tết (Fri 05/02) to mùng 4 (Tue 09/02); mùng 1 and 2 fall on the weekend and are
      // compensated on Wed 10/02 and Thu 11/02. Replace with the official break when announced.
      ["2027-02-05", "Tết Nguyên đán 2027 (30 Tết) — assumption"],
      ["2027-02-06", "Tết Nguyên đán 2027 (mùng 1, Sat)"],
      ["2027-02-07", "Tết Nguyên đán 2027 (mùng 2, Sun)"],
      ["2027-02-08", "Tết Nguyên đán 2027 (mùng 3) — assumption"],
      ["2027-02-09", "Tết Nguyên đán 2027 (mùng 4) — assumption"],
      ["2027-02-10", "Tết Nguyên đán 2027 (compensated day) — assumption"],
      ["2027-02-11", "Tết Nguyên đán 2027 (compensated day) — assumption"],
      ["2027-04-16", "Giỗ Tổ Hùng Vương 10/3 âm lịch (Fri)"],
      ["2027-04-30", "Ngày Giải phóng miền Nam (fixed, Fri)"],
      // 1/5 is a Saturday → compensated on Mon 03/05 (Labour Code art. 111(3)).
      ["2027-05-01", "Quốc tế Lao động (fixed, Sat)"],
      ["2027-05-03", "Quốc tế Lao động (compensated day)"],
      // 2/9 is a Thursday. ASSUMPTION: the adjacent day is Fri 03/09 (joins the weekend).
      ["2027-09-02", "Quốc khánh (fixed)"],
      ["2027-09-03", "Quốc khánh (adjacent day) — assumption"],
    ],
    makeupWorkdays: [],
  },
};

/** The years that have a full table (Tết, Hùng Kings, swaps); others get the fixed days only. */
export const VIETNAM_HOLIDAY_YEARS: readonly number[] = Object.keys(TABLE).map(Number);

/**
 * The public-sector days off for `year`, sorted 'YYYY-MM-DD' strings. For a year not in the table,
 * only the four fixed solar-calendar holidays (1/1, 30/4, 1/5, 2/9) — the lunar ones (Tết, Hùng
 * Kings) and the adjacent National Day must then be entered by the organisation.
 * Throws RangeError when `year` is not an integer between 1976 and 9999.
 */
export function defaultVietnamHolidays(year: number): string[] {
  checkYear(year);
  const entry = TABLE[year];
  if (!entry) return ["01-01", "04-30", "05-01", "09-02"].map((md) => `${year}-${md}`);
  return entry.holidays.map(([d]) => d).sort();
}

/**
 * Weekend days worked to make up for a swapped day off in `year` (empty for most years).
 * Throws RangeError for an implausible year.
 */
export function defaultVietnamMakeupWorkdays(year: number): string[] {
  checkYear(year);
  return (TABLE[year]?.makeupWorkdays ?? []).map(([d]) => d).sort();
}

/** Holidays and make-up days of several years at once, ready for a WorkingCalendar. */
export function vietnamCalendarData(years: number[]): { holidays: string[]; makeupWorkdays: string[] } {
  return {
    holidays: years.flatMap(defaultVietnamHolidays),
    makeupWorkdays: years.flatMap(defaultVietnamMakeupWorkdays),
  };
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 1976 || year > 9999) throw new RangeError(`Năm không hợp lệ: ${year}`);
}
