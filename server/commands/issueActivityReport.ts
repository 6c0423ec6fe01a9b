/**
 * Issues the periodic activity report to the province and VUSTA (báo cáo định kỳ, quarterly or
 * annual): a BC-register number taken now, in the same transaction as the document row; the
 * render effect then builds its figures from the period's assignments.
 *
 * A period is reported once: the organisation's row is locked while the period's earlier report is
 * looked for, so of concurrent requests one issues and the others get 409 activity_report_exists.
 * A later report for the same period is a correction of the latest one (with its reason).
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../db/connect.js";
import { documents, organizations } from "../db/schema.js";
import { ConflictError, ForbiddenError, ValidationError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { issueDocument, type DocumentRow } from "../numbering/issueDocument.js";

/** The period a report covers: [from, to) as Vietnam dates, and its words in the title. */
type ReportPeriod = { kind: "quarterly" | "annual"; from: string; to: string; label: string };

/**
 * Issues the report for a year, or for one quarter of it; with `correctionReason`, the correction
 * of the period's report already issued.
 * @throws ForbiddenError (not leadership or clerk), ValidationError invalid_period | nothing_to_correct,
 *   ConflictError activity_report_exists (the period has its report: send a correction instead)
 */
export async function issueActivityReport(
  deps: RuntimeDeps,
  props: { actor: Actor; year: number; quarter?: number; correctionReason?: string },
): Promise<DocumentRow> {
  const { actor, correctionReason } = props;
  if (!hasRole(actor, "leadership", "clerk"))
    throw new ForbiddenError("Chỉ lãnh đạo và văn thư ban hành báo cáo định kỳ.");
  const period = reportPeriod(props.year, props.quarter);
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    // One issuer at a time per organisation: the next one then sees the report just committed.
    await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, actor.organizationId))
      .for("update");
    const earlier = await reportOfPeriod(tx, actor.organizationId, period);
    if (earlier && !correctionReason)
      throw new ConflictError(
        "activity_report_exists",
        `Báo cáo ${period.label} đã được ban hành (số ${earlier.numberLabel ?? earlier.number}); ` +
          "báo cáo sau cho cùng kỳ là văn bản đính chính, thay thế.",
        { documentId: earlier.id },
      );
    if (!earlier && correctionReason)
      throw new ValidationError("nothing_to_correct", "Kỳ này chưa có báo cáo để đính chính.", "correctionReason");
    const correction = earlier
      ? {
          number: earlier.numberLabel ?? String(earlier.number),
          date: earlier.issuedAt!.toISOString(),
          reason: correctionReason,
        }
      : undefined;
    return issueDocument(tx, {
      organizationId: actor.organizationId,
      assignmentId: null,
      kind: "activityReport",
      title: `Báo cáo hoạt động tư vấn, phản biện và giám định xã hội ${period.label}`,
      confidential: false,
      actor,
      at: now,
      ...(earlier ? { correctsId: earlier.id } : {}),
      viewModel: { period, ...(correction ? { correction } : {}) },
    });
  });
}

/** The latest report (issuing or issued) of exactly this period, if any. */
async function reportOfPeriod(tx: Tx, organizationId: string, period: ReportPeriod) {
  const [doc] = await tx
    .select()
    .from(documents)
    .where(
      and(
        eq(documents.organizationId, organizationId),
        eq(documents.kind, "activityReport"),
        inArray(documents.status, ["issuing", "issued"]),
        // Before rendering the period is on the row; once frozen, under `source`.
        sql`coalesce(${documents.viewModel} #>> '{period,from}', ${documents.viewModel} #>> '{source,period,from}')
          = ${period.from}`,
        sql`coalesce(${documents.viewModel} #>> '{period,to}', ${documents.viewModel} #>> '{source,period,to}')
          = ${period.to}`,
      ),
    )
    .orderBy(desc(documents.issuedAt), desc(documents.number))
    .limit(1);
  return doc;
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
