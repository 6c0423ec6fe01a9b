/** The latest report draft of an assignment as a Word file, for those who write, approve or sit on its panel. */
import type { Db } from "../db/connect.js";
import type { Actor } from "../runtime/actor.js";
import type { DocumentService } from "../documents/service.js";
import type { FinalReportModel } from "../documents/types.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { requireReportDocxReader } from "../policies/documentPolicy.js";

/** @throws NotFoundError assignment_not_found; ForbiddenError forbidden */
export async function renderReportDocx(
  deps: { db: Db; documents: DocumentService },
  actor: Actor,
  assignmentId: string,
) {
  const a = await loadAssignment(deps.db, actor, assignmentId);
  await requireReportDocxReader(deps.db, actor, a.id);
  const built = await deps.documents.draftViewModel("finalReport", {
    organizationId: a.organizationId,
    assignmentId: a.id,
  });
  const { reportToDocx } = await import("../documents/docx.js"); // loaded on first use: start-up time
  const bytes = await reportToDocx(built.vm as FinalReportModel, { draft: true });
  return { bytes, fileName: `du-thao-bao-cao-${a.code}.docx` };
}
