/** The newest saved version of an assignment's consolidated report, if any. Read-only. */
import { desc, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { reportVersions } from "../db/schema.js";

/** The latest report version row of the assignment, or undefined before the first save. */
export async function findLatestReportDraft(db: Executor, assignmentId: string) {
  const [latest] = await db
    .select()
    .from(reportVersions)
    .where(eq(reportVersions.assignmentId, assignmentId))
    .orderBy(desc(reportVersions.version))
    .limit(1);
  return latest;
}
