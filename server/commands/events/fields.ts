/** The zod building blocks of payloads, shared by the event declarations and the API's other schemas. */
import { z } from "zod";

/**
 * Characters no text may hold: NUL and the other C0 controls except tab, line feed and carriage
 * return, DEL and the C1 controls. PostgreSQL refuses NUL in text, and none of them is typed by a person.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/**
 * Characters a one-line value (a name, a sender name, anything that may reach a mail header) may
 * not hold: every control character, line breaks included, and the Unicode line and paragraph separators.
 */
export const LINE_BREAKS_OR_CONTROLS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

/** Whether `s` holds no control character (tab and line breaks allowed). */
export const isCleanText = (s: string) => !CONTROL_CHARACTERS.test(s);
/** Whether `s` is one clean line: no control character and no line break. */
export const isOneLine = (s: string) => !LINE_BREAKS_OR_CONTROLS.test(s);

const CLEAN = { message: "Không được chứa ký tự điều khiển." };
const ONE_LINE = { message: "Phải là một dòng, không chứa ký tự xuống dòng hay ký tự điều khiển." };

/** A string of at most `max` characters without control characters (line breaks allowed). */
export const cleanString = (max = 4000) => z.string().max(max).refine(isCleanText, CLEAN);
/** A required, trimmed, non-empty text of at most `max` characters, without control characters. */
export const text = (max = 4000) => z.string().trim().min(1).max(max).refine(isCleanText, CLEAN);
/** An optional trimmed text of at most `max` characters, without control characters. */
export const optText = (max = 4000) => z.string().trim().max(max).refine(isCleanText, CLEAN).optional();
/** A required one-line value (a name; anything that may reach a mail header): no line break, no control. */
export const line = (max = 300) => z.string().trim().min(1).max(max).refine(isOneLine, ONE_LINE);
/** A one-line value that may be empty. */
export const optLine = (max = 300) => z.string().trim().max(max).refine(isOneLine, ONE_LINE);
/** A UUID. */
export const uuid = z.string().uuid();
/** Whether `s` is a real calendar date YYYY-MM-DD between the years 1900 and 2999 (not 2026-02-31). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** A calendar date, YYYY-MM-DD, that exists (2026-02-31, 2026-13-45 and 0000-00-00 do not). */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD")
  .refine(isCalendarDate, { message: "Ngày không có thật (YYYY-MM-DD)." });
/** A panel seat's role. */
export const panelRole = z.enum(["chair", "secretary", "member"]);
/** An expert proposed for a seat. */
export const candidate = z.object({ expertId: uuid, role: panelRole });
/** An agency's answer to one numbered recommendation. */
export const answer = z.object({
  recommendationId: uuid,
  status: z.enum(["accepted", "partly", "not_accepted"]),
  explanation: optText(),
});
