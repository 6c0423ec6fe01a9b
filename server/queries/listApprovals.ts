/** What waits on leadership's decision: assignments in a state leadership decides, oldest first. Read-only. */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies, assignments } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { visibleTo } from "../policies/assignmentPolicy.js";

/** The states in which an assignment waits on a leadership decision. */
export const APPROVAL_STATES = [
  "screening.proposedAccept",
  "screening.proposedDecline",
  "panelFormation.proposed",
  "approval.awaitingLeadership",
  "issuing",
];

/** At most this many on the page (the oldest first: what has waited longest). */
export const APPROVALS_LIMIT = 200;

/**
 * The assignments the actor may see that wait on leadership, with their agency's name. Read
 * through assignments_org_state_idx (organisation, state): only rows in these states are touched,
 * whatever the size of the table.
 */
export async function listApprovals(db: Executor, actor: Actor) {
  const rows = await db
    .select({ a: assignments, agencyName: agencies.name })
    .from(assignments)
    .leftJoin(agencies, eq(agencies.id, assignments.agencyId))
    .where(and(visibleTo(actor), inArray(assignments.state, APPROVAL_STATES)))
    .orderBy(asc(assignments.updatedAt), asc(assignments.id))
    .limit(APPROVALS_LIMIT);
  return rows.map(({ a, agencyName }) => ({ assignment: a, agencyName }));
}
