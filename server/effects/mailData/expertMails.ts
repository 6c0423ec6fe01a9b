/** Data of the mails to experts: invitation, reminders, extensions, the panel decision, workshops, thanks. */
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { invitations, opinionVersions, users } from "../../db/schema.js";
import { EffectError } from "../../errors.js";
import { formatShortDate } from "../../documents/format.js";
import { createActionToken } from "../../mail/links.js";
import { addWorkingDays } from "../../calendar/workingDays.js";
import type { MailContext } from "./mailContext.js";

type Data = Record<string, unknown>;

/**
 * The development secret for invitation links. Production sets `TVPB_LINK_SECRET` (≥ 32 bytes) and
 * passes it as `MailDeps.linkSecret`; with this default anyone who reads the source can forge links.
 */
export const DEV_LINK_SECRET = "tvpb-development-link-secret-not-for-production";

/**
 * The invitation to join the panel, with signed accept and decline links.
 * @throws EffectError `mail_invalid` (permanent) when not sent by an invitation workflow, or the invitation is gone.
 */
async function invitation(c: MailContext): Promise<Data> {
  const { props, words } = c;
  if (props.workflow !== "invitation")
    throw new EffectError("an invitation mail must come from an invitation workflow", true, "mail_invalid");
  const [inv] = await c.db.select().from(invitations).where(eq(invitations.id, props.workflowId));
  if (!inv) throw new EffectError(`invitation ${props.workflowId} not found`, true, "mail_invalid");
  // An invitation without a stored deadline answers within the organisation's invitation period,
  // counted in working days like the deadline the invitation machine schedules.
  const respondBy =
    inv.dueAt ?? addWorkingDays(c.now, c.settings.timeline.invitationWorkingDays, await c.readers.calendar());
  const expiresAt = new Date(respondBy.getTime() + 86_400_000);
  const token = (purpose: "invitation.accept" | "invitation.decline") =>
    createActionToken({
      secret: props.linkSecret ?? DEV_LINK_SECRET,
      purpose,
      subjectId: inv.id,
      email: c.recipient.address,
      expiresAt,
      jti: randomBytes(16).toString("base64url"),
    });
  const reviewDays = c.ctx.plan?.reviewDays ?? c.ctx.timeline?.reviewDays;
  return {
    ...c.withA,
    panelLabel: c.panelLabel,
    role: c.roleLabel(inv.panelRole),
    dueAt: reviewDays ? words.t("mail.reviewWithin", { days: reviewDays }) : words.t("mail.asPlanned"),
    respondBy: formatShortDate(respondBy),
    summary: c.a.summary ?? c.a.title,
    confidential: c.a.confidential,
    links: {
      accept: `${props.publicUrl}/invitations/respond?token=${token("invitation.accept")}`,
      decline: `${props.publicUrl}/invitations/respond?token=${token("invitation.decline")}`,
    },
  };
}

/** The expert is reminded of the opinion (before, on or after the due date). */
async function opinionReminder(c: MailContext): Promise<Data> {
  const due = await c.readers.reviewDue(c.recipient.expertId);
  const today = (d: Date) => formatShortDate(d) === formatShortDate(c.now);
  const variant =
    c.pd.overdue || (due && due.getTime() < c.now.getTime()) ? "overdue" : due && today(due) ? "due" : "before";
  return {
    ...c.withA,
    variant,
    dueAt: c.date(due) ?? "",
    links: { submit: `${c.url}#opinion`, requestExtension: `${c.url}#extension` },
  };
}

/** The secretariat granted or refused the expert's extension. */
async function extensionDecided(c: MailContext): Promise<Data> {
  const granted = !!c.pd.granted;
  const general = await c.readers.deadline("review");
  const own = c.recipient.expertId ? await c.readers.deadline(`review:${c.recipient.expertId}`) : undefined;
  return {
    ...c.withA,
    granted,
    previousDueAt: c.date(general) ?? "",
    ...(granted ? { newDueAt: c.date(own ?? general) ?? "" } : {}),
    ...(typeof c.pd.reason === "string" && c.pd.reason.trim() ? { reason: c.pd.reason } : {}),
    links: { submit: `${c.url}#opinion` },
  };
}

/** Thanks after the result went out, with the report's number when it has one. */
async function expertThanks(c: MailContext): Promise<Data> {
  const inv = await c.readers.invitationOf(c.recipient.expertId);
  const report = await c.readers.issued("finalReport");
  const n = c.ctx.recommendations?.length ?? 0;
  const summary = c.words.t("mail.thanksSummary", { n, agency: c.agencyName });
  return {
    ...c.withA,
    role: c.roleLabel(inv?.panelRole),
    ...(report ? { report: { number: report.number, date: report.date, summary } } : {}),
  };
}

/** The panel decision is signed: the expert's role, the decision and the opinion's due date. */
async function panelApproved(c: MailContext): Promise<Data> {
  const inv = await c.readers.invitationOf(c.recipient.expertId);
  const decision = await c.readers.issued("panelDecision");
  return {
    ...c.withA,
    panelLabel: c.panelLabel,
    role: c.roleLabel(inv?.panelRole),
    ...(decision ? { decision: { number: decision.number, date: decision.date } } : {}),
    dueAt: c.date(await c.readers.reviewDue(c.recipient.expertId)) ?? "",
    links: { dossier: c.url, submit: `${c.url}#opinion` },
  };
}

/**
 * The panel is invited to the workshop.
 * @throws EffectError `mail_invalid` (permanent) when no workshop is scheduled.
 */
async function workshopInvitation(c: MailContext): Promise<Data> {
  const ws = c.ctx.workshop;
  if (!ws) throw new EffectError("no workshop in the assignment", true, "mail_invalid");
  return {
    ...c.withA,
    scheduledAt: c.dateTime(new Date(ws.scheduledAt)),
    place: ws.place,
    letterNumber: (await c.readers.issued("meetingInvitation"))?.number,
    links: { details: c.url },
  };
}

/** The secretariat wrote a new version of the expert's opinion on their behalf. */
async function opinionEdited(c: MailContext): Promise<Data> {
  const version = Number(c.pd.version);
  const expertId = c.recipient.expertId;
  const [row] = expertId
    ? await c.db
        .select()
        .from(opinionVersions)
        .where(
          and(
            eq(opinionVersions.assignmentId, c.a.id),
            eq(opinionVersions.expertId, expertId),
            eq(opinionVersions.version, version),
          ),
        )
    : [];
  const [author] = row?.authorId ? await c.db.select().from(users).where(eq(users.id, row.authorId)) : [];
  return {
    ...c.withA,
    version,
    reason: String(c.pd.reason ?? row?.reason ?? ""),
    editedAt: formatShortDate(row?.createdAt ?? c.now),
    editorName: author?.fullName
      ? c.words.t("mail.editedBy", { name: author.fullName })
      : c.words.t("mail.secretariat"),
    links: { opinion: `${c.url}#opinion` },
  };
}

/** Builders of the experts' mails, by template name. */
export const EXPERT_MAILS: Record<string, (c: MailContext) => Promise<Data>> = {
  invitation,
  "opinion.reminder": opinionReminder,
  "extension.decided": extensionDecided,
  "expert.thanks": expertThanks,
  "panel.approved": panelApproved,
  "workshop.invitation": workshopInvitation,
  "opinion.edited": opinionEdited,
};
