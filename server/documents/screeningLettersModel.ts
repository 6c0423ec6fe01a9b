/** The letters of screening and planning: request for more documents, decline, acceptance with plan and costs. */
import { atVietnamTime } from "../calendar/workingDays.js";
import { formatShortDate } from "./format.js";
import type { DocumentModels, PlanStep } from "./types.js";
import { panelWord } from "./documentWords.js";
import { eventPayload, lines } from "./assignmentData.js";
import { COST_BASIS, formsLabel, type ModelContext } from "./modelContext.js";

/** Công văn đề nghị bổ sung hồ sơ: the documents missing, due within the screening time. */
export async function requestDocumentsModel(c: ModelContext): Promise<DocumentModels["requestDocuments"]> {
  const payload = await eventPayload(c.db, c.d.a.id, "documents.request", c.meta.version);
  const missing = (payload?.missingDocuments as string[] | undefined) ?? c.d.context.missingDocuments ?? [];
  return {
    ...c.letter(`đề nghị bổ sung hồ sơ ${c.subject.title}`, [...c.drafting, c.leaders]),
    subject: c.subject,
    order: c.order,
    missingDocuments: missing,
    dueDate: await c.wd(c.timeline.screeningWorkingDays),
  };
}

/** Công văn không tiếp nhận: the reasons, one per line. */
export async function declineLetterModel(c: ModelContext): Promise<DocumentModels["declineLetter"]> {
  const reasons = lines(
    c.d.context.declineReasons ??
      ((await eventPayload(c.db, c.d.a.id, "order.proposeDecline"))?.reasons as string | undefined),
  );
  return {
    ...c.letter(`không tiếp nhận nhiệm vụ ${c.work} ${c.subject.title}`, [c.leaders]),
    subject: c.subject,
    order: c.order,
    reasons: reasons.length
      ? reasons
      : ["Nội dung đề nghị không thuộc phạm vi hoạt động tư vấn, phản biện và giám định xã hội"],
  };
}

/** Công văn tiếp nhận: the form of work, the plan with its dates, the cost estimate. */
export async function acceptanceLetterModel(c: ModelContext): Promise<DocumentModels["acceptanceLetter"]> {
  const { d, timeline } = c;
  const plan = d.context.plan ?? {
    workPlan: "",
    costEstimate: Number(d.a.budget ?? 0),
    reviewDays: timeline.reviewDays,
  };
  const formed = await c.wd(timeline.invitationWorkingDays + 2);
  const reviewed = await c.wd(plan.reviewDays, new Date(formed));
  const consolidated = await c.wd(timeline.consolidationWorkingDays, new Date(reviewed));
  return {
    ...c.letter(`tiếp nhận nhiệm vụ ${c.work} ${c.subject.title}`, [...c.drafting, c.leaders]),
    subject: c.subject,
    order: c.order,
    form: plan.workPlan ? `${formsLabel(d.a)} (${plan.workPlan.replace(/[.;\s]+$/, "")})` : formsLabel(d.a),
    plan: planSteps(c, { formed, reviewed, consolidated, reviewDays: plan.reviewDays }),
    costItems: [
      {
        item: `Kinh phí thực hiện nhiệm vụ ${c.work} (theo dự toán chi tiết kèm theo)`,
        unit: "nhiệm vụ",
        quantity: 1,
        unitPrice: plan.costEstimate,
      },
    ],
    costBasis: COST_BASIS,
    resultDueDate: d.a.requestedDeadline ? atVietnamTime(d.a.requestedDeadline, "17:00").toISOString() : consolidated,
  };
}

/** The steps of the work plan, from forming the panel to sending the result. */
function planSteps(
  c: ModelContext,
  t: { formed: string; reviewed: string; consolidated: string; reviewDays: number },
): PlanStep[] {
  const { profile, work } = c;
  const panel = panelWord(c.panelKind);
  const short = (iso: string) => formatShortDate(new Date(iso));
  const unit = profile.unitName ?? "Ban TVPB&GĐXH";
  const workshop = c.d.a.forms.includes("workshop")
    ? [
        {
          step: "Hội thảo khoa học lấy ý kiến chuyên gia",
          time: `trước ${short(t.reviewed)}`,
          responsible: profile.shortName,
        },
      ]
    : [];
  return [
    {
      step: `Thành lập ${panel} ${work}, gửi hồ sơ đến các thành viên`,
      time: `${formatShortDate(c.at)} – ${short(t.formed)}`,
      responsible: unit,
    },
    {
      step: `Các thành viên nghiên cứu hồ sơ, viết bản nhận xét (${t.reviewDays} ngày)`,
      time: `${short(t.formed)} – ${short(t.reviewed)}`,
      responsible: `Thành viên ${panel}`,
    },
    ...workshop,
    {
      step: `Tổng hợp, hoàn thiện báo cáo kết quả ${work}`,
      time: `${short(t.reviewed)} – ${short(t.consolidated)}`,
      responsible: unit,
    },
    {
      step: `Gửi báo cáo kết quả ${work} đến ${c.agencyName}`,
      time: `trước ${short(t.consolidated)}`,
      responsible: `Văn phòng ${profile.shortName}`,
    },
  ];
}
