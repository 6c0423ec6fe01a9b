/**
 * The escalation mail's data: which deadline fell (`data.key`: review, review:<expertId>,
 * screening, planning, consolidation, response), who is late, since when, and how many reminders
 * went before it.
 */
import { inArray } from "drizzle-orm";
import { experts } from "../../db/schema.js";
import { workingDaysBetween } from "../../calendar/workingDays.js";
import type { MailContext } from "./mailContext.js";

type Party = { name: string; roleLabel: string; email?: string; phone?: string };

/** The escalation's fields (merged into the assignment's common data by the caller). */
export async function escalation(c: MailContext) {
  const { words } = c;
  const key = String(c.pd.key ?? "");
  const due = await c.readers.deadline(key);
  // Overdue by working days on the organisation's calendar: a deadline missed on Friday is one
  // day late on Monday, not three.
  const days = due && due < c.now ? workingDaysBetween(due, c.now, await c.readers.calendar()) : 0;
  const overdueBy = days >= 1 ? words.count("mail.workingDays", days) : words.t("mail.lessThanADay");
  const base = key.startsWith("review:") ? "review" : key;
  const party =
    base === "review"
      ? await lateExperts(c, key)
      : base === "response"
        ? agencyParty(c)
        : { name: words.t("mail.secretariat"), roleLabel: words.t("mail.secretariatRole") };
  const taskLabel = words.labelOr("mail.task", base, key);
  const level = c.props.to === "leadership" ? "leadership" : "secretariat";
  return { level, party, taskLabel, dueAt: c.date(due) ?? "", overdueBy, remindersSent: c.ctx.reminders ?? 0 };
}

/** The experts whose opinion is late: one named with contacts, several by name, or the panel. */
async function lateExperts(c: MailContext, key: string): Promise<Party> {
  const submitted = new Set((c.ctx.opinions ?? []).map((o) => o.expertId));
  const late = key.startsWith("review:")
    ? [key.slice("review:".length)]
    : (c.ctx.panel ?? []).filter((s) => s.status === "accepted" && !submitted.has(s.expertId)).map((s) => s.expertId);
  const people = late.length ? await c.db.select().from(experts).where(inArray(experts.id, late)) : [];
  const members = c.words.t("mail.panelMembers");
  if (people.length > 1) return { name: people.map(c.expertName).join(", "), roleLabel: members };
  if (!people.length) return { name: c.panelLabel, roleLabel: members };
  const [one] = people;
  const inv = await c.readers.invitationOf(one.id);
  return {
    name: c.expertName(one),
    roleLabel: c.roleLabel(inv?.panelRole),
    ...(one.email ? { email: one.email } : {}),
    ...(one.phone ? { phone: one.phone } : {}),
  };
}

/** The ordering agency, which owes its written response. */
function agencyParty(c: MailContext): Party {
  return {
    name: c.agencyName,
    roleLabel: c.words.label("role", "agency"),
    ...(c.agency?.email ? { email: c.agency.email } : {}),
  };
}
