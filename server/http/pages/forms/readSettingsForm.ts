/**
 * The organisation settings form: names, signers, document margins, the timeline of each stage in
 * working days, panel and opinion minimums per form of work, the default reminder policy and the
 * public holidays of one year (one "yyyy-mm-dd name" per line). Checked field by field; the first
 * bad field is named so the page can say which.
 */
import { z } from "zod";
import type { OrgSettings } from "../../../settings.js";
import type { SettingsInput } from "../../../commands/updateSettings.js";
import { str } from "./fields.js";
import { isCalendarDate, isOneLine, line, optLine } from "../../../commands/events/fields.js";

type Body = Record<string, unknown>;

const num = z.coerce.number().int().min(0).max(365);
const count = z.coerce.number().int().min(1).max(30);
const days = z.array(z.number().int().min(1).max(30));

function settingsShape(cur: OrgSettings) {
  return z.object({
    name: line(300),
    shortName: line(120),
    parentBody: optLine(200),
    issuerName: line(300),
    issuerAbbr: line(20),
    unitAbbr: line(20),
    place: optLine(100),
    address: optLine(300),
    email: optLine(200),
    phone: optLine(40),
    margins: z.object({ top: num, bottom: num, left: num, right: num }),
    timeline: z.object(
      Object.fromEntries(Object.keys(cur.timeline).map((k) => [k, z.coerce.number().int().min(1).max(120)])),
    ),
    minPanel: z.record(z.string(), count),
    minOpinions: z.record(z.string(), count),
    signers: z.array(
      z.object({
        key: line(40),
        name: line(200),
        title: line(100),
        authority: z.enum(["", "TM.", "KT.", "Q.", "TL.", "TUQ."]),
        authorityTitle: optLine(100).optional(),
      }),
    ),
    reminder: z.object({
      before: days,
      onDue: z.boolean(),
      after: days,
      escalateSecretariatAfter: num,
      escalateLeadershipAfter: num,
    }),
  });
}

/** The signers with a name; a signer without a key gets one from the name. */
function signersOf(v: unknown) {
  return Object.values((v ?? {}) as Record<string, Record<string, string>>)
    .filter((x) => str(x.name).trim())
    .map((x) => ({
      key: str(x.key).trim() || str(x.name).trim().toLowerCase().replace(/\s+/g, "-").slice(0, 40),
      name: str(x.name).trim(),
      title: str(x.title).trim(),
      authority: str(x.authority),
      authorityTitle: str(x.authorityTitle).trim() || undefined,
    }));
}

/** "1, 3 5" → [1, 3, 5]. */
const numbers = (v: unknown) =>
  str(v)
    .split(/[,\s]+/)
    .filter(Boolean)
    .map(Number);

function rawOf(b: Body) {
  const rem = (b.reminder ?? {}) as Body;
  const { name, shortName, parentBody, issuerName, issuerAbbr, unitAbbr, place, address, email, phone } = b;
  return {
    ...{ name, shortName, parentBody, issuerName, issuerAbbr, unitAbbr, place, address, email, phone },
    ...{ margins: b.margins, timeline: b.timeline, minPanel: b.minPanel, minOpinions: b.minOpinions },
    signers: signersOf(b.signers),
    reminder: {
      before: numbers(rem.before),
      onDue: rem.onDue === "on",
      after: numbers(rem.after),
      escalateSecretariatAfter: rem.escalateSecretariatAfter,
      escalateLeadershipAfter: rem.escalateLeadershipAfter,
    },
  };
}

/** The holidays typed for `year`, and whether one of them is not a day of that year. */
function holidaysOf(v: unknown, year: number) {
  const list = str(v)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => ({ day: l.slice(0, 10), name: l.slice(10).trim() || l.slice(0, 10) }));
  const bad = list.some((h) => !isCalendarDate(h.day) || !h.day.startsWith(String(year)) || !isOneLine(h.name));
  return { list, bad };
}

/**
 * The settings update, or the first field that is wrong ("holidays" for a bad holiday line).
 * `cur` is what is stored now (its timeline keys and reminder policies are kept); `thisYear` is
 * the year the holidays belong to when the form does not say.
 */
export function readSettingsForm(
  b: Body,
  cur: OrgSettings,
  thisYear: number,
): { input: SettingsInput; year: number } | { field: string } {
  const parsed = settingsShape(cur).safeParse(rawOf(b));
  const year = Number(str(b.year)) || thisYear;
  const hol = holidaysOf(b.holidays, year);
  if (!parsed.success) return { field: parsed.error.issues[0].path.join(".") };
  if (hol.bad) return { field: "holidays" };
  const { name, shortName, reminder, timeline, minPanel, minOpinions, ...rest } = parsed.data;
  const settings = {
    ...rest,
    timeline: timeline as OrgSettings["timeline"],
    minPanel: minPanel as OrgSettings["minPanel"],
    minOpinions: minOpinions as OrgSettings["minOpinions"],
    reminders: { ...cur.reminders, default: reminder },
  };
  return { input: { name, shortName, settings, holidays: { year, days: hol.list } }, year };
}
