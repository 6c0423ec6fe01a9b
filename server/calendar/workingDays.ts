/**
 * The working-day calendar deadlines are computed on. All arithmetic is done on calendar dates in
 * Vietnam time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving), never in the machine's local zone:
 * a date is a 'YYYY-MM-DD' string, an instant is a UTC `Date`, and the two meet only through
 * `vietnamDateOf` (instant → date) and `atVietnamTime` (date + 'HH:MM' → instant).
 */
import { ValidationError } from "../errors.js";

/** An organisation's working calendar: weekly rest days, public holidays, end of the working day. */
export type WorkingCalendar = {
  /** Weekly rest days, 0 = Sunday … 6 = Saturday. Default [0, 6]. */
  weekend: number[];
  /** Days off that would otherwise be working days, 'YYYY-MM-DD' (Vietnam dates). */
  holidays: string[];
  /**
   * Weekend days that are worked to make up for a swapped day off (ngày làm bù), 'YYYY-MM-DD'.
   * They win over `weekend`. Optional; most years have none.
   */
  makeupWorkdays?: string[];
  /** When a working day ends, 'HH:MM' Vietnam time; deadlines fall at this time. Default "17:00". */
  workdayEnd?: string;
};

/** Vietnam is UTC+7 all year round (no DST since 1975). */
export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** A run of non-working days longer than this means a broken calendar, not a long holiday. */
const MAX_CONSECUTIVE_DAYS_OFF = 60;

/** A calendar with the Vietnamese defaults (Saturday and Sunday off, no holidays, 17:00). */
export function defaultWorkingCalendar(holidays: string[] = [], makeupWorkdays: string[] = []): WorkingCalendar {
  return { weekend: [0, 6], holidays, makeupWorkdays, workdayEnd: "17:00" };
}

/**
 * The Vietnam calendar date ('YYYY-MM-DD') of an instant. 2026-01-05T18:30Z is already 2026-01-06.
 * Throws ValidationError `invalid_date` for an invalid Date.
 */
export function vietnamDateOf(date: Date): string {
  const t = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(t)) throw new ValidationError("invalid_date", "Thời điểm không hợp lệ.");
  return new Date(t + VIETNAM_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 10);
}

/**
 * The instant (a UTC Date) at which the Vietnam clock shows `time` ('HH:MM') on `dateStr`.
 * Throws ValidationError `invalid_date` / `invalid_time`.
 */
export function atVietnamTime(dateStr: string, time: string): Date {
  const ms = dayNumber(dateStr) * DAY_MS;
  const m = TIME_RE.exec(time);
  if (!m) throw new ValidationError("invalid_time", `Giờ không hợp lệ: ${time} (cần HH:MM).`);
  const minutes = Number(m[1]) * 60 + Number(m[2]) - VIETNAM_UTC_OFFSET_MINUTES;
  return new Date(ms + minutes * 60_000);
}

/** Day of the week of a 'YYYY-MM-DD' date, 0 = Sunday … 6 = Saturday. Throws `invalid_date`. */
export function dayOfWeek(dateStr: string): number {
  return new Date(dayNumber(dateStr) * DAY_MS).getUTCDay();
}

/** The date `days` calendar days after `dateStr` (negative goes back). Throws `invalid_date`. */
export function addCalendarDays(dateStr: string, days: number): string {
  return new Date((dayNumber(dateStr) + days) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Whether `dateStr` ('YYYY-MM-DD', a Vietnam date) is a working day on `cal`: a make-up workday
 * always is; otherwise neither a weekend day nor a holiday.
 * Throws ValidationError `invalid_date` for a malformed date, `invalid_calendar` for a bad calendar.
 */
export function isWorkingDay(dateStr: string, cal: WorkingCalendar): boolean {
  return compile(cal)(dateStr);
}

/**
 * The date `n` working days after `dateStr` (n > 0), or `|n|` working days before it (n < 0);
 * `dateStr` itself is not counted. n = 0 gives `dateStr` if it is a working day, else the next one.
 * Throws ValidationError `invalid_date`, `invalid_calendar`, `invalid_offset` (not an integer).
 */
export function shiftWorkingDays(dateStr: string, n: number, cal: WorkingCalendar): string {
  if (!Number.isInteger(n)) throw new ValidationError("invalid_offset", "Số ngày làm việc phải là số nguyên.");
  const working = compile(cal);
  dayNumber(dateStr);
  if (n === 0) return working(dateStr) ? dateStr : step(dateStr, 1, 1, working);
  return step(dateStr, Math.sign(n), Math.abs(n), working);
}

/**
 * The due instant `n` working days after `from`: the end (`workdayEnd`, Vietnam time) of the n-th
 * working day after `from`'s Vietnam date, as a UTC Date. n = 0 is the end of the same day if it
 * is a working day, else of the next working day. Negative n counts back ("3 working days before
 * the due date") and also lands at the end of that working day.
 * Throws ValidationError `invalid_date`, `invalid_calendar`, `invalid_offset`.
 */
export function addWorkingDays(from: Date, n: number, cal: WorkingCalendar): Date {
  const date = shiftWorkingDays(vietnamDateOf(from), n, cal);
  return atVietnamTime(date, cal.workdayEnd ?? "17:00");
}

/** How a period given in days is counted: working days (the default) or calendar days. */
export type DayCount = "working" | "calendar";

/**
 * The due instant of a period of `n` days from `from`, at the end of the working day: `working`
 * counts n working days on `cal` (`addWorkingDays`); `calendar` counts n calendar days and, when
 * the last one is a day off, ends at the end of the next working day (Bộ luật Dân sự 2015,
 * Điều 148 khoản 5). Either way the due date is a working day.
 * Throws ValidationError `invalid_date`, `invalid_calendar`, `invalid_offset`.
 */
export function dueAfter(from: Date, n: number, count: DayCount, cal: WorkingCalendar): Date {
  if (count === "working") return addWorkingDays(from, n, cal);
  if (!Number.isInteger(n)) throw new ValidationError("invalid_offset", "Số ngày phải là số nguyên.");
  const last = shiftWorkingDays(addCalendarDays(vietnamDateOf(from), n), 0, cal);
  return atVietnamTime(last, cal.workdayEnd ?? "17:00");
}

/**
 * How many working days lie after `a`'s Vietnam date up to and including `b`'s, so that
 * `workingDaysBetween(from, addWorkingDays(from, n, cal), cal) === n` for n ≥ 1. Negative when
 * `b` is before `a`; 0 on the same date. Accepts instants or 'YYYY-MM-DD' dates.
 * Throws ValidationError `invalid_date`, `invalid_calendar`.
 */
export function workingDaysBetween(a: Date | string, b: Date | string, cal: WorkingCalendar): number {
  const working = compile(cal);
  const da = typeof a === "string" ? a : vietnamDateOf(a);
  const db = typeof b === "string" ? b : vietnamDateOf(b);
  const na = dayNumber(da);
  const nb = dayNumber(db);
  if (na === nb) return 0;
  const [lo, hi, sign] = na < nb ? [na, nb, 1] : [nb, na, -1];
  let count = 0;
  for (let d = lo + 1; d <= hi; d++) {
    if (working(new Date(d * DAY_MS).toISOString().slice(0, 10))) count++;
  }
  return sign * count;
}

function step(dateStr: string, dir: number, count: number, working: (d: string) => boolean): string {
  let d = dateStr;
  let idle = 0;
  while (count > 0) {
    d = addCalendarDays(d, dir);
    if (working(d)) {
      count--;
      idle = 0;
    } else if (++idle > MAX_CONSECUTIVE_DAYS_OFF) {
      throw new ValidationError("invalid_calendar", `Lịch làm việc không có ngày làm việc nào quanh ${d}.`);
    }
  }
  return d;
}

/** Days since the epoch of a 'YYYY-MM-DD' date; rejects impossible dates such as 2026-02-30. */
function dayNumber(dateStr: string): number {
  const m = typeof dateStr === "string" ? DATE_RE.exec(dateStr) : null;
  if (m) {
    const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
    if (new Date(ms).toISOString().slice(0, 10) === dateStr) return ms / DAY_MS;
  }
  throw new ValidationError("invalid_date", `Ngày không hợp lệ: ${String(dateStr)} (cần YYYY-MM-DD).`);
}

/** Each calendar object checked and compiled once (a request's deadlines all shift by the same one). */
const compiledCalendars = new WeakMap<WorkingCalendar, (d: string) => boolean>();

/**
 * Checks the calendar and returns a predicate, once per calendar object: calendars are read afresh
 * for each use (`loadCalendar` builds a new object; an administrator's edit is a new row, never a
 * change to an object already compiled), so an object is never changed after its first use.
 */
function compile(cal: WorkingCalendar): (d: string) => boolean {
  const known = cal && typeof cal === "object" ? compiledCalendars.get(cal) : undefined;
  if (known) return known;
  const working = compileCalendar(cal);
  compiledCalendars.set(cal, working);
  return working;
}

function compileCalendar(cal: WorkingCalendar): (d: string) => boolean {
  if (!cal || !Array.isArray(cal.weekend) || !Array.isArray(cal.holidays)) {
    throw new ValidationError("invalid_calendar", "Lịch làm việc thiếu ngày nghỉ tuần hoặc ngày lễ.");
  }
  const weekend = new Set(cal.weekend);
  if ([...weekend].some((d) => !Number.isInteger(d) || d < 0 || d > 6) || weekend.size >= 7) {
    throw new ValidationError(
      "invalid_calendar",
      "Ngày nghỉ hằng tuần phải là 0–6 và còn ít nhất một ngày làm việc.",
      "weekend",
    );
  }
  for (const h of [...cal.holidays, ...(cal.makeupWorkdays ?? [])]) dayNumber(h);
  if (cal.workdayEnd !== undefined && !TIME_RE.test(cal.workdayEnd)) {
    throw new ValidationError(
      "invalid_calendar",
      `Giờ kết thúc ngày làm việc không hợp lệ: ${cal.workdayEnd}.`,
      "workdayEnd",
    );
  }
  const holidays = new Set(cal.holidays);
  const makeup = new Set(cal.makeupWorkdays ?? []);
  return (d: string) => makeup.has(d) || (!weekend.has(dayOfWeek(d)) && !holidays.has(d));
}
