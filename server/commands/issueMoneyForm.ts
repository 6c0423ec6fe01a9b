/**
 * The common part of issuing an assignment's financial form as a PDF (the settlement statement,
 * the cost estimate): the accountant or the secretariat asks, the assignment must be the
 * organisation's, the form must have something to print, and the document is unnumbered (a form,
 * not a letter), stored and downloadable like every issued document. Each call is a new document;
 * the earlier ones stay on record.
 */
import { and, eq } from "drizzle-orm";
import { assignments } from "../db/schema.js";
import { ForbiddenError, NotFoundError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { issueDocument, type DocumentRow } from "../numbering/issueDocument.js";
import type { Tx } from "../db/connect.js";

export type MoneyForm = {
  kind: "feeSettlement" | "costEstimate";
  /** Throws (a ValidationError) when the form would print nothing yet. */
  requireContent: (tx: Tx, assignmentId: string) => Promise<void>;
};

/**
 * @throws ForbiddenError (not the accountant or the secretariat), NotFoundError assignment_not_found,
 *   what `requireContent` throws
 */
export async function issueMoneyForm(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string },
  form: MoneyForm,
): Promise<DocumentRow> {
  const { actor } = props;
  if (!hasRole(actor, "accountant", "secretariat"))
    throw new ForbiddenError("Chỉ kế toán và Ban TVPB lập chứng từ chi của nhiệm vụ.");
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const [a] = /^[0-9a-f-]{36}$/i.test(props.assignmentId)
      ? await tx
          .select()
          .from(assignments)
          .where(and(eq(assignments.id, props.assignmentId), eq(assignments.organizationId, actor.organizationId)))
      : [];
    if (!a) throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
    await form.requireContent(tx, a.id);
    return issueDocument(tx, {
      organizationId: actor.organizationId,
      assignmentId: a.id,
      kind: form.kind,
      title: a.title,
      confidential: a.confidential,
      numbered: false,
      actor,
      at: now,
      viewModel: { preparedBy: actor.name },
    });
  });
}
