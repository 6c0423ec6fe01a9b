/**
 * The data each e-mail template receives: plain JSON, already formatted for the recipient's
 * language (dates as "05/03/2026" or "5 March 2026", labels such as `typeLabel` = "phản biện" /
 * "critique"). Templates format nothing and decide nothing beyond choosing a variant.
 */

/** The sending organisation, shown in the header, the sign-off and the footer. */
export type EmailOrg = {
  /** "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang" */
  name: string;
  /** "LHH Hà Giang" — used in subjects. */
  shortName: string;
  address?: string;
  email?: string;
  phone?: string;
};

/** The person addressed: "TS. Nguyễn Thị Phương Thảo", "Sở Nông nghiệp và Môi trường". */
export type EmailRecipient = { name: string };

/** The assignment a message is about. */
export type EmailAssignment = {
  /** "PB-2026-007" */
  code: string;
  /** "Đề án phát triển cây dược liệu tỉnh giai đoạn 2026–2030, định hướng 2035" */
  title: string;
  /** Lower-case noun: "tư vấn" | "phản biện" | "giám định" (en: "consultancy" | "critique" | "assessment"). */
  typeLabel: string;
  /** "Ủy ban nhân dân tỉnh Hà Giang" */
  agencyName: string;
  /** Where the recipient (if they have an account) sees it. */
  url: string;
};

/** Fields every template gets. */
export type EmailBase = { org: EmailOrg; recipient: EmailRecipient };
type WithAssignment = EmailBase & { assignment: EmailAssignment };

/** Agency: the order was received and registered. */
export type OrderAcknowledgedData = WithAssignment & {
  receivedAt: string;
  /** Incoming register number (số đến), if given. */
  incomingNumber?: string;
  /** When screening should be finished. */
  screeningDueAt?: string;
};

/** Agency: documents are missing; the screening clock is paused until they come. */
export type DocumentsRequestedData = WithAssignment & {
  documents: Array<{ name: string; note?: string }>;
  letterNumber?: string;
  dueAt?: string;
  links: { respond: string };
};

/** Agency: the order is accepted. */
export type OrderAcceptedData = WithAssignment & {
  letterNumber?: string;
  /** "Hội đồng phản biện, kết hợp hội thảo" */
  formLabel: string;
  /** When the result is expected. */
  expectedAt?: string;
  contact?: { name: string; phone?: string; email?: string };
};

/** Agency: the order is declined, with reasons. */
export type OrderDeclinedData = WithAssignment & { reasons: string[]; letterNumber?: string };

/** Agency: the signed result is attached. */
export type ResultSentData = WithAssignment & {
  /** `signed`: the attached PDF carries a digital signature (only then do mails say so). */
  document: { number: string; date: string; title: string; filename: string; signed: boolean };
  /** When the agency's written response (báo cáo tiếp thu, giải trình) is due. */
  responseDueAt?: string;
  recommendationsCount?: number;
  links: { respond: string };
};

/** Agency: reminder to send the written response. */
export type ResponseReminderData = WithAssignment & {
  variant: "before" | "due" | "after";
  dueAt: string;
  /** Working days left (before) or overdue (after). */
  workingDays?: number;
  document: { number: string; date: string };
  links: { respond: string };
};

/** Expert: invitation to a panel, answered without logging in. */
export type InvitationData = WithAssignment & {
  /** "Hội đồng phản biện" — the body invited to. */
  panelLabel: string;
  /** "Ủy viên phản biện" */
  role: string;
  /** When the written opinion is due. */
  dueAt: string;
  /** Answer the invitation by. */
  respondBy: string;
  /** A few sentences on the dossier. */
  summary: string;
  /** "Khoảng 120 trang; 01 phiên họp hội đồng" */
  workload?: string;
  /** "Theo Thông tư 11/2015/TT-BTC: 1.000.000 đồng/bản nhận xét" */
  fee?: string;
  confidential?: boolean;
  links: { accept: string; decline: string };
};

/** Expert: reminder to submit the opinion. */
export type OpinionReminderData = WithAssignment & {
  variant: "before" | "due" | "overdue";
  dueAt: string;
  /** Working days left (before) or overdue (overdue). */
  workingDays?: number;
  links: { submit: string; requestExtension?: string };
};

/** Expert: the extension they asked for was granted or refused. */
export type ExtensionDecidedData = WithAssignment & {
  granted: boolean;
  previousDueAt: string;
  /** Set when granted. */
  newDueAt?: string;
  /** Set when refused (may be set when granted, e.g. "shorter than asked"). */
  reason?: string;
  links: { submit: string };
};

/** Expert: thanks, with a summary once the report is issued. */
export type ExpertThanksData = WithAssignment & {
  role: string;
  report?: { number: string; date: string; summary: string };
};

/** Anyone: passwordless sign-in link. */
export type SigninLinkData = EmailBase & {
  /** "30 phút" / "30 minutes" */
  expiresIn: string;
  requestedAt: string;
  links: { signin: string };
};

/** One row of the secretariat digest. */
export type DigestItem = {
  code: string;
  title: string;
  /** "Ý kiến phản biện của TS. Lê Văn Hùng" */
  step: string;
  /** Who it waits on. */
  waitingOn: string;
  dueAt: string;
  /** "3 ngày làm việc" — set for overdue rows. */
  overdueBy?: string;
  url: string;
};

/** The annual plan's notices: one template, the subject and message already in the reader's words. */
export type AnnualPlanNoticeData = EmailBase & {
  subject: string;
  message: string;
  plan: { title: string; url: string };
};

/** Secretariat: the daily digest. */
export type SecretariatDigestData = EmailBase & {
  date: string;
  overdue: DigestItem[];
  waiting: DigestItem[];
  links: { dashboard: string };
};

/** Secretariat: a message on an assignment failed permanently. */
export type DeliveryFailedData = WithAssignment & {
  failedRecipient: { name: string; address: string };
  mailSubject: string;
  /** The server's reply, e.g. "550 5.1.1 Mailbox does not exist". */
  error: string;
  occurredAt: string;
  /** The organisation's sender name holds a line break or control character: fix it in Settings, then retry. */
  senderNameInvalid?: boolean;
  /** The recipient's name holds a line break or control character: fix it in the registry, then retry. */
  recipientNameInvalid?: boolean;
};

/** Secretariat or leadership: an overdue expert or agency escalated. */
export type EscalationData = WithAssignment & {
  level: "secretariat" | "leadership";
  /** Who is late: { name: "TS. Lê Văn Hùng", roleLabel: "Ủy viên phản biện" }. */
  party: { name: string; roleLabel: string; email?: string; phone?: string };
  /** What is late: "bản nhận xét", "báo cáo tiếp thu, giải trình". */
  taskLabel: string;
  dueAt: string;
  /** "3 ngày làm việc" */
  overdueBy: string;
  remindersSent: number;
};

/** Leadership: what waits for approval or signature. */
export type LeadershipPendingData = EmailBase & {
  items: Array<{
    code: string;
    title: string;
    /** "Phê duyệt danh sách Hội đồng", "Ký báo cáo kết quả phản biện" */
    actionLabel: string;
    since: string;
    dueAt?: string;
    url: string;
  }>;
  links: { inbox: string };
};

/** Panel: the decision establishing the council / expert group is issued; the dossier is open. */
export type PanelApprovedData = WithAssignment & {
  /** "Hội đồng phản biện" / "critique council" */
  panelLabel: string;
  /** "Chủ tịch Hội đồng" | "Thư ký khoa học" | "Thành viên" */
  role: string;
  /** The issued decision (Quyết định thành lập), once numbered. */
  decision?: { number: string; date: string };
  /** When the written opinion is due. */
  dueAt: string;
  links: { dossier: string; submit: string };
};

/** Secretariat: an expert asks for more time. */
export type ExtensionRequestedData = WithAssignment & {
  expert: { name: string };
  days: number;
  reason: string;
  currentDueAt: string;
  links: { decide: string };
};

/** Panel: invitation to the workshop (giấy mời). */
export type WorkshopInvitationData = WithAssignment & {
  /** "08:30 ngày 20/03/2026" */
  scheduledAt: string;
  place: string;
  /** The invitation's number (GM), once issued. */
  letterNumber?: string;
  links: { details: string };
};

/** Secretariat: the agency sent its written response (báo cáo tiếp thu, giải trình). */
export type ResponseReceivedData = WithAssignment & {
  receivedAt: string;
  /** The result report's number, e.g. "12/BC-LHH". */
  resultNumber?: string;
  total: number;
  accepted: number;
  partly: number;
  notAccepted: number;
  links: { review: string };
};

/** Secretariat: an expert did not answer the invitation in time; the next alternate was invited. */
export type InvitationExpiredData = WithAssignment & {
  panelLabel: string;
  expert: { name: string; roleLabel: string };
  /** The answer was due by. */
  dueAt: string;
  /** The alternate invited in their place, if any was left. */
  alternate?: { name: string; roleLabel: string };
  links: { panel: string };
};

/** Expert: the secretariat made a new version of their opinion on their behalf. */
export type OpinionEditedData = WithAssignment & {
  version: number;
  reason: string;
  editedAt: string;
  /** Who made the change: "Ban Tư vấn phản biện" or a person's name. */
  editorName: string;
  links: { opinion: string };
};

/** Secretariat: the assignment was withdrawn. */
export type AssignmentWithdrawnData = WithAssignment & {
  reason: string;
  /** The step it was withdrawn at. */
  stateLabel: string;
  withdrawnAt: string;
  links: { assignment: string };
};

/** Every template and its data; the key is the template's file name. */
export type EmailTemplateData = {
  "order.acknowledged": OrderAcknowledgedData;
  "documents.requested": DocumentsRequestedData;
  "order.accepted": OrderAcceptedData;
  "order.declined": OrderDeclinedData;
  "result.sent": ResultSentData;
  "response.reminder": ResponseReminderData;
  invitation: InvitationData;
  "opinion.reminder": OpinionReminderData;
  "extension.decided": ExtensionDecidedData;
  "expert.thanks": ExpertThanksData;
  "signin.link": SigninLinkData;
  "secretariat.digest": SecretariatDigestData;
  "delivery.failed": DeliveryFailedData;
  escalation: EscalationData;
  "leadership.pending": LeadershipPendingData;
  "panel.approved": PanelApprovedData;
  "extension.requested": ExtensionRequestedData;
  "workshop.invitation": WorkshopInvitationData;
  "response.received": ResponseReceivedData;
  "invitation.expired": InvitationExpiredData;
  "opinion.edited": OpinionEditedData;
  "assignment.withdrawn": AssignmentWithdrawnData;
  "annualPlan.notice": AnnualPlanNoticeData;
};

/** A template's name. */
export type EmailTemplateName = keyof EmailTemplateData;

/** The names, for loops and checks. */
export const EMAIL_TEMPLATE_NAMES: readonly EmailTemplateName[] = [
  "order.acknowledged",
  "documents.requested",
  "order.accepted",
  "order.declined",
  "result.sent",
  "response.reminder",
  "invitation",
  "opinion.reminder",
  "extension.decided",
  "expert.thanks",
  "signin.link",
  "secretariat.digest",
  "delivery.failed",
  "escalation",
  "leadership.pending",
  "panel.approved",
  "extension.requested",
  "workshop.invitation",
  "response.received",
  "invitation.expired",
  "opinion.edited",
  "assignment.withdrawn",
  "annualPlan.notice",
];

/** Supported locales; anything else falls back to "vi". */
export type EmailLocale = "vi" | "en";

/** A rendered message. */
export type RenderedEmail = { subject: string; html: string; text: string };
