/**
 * Who an assignment waits on in each step: a fact of the workflow, not a word. The role's label
 * comes from the catalogue (`label("role", waitingOn(state))`).
 */
import type { Role } from "../runtime/actor.js";

/** The role the assignment waits on, by flattened state ("screening.reviewing" → "secretariat"). */
export const WAITING_ON: Readonly<Record<string, Role>> = {
  ordered: "clerk",
  "screening.reviewing": "secretariat",
  "screening.awaitingDocuments": "agency",
  "screening.proposedAccept": "leadership",
  "screening.proposedDecline": "leadership",
  planning: "secretariat",
  "panelFormation.forming": "secretariat",
  "panelFormation.proposed": "leadership",
  underReview: "expert",
  consolidation: "secretariat",
  "approval.awaitingChair": "expert",
  "approval.awaitingLeadership": "leadership",
  issuing: "clerk",
  sent: "clerk",
  awaitingResponse: "agency",
  responded: "secretariat",
  onHold: "secretariat",
};

/** The role the assignment waits on in `state`, or null when it waits on no one (a final step). */
export function waitingOn(state: string): Role | null {
  return WAITING_ON[state] ?? null;
}
