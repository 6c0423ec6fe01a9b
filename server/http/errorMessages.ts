/**
 * English messages for the stable error codes, for people who use TVPB in English (their account's
 * language, the UI language cookie, or an API client asking with Accept-Language: en). Vietnamese
 * is the messages' own language; a code missing here keeps its Vietnamese message.
 */
export const ENGLISH_ERRORS: Record<string, string> = {
  validation_failed: "The request is not valid.",
  unknown_event: "There is no such event.",
  malformed_json: "The body is not valid JSON.",
  unauthenticated: "Please sign in.",
  forbidden: "Your role may not do this.",
  csrf_failed: "The session form token is missing or wrong (CSRF). Reload the page and try again.",
  rate_limited: "Too many attempts; please wait a moment.",
  payload_too_large: "The file or body is too large.",
  unsupported_encoding: "This character encoding is not supported.",
  route_not_found: "There is nothing at this address.",
  internal_error: "Something went wrong on our side. Please try again later.",
  assignment_not_found: "Assignment not found.",
  invitation_not_found: "Invitation not found.",
  document_not_found: "Document not found.",
  file_not_found: "File not found.",
  expert_not_found: "Expert not found in the registry (or no longer active).",
  user_not_found: "User not found.",
  agency_not_found: "Ordering agency not found.",
  member_association_not_found: "Member association not found.",
  token_not_found: "API token not found.",
  import_not_found: "No such import.",
  event_not_allowed: "This cannot be done at the assignment's current step.",
  rule_violated: "A rule of this step is not met.",
  stale_version: "Someone else has just updated this assignment; reload and try again.",
  expert_conflict: "This expert has a conflict of interest with the ordering agency.",
  email_taken: "This e-mail address is already in use.",
  cannot_demote_self: "You cannot lock yourself out or remove your own administrator role.",
  assignment_finished: "The assignment has ended; no more dossier files are accepted.",
  agency_required: "Choose the ordering agency.",
  expert_required: "An expert account must be linked to an expert of the registry.",
  origin_not_allowed: "An ordering agency can only place orders.",
  file_required: "Choose a file to upload (field “file”).",
  file_empty: "The file is empty.",
  file_type_not_allowed: "Only PDF, Word, Excel, ODT, ZIP, PNG or JPEG files are accepted.",
  file_type_mismatch: "The file's content does not match its extension.",
  invalid_kind: "Unknown dossier file kind.",
  invalid_upload: "The upload is not valid.",
  opinion_incomplete: "The opinion is incomplete: general comments (I) and a conclusion (III) are required.",
  no_draft: "There is no draft opinion to submit.",
  no_submitted_opinion: "The expert has not submitted an opinion to correct.",
  reason_required: "A reason is required.",
  unknown_document_kind: "Unknown document kind.",
  document_not_ready: "The document is still being rendered; try again in a moment.",
  template_invalid: "The template has an error.",
  invalid_holiday: "A holiday is not a valid date of that year.",
  link_tampered: "This link is not valid.",
  link_expired: "This link has expired.",
  link_used: "This link has already been used.",
  link_wrong_purpose: "This link is not for this page.",
  invitation_closed: "This invitation has already been answered or closed.",
};

/** The message for `code` in `locale`, or the original (Vietnamese) one. */
export function localizeError(code: string, message: string, locale: "vi" | "en"): string {
  return locale === "en" ? (ENGLISH_ERRORS[code] ?? message) : message;
}
