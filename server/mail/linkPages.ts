/**
 * The texts of the link flows' message page (answer an invitation, sign in with a link), in both
 * languages, from the catalogue of words; the pages themselves are rendered by the one view engine
 * (server/views/linkPages.ts).
 */
import { translate } from "../words/catalogue.js";

/** The error codes whose message page has words of its own (`link.<code>.heading`, `link.<code>.text`). */
const LINK_MESSAGE_CODES = [
  "link_used",
  "link_expired",
  "link_tampered",
  "link_wrong_person",
  "csrf_failed",
  "invitation_not_found",
  "invitation_closed",
  "validation_failed",
] as const;

/** The heading and text of a message page, each as [Vietnamese, English], from the catalogue. */
function linkMessage(code: string): { heading: [string, string]; text: [string, string] } {
  const both = (key: string): [string, string] => [translate("vi", key), translate("en", key)];
  return { heading: both(`link.${code}.heading`), text: both(`link.${code}.text`) };
}

/** The message page's texts for an error code, in both languages. */
export const LINK_MESSAGES: Record<string, { heading: [string, string]; text: [string, string] }> = Object.fromEntries(
  LINK_MESSAGE_CODES.map((code) => [code, linkMessage(code)]),
);
