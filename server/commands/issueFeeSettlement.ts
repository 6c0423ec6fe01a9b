/**
 * Issues an assignment's settlement of experts' fees (bảng kê chi thù lao chuyên gia) as a PDF: an
 * unnumbered financial form, rendered from the payments recorded so far with a line for each paid
 * expert to sign, stored and downloadable like every issued document. Each call is a new document
 * (a later payment or reversal makes a new statement; the earlier ones stay on record).
 */
import { and, eq } from "drizzle-orm";
import { assignments, payments } from "../db/schema.js";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { issueDocument, type DocumentRow } from "../numbering/issueDocument.js";

/**
 * @throws ForbiddenError (not the accountant or the secretariat), NotFoundError assignment_not_found,
 *   ValidationError nothing_to_settle (no payment to an expert yet)
 */
export async function issueFeeSettlement(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string },
): Promise<DocumentRow> {
  const { actor } = props;
  if (!hasRole(actor, "accountant", "secretariat"))
    throw new ForbiddenError("Chỉ kế toán và Ban TVPB lập bảng kê chi thù lao.");
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const [a] = /^[0-9a-f-]{36}$/i.test(props.assignmentId)
      ? await tx
          .select()
          .from(assignments)
          .where(and(eq(assignments.id, props.assignmentId), eq(assignments.organizationId, actor.organizationId)))
      : [];
    if (!a) throw new NotFoundError("assignment_not_found", "Không tìm thấy nhiệm vụ.");
    const paid = await tx
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.assignmentId, a.id), eq(payments.payeeKind, "expert")))
      .limit(1);
    if (!paid.length)
      throw new ValidationError("nothing_to_settle", "Nhiệm vụ chưa có khoản chi thù lao nào cho chuyên gia.");
    return issueDocument(tx, {
      organizationId: actor.organizationId,
      assignmentId: a.id,
      kind: "feeSettlement",
      title: a.title,
      confidential: a.confidential,
      numbered: false,
      actor,
      at: now,
      viewModel: { preparedBy: actor.name },
    });
  });
}
