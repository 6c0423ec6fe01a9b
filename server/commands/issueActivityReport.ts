/**
 * Issues the periodic activity report to the province and VUSTA (báo cáo định kỳ, quarterly or
 * annual): a BC-register number taken now, in the same transaction as the document row; the
 * render effect then builds its figures from the period's assignments.
 */
import { documents } from "../db/schema.js";
import { ForbiddenError, ValidationError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { inTransaction, newId, type RuntimeDeps } from "../runtime/applyEvent.js";
import { allocateNumber, registerFor, registerYear } from "../runtime/numbering.js";
import { queueEffect } from "../runtime/records.js";

/** @throws ForbiddenError (not leadership or clerk), ValidationError invalid_period */
export async function issueActivityReport(deps: RuntimeDeps, props: { actor: Actor; year: number; quarter?: number }) {
  const { actor, year, quarter } = props;
  if (!hasRole(actor, "leadership", "clerk"))
    throw new ForbiddenError("Chỉ lãnh đạo và văn thư ban hành báo cáo định kỳ.");
  if (
    !Number.isInteger(year) ||
    year < 2014 ||
    year > 2100 ||
    (quarter !== undefined && ![1, 2, 3, 4].includes(quarter))
  ) {
    throw new ValidationError("invalid_period", "Kỳ báo cáo không hợp lệ.", "quarter");
  }
  const period = quarter
    ? {
        kind: "quarterly" as const,
        from: `${year}-${String(quarter * 3 - 2).padStart(2, "0")}-01`,
        to: quarter === 4 ? `${year + 1}-01-01` : `${year}-${String(quarter * 3 + 1).padStart(2, "0")}-01`,
        label: `quý ${["I", "II", "III", "IV"][quarter - 1]} năm ${year}`,
      }
    : { kind: "annual" as const, from: `${year}-01-01`, to: `${year + 1}-01-01`, label: `năm ${year}` };
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const register = registerFor("activityReport", false);
    const regYear = registerYear(now);
    const number = await allocateNumber(tx, actor.organizationId, register, regYear);
    const id = newId();
    const [row] = await tx
      .insert(documents)
      .values({
        id,
        organizationId: actor.organizationId,
        assignmentId: null,
        kind: "activityReport",
        title: `Báo cáo hoạt động tư vấn, phản biện và giám định xã hội ${period.label}`,
        status: "issuing",
        register,
        year: regYear,
        number,
        issuedBy: actor.id,
        issuedAt: now,
        createdAt: now,
        viewModel: { period },
      })
      .returning();
    await queueEffect(tx, {
      organizationId: actor.organizationId,
      assignmentId: null,
      kind: "render",
      payload: { documentId: id },
      idempotencyKey: `activity:${id}`,
      runAfter: now,
    });
    return row;
  });
}
