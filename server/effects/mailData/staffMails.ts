/**
 * Data of the mails to the Union's staff (secretariat and leadership): what waits for a decision,
 * extension requests, answers received, expired invitations, withdrawals; and the mails whose data
 * comes ready in the payload (delivery failures, the digest, sign-in links).
 */
import { randomBytes } from "node:crypto";
import { and, desc, eq, inArray } from "drizzle-orm";
import { history, invitations, recommendationResponses } from "../../db/schema.js";
import { EffectError } from "../../errors.js";
import { formatShortDate } from "../../documents/format.js";
import { createActionToken } from "../../mail/links.js";
import { escalation } from "./escalation.js";
import { DEV_LINK_SECRET } from "./expertMails.js";
import type { MailContext } from "./mailContext.js";

type Data = Record<string, unknown>;

/** How long a sign-in link sent after an accepted invitation stays valid. */
export const SIGNIN_LINK_HOURS = 72;

/** The step leadership is asked to act on, by the event that asked (else the assignment's state). */
const STEP_BY_EVENT: Record<string, string> = {
  "order.proposeAccept": "screening.proposedAccept",
  "order.proposeDecline": "screening.proposedDecline",
  "panel.submit": "panelFormation.proposed",
  "report.submit": "approval.awaitingLeadership",
  "report.endorse": "approval.awaitingLeadership",
};

/** One item waits for leadership: what they are asked to do. */
async function leadershipPending(c: MailContext): Promise<Data> {
  const state = (c.props.event && STEP_BY_EVENT[c.props.event]) || c.a.state;
  const action = c.words.labelOr("mail.leadershipAction", state, c.words.labelOr("state", state));
  return {
    ...c.base,
    items: [{ code: c.a.code, title: c.a.title, actionLabel: action, since: formatShortDate(c.now), url: c.url }],
    links: { inbox: `${c.props.publicUrl}/assignments` },
  };
}

/**
 * An expert asks for more time: who, how long, why.
 * @throws EffectError `mail_invalid` (permanent) when the assignment holds no extension request.
 */
async function extensionRequested(c: MailContext): Promise<Data> {
  const requests = c.ctx.extensionRequests ?? [];
  const req = [...requests].reverse().find((r) => r.status === "pending") ?? requests.at(-1);
  if (!req) throw new EffectError("no extension request in the assignment", true, "mail_invalid");
  return {
    ...c.withA,
    expert: { name: c.expertName(await c.readers.expertById(req.expertId)) },
    days: req.days,
    reason: req.reason,
    currentDueAt: c.date(await c.readers.reviewDue(req.expertId)) ?? "",
    links: { decide: `${c.url}#extensions` },
  };
}

/** The agency answered: how many recommendations it accepted, partly accepted, did not accept. */
async function responseReceived(c: MailContext): Promise<Data> {
  const ids = (c.ctx.recommendations ?? []).map((r) => r.id);
  const rows = ids.length
    ? await c.db
        .select()
        .from(recommendationResponses)
        .where(inArray(recommendationResponses.recommendationId, ids))
        .orderBy(desc(recommendationResponses.createdAt))
    : [];
  const latest = new Map<string, string>();
  for (const r of rows) if (!latest.has(r.recommendationId)) latest.set(r.recommendationId, r.status);
  const count = (s: string) => [...latest.values()].filter((x) => x === s).length;
  return {
    ...c.withA,
    receivedAt: formatShortDate(c.now),
    resultNumber: (await c.readers.issued("finalReport"))?.number,
    total: ids.length,
    accepted: count("accepted"),
    partly: count("partly"),
    notAccepted: count("not_accepted"),
    links: { review: `${c.url}#response` },
  };
}

/**
 * An invitation expired unanswered: who, and the alternate invited in their place, if any.
 * @throws EffectError `mail_invalid` (permanent) when the invitation is gone.
 */
async function invitationExpired(c: MailContext): Promise<Data> {
  const [inv] = await c.db.select().from(invitations).where(eq(invitations.id, c.props.workflowId));
  if (!inv) throw new EffectError(`invitation ${c.props.workflowId} not found`, true, "mail_invalid");
  const since = (inv.respondedAt ?? inv.dueAt ?? inv.createdAt).getTime() - 1000;
  const later = (await c.db.select().from(invitations).where(eq(invitations.assignmentId, c.a.id)))
    .filter((r) => r.rank > inv.rank && r.createdAt.getTime() >= since)
    .sort((x, y) => Number(y.panelRole === inv.panelRole) - Number(x.panelRole === inv.panelRole) || x.rank - y.rank);
  const alternate = later[0]
    ? { name: c.expertName(await c.readers.expertById(later[0].expertId)), roleLabel: c.roleLabel(later[0].panelRole) }
    : undefined;
  return {
    ...c.withA,
    panelLabel: c.panelLabel,
    expert: { name: c.expertName(await c.readers.expertById(inv.expertId)), roleLabel: c.roleLabel(inv.panelRole) },
    dueAt: c.date(inv.dueAt) ?? "",
    ...(alternate ? { alternate } : {}),
    links: { panel: `${c.url}#panel` },
  };
}

/** The agency withdrew its order: why, and from which step. */
async function assignmentWithdrawn(c: MailContext): Promise<Data> {
  const [h] = await c.db
    .select()
    .from(history)
    .where(and(eq(history.assignmentId, c.a.id), eq(history.eventType, "assignment.withdraw")))
    .orderBy(desc(history.createdAt))
    .limit(1);
  const from = h?.fromState ?? "";
  return {
    ...c.withA,
    reason: h?.reason ?? String((h?.payload as { reason?: string } | undefined)?.reason ?? c.pd.reason ?? ""),
    stateLabel: c.words.labelOr("state", from),
    withdrawnAt: formatShortDate(h?.createdAt ?? c.now),
    links: { assignment: c.url },
  };
}

/**
 * A one-time sign-in link, signed when the mail is built so the token never sits in the effect's
 * payload (or given ready in the payload's `links`).
 * @throws EffectError `mail_invalid` (permanent) when the recipient is not a user account.
 */
async function signinLink(c: MailContext): Promise<Data> {
  if (c.pd.links) return { ...c.base, ...c.pd };
  const userId = c.recipient.userId;
  if (!userId) throw new EffectError("a sign-in link needs a user account as recipient", true, "mail_invalid");
  const token = createActionToken({
    secret: c.props.linkSecret ?? DEV_LINK_SECRET,
    purpose: "signin",
    subjectId: userId,
    email: c.recipient.address,
    expiresAt: new Date(c.now.getTime() + SIGNIN_LINK_HOURS * 3_600_000),
    jti: randomBytes(16).toString("base64url"),
  });
  return {
    ...c.base,
    expiresIn: c.words.count("mail.hours", SIGNIN_LINK_HOURS),
    requestedAt: c.dateTime(c.now),
    links: { signin: `${c.props.publicUrl}/auth/link?token=${token}&a=${c.a.id}` },
  };
}

/** Builders of the staff's mails, by template name. */
export const STAFF_MAILS: Record<string, (c: MailContext) => Promise<Data>> = {
  escalation: async (c) => ({ ...c.withA, ...(await escalation(c)) }),
  "leadership.pending": leadershipPending,
  "extension.requested": extensionRequested,
  "response.received": responseReceived,
  "invitation.expired": invitationExpired,
  "assignment.withdrawn": assignmentWithdrawn,
  "delivery.failed": async (c) => ({ ...c.withA, ...c.pd }),
  "signin.link": signinLink,
  "secretariat.digest": async (c) => ({ ...c.base, ...c.pd }),
};
