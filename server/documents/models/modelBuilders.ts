/** Which builder makes the view model of each assignment document kind (the activity report has no assignment). */
import type { DocumentKind, DocumentModels } from "../types.js";
import { expertOpinionModel } from "./expertOpinion.js";
import { finalReportModel } from "./finalReport.js";
import type { ModelContext } from "./modelContext.js";
import { expertInvitationModel, panelDecisionModel } from "./panelDocuments.js";
import { coverLetterModel, responseReminderModel } from "./resultLetters.js";
import { acceptanceLetterModel, declineLetterModel, requestDocumentsModel } from "./screeningLetters.js";
import { meetingInvitationModel, minutesModel } from "./workshopDocuments.js";

/** The kinds that report on one assignment. */
export type AssignmentDocumentKind = Exclude<DocumentKind, "activityReport">;

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
};
