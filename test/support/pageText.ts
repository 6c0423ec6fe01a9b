/**
 * What a person reads on a page, and the internal names that must never be part of it: UUIDs,
 * catalogue keys ("state.invited") and event codes ("order.register", "deadline.response#before-3").
 */

/** A page's visible text from its HTML: scripts, styles and tags dropped, entities decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, " ");
}

const PREFIXES = [
  "state",
  "stage",
  "event",
  "deadline",
  "invitation",
  "panelRole",
  "role",
  "field",
  "enum",
  "error",
  "title",
  "nav",
  "report",
  "opinion",
  "assignment",
  "conclusion",
  "reportConclusion",
  "response",
  "doc",
  "fileKind",
  "type",
  "form",
  "subjectKind",
  "urgency",
  "reminder",
  "checklist",
  "tracker",
  "review",
  "autosave",
  "expertNext",
  "link",
  "confirm",
  "order",
  "panel",
  "plan",
  "delivery",
  "workshop",
  "extension",
  "documents",
];

/** UUIDs, catalogue keys and event codes a page must not show. */
export const CODE_PATTERN = new RegExp(
  `\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b|\\b(?:${PREFIXES.join("|")})\\.[A-Za-z][\\w.#-]*`,
  "g",
);

/** The codes, keys and UUIDs found in a text (empty when it reads as words only). */
export const codesIn = (text: string): string[] => [...text.matchAll(CODE_PATTERN)].map((m) => m[0]);
