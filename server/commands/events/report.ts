/** The consolidated report: submission, the chair's endorsement, approval or return, issue and delivery. */
import { z } from "zod";
import { and, desc, eq, inArray } from "drizzle-orm";
import { documents, invitations, reportVersions } from "../../db/schema.js";
import { ForbiddenError, ValidationError } from "../../errors.js";
import { hasRole } from "../../runtime/actor.js";
import { newId } from "../../runtime/applyEvent.js";
import type { Tx } from "../../db/connect.js";
import { declareEvent, type EnrichContext, type EventDeclaration, type Payload } from "./declare.js";
import { optText, text } from "./fields.js";

/**
 * The council's chair endorses (the secretariat may on the chair's behalf).
 * @throws ForbiddenError for any other expert
 */
async function requireChair(tx: Tx, { actor, assignment }: EnrichContext, event: Payload) {
  if (hasRole(actor, "secretariat")) return event;
  const [seat] = actor.expertId
    ? await tx
        .select({ id: invitations.id })
        .from(invitations)
        .where(
          and(
            eq(invitations.assignmentId, assignment.id),
            eq(invitations.expertId, actor.expertId),
            eq(invitations.state, "accepted"),
            eq(invitations.panelRole, "chair"),
          ),
        )
    : [];
  if (!seat) throw new ForbiddenError("Chỉ chủ tịch hội đồng (hoặc Ban TVPB thay mặt) xác nhận báo cáo.");
  return event;
}

/** The recommendations of the latest report draft, numbered from 1, each with its id. */
async function numberRecommendations(tx: Tx, { assignment }: EnrichContext, event: Payload) {
  const [report] = await tx
    .select({ content: reportVersions.content })
    .from(reportVersions)
    .where(eq(reportVersions.assignmentId, assignment.id))
    .orderBy(desc(reportVersions.version))
    .limit(1);
  const recs = (
    (report?.content as { recommendations?: Array<{ text: string }> } | undefined)?.recommendations ?? []
  ).filter((r) => r.text?.trim());
  return { ...event, recommendations: recs.map((r, i) => ({ id: newId(), number: i + 1, text: r.text })) };
}

/**
 * A report goes to leadership only with its conclusion chosen (the editor chooses none in advance).
 * @throws ValidationError report_conclusion_required
 */
async function requireConclusion(tx: Tx, { assignment }: EnrichContext, event: Payload) {
  const [report] = await tx
    .select({ content: reportVersions.content })
    .from(reportVersions)
    .where(eq(reportVersions.assignmentId, assignment.id))
    .orderBy(desc(reportVersions.version))
    .limit(1);
  if (report && !(report.content as { conclusion?: string }).conclusion)
    throw new ValidationError(
      "report_conclusion_required",
      "Hãy chọn kết luận chung của báo cáo trước khi trình.",
      "conclusion",
    );
  return event;
}

/** The documents a delivery delivers: the result and its cover letter. */
const DELIVERED_KINDS = ["finalReport", "coverLetter"];

/** Lists the delivered documents still being issued (numbered, not yet rendered and signed). */
async function pendingDeliveredDocuments(tx: Tx, { assignment }: EnrichContext, event: Payload) {
  const pending = await tx
    .select({ kind: documents.kind })
    .from(documents)
    .where(
      and(
        eq(documents.assignmentId, assignment.id),
        inArray(documents.kind, DELIVERED_KINDS),
        eq(documents.status, "issuing"),
      ),
    );
  return { ...event, pendingDocuments: pending.map((d) => d.kind) };
}

export const REPORT_EVENTS: Record<string, EventDeclaration> = {
  "report.submit": declareEvent({
    payload: { note: optText() },
    roles: ["secretariat"],
    enrich: requireConclusion,
    rules: { hasReportDraft: "rule.hasReportDraft" },
  }),
  "report.endorse": declareEvent({
    payload: { note: optText() },
    roles: ["expert", "secretariat"],
    enrich: requireChair,
  }),
  "report.approve": declareEvent({ payload: { note: optText() }, roles: ["leadership"] }),
  "report.return": declareEvent({
    payload: { comments: text() },
    roles: ["leadership"],
    rules: { hasComments: "rule.hasComments" },
    form: { danger: true },
  }),
  "report.issue": declareEvent({
    payload: {},
    roles: ["clerk", "leadership"],
    enrich: numberRecommendations,
    rules: { hasRecommendations: "rule.hasRecommendations" },
    // Whether the draft has recommendations is checked when it is issued.
    probe: () => ({ recommendations: [{ id: "probe", number: 1 }] }),
    form: { confirm: true },
  }),
  "delivery.recorded": declareEvent({
    payload: { channel: z.enum(["email", "post", "hand", "national_exchange"]), note: optText() },
    roles: ["clerk", "secretariat"],
    // Only what is issued can be delivered: the report and its cover letter must be rendered and signed.
    enrich: pendingDeliveredDocuments,
    rules: { documentsIssued: "rule.documentsIssued" },
  }),
};
