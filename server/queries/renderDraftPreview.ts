/** A draft preview (DỰ THẢO, no number) of one of an assignment's documents before anyone issues it. */
import { DOCUMENT_KINDS } from "../documents/types.js";
import type { Db } from "../db/connect.js";
import { ValidationError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import type { DocumentService } from "../documents/service.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { requireDraftPreviewer } from "../policies/documentPolicy.js";

/**
 * Kinds a secretariat previews as a draft of an assignment (the activity report is periodic). The
 * per-expert kinds (invitation letter, the expert's opinion) name the expert with `expertId`, else
 * the latest invited expert / the latest opinion.
 */
const PREVIEW_KINDS: readonly string[] = DOCUMENT_KINDS.filter((k) => k !== "activityReport");

/**
 * Renders the draft of `kind` (".pdf" may end it) for the assignment, for the expert `expertId` when given.
 * @throws NotFoundError assignment_not_found; ForbiddenError forbidden; ValidationError unknown_document_kind,
 *   document_data_missing (no such invitation or opinion yet)
 */
export async function renderDraftPreview(
  deps: { db: Db; documents: DocumentService },
  actor: Actor,
  assignmentId: string,
  requestedKind: string,
  expertId?: string,
) {
  const a = await loadAssignment(deps.db, actor, assignmentId);
  requireDraftPreviewer(actor);
  const kind = requestedKind.replace(/\.pdf$/, "");
  if (!PREVIEW_KINDS.includes(kind))
    throw new ValidationError("unknown_document_kind", `Không có loại văn bản “${kind}” để xem dự thảo.`, "kind");
  const bytes = await deps.documents.renderDraft(kind, {
    organizationId: a.organizationId,
    assignmentId: a.id,
    viewModel: expertId ? { expertId } : null,
  });
  return { bytes, fileName: `du-thao-${kind}-${a.code}.pdf` };
}
