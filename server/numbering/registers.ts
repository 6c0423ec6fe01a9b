/**
 * Numbering registers (sổ đăng ký văn bản): which register a document kind is numbered in, and the
 * register year of an issue instant. Numbers are taken by `allocateNumber`, documents issued by
 * `issueDocument`.
 */

/**
 * Kinds issued without a number: a form the signer fills in and signs (the expert's bản nhận xét /
 * phiếu nhận xét carries no number and symbol in practice). They are issued, stored, verified and
 * sent like the others, but take no number from any register.
 */
export const UNNUMBERED_KINDS: ReadonlySet<string> = new Set(["expertOpinion"]);

/** The register a document kind is numbered in. Confidential documents have their own registers. */
export function registerFor(kind: string, confidential: boolean): string {
  const base = DOCUMENT_REGISTERS[kind] ?? "CV";
  return confidential ? `${base}-MAT` : base;
}

/** Document kind → register (its type abbreviation; letters have none and use "CV"). */
export const DOCUMENT_REGISTERS: Record<string, string> = {
  requestDocuments: "CV",
  declineLetter: "CV",
  acceptanceLetter: "CV",
  expertInvitation: "CV",
  coverLetter: "CV",
  responseReminder: "CV",
  panelDecision: "QĐ",
  meetingInvitation: "GM",
  minutes: "BB",
  finalReport: "BC",
  activityReport: "BC",
  planSubmission: "TTr",
  planExecutionReport: "BC",
};

/**
 * The register year of an issue instant: the calendar year in Vietnam (UTC+7), so a document
 * issued at 00:30 on 1 January Vietnam time (17:30 UTC on 31 December) takes 01 of the new year.
 */
export function registerYear(at: Date): number {
  return new Date(at.getTime() + 7 * 3600_000).getUTCFullYear();
}
