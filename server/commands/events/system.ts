/** Events of the assignment machine that only the system sends; no person can send them. */
import type { SystemEventDeclaration } from "./declare.js";

export const SYSTEM_EVENTS: Record<string, SystemEventDeclaration> = {
  "invitation.accepted": { sentBy: "the invitation machine, when the expert accepts (server/records)" },
  "invitation.declined": { sentBy: "the invitation machine, when the expert declines; brings the next alternate" },
  "invitation.expired": { sentBy: "the invitation machine, when its answer deadline passes" },
  "opinion.submitted": { sentBy: "commands/opinions.ts, when an expert submits an opinion" },
  "report.drafted": { sentBy: "commands/reports.ts, when the secretariat saves a report draft" },
  "deadline.reached": { sentBy: "the deadline worker, when a deadline row falls due (and at each escalation)" },
};
