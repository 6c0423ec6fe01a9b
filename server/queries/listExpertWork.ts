/**
 * An expert's open work for the dashboard: the invitations they hold (invited or accepted) with
 * their assignments, the assignments where their opinion is already submitted, and the pending
 * review deadlines (shared or their own) of those assignments. Read-only.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { assignments, deadlines, invitations, opinionVersions } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** The raw figures the expert's work list is built from (empty when the actor is not an expert). */
export async function listExpertWork(db: Executor, actor: Actor) {
  const expertId = actor.expertId;
  if (!expertId) return { seats: [], submittedIn: [], reviewDeadlines: [] };
  const seats = await db
    .select({ invitation: invitations, assignment: assignments })
    .from(invitations)
    .innerJoin(assignments, eq(assignments.id, invitations.assignmentId))
    .where(
      and(
        eq(invitations.organizationId, actor.organizationId),
        eq(invitations.expertId, expertId),
        inArray(invitations.state, ["invited", "accepted"]),
      ),
    );
  const submitted = await db
    .select({ assignmentId: opinionVersions.assignmentId })
    .from(opinionVersions)
    .where(and(eq(opinionVersions.expertId, expertId), eq(opinionVersions.status, "submitted")));
  const reviewDeadlines = seats.length
    ? await db
        .select()
        .from(deadlines)
        .where(
          and(
            inArray(
              deadlines.assignmentId,
              seats.map((x) => x.assignment.id),
            ),
            eq(deadlines.status, "pending"),
            sql`(${deadlines.key} = 'review' or ${deadlines.key} = ${"review:" + expertId})`,
          ),
        )
    : [];
  return { seats, submittedIn: submitted.map((x) => x.assignmentId), reviewDeadlines };
}
