/**
 * Corrects an issued document (đính chính): the correction is a new document of the same kind
 * with the next number of its register, pointing at the one it corrects, and a `document.correct`
 * row in the assignment's history. Both stay on record; the original never changes.
 */
import { eq } from "drizzle-orm";
import { assignments } from "../db/schema.js";
import { ConflictError, ForbiddenError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { issueDocument, type DocumentRow } from "../numbering/issueDocument.js";
import { loadDocument } from "../queries/loadDocument.js";

/**
 * Issues the correction of document `documentId` for `reason`.
 * @throws NotFoundError document_not_found, ForbiddenError (not leadership or clerk),
 *   ConflictError document_not_issued (a draft, or a document without a number)
 */
export function correctDocument(
  deps: RuntimeDeps,
  props: { actor: Actor; documentId: string; reason: string },
): Promise<DocumentRow> {
  const { actor, reason } = props;
  return inTransaction(deps, async (tx) => {
    const original = await loadDocument(tx, actor, props.documentId);
    if (!hasRole(actor, "leadership", "clerk"))
      throw new ForbiddenError("Chỉ lãnh đạo hoặc văn thư được ban hành văn bản đính chính.");
    if (original.status !== "issued" || original.number === null || !original.register)
      throw new ConflictError("document_not_issued", "Chỉ đính chính được văn bản đã ban hành có số.");
    const [a] = original.assignmentId
      ? await tx.select().from(assignments).where(eq(assignments.id, original.assignmentId))
      : [];
    const source = (original.viewModel as { source?: Record<string, unknown> } | null)?.source ?? {};
    const correction = {
      number: original.numberLabel ?? String(original.number),
      date: original.issuedAt!.toISOString(),
      reason,
    };
    return issueDocument(tx, {
      organizationId: actor.organizationId,
      assignmentId: original.assignmentId,
      kind: original.kind,
      title: original.title,
      confidential: a?.confidential ?? false,
      correctsId: original.id,
      actor,
      at: deps.clock.now(),
      viewModel: { ...source, correction },
      history: a
        ? {
            eventType: "document.correct",
            payload: { kind: original.kind, correctsId: original.id },
            reason,
            state: a.state,
          }
        : undefined,
    });
  });
}
