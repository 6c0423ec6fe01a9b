/**
 * Issues the periodic activity report to the province and VUSTA (báo cáo định kỳ, quarterly or
 * annual): a BC-register number taken now, in the same transaction as the document row; the
 * render effect then builds its figures from the period's assignments.
 */
import { ForbiddenError, ValidationError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { issueDocument, type DocumentRow } from "../numbering/issueDocument.js";

/** The period a report covers: [from, to) as Vietnam dates, and its words in the title. */
type ReportPeriod = { kind: "quarterly" | "annual"; from: string; to: string; label: string };

/**
 * Issues the report for a year, or for one quarter of it.
 * @throws ForbiddenError (not leadership or clerk), ValidationError invalid_period
 */
export async function issueActivityReport(
  deps: RuntimeDeps,
  props: { actor: Actor; year: number; quarter?: number },
): Promise<DocumentRow> {
  const { actor } = props;
  if (!hasRole(actor, "leadership", "clerk"))
    throw new ForbiddenError("Chỉ lãnh đạo và văn thư ban hành báo cáo định kỳ.");
  const period = reportPeriod(props.year, props.quarter);
  const now = deps.clock.now();
  return inTransaction(deps, (tx) =>
    issueDocument(tx, {
      organizationId: actor.organizationId,
      assignmentId: null,
      kind: "activityReport",
      title: `Báo cáo hoạt động tư vấn, phản biện và giám định xã hội ${period.label}`,
      confidential: false,
      actor,
      at: now,
      viewModel: { period },
    }),
  );
}

/** The period of a year (2014–2100) or of one of its quarters. @throws ValidationError invalid_period */
function reportPeriod(year: number, quarter?: number): ReportPeriod {
  if (
    !Number.isInteger(year) ||
    year < 2014 ||
    year > 2100 ||
    (quarter !== undefined && ![1, 2, 3, 4].includes(quarter))
  )
    throw new ValidationError("invalid_period", "Kỳ báo cáo không hợp lệ.", "quarter");
  if (!quarter) return { kind: "annual", from: `${year}-01-01`, to: `${year + 1}-01-01`, label: `năm ${year}` };
  const month = (m: number) => String(m).padStart(2, "0");
  return {
    kind: "quarterly",
    from: `${year}-${month(quarter * 3 - 2)}-01`,
    to: quarter === 4 ? `${year + 1}-01-01` : `${year}-${month(quarter * 3 + 1)}-01`,
    label: `quý ${["I", "II", "III", "IV"][quarter - 1]} năm ${year}`,
  };
}
