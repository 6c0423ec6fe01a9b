/** An expert's answer to an invitation, from its form, as the invitation event (the schema checks it). */
import { str } from "./fields.js";

/** The event, and whether both declarations (no conflict, confidentiality) were ticked. */
export function readInvitationAnswer(b: Record<string, unknown>) {
  const note = str(b.note).trim();
  const event =
    str(b.answer) === "accept"
      ? {
          type: "invitation.accept",
          declaration: {
            noConflict: b.noConflict === "on",
            confidentiality: b.confidentiality === "on",
            ...(note ? { note } : {}),
          },
        }
      : {
          type: "invitation.decline",
          reason: str(b.reason).trim(),
          ...(b.conflict === "on" ? { conflict: true } : {}),
        };
  return { event, declared: b.noConflict === "on" && b.confidentiality === "on" };
}
