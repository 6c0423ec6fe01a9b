/** The panel's documents: the decision establishing it, and the letter inviting an expert. */
import { and, desc, eq, inArray } from "drizzle-orm";
import { experts, invitations } from "../db/schema.js";
import { ValidationError } from "../errors.js";
import { personName } from "../words/personName.js";
import { panelWord } from "./documentWords.js";
import { formatShortDate } from "./format.js";
import type { DocumentModels, PanelRole } from "./types.js";
import { panelMembers } from "./assignmentData.js";
import { COST_BASIS, LEGAL_BASIS_14, type ModelContext } from "./modelContext.js";

/** Quyết định thành lập Hội đồng / Tổ chuyên gia: legal bases, members, duties, period. */
export async function panelDecisionModel(c: ModelContext): Promise<DocumentModels["panelDecision"]> {
  const { d, profile, order, work, timeline } = c;
  const panel = panelWord(c.panelKind);
  const reviewEnd = new Date(await c.wd(d.context.plan?.reviewDays ?? timeline.reviewDays));
  const periodEnd = new Date(await c.wd(timeline.consolidationWorkingDays, reviewEnd));
  return {
    ...c.base,
    ...c.marks,
    recipients: ["Như Điều 4", `${c.agencyName} (để b/c)`, ...c.drafting],
    asAbove: false,
    subject: c.subject,
    panelKind: c.panelKind,
    decider: `BAN THƯỜNG VỤ ${profile.issuerName}`,
    bases: [
      LEGAL_BASIS_14,
      ...(profile.provincialRegulation ? [profile.provincialRegulation] : []),
      `Điều lệ ${profile.displayName}`,
      [`Văn bản số ${order.number} ngày ${formatShortDate(new Date(order.date))} của ${order.issuer}`, order.summary]
        .filter(Boolean)
        .join(" "),
    ],
    proposedBy: `Trưởng ${profile.unitName}`,
    members: await panelMembers(c.db, d.a.id),
    duties: [
      `Nghiên cứu hồ sơ, viết bản nhận xét, ý kiến ${work} theo mẫu`,
      d.a.forms.includes("workshop")
        ? "Tham gia hội thảo khoa học do Liên hiệp hội tổ chức"
        : `Tham gia các phiên họp của ${panel}`,
      `Thảo luận, thống nhất nội dung báo cáo kết quả ${work} trình Ban Thường vụ`,
      "Bảo mật thông tin, tài liệu theo quy định",
    ],
    period: `từ ngày ${formatShortDate(c.at)} đến ngày ${formatShortDate(periodEnd)}`,
    implementers: `Chánh Văn phòng, Trưởng ${profile.unitName} và các ông (bà) có tên tại Điều 1`,
    conflictWaivers: await conflictWaivers(c),
  };
}

/** The accepted members whose declared conflict of interest was waived, with the written reason. */
async function conflictWaivers(c: ModelContext): Promise<string[]> {
  const seats = (c.d.context.panel ?? []).filter((s) => s.status === "accepted" && s.waiver);
  if (!seats.length) return [];
  const rows = await c.db
    .select()
    .from(experts)
    .where(
      inArray(
        experts.id,
        seats.map((s) => s.expertId),
      ),
    );
  return seats.map((s) => {
    const e = rows.find((x) => x.id === s.expertId);
    return `${e ? personName(e) : s.expertId}: ${s.waiver}`;
  });
}

/**
 * Thư mời chuyên gia: the invitation the document names (else the latest), its role and dates.
 * @throws ValidationError `document_data_missing` when no expert has been invited.
 */
export async function expertInvitationModel(c: ModelContext): Promise<DocumentModels["expertInvitation"]> {
  const { d, timeline } = c;
  const [inv] = await c.db
    .select({ i: invitations, e: experts })
    .from(invitations)
    .innerJoin(experts, eq(experts.id, invitations.expertId))
    .where(
      and(
        eq(invitations.assignmentId, d.a.id),
        ...(c.meta.invitationId ? [eq(invitations.id, c.meta.invitationId)] : []),
        ...(c.meta.expertId ? [eq(invitations.expertId, c.meta.expertId)] : []),
      ),
    )
    .orderBy(desc(invitations.createdAt))
    .limit(1);
  if (!inv) throw new ValidationError("document_data_missing", "Chưa có lời mời chuyên gia nào.");
  const reviewFrom = await c.wd(timeline.invitationWorkingDays + 2);
  return {
    ...c.base,
    ...c.marks,
    summary: `mời tham gia ${panelWord(c.panelKind)} ${c.work} ${c.subject.title}`,
    addressees: [`${personName(inv.e)}${inv.e.workplace ? `, ${inv.e.workplace}` : ""}`],
    asAbove: true,
    recipients: [c.profile.unitName ?? "Ban TVPB&GĐXH"],
    subject: c.subject,
    expertName: personName(inv.e),
    salutation: "Ông (Bà)",
    role: inv.i.panelRole as PanelRole,
    panelKind: c.panelKind,
    reviewFrom,
    reviewDue: await c.wd(d.context.plan?.reviewDays ?? timeline.reviewDays, new Date(reviewFrom)),
    replyBy: (inv.i.dueAt ?? new Date(await c.wd(timeline.invitationWorkingDays))).toISOString(),
    fee: `theo ${COST_BASIS}`,
  };
}
