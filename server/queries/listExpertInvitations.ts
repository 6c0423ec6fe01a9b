/** The signed-in expert's invitations with their assignments, newest first. Read-only. */
import { and, desc, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { assignments, invitations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** Every invitation of the actor's expert record (none when the actor is not an expert). */
export async function listExpertInvitations(db: Executor, actor: Actor) {
  if (!actor.expertId) return [];
  const rows = await db
    .select({ i: invitations, a: assignments })
    .from(invitations)
    .innerJoin(assignments, eq(assignments.id, invitations.assignmentId))
    .where(and(eq(invitations.organizationId, actor.organizationId), eq(invitations.expertId, actor.expertId)))
    .orderBy(desc(invitations.createdAt));
  return rows.map(({ i, a }) => ({ invitation: i, assignment: a }));
}
