/** Data of the mails to the ordering agency: acknowledgement, requests, acceptance, decline, result, reminders. */
import { EffectError } from "../../errors.js";
import { formatShortDate } from "../../documents/format.js";
import type { MailContext } from "./mailContext.js";

type Data = Record<string, unknown>;

/** The order is registered; screening is due by a date. */
async function orderAcknowledged(c: MailContext): Promise<Data> {
  return {
    ...c.withA,
    receivedAt: c.date(c.a.createdAt),
    screeningDueAt: c.date(await c.readers.deadline("screening")),
  };
}

/** The agency is asked for the documents the screening found missing. */
async function documentsRequested(c: MailContext): Promise<Data> {
  return {
    ...c.withA,
    documents: (c.ctx.missingDocuments ?? []).map((name) => ({ name })),
    letterNumber: (await c.readers.issued("requestDocuments"))?.number,
    links: { respond: c.url },
  };
}

/** The order is accepted: the forms of work, the letter, the expected date. */
async function orderAccepted(c: MailContext): Promise<Data> {
  const forms = c.a.forms.map((f) => c.words.lower("form", f)).join(", ");
  return {
    ...c.withA,
    formLabel: forms.charAt(0).toUpperCase() + forms.slice(1),
    letterNumber: (await c.readers.issued("acceptanceLetter"))?.number,
    expectedAt: c.a.requestedDeadline ? c.a.requestedDeadline.split("-").reverse().join("/") : undefined,
  };
}

/** The order is declined, one reason per line. */
async function orderDeclined(c: MailContext): Promise<Data> {
  const reasons = String(c.ctx.declineReasons ?? c.pd.reasons ?? "")
    .split(/\r?\n|;\s+/)
    .map((s) => s.replace(/^[-–•\s]+/, "").trim())
    .filter(Boolean);
  return { ...c.withA, reasons, letterNumber: (await c.readers.issued("declineLetter"))?.number };
}

/**
 * The result is sent with the final report attached.
 * @throws EffectError `documents_pending` (retryable) while the report has no number yet.
 */
async function resultSent(c: MailContext): Promise<Data> {
  const report = await c.readers.issued("finalReport");
  if (!report) throw new EffectError("the final report has no number yet", false, "documents_pending");
  return {
    ...c.withA,
    document: {
      number: report.number,
      date: report.date,
      title: c.words.t("mail.reportTitle", { type: c.typeLabel, title: c.a.title }),
      filename: `Bao-cao-ket-qua-${report.row.number ?? ""}-${report.year ?? ""}.pdf`,
      signed: await c.readers.isSigned(report.row),
    },
    responseDueAt: c.date(await c.readers.deadline("response")),
    recommendationsCount: c.ctx.recommendations?.length ?? 0,
    links: { respond: c.url },
  };
}

/** The agency is reminded to answer the recommendations (before, on or after the due date). */
async function responseReminder(c: MailContext): Promise<Data> {
  const report = await c.readers.issued("finalReport");
  const due = await c.readers.deadline("response");
  const variant = c.pd.overdue ? "after" : due && formatShortDate(due) === formatShortDate(c.now) ? "due" : "before";
  return {
    ...c.withA,
    variant,
    dueAt: c.date(due) ?? "",
    document: { number: report?.number ?? "", date: report?.date ?? "" },
    links: { respond: c.url },
  };
}

/** Builders of the agency's mails, by template name. */
export const AGENCY_MAILS: Record<string, (c: MailContext) => Promise<Data>> = {
  "order.acknowledged": orderAcknowledged,
  "documents.requested": documentsRequested,
  "order.accepted": orderAccepted,
  "order.declined": orderDeclined,
  "result.sent": resultSent,
  "response.reminder": responseReminder,
};
