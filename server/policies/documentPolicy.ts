/**
 * Who may see official documents: issued ones go to everyone who sees their assignment, drafts and
 * the register only to staff; previews and the report draft to those who write or approve it.
 */
import type { Executor } from "../db/connect.js";
import { ForbiddenError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { panelSeatOf } from "./assignmentPolicy.js";
import { maySeeAllPayments } from "./planPolicy.js";
import { hasRole, isStaff } from "./staffPolicy.js";

/** The financial forms: what each expert was paid (or is to be), for the money's readers only. */
const MONEY_DOCUMENTS = ["feeSettlement", "costEstimate"];

/** Whether a document of this kind is a financial form (bảng kê, dự toán). */
export const isMoneyDocument = (kind: string): boolean => MONEY_DOCUMENTS.includes(kind);

/**
 * Whether the actor may see a document in this status (outside staff see only what was issued to
 * them); a financial form only leadership, the secretariat and the accountant, as the payments.
 * An expert's opinion (bản nhận xét) is seen as the opinion is: by staff and by the expert who
 * wrote it — not by the agency nor the other panel members.
 */
export function maySeeDocument(
  actor: Actor,
  doc: { status: string; assignmentId: string | null; kind?: string; viewModel?: unknown },
): boolean {
  if (doc.kind && isMoneyDocument(doc.kind)) return maySeeAllPayments(actor);
  if (isStaff(actor)) return true;
  if (doc.assignmentId === null || doc.status !== "issued") return false;
  if (doc.kind !== "expertOpinion") return true;
  return !!actor.expertId && opinionWriterOf(doc) === actor.expertId;
}

/** The expert whose opinion a bản nhận xét is: on the row as issued, or under `source` once frozen. */
export function opinionWriterOf(doc: { viewModel?: unknown }): string | undefined {
  const vm = (doc.viewModel ?? {}) as { expertId?: unknown; source?: { expertId?: unknown } };
  const id = vm.expertId ?? vm.source?.expertId;
  return typeof id === "string" ? id : undefined;
}

/** The document register (every issued document). @throws ForbiddenError forbidden */
export function requireDocumentRegisterReader(actor: Actor): void {
  if (!isStaff(actor)) throw new ForbiddenError();
}

/** Whether the actor may see draft previews (PDF) of an assignment's documents. */
export const mayPreviewDrafts = (actor: Actor): boolean => hasRole(actor, "secretariat", "leadership", "clerk");

/** Draft previews of an assignment's documents. @throws ForbiddenError forbidden */
export function requireDraftPreviewer(actor: Actor): void {
  if (!hasRole(actor, "secretariat", "leadership", "clerk"))
    throw new ForbiddenError("Chỉ Ban TVPB, lãnh đạo và văn thư xem dự thảo văn bản.");
}

/** The versions of the report draft: its writers, approvers and experts. @throws ForbiddenError forbidden */
export function requireReportDraftReader(actor: Actor): void {
  if (!hasRole(actor, "secretariat", "leadership", "clerk") && !actor.expertId)
    throw new ForbiddenError("Bạn không xem được dự thảo báo cáo.");
}

/** The report draft for Word: its writers, approvers and the panel's members. @throws ForbiddenError forbidden */
export async function requireReportDocxReader(db: Executor, actor: Actor, assignmentId: string): Promise<void> {
  if (hasRole(actor, "secretariat", "leadership", "clerk")) return;
  if (!(await panelSeatOf(db, actor, assignmentId))) throw new ForbiddenError("Bạn không tải được dự thảo báo cáo.");
}
