/**
 * Issues an assignment's settlement of experts' fees (bảng kê chi thù lao chuyên gia) as a PDF: an
 * unnumbered financial form, rendered from the payments recorded so far with a line for each paid
 * expert to sign, stored and downloadable like every issued document. Each call is a new document
 * (a later payment or reversal makes a new statement; the earlier ones stay on record).
 */
import { and, eq } from "drizzle-orm";
import { payments } from "../db/schema.js";
import { ValidationError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import type { RuntimeDeps } from "../runtime/applyEvent.js";
import type { DocumentRow } from "../numbering/issueDocument.js";
import { issueMoneyForm } from "./issueMoneyForm.js";

/**
 * @throws ForbiddenError (not the accountant or the secretariat), NotFoundError assignment_not_found,
 *   ValidationError nothing_to_settle (no payment to an expert yet)
 */
export function issueFeeSettlement(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string },
): Promise<DocumentRow> {
  return issueMoneyForm(deps, props, {
    kind: "feeSettlement",
    async requireContent(tx, assignmentId) {
      const paid = await tx
        .select({ id: payments.id })
        .from(payments)
        .where(and(eq(payments.assignmentId, assignmentId), eq(payments.payeeKind, "expert")))
        .limit(1);
      if (!paid.length)
        throw new ValidationError("nothing_to_settle", "Nhiệm vụ chưa có khoản chi thù lao nào cho chuyên gia.");
    },
  });
}
