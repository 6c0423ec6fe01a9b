/** An expert's answer to an invitation, from its form, as the invitation event (the schema checks it). */
import { str } from "./fields.js";

/**
 * The event, and whether the declaration is complete: confidentiality ticked and either "no
 * conflict" ticked or the conflict described in `note` (the secretariat then decides on it).
 */
export function readInvitationAnswer(b: Record<string, unknown>) {
  const note = str(b.note).trim();
  const noConflict = b.noConflict === "on" && !note;
  const event =
    str(b.answer) === "accept"
      ? {
          type: "invitation.accept",
          declaration: { noConflict, confidentiality: b.confidentiality === "on", ...(note ? { note } : {}) },
        }
      : {
          type: "invitation.decline",
          reason: str(b.reason).trim(),
          ...(b.conflict === "on" ? { conflict: true } : {}),
        };
  return { event, declared: b.confidentiality === "on" && (b.noConflict === "on" || !!note) };
}
