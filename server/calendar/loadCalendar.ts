/**
 * The organisation's working-day calendar: Saturday and Sunday off (the `weekend` setting is not
 * read here yet), holidays from the `holidays` table, falling back to the built-in Vietnamese table
 * for years the organisation has not entered.
 */
import { and, eq, gte, lte } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { holidays } from "../db/schema.js";
import { vietnamCalendarData } from "./holidays.js";
import { defaultWorkingCalendar, type WorkingCalendar } from "./workingDays.js";

/**
 * Loads the calendar for the years around `at` (the year before, this year and the next). Throws what
 * the database throws.
 */
export async function loadCalendar(db: Executor, organizationId: string, at: Date): Promise<WorkingCalendar> {
  const year = at.getUTCFullYear();
  const years = [year - 1, year, year + 1];
  const rows = await db
    .select()
    .from(holidays)
    .where(
      and(
        eq(holidays.organizationId, organizationId),
        gte(holidays.day, `${years[0]}-01-01`),
        lte(holidays.day, `${years[2]}-12-31`),
      ),
    );
  const enteredYears = new Set(rows.map((r) => Number(r.day.slice(0, 4))));
  const defaults = vietnamCalendarData(years.filter((y) => !enteredYears.has(y)));
  return defaultWorkingCalendar([...rows.map((r) => r.day), ...defaults.holidays], defaults.makeupWorkdays);
}
