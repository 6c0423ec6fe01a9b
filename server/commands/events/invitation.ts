/** Events of one expert's invitation: the expert (or the secretariat on their behalf) accepts or declines. */
import { z } from "zod";
import type { InvitationEventDeclaration, SystemEventDeclaration } from "./declare.js";
import { optText, text } from "./fields.js";

export const INVITATION_EVENTS: Record<string, InvitationEventDeclaration> = {
  "invitation.accept": {
    payload: {
      declaration: z.object({ noConflict: z.boolean(), confidentiality: z.boolean(), note: optText() }).strict(),
    },
    rules: { declarationComplete: "rule.declarationComplete" },
  },
  "invitation.decline": {
    payload: { reason: text(), conflict: z.boolean().optional() },
    rules: { hasReason: "rule.hasReason" },
  },
};

/** Invitation events only the system sends. */
export const INVITATION_SYSTEM_EVENTS: Record<string, SystemEventDeclaration> = {
  "invitation.expire": { sentBy: "the deadline worker, when the answer deadline passes" },
  "invitation.cancel": { sentBy: "the assignment, when its panel is approved or it ends" },
};
