/**
 * Builds the view model of an official document from the database: the organisation's profile
 * from its settings, the assignment (subject, order, agency, marks), and the part of the workflow
 * the document reports (missing documents, plan, panel, workshop, the consolidated report and its
 * numbered recommendations…). The issuing service freezes the result on the `documents` row, so
 * an issued document never changes when the data behind it does.
 */
import { and, asc, desc, eq, gte, inArray, lt } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import {
  agencies,
  assignments,
  deadlines,
  documents,
  experts,
  history,
  invitations,
  opinionVersions,
  organizations,
  recommendationResponses,
  recommendations,
  reportVersions,
} from "../db/schema.js";
import { ValidationError } from "../errors.js";
import { addCalendarDays, addWorkingDays, atVietnamTime, vietnamDateOf } from "../calendar/workingDays.js";
import { loadCalendar } from "../calendar/loadCalendar.js";
import { resolveSettings, type OrgSettings } from "../settings.js";
import type { AssignmentContext } from "../../workflows/assignment/types.js";
import { formatDocumentNumber, formatShortDate } from "./format.js";
import { DOCUMENT_KIND_INFO } from "./templates.js";
import {
  DOCUMENT_KINDS,
  type ActivityRow,
  type AssignmentType,
  type AuthorityPrefix,
  type DocumentBase,
  type DocumentKind,
  type DocumentModels,
  type DocumentRef,
  type FinalReportModel,
  type MatrixRow,
  type OrgProfile,
  type PanelMember,
  type PanelRole,
  type ReportSection,
  type Secrecy,
  type Signer,
  type SubjectInfo,
  type Urgency,
} from "./types.js";

/**
 * The document settings an organisation may add to `organizations.settings` beyond OrgSettings.
 * All optional; defaults are derived from the organisation's names.
 */
export type DocumentSettings = {
  /** The issuer's name in running text; default `organizations.name`. */
  displayName?: string;
  /** Short form after first use; default "Liên hiệp hội". */
  documentShortName?: string;
  /** The issuer's name broken into header lines. */
  issuerNameLines?: string[];
  /** The drafting unit; default "Ban Tư vấn, phản biện và giám định xã hội". */
  unitName?: string;
  /** Province named in legal bases; default `place`. */
  province?: string;
  /** The provincial regulation on TVPB&GĐXH quoted among the legal bases. */
  provincialRegulation?: string;
  /** Archive codes after "Lưu:"; default `VT, <unitAbbr>`. */
  archiveCodes?: string;
  /** The seal (red, transparent PNG) as a data URL. */
  sealImage?: string;
  /** Handwritten signature images (blue, transparent PNG data URLs) by signer key. */
  signerImages?: Record<string, string>;
  /** Which signer (settings.signers[].key) signs which document kind; see defaultSignerKey. */
  documentSigners?: Partial<Record<DocumentKind, string>>;
  /** The PKCS#12 certificate issued PDFs are signed with (base64 of the .p12/.pfx file). */
  signing?: { p12Base64: string; passphrase: string; signerName?: string };
};

export type AllSettings = OrgSettings & DocumentSettings;

/** What a view model is built from: a `documents` row or the same fields for a draft. */
export type DocumentSource = {
  kind: string;
  organizationId: string;
  assignmentId: string | null;
  number: number | null;
  issuedAt: Date | null;
  /**
   * The row's `view_model` before it is frozen: `{ event, version }` from the issuing action, and for corrections
   * `correction`.
   */
  viewModel?: Record<string, unknown> | null;
};

/** The result: the kind, its view model, and what the issuing service needs besides. */
export type BuiltDocument<K extends DocumentKind = DocumentKind> = {
  kind: K;
  vm: DocumentModels[K];
  /** `07/BC-LHH` (null for drafts and unnumbered forms). */
  numberLabel: string | null;
  /** The subject as printed on the /verify page. */
  title: string;
};

const WORK: Record<AssignmentType, string> = { consultancy: "tư vấn", critique: "phản biện", assessment: "giám định" };
const URGENCY: Record<string, Urgency> = { urgent: "KHẨN", very_urgent: "THƯỢNG KHẨN", immediate: "HỎA TỐC" };
const LEGAL_BASIS_14 =
  "Quyết định số 14/2014/QĐ-TTg ngày 14/02/2014 của Thủ tướng Chính phủ về hoạt động tư vấn, phản biện và giám " +
  "định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam";
const COST_BASIS = "Thông tư số 11/2015/TT-BTC ngày 29/01/2015 của Bộ Tài chính";
/** Kinds the leadership signs as a collective (TM. BAN THƯỜNG VỤ / CHỦ TỊCH) when a "chairman" signer exists. */
const COLLECTIVE_KINDS: DocumentKind[] = ["panelDecision", "finalReport", "activityReport"];

export function isDocumentKind(kind: string): kind is DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(kind);
}

/** The number as printed after "Số:", e.g. `07/BC-LHH`, `37/LHH-TVPB`; null without a number. */
export function numberLabelOf(
  kind: DocumentKind,
  number: number | null,
  org: Pick<OrgProfile, "issuerAbbr" | "unitAbbr">,
): string | null {
  if (number === null || DOCUMENT_KIND_INFO[kind].unnumbered) return null;
  return formatDocumentNumber({
    number,
    typeAbbr: DOCUMENT_KIND_INFO[kind].typeAbbr,
    issuerAbbr: org.issuerAbbr,
    unitAbbr: org.unitAbbr,
  }).replace(/^Số:\s*/, "");
}

/** Splits a long issuer name into two header lines ("LIÊN HIỆP CÁC HỘI KHOA HỌC" / "VÀ KỸ THUẬT TỈNH …"). */
function headerLines(name: string): string[] {
  const at = name.indexOf(" VÀ ");
  if (name.length <= 40 || at < 0) return [name];
  return [name.slice(0, at), name.slice(at + 1)];
}

/** The organisation profile documents print, from its row and settings. */
export function orgProfile(org: { name: string; settings: Record<string, unknown> }): {
  profile: OrgProfile;
  settings: AllSettings;
  signerKeys: string[];
} {
  const s = { ...(org.settings as DocumentSettings), ...resolveSettings(org.settings) } as AllSettings;
  const signers: Record<string, Signer> = {};
  for (const x of s.signers) {
    signers[x.key] = {
      ...(x.authority ? { authority: { prefix: x.authority as AuthorityPrefix, of: x.authorityTitle ?? "" } } : {}),
      title: x.title,
      name: x.name,
    };
  }
  const first = s.signers[0]?.key;
  const fallback: Signer = { authority: { prefix: "TM.", of: "BAN THƯỜNG VỤ" }, title: "CHỦ TỊCH", name: "" };
  const profile: OrgProfile = {
    ...(s.parentBody ? { parentBody: s.parentBody } : {}),
    issuerName: s.issuerName,
    issuerNameLines: s.issuerNameLines ?? headerLines(s.issuerName),
    displayName: s.displayName ?? org.name,
    shortName: s.documentShortName ?? "Liên hiệp hội",
    issuerAbbr: s.issuerAbbr,
    unitAbbr: s.unitAbbr,
    unitName: s.unitName ?? "Ban Tư vấn, phản biện và giám định xã hội",
    place: s.place || "…",
    province: s.province ?? s.place,
    ...(s.provincialRegulation ? { provincialRegulation: s.provincialRegulation } : {}),
    ...(s.address ? { address: s.address } : {}),
    ...(s.phone ? { phone: s.phone } : {}),
    ...(s.email ? { email: s.email } : {}),
    signers: { ...signers, default: signers.default ?? (first ? signers[first] : fallback) },
    ...(s.sealImage ? { sealImage: s.sealImage } : {}),
    margins: s.margins,
    ...(s.archiveCodes ? { archiveCodes: s.archiveCodes } : {}),
  };
  return { profile, settings: s, signerKeys: s.signers.map((x) => x.key) };
}

/**
 * Which signer signs a kind: `settings.documentSigners[kind]` when set; else the chairman
 * (TM. BAN THƯỜNG VỤ / CHỦ TỊCH) for decisions and reports when a signer keyed "chairman" exists;
 * else the default (the first signer, typically KT. CHỦ TỊCH / PHÓ CHỦ TỊCH).
 */
export function defaultSignerKey(kind: DocumentKind, settings: AllSettings, keys: string[]): string {
  const chosen = settings.documentSigners?.[kind];
  if (chosen && keys.includes(chosen)) return chosen;
  if (COLLECTIVE_KINDS.includes(kind) && keys.includes("chairman")) return "chairman";
  return "default";
}

type Loaded = Awaited<ReturnType<typeof loadAssignmentData>>;

async function loadAssignmentData(db: Executor, organizationId: string, assignmentId: string) {
  const [a] = await db
    .select()
    .from(assignments)
    .where(and(eq(assignments.id, assignmentId), eq(assignments.organizationId, organizationId)));
  if (!a) throw new ValidationError("assignment_not_found", "Không tìm thấy nhiệm vụ của văn bản.");
  const [agency] = a.agencyId ? await db.select().from(agencies).where(eq(agencies.id, a.agencyId)) : [];
  const context = ((a.snapshot as { context?: AssignmentContext }).context ?? {}) as AssignmentContext;
  return { a, agency: agency ?? null, context };
}

function panelKindOf(a: { forms: string[] }): "council" | "expertGroup" {
  return a.forms.includes("council") ? "council" : "expertGroup";
}

function formsLabel(a: { forms: string[]; type: string }): string {
  const work = WORK[a.type as AssignmentType] ?? "phản biện";
  const parts: string[] = [];
  if (a.forms.includes("council")) parts.push(`Hội đồng ${work}`);
  if (a.forms.includes("expert_group")) parts.push(`Tổ chuyên gia ${work}`);
  if (a.forms.includes("written")) parts.push("lấy ý kiến chuyên gia bằng văn bản");
  if (a.forms.includes("workshop")) parts.push("hội thảo khoa học");
  const text = parts.join(" kết hợp ");
  return text.charAt(0).toLocaleUpperCase("vi") + text.slice(1);
}

function subjectOf(d: Loaded, profile: OrgProfile): SubjectInfo {
  return {
    type: d.a.type as AssignmentType,
    title: d.a.title,
    orderingAgency: d.agency?.name ?? profile.displayName,
    draftingAgency: d.a.draftingAgency ?? d.agency?.name ?? "cơ quan chủ trì soạn thảo",
  };
}

/** How the order's summary names the subject kind ("về việc đề nghị phản biện Đề án"), without repeating the title. */
const SUBJECT_KINDS: Record<string, string> = {
  scheme: "Đề án",
  project: "Dự án",
  master_plan: "Quy hoạch",
  plan: "Kế hoạch",
  programme: "Chương trình",
  draft_resolution: "dự thảo Nghị quyết",
  draft_document: "dự thảo văn bản",
};

function orderOf(d: Loaded, profile: OrgProfile): DocumentRef {
  const work = WORK[d.a.type as AssignmentType] ?? "phản biện";
  const what = SUBJECT_KINDS[d.a.subjectKind] ?? d.a.title.split(/\s+/).slice(0, 2).join(" ");
  return {
    number: d.a.orderNumber ?? "…",
    // Without an order date (a self-initiated task) the assignment's creation date is quoted.
    date: d.a.orderDate ? atVietnamTime(d.a.orderDate, "08:00").toISOString() : d.a.createdAt.toISOString(),
    issuer: d.agency?.name ?? profile.displayName,
    summary: `về việc đề nghị ${work} ${what}`,
  };
}

function marks(d: Loaded): Pick<DocumentBase, "urgency" | "secrecy"> {
  const urgency = d.a.urgency ? URGENCY[d.a.urgency] : undefined;
  const secrecy: Secrecy | undefined = d.a.confidential ? "MẬT" : undefined;
  return { ...(urgency ? { urgency } : {}), ...(secrecy ? { secrecy } : {}) };
}

/** The name with academic title and degree, as documents print it: "PGS.TS. Nguyễn Thị Phương Thảo". */
export function expertDisplayName(e: {
  fullName: string;
  academicTitle: string | null;
  degree: string | null;
}): string {
  const prefix = `${e.academicTitle ?? ""}${e.degree ?? ""}`.trim();
  return prefix ? `${prefix} ${e.fullName}` : e.fullName;
}

async function panelMembers(db: Executor, assignmentId: string): Promise<PanelMember[]> {
  const rows = await db
    .select({ i: invitations, e: experts })
    .from(invitations)
    .innerJoin(experts, eq(experts.id, invitations.expertId))
    .where(and(eq(invitations.assignmentId, assignmentId), eq(invitations.state, "accepted")))
    .orderBy(asc(invitations.rank));
  const order: Record<string, number> = { chair: 0, viceChair: 1, secretary: 2, reviewer: 3, member: 4 };
  return rows
    .map((r) => ({
      name: expertDisplayName(r.e),
      workplace: r.e.workplace ?? "",
      role: (["chair", "secretary", "member"].includes(r.i.panelRole) ? r.i.panelRole : "member") as PanelRole,
      ...(r.e.fields.length ? { field: r.e.fields.join(", ") } : {}),
    }))
    .sort((x, y) => order[x.role] - order[y.role]);
}

/** The payload of the event that issued the document (same workflow version), or the latest of that type. */
async function eventPayload(
  db: Executor,
  assignmentId: string,
  eventType: string,
  version?: number,
): Promise<Record<string, unknown> | null> {
  const conds = [eq(history.assignmentId, assignmentId), eq(history.eventType, eventType)];
  if (version !== undefined) {
    const [exact] = await db
      .select()
      .from(history)
      .where(and(...conds, eq(history.version, version), eq(history.workflow, "assignment")))
      .limit(1);
    if (exact) return exact.payload;
  }
  const [latest] = await db
    .select()
    .from(history)
    .where(and(...conds))
    .orderBy(desc(history.id))
    .limit(1);
  return latest?.payload ?? null;
}

/** The number and date of the latest issued (or issuing) document of a kind for the assignment. */
async function issuedRef(
  db: Executor,
  assignmentId: string,
  kind: DocumentKind,
  profile: OrgProfile,
): Promise<{ number: string; date: string } | null> {
  const [doc] = await db
    .select()
    .from(documents)
    .where(
      and(
        eq(documents.assignmentId, assignmentId),
        eq(documents.kind, kind),
        inArray(documents.status, ["issued", "issuing"]),
      ),
    )
    .orderBy(desc(documents.issuedAt))
    .limit(1);
  if (!doc || doc.number === null || !doc.issuedAt) return null;
  return {
    number: doc.numberLabel ?? numberLabelOf(kind, doc.number, profile) ?? "",
    date: doc.issuedAt.toISOString(),
  };
}

function lines(text: string | null | undefined): string[] {
  return (text ?? "")
    .split(/\r?\n|;\s*/)
    .map((s) => s.trim().replace(/[.;]$/, ""))
    .filter(Boolean);
}

function stripNumbering(heading: string): string {
  return heading.replace(/^\s*(?:[IVXLC]+|\d+)[.)]\s*/, "").trim();
}

function verdictOf(conclusion: string | undefined, subject: SubjectInfo, agency: string): string {
  const what = subject.title;
  switch (conclusion) {
    case "fit":
      return `${what} đủ điều kiện trình ${agency} xem xét, quyết định.`;
    case "not_fit":
      return (
        `${what} chưa đủ điều kiện trình cấp có thẩm quyền xem xét; đề nghị cơ quan chủ trì soạn thảo ` +
        `nghiên cứu, xây dựng lại theo các kiến nghị dưới đây.`
      );
    default:
      return (
        `${what} đủ điều kiện trình ${agency} xem xét, quyết định sau khi được chỉnh sửa, bổ sung theo các ` +
        `kiến nghị dưới đây.`
      );
  }
}

type ReportContent = {
  sections?: Array<{ key?: string; title?: string; paragraphs?: Array<{ text: string }> }>;
  recommendations?: Array<{ text: string }>;
  commentMatrix?: Array<{ section: string; opinion: string; proposedChange: string; expertId?: string }>;
  minorityViews?: Array<{ expertId?: string; text: string }>;
  conclusion?: string;
};

/** The latest consolidated report draft (the approved one once approval has passed). */
async function latestReport(
  db: Executor,
  assignmentId: string,
): Promise<{ version: number; content: ReportContent } | null> {
  const [r] = await db
    .select()
    .from(reportVersions)
    .where(eq(reportVersions.assignmentId, assignmentId))
    .orderBy(desc(reportVersions.version))
    .limit(1);
  return r ? { version: r.version, content: r.content as ReportContent } : null;
}

async function finalReportModel(
  db: Executor,
  d: Loaded,
  base: DocumentBase,
  profile: OrgProfile,
  issuedAt: Date | null,
): Promise<FinalReportModel> {
  const subject = subjectOf(d, profile);
  const report = await latestReport(db, d.a.id);
  const content = report?.content ?? {};
  const members = await panelMembers(db, d.a.id);
  const expertRows = await db.select().from(experts).where(eq(experts.organizationId, d.a.organizationId));
  const expertName = (id?: string) => {
    const e = id ? expertRows.find((x) => x.id === id) : undefined;
    return e ? expertDisplayName(e) : "";
  };
  const overall: ReportSection[] = [];
  const specific: ReportSection[] = [];
  const extraConclusions: string[] = [];
  for (const s of content.sections ?? []) {
    const paragraphs = (s.paragraphs ?? []).map((p) => p.text).filter((t) => t.trim());
    if (!paragraphs.length) continue;
    const key = (s.key ?? "").toLowerCase();
    // Section I is assembled from the workflow's data; a drafted "general" section adds to it as overall remarks.
    const section = { heading: stripNumbering(s.title ?? ""), paragraphs };
    if (key === "conclusion" || key === "conclusions") extraConclusions.push(...paragraphs);
    else if (key === "general" || key === "overall" || key.startsWith("overall") || key === "assessment")
      overall.push(section);
    else specific.push(section);
  }
  // The numbered recommendations exactly as the agency must answer them (latest round).
  const recRows = await db
    .select()
    .from(recommendations)
    .where(eq(recommendations.assignmentId, d.a.id))
    .orderBy(desc(recommendations.round), asc(recommendations.number));
  const round = recRows[0]?.round;
  const recs = recRows.length
    ? recRows.filter((r) => r.round === round).map((r) => r.text)
    : (content.recommendations ?? []).map((r) => r.text);
  const opinions = await db
    .select({ expertId: opinionVersions.expertId })
    .from(opinionVersions)
    .where(and(eq(opinionVersions.assignmentId, d.a.id), eq(opinionVersions.status, "submitted")));
  const decision = await issuedRef(db, d.a.id, "panelDecision", profile);
  const panelKind = panelKindOf(d.a);
  const panelWord = panelKind === "council" ? "Hội đồng" : "Tổ chuyên gia";
  const workshop = d.context.workshop;
  const start = decision?.date ?? d.a.createdAt.toISOString();
  const end = issuedAt ?? null;
  const matrix: MatrixRow[] = (content.commentMatrix ?? []).map((m) => ({
    section: m.section,
    opinion: m.opinion,
    proposedChange: m.proposedChange,
    expert: expertName(m.expertId),
  }));
  const verdict = [
    verdictOf(content.conclusion, subject, d.agency?.name ?? "cấp có thẩm quyền"),
    ...extraConclusions,
  ].join(" ");
  return {
    ...base,
    subject,
    order: orderOf(d, profile),
    panelDecision: decision
      ? {
          number: decision.number,
          date: decision.date,
          issuer: `Ban Thường vụ ${profile.shortName}`,
          summary: `về việc thành lập ${panelWord} ${WORK[subject.type]}`,
        }
      : { number: "…", date: start, issuer: `Ban Thường vụ ${profile.shortName}` },
    form:
      formsLabel(d.a) + (workshop ? `; hội thảo khoa học ngày ${formatShortDate(new Date(workshop.scheduledAt))}` : ""),
    timeline: end
      ? `từ ngày ${formatShortDate(new Date(start))} đến ngày ${formatShortDate(end)}`
      : `từ ngày ${formatShortDate(new Date(start))}`,
    panelKind,
    members,
    opinionsReceived: new Set(opinions.map((o) => o.expertId)).size,
    overall,
    specific,
    verdict,
    recommendations: recs,
    matrix,
    minorityViews: (content.minorityViews ?? []).map((m) => ({
      expert: expertName(m.expertId) || "Ý kiến khác",
      view: m.text,
    })),
  };
}

/**
 * Builds the view model of one document.
 * @throws ValidationError `unknown_document_kind`, `assignment_not_found`, `organization_not_found`,
 *   `document_data_missing` (e.g. an expert opinion without a submitted opinion).
 */
export async function buildViewModel(
  db: Executor,
  source: DocumentSource,
  opts: { now: Date; draft?: boolean },
): Promise<BuiltDocument> {
  if (!isDocumentKind(source.kind))
    throw new ValidationError("unknown_document_kind", `Không có loại văn bản "${source.kind}".`, "kind");
  const kind = source.kind;
  const [orgRow] = await db.select().from(organizations).where(eq(organizations.id, source.organizationId));
  if (!orgRow) throw new ValidationError("organization_not_found", "Không tìm thấy tổ chức.");
  const { profile, settings, signerKeys } = orgProfile(orgRow);
  const draft = !!opts.draft;
  const date = draft ? null : (source.issuedAt ?? opts.now);
  const at = source.issuedAt ?? opts.now;
  const number = draft ? null : source.number;
  const signerRole = defaultSignerKey(kind, settings, signerKeys);
  const signerImage =
    settings.signerImages?.[signerRole === "default" ? (settings.signers[0]?.key ?? "default") : signerRole];
  const meta = (source.viewModel ?? {}) as {
    correction?: { number: string; date: string; reason: string };
    event?: string;
    version?: number;
    expertId?: string;
    invitationId?: string;
    period?: { from: string; to: string; label: string; kind: "quarterly" | "annual" };
  };
  const base: DocumentBase = {
    org: profile,
    number,
    date: date ? date.toISOString() : null,
    signerRole,
    // The visible e-signature (signer image, seal, signing time) when the organisation signs electronically.
    ...(meta.correction && !draft ? { correction: meta.correction } : {}),
    ...(!draft && (settings.signing || signerImage)
      ? { signature: { ...(signerImage ? { signerImage } : {}), signedAt: at.toISOString() } }
      : {}),
  };
  const label = (vm: DocumentBase) => numberLabelOf(kind, vm.number ?? null, profile);

  if (kind === "activityReport") {
    const vm = await activityReportModel(db, source.organizationId, base, meta.period ?? quarterOf(at));
    return {
      kind,
      vm,
      numberLabel: label(vm),
      title: `Báo cáo hoạt động tư vấn, phản biện và giám định xã hội ${vm.periodLabel}`,
    };
  }
  if (!source.assignmentId) throw new ValidationError("document_data_missing", "Văn bản này cần gắn với một nhiệm vụ.");
  const d = await loadAssignmentData(db, source.organizationId, source.assignmentId);
  const subject = subjectOf(d, profile);
  const order = orderOf(d, profile);
  const work = WORK[subject.type];
  const agencyName = d.agency?.name ?? profile.displayName;
  const letter = (summary: string, recipients: string[]) => ({
    ...base,
    ...marks(d),
    summary,
    addressees: [agencyName],
    recipients,
  });
  const cal = await loadCalendar(db, source.organizationId, at);
  const wd = (n: number, from = at) => addWorkingDays(from, n, cal).toISOString();
  const days = (n: number, from = at) => atVietnamTime(addCalendarDays(vietnamDateOf(from), n), "17:00").toISOString();
  const timeline = d.context.timeline ?? settings.timeline;
  const drafting = d.a.draftingAgency ? [d.a.draftingAgency] : [];
  const leaders = `Thường trực ${profile.shortName}`;
  const build = async (): Promise<DocumentModels[DocumentKind]> => {
    switch (kind) {
      case "requestDocuments": {
        const payload = await eventPayload(db, d.a.id, "documents.request", meta.version);
        const missing = (payload?.missingDocuments as string[] | undefined) ?? d.context.missingDocuments ?? [];
        return {
          ...letter(`đề nghị bổ sung hồ sơ ${subject.title}`, [...drafting, leaders]),
          subject,
          order,
          missingDocuments: missing,
          dueDate: wd(timeline.screeningWorkingDays),
        };
      }
      case "declineLetter": {
        const reasons = lines(
          d.context.declineReasons ??
            ((await eventPayload(db, d.a.id, "order.proposeDecline"))?.reasons as string | undefined),
        );
        return {
          ...letter(`không tiếp nhận nhiệm vụ ${work} ${subject.title}`, [leaders]),
          subject,
          order,
          reasons: reasons.length
            ? reasons
            : ["Nội dung đề nghị không thuộc phạm vi hoạt động tư vấn, phản biện và giám định xã hội"],
        };
      }
      case "acceptanceLetter": {
        const plan = d.context.plan ?? {
          workPlan: "",
          costEstimate: Number(d.a.budget ?? 0),
          reviewDays: timeline.reviewDays,
        };
        const formed = wd(timeline.invitationWorkingDays + 2);
        const reviewed = days(plan.reviewDays, new Date(formed));
        const consolidated = wd(timeline.consolidationWorkingDays, new Date(reviewed));
        const panel = panelKindOf(d.a) === "council" ? "Hội đồng" : "Tổ chuyên gia";
        const short = (iso: string) => formatShortDate(new Date(iso));
        const steps = [
          {
            step: `Thành lập ${panel} ${work}, gửi hồ sơ đến các thành viên`,
            time: `${formatShortDate(at)} – ${short(formed)}`,
            responsible: profile.unitName ?? "Ban TVPB&GĐXH",
          },
          {
            step: `Các thành viên nghiên cứu hồ sơ, viết bản nhận xét (${plan.reviewDays} ngày)`,
            time: `${short(formed)} – ${short(reviewed)}`,
            responsible: `Thành viên ${panel}`,
          },
          ...(d.a.forms.includes("workshop")
            ? [
                {
                  step: "Hội thảo khoa học lấy ý kiến chuyên gia",
                  time: `trước ${short(reviewed)}`,
                  responsible: profile.shortName,
                },
              ]
            : []),
          {
            step: `Tổng hợp, hoàn thiện báo cáo kết quả ${work}`,
            time: `${short(reviewed)} – ${short(consolidated)}`,
            responsible: profile.unitName ?? "Ban TVPB&GĐXH",
          },
          {
            step: `Gửi báo cáo kết quả ${work} đến ${agencyName}`,
            time: `trước ${short(consolidated)}`,
            responsible: `Văn phòng ${profile.shortName}`,
          },
        ];
        return {
          ...letter(`tiếp nhận nhiệm vụ ${work} ${subject.title}`, [...drafting, leaders]),
          subject,
          order,
          form: plan.workPlan ? `${formsLabel(d.a)} (${plan.workPlan.replace(/[.;\s]+$/, "")})` : formsLabel(d.a),
          plan: steps,
          costItems: [
            {
              item: `Kinh phí thực hiện nhiệm vụ ${work} (theo dự toán chi tiết kèm theo)`,
              unit: "nhiệm vụ",
              quantity: 1,
              unitPrice: plan.costEstimate,
            },
          ],
          costBasis: COST_BASIS,
          resultDueDate: d.a.requestedDeadline
            ? atVietnamTime(d.a.requestedDeadline, "17:00").toISOString()
            : consolidated,
        };
      }
      case "panelDecision": {
        const panelKind = panelKindOf(d.a);
        const panel = panelKind === "council" ? "Hội đồng" : "Tổ chuyên gia";
        return {
          ...base,
          ...marks(d),
          recipients: ["Như Điều 4", `${agencyName} (để b/c)`, ...drafting],
          asAbove: false,
          subject,
          panelKind,
          decider: `BAN THƯỜNG VỤ ${profile.issuerName}`,
          bases: [
            LEGAL_BASIS_14,
            ...(profile.provincialRegulation ? [profile.provincialRegulation] : []),
            `Điều lệ ${profile.displayName}`,
            `Văn bản số ${order.number} ngày ${formatShortDate(new Date(order.date))} của ${order.issuer} ` +
              `${order.summary}`,
          ],
          proposedBy: `Trưởng ${profile.unitName}`,
          members: await panelMembers(db, d.a.id),
          duties: [
            `Nghiên cứu hồ sơ, viết bản nhận xét, ý kiến ${work} theo mẫu`,
            d.a.forms.includes("workshop")
              ? "Tham gia hội thảo khoa học do Liên hiệp hội tổ chức"
              : `Tham gia các phiên họp của ${panel}`,
            `Thảo luận, thống nhất nội dung báo cáo kết quả ${work} trình Ban Thường vụ`,
            "Bảo mật thông tin, tài liệu theo quy định",
          ],
          period:
            `từ ngày ${formatShortDate(at)} đến ngày ` +
            formatShortDate(
              new Date(
                wd(
                  timeline.consolidationWorkingDays,
                  new Date(days(d.context.plan?.reviewDays ?? timeline.reviewDays)),
                ),
              ),
            ),
          implementers: `Chánh Văn phòng, Trưởng ${profile.unitName} và các ông (bà) có tên tại Điều 1`,
        };
      }
      case "expertInvitation": {
        const invs = await db
          .select({ i: invitations, e: experts })
          .from(invitations)
          .innerJoin(experts, eq(experts.id, invitations.expertId))
          .where(
            and(
              eq(invitations.assignmentId, d.a.id),
              ...(meta.invitationId ? [eq(invitations.id, meta.invitationId)] : []),
            ),
          )
          .orderBy(desc(invitations.createdAt))
          .limit(1);
        const inv = invs[0];
        if (!inv) throw new ValidationError("document_data_missing", "Chưa có lời mời chuyên gia nào.");
        const name = expertDisplayName(inv.e);
        const reviewFrom = wd(timeline.invitationWorkingDays + 2);
        return {
          ...base,
          ...marks(d),
          summary:
            `mời tham gia ${panelKindOf(d.a) === "council" ? "Hội đồng" : "Tổ chuyên gia"} ${work} ` +
            `${subject.title}`,
          addressees: [`${name}${inv.e.workplace ? `, ${inv.e.workplace}` : ""}`],
          asAbove: true,
          recipients: [profile.unitName ?? "Ban TVPB&GĐXH"],
          subject,
          expertName: inv.e.fullName,
          salutation: "Ông (Bà)",
          role: inv.i.panelRole as PanelRole,
          reviewFrom,
          reviewDue: days(d.context.plan?.reviewDays ?? timeline.reviewDays, new Date(reviewFrom)),
          replyBy: (inv.i.dueAt ?? new Date(wd(timeline.invitationWorkingDays))).toISOString(),
          fee: `theo ${COST_BASIS}`,
        };
      }
      case "meetingInvitation": {
        const payload = await eventPayload(db, d.a.id, "workshop.schedule", meta.version);
        const ws = {
          scheduledAt: (payload?.scheduledAt as string | undefined) ?? d.context.workshop?.scheduledAt,
          place: (payload?.place as string | undefined) ?? d.context.workshop?.place,
        };
        if (!ws.scheduledAt) throw new ValidationError("document_data_missing", "Chưa có lịch hội thảo.");
        const members = await panelMembers(db, d.a.id);
        const chair = members.find((m) => m.role === "chair");
        return {
          ...base,
          ...marks(d),
          recipients: ["Như trên", leaders],
          asAbove: false,
          subject,
          title: `Tham dự Hội thảo khoa học ${work} ${subject.title}`,
          invitees: [
            `Đại diện lãnh đạo ${agencyName}`,
            ...drafting.map((x) => `Đại diện lãnh đạo ${x}`),
            ...members.map((m) => `${m.name}, ${m.workplace}`),
          ],
          startsAt: new Date(ws.scheduledAt).toISOString(),
          venue: ws.place ?? "…",
          agenda: [
            `${subject.draftingAgency} trình bày tóm tắt ${subject.title}`,
            `Các chuyên gia trình bày ý kiến ${work}`,
            "Thảo luận",
            `${chair ? "Chủ tịch Hội đồng" : "Chủ trì"} kết luận`,
          ],
          ...(chair ? { chairedBy: `${chair.name}, Chủ tịch Hội đồng ${work}` } : {}),
        };
      }
      case "minutes": {
        const payload = await eventPayload(db, d.a.id, "workshop.record", meta.version);
        const members = await panelMembers(db, d.a.id);
        const chair = members.find((m) => m.role === "chair") ?? members[0];
        const secretary = members.find((m) => m.role === "secretary") ?? members.find((m) => m !== chair);
        const startsAt = new Date(d.context.workshop?.scheduledAt ?? at);
        const attendees = (payload?.attendees as string[] | undefined) ?? [];
        const minutesText = lines(payload?.minutes as string | undefined);
        return {
          ...base,
          ...marks(d),
          recipients: [],
          subject,
          title: `Hội thảo khoa học ${work} ${subject.title}`,
          startsAt: startsAt.toISOString(),
          // The engine records no end time; a workshop is a morning session.
          endsAt: new Date(startsAt.getTime() + 3.5 * 3600_000).toISOString(),
          venue: d.context.workshop?.place ?? "…",
          chair: chair ? `${chair.name}, Chủ tịch Hội đồng` : "…",
          secretary: secretary ? `${secretary.name}, Thư ký` : "…",
          present: attendees.length ? attendees : members.map((m) => m.name),
          proceedings: minutesText.map((content) => ({ speaker: chair?.name ?? "Chủ trì", content })),
          conclusions: minutesText.length ? [minutesText[minutesText.length - 1]] : [],
          secretarySigner: { title: "THƯ KÝ", name: secretary?.name ?? "" },
          chairSigner: { title: "CHỦ TỊCH HỘI ĐỒNG", name: chair?.name ?? "" },
        };
      }
      case "expertOpinion": {
        const conds = [
          eq(opinionVersions.assignmentId, d.a.id),
          ...(meta.expertId ? [eq(opinionVersions.expertId, meta.expertId)] : []),
        ];
        const [op] = await db
          .select({ o: opinionVersions, e: experts })
          .from(opinionVersions)
          .innerJoin(experts, eq(experts.id, opinionVersions.expertId))
          .where(and(...conds))
          .orderBy(desc(opinionVersions.submittedAt), desc(opinionVersions.version))
          .limit(1);
        if (!op) throw new ValidationError("document_data_missing", "Chưa có ý kiến của chuyên gia.");
        const [seat] = await db
          .select()
          .from(invitations)
          .where(and(eq(invitations.assignmentId, d.a.id), eq(invitations.expertId, op.e.id)))
          .limit(1);
        const c = op.o.content as {
          general?: string;
          specific?: Array<{ section: string; comment: string; suggestion: string }>;
          conclusion?: string;
          recommendations?: string;
        };
        const conclusion =
          c.conclusion === "agree" ? "agree" : c.conclusion === "disagree" ? "disagree" : "agreeWithRevisions";
        return {
          ...base,
          ...marks(d),
          number: null,
          date: (op.o.submittedAt ?? op.o.createdAt).toISOString(),
          subject,
          panelName: `${panelKindOf(d.a) === "council" ? "HỘI ĐỒNG" : "TỔ CHUYÊN GIA"} ${work.toLocaleUpperCase("vi")}`,
          expert: {
            name: expertDisplayName(op.e),
            degree: `${op.e.academicTitle ?? ""}${op.e.degree ?? ""}`,
            field: op.e.fields.join(", "),
            workplace: op.e.workplace ?? "",
            role: (seat?.panelRole ?? "member") as PanelRole,
          },
          generalComments: (c.general ?? "")
            .split(/\r?\n/)
            .map((s) => s.trim())
            .filter(Boolean),
          specificComments: c.specific ?? [],
          conclusion,
          recommendations: lines(c.recommendations),
          signature: undefined,
        };
      }
      case "finalReport": {
        const recipients = [agencyName, ...drafting, "Liên hiệp các Hội KH&KT Việt Nam (để b/c)", leaders];
        return finalReportModel(
          db,
          d,
          { ...base, ...marks(d), recipients, asAbove: false },
          profile,
          draft ? null : at,
        );
      }
      case "coverLetter": {
        const report = await issuedRef(db, d.a.id, "finalReport", profile);
        const recCount = (
          await db
            .select({ id: recommendations.id })
            .from(recommendations)
            .where(eq(recommendations.assignmentId, d.a.id))
        ).length;
        return {
          ...letter(`gửi kết quả ${work} ${subject.title}`, [...drafting, leaders]),
          subject,
          order,
          report: report ?? { number: "…", date: at.toISOString() },
          recommendationCount: recCount,
          responseDueDate: days(timeline.responseDays),
        };
      }
      case "responseReminder": {
        const report = await issuedRef(db, d.a.id, "finalReport", profile);
        const cover = await issuedRef(db, d.a.id, "coverLetter", profile);
        const recs = await db
          .select()
          .from(recommendations)
          .where(eq(recommendations.assignmentId, d.a.id))
          .orderBy(asc(recommendations.number));
        const answered = recs.length
          ? await db
              .select({ id: recommendationResponses.recommendationId })
              .from(recommendationResponses)
              .where(
                inArray(
                  recommendationResponses.recommendationId,
                  recs.map((r) => r.id),
                ),
              )
          : [];
        const done = new Set(answered.map((x) => x.id));
        const [due] = await db
          .select()
          .from(deadlines)
          .where(and(eq(deadlines.assignmentId, d.a.id), eq(deadlines.key, "response")))
          .orderBy(desc(deadlines.createdAt))
          .limit(1);
        return {
          ...letter(`đề nghị báo cáo kết quả tiếp thu, giải trình ý kiến ${work}`, [...drafting, leaders]),
          subject,
          order,
          report: report ?? { number: "…", date: at.toISOString() },
          coverLetter: cover ?? { number: "…", date: at.toISOString() },
          responseDueDate: (due?.dueAt ?? at).toISOString(),
          pending: recs.filter((r) => !done.has(r.id)).map((r) => `Kiến nghị số ${r.number}: ${r.text}`),
          newDueDate: wd(10),
        };
      }
      default:
        throw new ValidationError("unknown_document_kind", `Không có loại văn bản "${kind}".`, "kind");
    }
  };
  const vm = (await build()) as DocumentModels[DocumentKind];
  return { kind, vm, numberLabel: label(vm), title: `${DOCUMENT_KIND_INFO[kind].typeName} — ${subject.title}` };
}

/** The calendar quarter (Vietnam time) that contains `at`. */
export function quarterOf(at: Date): { from: string; to: string; label: string; kind: "quarterly" } {
  const [y, m] = vietnamDateOf(at).split("-").map(Number);
  const q = Math.floor((m - 1) / 3);
  const from = `${y}-${String(q * 3 + 1).padStart(2, "0")}-01`;
  const to = q === 3 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 4).padStart(2, "0")}-01`;
  return { from, to, label: `quý ${["I", "II", "III", "IV"][q]} năm ${y}`, kind: "quarterly" };
}

const STATE_LABELS: Array<[RegExp, string]> = [
  [/^(ordered|screening)/, "Đang xem xét tiếp nhận"],
  [/^planning/, "Đang lập kế hoạch"],
  [/^panelFormation/, "Đang thực hiện"],
  [/^(consolidation|approval|issuing)/, "Đang tổng hợp báo cáo"],
  [/^sent|^awaitingResponse/, "Đã gửi kết quả, chờ phản hồi"],
  [/^responded|^closed/, "Đã có phản hồi"],
  [/^declined/, "Không tiếp nhận"],
  [/^withdrawn/, "Cơ quan đặt hàng rút đề nghị"],
  [/^onHold/, "Tạm dừng"],
];

/**
 * The periodic activity report: every assignment opened in the period, by state and type, with recommendation counts.
 */
async function activityReportModel(
  db: Executor,
  organizationId: string,
  base: DocumentBase,
  period: { from: string; to: string; label: string; kind: "quarterly" | "annual" },
): Promise<DocumentModels["activityReport"]> {
  const from = atVietnamTime(period.from, "00:00");
  const to = atVietnamTime(period.to, "00:00");
  const rows = await db
    .select({ a: assignments, agency: agencies.name })
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
  const recs = rows.length
    ? await db
        .select()
        .from(recommendations)
        .where(
          inArray(
            recommendations.assignmentId,
            rows.map((r) => r.a.id),
          ),
        )
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
  const activity: ActivityRow[] = rows.map(({ a, agency }) => {
    const mine = recs.filter((r) => r.assignmentId === a.id);
    return {
      title: a.title,
      type: a.type as AssignmentType,
      orderingAgency: agency ?? "Liên hiệp hội tự đề xuất",
      status: STATE_LABELS.find(([re]) => re.test(a.state))?.[1] ?? a.state,
      recommendations: mine.length,
      accepted: mine.filter((r) => latest.get(r.id) === "accepted").length,
    };
  });
  const byType = (t: AssignmentType) => activity.filter((r) => r.type === t).length;
  const total = activity.reduce((s, r) => s + r.recommendations, 0);
  const accepted = activity.reduce((s, r) => s + r.accepted, 0);
  const declined = activity.filter((r) => r.status === "Không tiếp nhận").length;
  return {
    ...base,
    recipients: ["Liên hiệp các Hội KH&KT Việt Nam", `UBND tỉnh ${base.org.province}`],
    asAbove: false,
    periodLabel: period.label,
    periodKind: period.kind,
    bases: [LEGAL_BASIS_14, ...(base.org.provincialRegulation ? [base.org.provincialRegulation] : [])],
    rows: activity,
    results: [
      `Trong ${period.label}, ${base.org.shortName} tiếp nhận ${activity.length} đề nghị, gồm ` +
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
