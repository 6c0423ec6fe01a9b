/** The invitations addressed to the actor as an expert, oldest first, with their assignments. */
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { assignments, invitations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";

/** The actor's invitations; none when the actor is not linked to an expert. */
export async function listMyInvitations(db: Db, actor: Actor) {
  if (!actor.expertId) return [];
  return db
    .select({ invitation: invitations, assignment: assignments })
    .from(invitations)
    .innerJoin(assignments, eq(assignments.id, invitations.assignmentId))
    .where(and(eq(invitations.organizationId, actor.organizationId), eq(invitations.expertId, actor.expertId)))
    .orderBy(asc(invitations.createdAt));
}
