/**
 * The admin changes the organisation's names and settings, and the holidays of one year, in one
 * transaction. Settings keys not given keep their value.
 */
import { and, eq, gte, lte } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { holidays, organizations } from "../db/schema.js";
import { ValidationError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { requireRole } from "../policies/assignmentPolicy.js";
import { resolveSettings, type OrgSettings } from "../settings.js";
import { isCalendarDate, isOneLine } from "./events/fields.js";
import { requireOneLine } from "./requireOneLine.js";

export type SettingsInput = {
  name?: string;
  shortName?: string;
  settings?: Partial<OrgSettings>;
  /** Replaces the holidays of `year` (organisations enter the lunar ones per year). */
  holidays?: { year: number; days: Array<{ day: string; name: string }> };
};

/** @throws ForbiddenError (not admin), ValidationError invalid_holiday */
export async function updateSettings(db: Db, props: { actor: Actor; input: SettingsInput }) {
  requireRole(props.actor, "admin");
  const { input } = props;
  requireSettingsLines(input);
  const hol = input.holidays;
  if (hol) {
    const bad = hol.days.find(
      (h) => !isCalendarDate(h.day) || !h.day.startsWith(String(hol.year)) || !isOneLine(h.name),
    );
    if (bad)
      throw new ValidationError(
        "invalid_holiday",
        `Ngày nghỉ không hợp lệ hoặc không thuộc năm ${hol.year}: ${bad.day}`,
        "holidays",
      );
  }
  return db.transaction(async (tx) => {
    const [org] = await tx.select().from(organizations).where(eq(organizations.id, props.actor.organizationId));
    const settings = { ...(org.settings ?? {}), ...(input.settings ?? {}) };
    const [row] = await tx
      .update(organizations)
      .set({ name: input.name ?? org.name, shortName: input.shortName ?? org.shortName, settings })
      .where(eq(organizations.id, org.id))
      .returning();
    if (hol) {
      await tx
        .delete(holidays)
        .where(
          and(
            eq(holidays.organizationId, org.id),
            gte(holidays.day, `${hol.year}-01-01`),
            lte(holidays.day, `${hol.year}-12-31`),
          ),
        );
      if (hol.days.length)
        await tx
          .insert(holidays)
          .values(hol.days.map((h) => ({ organizationId: org.id, day: h.day, name: h.name })))
          .onConflictDoNothing();
    }
    return { name: row.name, shortName: row.shortName, settings: resolveSettings(row.settings) };
  });
}

/** The names and the sender name reach documents and mail headers: one clean line each. @throws ValidationError */
function requireSettingsLines(input: SettingsInput) {
  const s = input.settings ?? {};
  requireOneLine({ name: input.name, shortName: input.shortName, issuerName: s.issuerName, parentBody: s.parentBody });
  requireOneLine({ "mail.fromName": s.mail?.fromName, "mail.fromAddress": s.mail?.fromAddress });
  requireOneLine({ "mail.replyTo": s.mail?.replyTo, email: s.email, phone: s.phone, place: s.place });
  (s.signers ?? []).forEach((x, i) =>
    requireOneLine({ [`signers.${i}.name`]: x.name, [`signers.${i}.title`]: x.title }),
  );
}
