/** The history of an assignment, oldest first: every transition of it and of its invitations and documents. */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { history } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";

/** @throws NotFoundError assignment_not_found */
export async function listHistory(db: Db, actor: Actor, assignmentId: string) {
  const a = await loadAssignment(db, actor, assignmentId);
  return db.select().from(history).where(eq(history.assignmentId, a.id)).orderBy(asc(history.id));
}
