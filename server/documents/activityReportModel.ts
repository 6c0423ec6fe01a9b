/**
 * Báo cáo định kỳ: every assignment opened in the period (quarter or year) with its status and
 * recommendation counts, and the period's figures by type. The report goes to the province and
 * VUSTA, outside any confidential assignment: those are counted, and listed only as "Nhiệm vụ mật
 * <code>", without title or parties.
 */
import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import { atVietnamTime } from "../calendar/workingDays.js";
import type { Executor } from "../db/connect.js";
import { agencies, assignments, recommendationResponses, recommendations } from "../db/schema.js";
import { label, translate } from "../words/catalogue.js";
import { activityStatusOf } from "./documentWords.js";
import type { ActivityRow, AssignmentType, DocumentBase, DocumentModels } from "./types.js";
import { LEGAL_BASIS_14 } from "./modelContext.js";
import { activityPlanSection } from "./planData.js";

/** The reporting period: `[from, to)` as Vietnam dates, its label ("quý I năm 2026") and kind. */
export type ReportPeriod = { from: string; to: string; label: string; kind: "quarterly" | "annual" };

/** The activity report of an organisation for a period. */
export async function activityReportModel(
  db: Executor,
  organizationId: string,
  base: DocumentBase,
  period: ReportPeriod,
): Promise<DocumentModels["activityReport"]> {
  const rows = await activityRows(db, organizationId, period);
  const byType = (t: AssignmentType) => rows.filter((r) => r.row.type === t).length;
  const total = rows.reduce((s, r) => s + r.row.recommendations, 0);
  const accepted = rows.reduce((s, r) => s + r.row.accepted, 0);
  const declined = rows.filter((r) => r.bucket === "declined").length;
  const plan = await activityPlanSection(db, organizationId, period);
  return {
    ...base,
    recipients: ["Liên hiệp các Hội KH&KT Việt Nam", `UBND tỉnh ${base.org.province}`],
    asAbove: false,
    periodLabel: period.label,
    periodKind: period.kind,
    bases: [LEGAL_BASIS_14, ...(base.org.provincialRegulation ? [base.org.provincialRegulation] : [])],
    rows: rows.map((r) => r.row),
    plan,
    results: [
      `Trong ${period.label}, ${base.org.shortName} tiếp nhận ${rows.length} đề nghị, gồm ` +
        `${byType("consultancy")} nhiệm vụ tư vấn, ${byType("critique")} nhiệm vụ phản biện và ` +
        `${byType("assessment")} nhiệm vụ giám định xã hội; không tiếp nhận ${declined} đề nghị.`,
      `Các nhiệm vụ đã gửi kết quả có ${total} kiến nghị, trong đó ${accepted} kiến nghị được cơ quan soạn thảo ` +
        `tiếp thu toàn bộ.`,
    ],
    limitations: ["Một số cơ quan chưa gửi văn bản tiếp thu, giải trình đúng hạn."],
    plans: ["Hoàn thành các nhiệm vụ đang thực hiện đúng thời hạn đã thống nhất với cơ quan đặt hàng."],
    proposals: ["Đề nghị các cơ quan đặt hàng gửi văn bản tiếp thu, giải trình đúng thời hạn."],
  };
}

/**
 * One row per assignment opened in the period, with its status bucket: the period's assignments
 * read through `assignments_org_created_id_idx` (exported for test/db/queryPlans.test.ts).
 */
export async function activityRows(db: Executor, organizationId: string, period: ReportPeriod) {
  const from = atVietnamTime(period.from, "00:00");
  const to = atVietnamTime(period.to, "00:00");
  const rows = await db
    .select({
      // The columns the report prints, never the snapshot (a period holds thousands: issue 15).
      a: {
        id: assignments.id,
        code: assignments.code,
        title: assignments.title,
        type: assignments.type,
        state: assignments.state,
        confidential: assignments.confidential,
      },
      agency: agencies.name,
    })
    .from(assignments)
    .leftJoin(agencies, eq(agencies.id, assignments.agencyId))
    .where(
      and(
        eq(assignments.organizationId, organizationId),
        gte(assignments.createdAt, from),
        lt(assignments.createdAt, to),
      ),
    )
    .orderBy(asc(assignments.createdAt));
  const { recs, latest } = await recommendationsOf(
    db,
    rows.map((r) => r.a.id),
  );
  const byAssignment = new Map<string, typeof recs>();
  for (const r of recs) byAssignment.set(r.assignmentId, [...(byAssignment.get(r.assignmentId) ?? []), r]);
  return rows.map(({ a, agency }) => {
    const mine = byAssignment.get(a.id) ?? [];
    const bucket = activityStatusOf(a.state);
    const row: ActivityRow = {
      title: a.confidential ? translate("vi", "assignment.confidentialMasked", { code: a.code }) : a.title,
      type: a.type as AssignmentType,
      orderingAgency: a.confidential ? "—" : (agency ?? "Liên hiệp hội tự đề xuất"),
      // Never a state code on a document: an unknown state is work in progress.
      status: label("activityStatus", bucket ?? "inProgress"),
      recommendations: mine.length,
      accepted: mine.filter((r) => latest.get(r.id) === "accepted").length,
    };
    return { row, bucket };
  });
}

/** The recommendations of the assignments and each one's latest answer. */
async function recommendationsOf(db: Executor, assignmentIds: string[]) {
  const recs = assignmentIds.length
    ? await db.select().from(recommendations).where(inArray(recommendations.assignmentId, assignmentIds))
    : [];
  const resp = recs.length
    ? await db
        .select()
        .from(recommendationResponses)
        .where(
          inArray(
            recommendationResponses.recommendationId,
            recs.map((r) => r.id),
          ),
        )
        .orderBy(asc(recommendationResponses.createdAt))
    : [];
  const latest = new Map<string, string>();
  for (const r of resp) latest.set(r.recommendationId, r.status);
  return { recs, latest };
}
