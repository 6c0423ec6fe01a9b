/**
 * Issues an assignment's cost estimate (dự toán kinh phí) as a PDF: an unnumbered financial form
 * printed from the latest estimate version (lines from the rates, adjustments with their reasons,
 * the total in figures and words), stored and downloadable like every issued document. Each call is
 * a new document; the earlier ones stay on record.
 */
import { eq } from "drizzle-orm";
import { estimates } from "../db/schema.js";
import { ValidationError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import type { RuntimeDeps } from "../runtime/applyEvent.js";
import type { DocumentRow } from "../numbering/issueDocument.js";
import { issueMoneyForm } from "./issueMoneyForm.js";

/**
 * @throws ForbiddenError (not the accountant or the secretariat), NotFoundError assignment_not_found,
 *   ValidationError estimate_missing (no estimate built yet)
 */
export function issueCostEstimate(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string },
): Promise<DocumentRow> {
  return issueMoneyForm(deps, props, {
    kind: "costEstimate",
    async requireContent(tx, assignmentId) {
      const [e] = await tx
        .select({ id: estimates.id })
        .from(estimates)
        .where(eq(estimates.assignmentId, assignmentId))
        .limit(1);
      if (!e) throw new ValidationError("estimate_missing", "Nhiệm vụ chưa có dự toán; hãy lập dự toán trước.");
    },
  });
}
