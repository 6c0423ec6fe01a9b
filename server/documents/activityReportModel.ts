/**
 * Báo cáo định kỳ: every assignment opened in the period (quarter or year) with its status and
 * recommendation counts, and the period's figures by type. The report goes to the province and
 * VUSTA, outside any confidential assignment: those are counted, and listed only as "Nhiệm vụ mật
 * <code>", without title or parties.
 */
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { atVietnamTime } from "../calendar/workingDays.js";
import { rowsOf, type Executor } from "../db/connect.js";
import { agencies, assignments } from "../db/schema.js";
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
  const counts = await recommendationCounts(db, organizationId, from, to);
  // A period holds thousands of assignments in a few dozen states: each state's bucket worked out once.
  const statuses = new Map<string, { bucket: string | null; status: string }>();
  const statusOf = (state: string) => {
    let s = statuses.get(state);
    if (!s) {
      const bucket = activityStatusOf(state);
      // Never a state code on a document: an unknown state is work in progress.
      s = { bucket, status: label("activityStatus", bucket ?? "inProgress") };
      statuses.set(state, s);
    }
    return s;
  };
  return rows.map(({ a, agency }) => {
    const mine = counts.get(a.id);
    const { bucket, status } = statusOf(a.state);
    const row: ActivityRow = {
      title: a.confidential ? translate("vi", "assignment.confidentialMasked", { code: a.code }) : a.title,
      type: a.type as AssignmentType,
      orderingAgency: a.confidential ? "—" : (agency ?? "Liên hiệp hội tự đề xuất"),
      status,
      recommendations: mine?.total ?? 0,
      accepted: mine?.accepted ?? 0,
    };
    return { row, bucket };
  });
}

/**
 * Per assignment created in the period: its recommendations, and how many of them the province's
 * latest answer accepted — counted by the database in one statement over the period's assignments
 * (a list of thousands of ids as parameters cost more than the counting; issue 15).
 */
async function recommendationCounts(db: Executor, organizationId: string, from: Date, to: Date) {
  const rows = rowsOf<{ assignmentId: string; total: number; accepted: number }>(
    await db.execute(sql`select r.assignment_id as "assignmentId", count(*)::int as total,
        count(*) filter (where (select rr.status from recommendation_responses rr where rr.recommendation_id = r.id
          order by rr.created_at desc, rr.id desc limit 1) = 'accepted')::int as accepted
      from recommendations r join assignments a on a.id = r.assignment_id
      where a.organization_id = ${organizationId} and a.created_at >= ${from.toISOString()}::timestamptz
        and a.created_at < ${to.toISOString()}::timestamptz
      group by r.assignment_id`),
  );
  return new Map(rows.map((r) => [r.assignmentId, r]));
}
