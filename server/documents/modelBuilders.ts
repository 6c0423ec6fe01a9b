/**
 * Which builder makes the view model of each assignment document kind (the activity report and the
 * plan's Tờ trình and execution report have no assignment: planData.ts builds the latter).
 */
import type { DocumentKind, DocumentModels } from "./types.js";
import { expertOpinionModel } from "./expertOpinionModel.js";
import { finalReportModel } from "./finalReportModel.js";
import { costEstimateModel, feeSettlementModel } from "./moneyDocumentsModel.js";
import type { ModelContext } from "./modelContext.js";
import { expertInvitationModel, panelDecisionModel } from "./panelDocumentsModel.js";
import { coverLetterModel, responseReminderModel } from "./resultLettersModel.js";
import { acceptanceLetterModel, declineLetterModel, requestDocumentsModel } from "./screeningLettersModel.js";
import { meetingInvitationModel, minutesModel } from "./workshopDocumentsModel.js";

/** The kinds that report on one assignment. */
export type AssignmentDocumentKind = Exclude<DocumentKind, "activityReport" | "planSubmission" | "planExecutionReport">;

/** Builds a kind's view model from its context. */
export type ModelBuilder<K extends AssignmentDocumentKind> = (c: ModelContext) => Promise<DocumentModels[K]>;

/** One builder per kind; adding a kind adds a line here (and its template, type and words). */
export const MODEL_BUILDERS: { [K in AssignmentDocumentKind]: ModelBuilder<K> } = {
  requestDocuments: requestDocumentsModel,
  declineLetter: declineLetterModel,
  acceptanceLetter: acceptanceLetterModel,
  panelDecision: panelDecisionModel,
  expertInvitation: expertInvitationModel,
  meetingInvitation: meetingInvitationModel,
  expertOpinion: expertOpinionModel,
  minutes: minutesModel,
  finalReport: finalReportModel,
  coverLetter: coverLetterModel,
  responseReminder: responseReminderModel,
  costEstimate: costEstimateModel,
  feeSettlement: feeSettlementModel,
};
