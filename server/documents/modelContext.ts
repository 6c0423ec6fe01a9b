/**
 * What every assignment document is built from: the assignment and its agency, the organisation's
 * profile, the common document fields (number, date, signer, marks), the subject and the order it
 * answers, and the working calendar for the dates a document promises.
 */
import { addWorkingDays, atVietnamTime, type WorkingCalendar } from "../calendar/workingDays.js";
import type { Executor } from "../db/connect.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import { panelWord, subjectKindInText, urgencyMark, workOf } from "./documentWords.js";
import type { AllSettings } from "./orgProfile.js";
import type {
  AssignmentType,
  DocumentBase,
  DocumentRef,
  OrgProfile,
  PanelKind,
  Secrecy,
  SubjectInfo,
} from "./types.js";
import { loadAssignmentData, type AssignmentData } from "./assignmentData.js";

/** Decision 14/2014/QĐ-TTg, the legal basis of every consultancy, critique and assessment. */
export const LEGAL_BASIS_14 =
  "Quyết định số 14/2014/QĐ-TTg ngày 14/02/2014 của Thủ tướng Chính phủ về hoạt động tư vấn, phản biện và giám " +
  "định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam";
/** Circular 11/2015/TT-BTC on the costs of the work. */
export const COST_BASIS = "Thông tư số 11/2015/TT-BTC ngày 29/01/2015 của Bộ Tài chính";

/** What the issuing action (or a correction, or the activity report) left on the row before it is frozen. */
export type DocumentMeta = {
  correction?: { number: string; date: string; reason: string };
  event?: string;
  version?: number;
  expertId?: string;
  /** The expert's opinion version a bản nhận xét was issued for. */
  opinionVersion?: number;
  invitationId?: string;
  period?: { from: string; to: string; label: string; kind: "quarterly" | "annual" };
  /** Who drew up a financial form (bảng kê, dự toán): the person issuing it. */
  preparedBy?: string;
};

/** The context of one assignment document. */
export type ModelContext = Awaited<ReturnType<typeof createModelContext>>;

/** Reads the assignment and the calendar and derives what the document kinds share. */
export async function createModelContext(props: {
  db: Executor;
  organizationId: string;
  assignmentId: string;
  profile: OrgProfile;
  settings: AllSettings;
  base: DocumentBase;
  meta: DocumentMeta;
  at: Date;
  draft: boolean;
}) {
  const { db, profile, base, at } = props;
  const d = await loadAssignmentData(db, props.organizationId, props.assignmentId);
  const subject = subjectOf(d, profile);
  const addressees = addresseesOf(d, profile);
  const agencyName = addressees[0];
  const marks = marksOf(d);
  // Read on first use: only the letters and the panel's documents count working days.
  let calendar: Promise<WorkingCalendar> | undefined;
  const workingCalendar = () => (calendar ??= loadCalendar(db, props.organizationId, at));
  return {
    ...props,
    d,
    subject,
    order: orderOf(d, profile),
    work: workOf(subject.type),
    agencyName,
    /** Who the documents are addressed to (the agency, or the recipients chosen for the result). */
    addressees,
    marks,
    panelKind: panelKindOf(d.a),
    timeline: d.context.timeline ?? props.settings.timeline,
    drafting: d.a.draftingAgency ? [d.a.draftingAgency] : [],
    leaders: `Thường trực ${profile.shortName}`,
    /** The end of the n-th working day after `from` (ISO), on the calendar (read once, when first needed). */
    wd: async (n: number, from = at) => addWorkingDays(from, n, await workingCalendar()).toISOString(),
    /** The fields of a letter to the agency: the V/v summary, "Kính gửi", the recipients. */
    letter: (summary: string, recipients: string[]) => ({
      ...base,
      ...marks,
      summary,
      addressees,
      recipients,
    }),
  };
}

/**
 * Who a letter is addressed to ("Kính gửi"): the ordering agency; for work without one, the
 * authorities chosen for its result, else the drafting agency, else the provincial People's
 * Committee — never the Union itself.
 */
function addresseesOf(d: AssignmentData, profile: OrgProfile): string[] {
  if (d.agency) return [d.agency.name];
  const chosen = (d.a.recipients ?? []).map((r) => r.name).filter(Boolean);
  if (chosen.length) return chosen;
  if (d.a.draftingAgency) return [d.a.draftingAgency];
  return [`Ủy ban nhân dân tỉnh ${profile.province}`];
}

/** A council when the forms include one, else an expert group. */
export function panelKindOf(a: { forms: string[] }): PanelKind {
  return a.forms.includes("council") ? "council" : "expertGroup";
}

/** The form of work as a sentence: "Hội đồng phản biện kết hợp hội thảo khoa học". */
export function formsLabel(a: { forms: string[]; type: string }): string {
  const work = workOf(a.type) || "phản biện";
  const parts: string[] = [];
  if (a.forms.includes("council")) parts.push(`${panelWord("council")} ${work}`);
  if (a.forms.includes("expert_group")) parts.push(`${panelWord("expertGroup")} ${work}`);
  if (a.forms.includes("written")) parts.push("lấy ý kiến chuyên gia bằng văn bản");
  if (a.forms.includes("workshop")) parts.push("hội thảo khoa học");
  const text = parts.join(" kết hợp ");
  return text.charAt(0).toLocaleUpperCase("vi") + text.slice(1);
}

/** "Đề nghị tư vấn về", "Văn bản đề nghị phản biện xã hội đối với", "Xin ý kiến về"… */
const REQUEST_PREFIX =
  /^(văn bản\s+)?(đề nghị|xin ý kiến)(\s+(tư vấn|phản biện|giám định)(\s+xã hội)?)?\s*,?\s*(về việc|về|đối với)?\s*/iu;

/**
 * An "other" subject is named by the agency's own title, without the request wrapped around it
 * ("Đề nghị tư vấn về phương án X" → "Phương án X"), so that "đề nghị tư vấn đối với …" never
 * repeats the request. Other kinds keep their title as entered.
 */
export function subjectTitleOf(kind: string, title: string): string {
  const trimmed = title.replace(/\s+/g, " ").trim();
  if (kind !== "other") return trimmed;
  const rest = trimmed.replace(REQUEST_PREFIX, "").trim();
  return rest ? rest.charAt(0).toLocaleUpperCase("vi") + rest.slice(1) : trimmed;
}

function subjectOf(d: AssignmentData, profile: OrgProfile): SubjectInfo {
  return {
    type: d.a.type as AssignmentType,
    title: subjectTitleOf(d.a.subjectKind, d.a.title),
    orderingAgency: d.agency?.name ?? profile.displayName,
    draftingAgency: d.a.draftingAgency ?? d.agency?.name ?? "cơ quan chủ trì soạn thảo",
  };
}

/** The order the document answers; its summary names the subject kind without repeating the title. */
function orderOf(d: AssignmentData, profile: OrgProfile): DocumentRef {
  const work = workOf(d.a.type) || "phản biện";
  const what = subjectKindInText(d.a.subjectKind);
  return {
    number: d.a.orderNumber ?? "…",
    // Without an order date (a self-initiated task) the assignment's creation date is quoted.
    date: d.a.orderDate ? atVietnamTime(d.a.orderDate, "08:00").toISOString() : d.a.createdAt.toISOString(),
    issuer: d.agency?.name ?? profile.displayName,
    // An "other" subject has no kind to name: the sentence names it by its title right after.
    summary: what ? `về việc đề nghị ${work} ${what}` : "",
  };
}

/** The urgency and secrecy marks of the assignment. */
function marksOf(d: AssignmentData): Pick<DocumentBase, "urgency" | "secrecy"> {
  const urgency = urgencyMark(d.a.urgency);
  const secrecy: Secrecy | undefined = d.a.confidential ? "MẬT" : undefined;
  return { ...(urgency ? { urgency } : {}), ...(secrecy ? { secrecy } : {}) };
}
