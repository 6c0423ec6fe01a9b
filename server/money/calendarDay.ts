/** Vietnam calendar days as `YYYY-MM-DD` strings, which sort and compare as text. */

/** True for a `YYYY-MM-DD` string naming a real calendar day (not 2027-02-30). */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The year of a calendar day. */
export const yearOf = (day: string) => Number(day.slice(0, 4));
