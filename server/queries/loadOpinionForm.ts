/**
 * What the expert's opinion form needs beyond the assignment detail: the actor's accepted seat on
 * the panel (with their registry record) and every version of their opinion, newest first. Read-only.
 */
import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { experts, invitations, opinionVersions } from "../db/schema.js";

/** The seat (undefined when the expert has not accepted a seat) and the opinion versions. */
export async function loadOpinionForm(db: Executor, props: { assignmentId: string; expertId: string }) {
  const [seat] = await db
    .select({ invitation: invitations, expert: experts })
    .from(invitations)
    .innerJoin(experts, eq(experts.id, invitations.expertId))
    .where(
      and(
        eq(invitations.assignmentId, props.assignmentId),
        eq(invitations.expertId, props.expertId),
        eq(invitations.state, "accepted"),
      ),
    );
  const versions = await db
    .select()
    .from(opinionVersions)
    .where(and(eq(opinionVersions.assignmentId, props.assignmentId), eq(opinionVersions.expertId, props.expertId)))
    .orderBy(desc(opinionVersions.version));
  return { seat, versions };
}
