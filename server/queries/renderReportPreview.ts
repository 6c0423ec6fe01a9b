/**
 * The latest report draft as HTML (the same template its PDF is printed from), shown inline on the
 * pages where someone approves, endorses or issues it.
 */
import type { Db } from "../db/connect.js";
import type { Actor } from "../runtime/actor.js";
import type { DocumentService } from "../documents/service.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { requireReportDocxReader } from "../policies/documentPolicy.js";

/** @throws NotFoundError assignment_not_found; ForbiddenError forbidden; EffectError template_broken */
export async function renderReportPreview(
  deps: { db: Db; documents: DocumentService },
  actor: Actor,
  assignmentId: string,
): Promise<string> {
  const a = await loadAssignment(deps.db, actor, assignmentId);
  await requireReportDocxReader(deps.db, actor, a.id);
  return deps.documents.draftHtml("finalReport", { organizationId: a.organizationId, assignmentId: a.id });
}
