/** The saved versions of an assignment's report draft, newest first. */
import { desc, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { reportVersions } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { requireReportDraftReader } from "../policies/documentPolicy.js";

/** @throws NotFoundError assignment_not_found; ForbiddenError forbidden */
export async function listReportVersions(db: Db, actor: Actor, assignmentId: string) {
  const a = await loadAssignment(db, actor, assignmentId);
  requireReportDraftReader(actor);
  return db
    .select()
    .from(reportVersions)
    .where(eq(reportVersions.assignmentId, a.id))
    .orderBy(desc(reportVersions.version));
}
