/**
 * View models for official documents. Templates see only these plain objects: presenters build
 * them from the database, and everything an organisation names (its bodies, abbreviations, place,
 * signers, seal, margins) comes from `org`, never from template text.
 */
import type { PlanDocumentModels } from "./planTypes.js";

export type * from "./planTypes.js";

/** Every official document the product renders; one `.hbs` per kind under templates/documents/. */
export const DOCUMENT_KINDS = [
  "requestDocuments",
  "declineLetter",
  "acceptanceLetter",
  "panelDecision",
  "expertInvitation",
  "meetingInvitation",
  "expertOpinion",
  "minutes",
  "finalReport",
  "coverLetter",
  "responseReminder",
  "activityReport",
  // The year's plan and its money (view models in planTypes.ts).
  "planSubmission",
  "planExecutionReport",
  "costEstimate",
  "feeSettlement",
] as const;

export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** A date as a Date or an ISO 8601 string (what comes out of JSON). */
export type DateInput = Date | string;

/** Page margins in millimetres (Decree 30: top/bottom 20–25, left 30–35, right 15–20). */
export interface Margins {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Authority prefix when someone signs on behalf of a collective or a head. */
export type AuthorityPrefix = "TM." | "KT." | "Q." | "TL." | "TUQ.";

/** A person who signs, as printed in the signature block. */
export interface Signer {
  /** e.g. `{ prefix: "KT.", of: "CHỦ TỊCH" }` → "KT. CHỦ TỊCH"; `{ prefix: "TM.", of: "BAN THƯỜNG VỤ" }`. */
  authority?: { prefix: AuthorityPrefix; of: string };
  /** The signer's own title in capitals, e.g. "PHÓ CHỦ TỊCH". */
  title: string;
  /** Full name, printed in bold, e.g. "Nguyễn Văn Hùng" (degrees may precede it). */
  name: string;
}

/** The issuing organisation: everything it names. */
export interface OrgProfile {
  /** Parent body in regular capitals, e.g. "LIÊN HIỆP CÁC HỘI KH&KT VIỆT NAM"; omitted if not used. */
  parentBody?: string;
  /** Issuer in capitals, e.g. "LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH HÀ GIANG". */
  issuerName: string;
  /** The issuer's name in running text, e.g. "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Hà Giang". */
  displayName: string;
  /** Short form in running text after first use, e.g. "Liên hiệp hội". */
  shortName: string;
  /** The same, broken into lines for the header column; defaults to `[issuerName]`. */
  issuerNameLines?: string[];
  /** Issuer abbreviation in the number symbol, e.g. "LHH". */
  issuerAbbr: string;
  /** Drafting unit's abbreviation for letters and the archive line, e.g. "TVPB". */
  unitAbbr: string;
  /** Drafting unit's name, e.g. "Ban Tư vấn, phản biện và giám định xã hội". */
  unitName?: string;
  /** Place in the date line, e.g. "Hà Giang". */
  place: string;
  /** Province name used in legal bases, e.g. "Hà Giang". */
  province: string;
  /** The provincial regulation on TVPB&GĐXH, quoted among the legal bases of reports. */
  provincialRegulation?: string;
  /** Contact lines printed in letters (address, phone, e-mail). */
  address?: string;
  phone?: string;
  email?: string;
  /** Named signers; `default` signs unless a document names another key in `signerRole`. */
  signers: { default: Signer } & Record<string, Signer>;
  /** The seal as a data URL (red, transparent PNG). */
  sealImage?: string;
  /** Page margins for this organisation's documents. */
  margins?: Margins;
  /** Archive line codes after "Lưu:", default `VT, <unitAbbr>`. */
  archiveCodes?: string;
}

/** Visible signing appearance (electronic signature) printed in the signature block. */
export interface SignatureAppearance {
  /** Signer's handwritten signature as a data URL (blue, transparent PNG). */
  signerImage?: string;
  /** Overrides `org.sealImage`; the seal covers the left third of the signature. */
  sealImage?: string;
  /** Signing time, printed as ISO 8601 in Vietnam time. */
  signedAt?: DateInput;
}

/** A reference to an incoming document (the order, a letter). */
export interface DocumentRef {
  /** Number and symbol as printed by the sender, e.g. "125/UBND-KT". */
  number: string;
  date: DateInput;
  /** The sender, e.g. "UBND tỉnh Hà Giang". */
  issuer: string;
  /** Optional summary, e.g. "về việc đề nghị phản biện Đề án …". */
  summary?: string;
}

export type AssignmentType = "consultancy" | "critique" | "assessment";
export type Urgency = "KHẨN" | "THƯỢNG KHẨN" | "HỎA TỐC";
export type Secrecy = "MẬT" | "TỐI MẬT" | "TUYỆT MẬT";

/** What every document shares. */
export interface DocumentBase {
  org: OrgProfile;
  /** Register number, given only on issue; drafts print a blank number. */
  number?: number | null;
  /** Issue date; drafts print blanks for day and month. */
  date?: DateInput | null;
  urgency?: Urgency;
  secrecy?: Secrecy;
  /** Recipients after "- Như trên;" (letters) — each printed as "- …;". */
  recipients?: string[];
  /** Print "- Như trên;" first (default: true when there are addressees). */
  asAbove?: boolean;
  /** Picks a signer from `org.signers` (default "default"); `signer` wins if given. */
  signerRole?: string;
  signer?: Signer;
  signature?: SignatureAppearance;
  /** A correction names the issued document it replaces (printed in the verification block). */
  correction?: { number: string; date: DateInput; reason: string };
}

/** A letter (công văn): summary line under the number and "Kính gửi:". */
export interface LetterBase extends DocumentBase {
  /** Without "V/v", e.g. "đề nghị bổ sung hồ sơ Đề án …". */
  summary: string;
  /** Addressees after "Kính gửi:"; one is printed inline, several as a list. */
  addressees: string[];
}

/** The assignment's subject as quoted in documents. */
export interface SubjectInfo {
  /** Kind of work. */
  type: AssignmentType;
  /** e.g. "Đề án phát triển cây dược liệu tỉnh Hà Giang giai đoạn 2026–2030, định hướng 2035". */
  title: string;
  /** e.g. "UBND tỉnh Hà Giang". */
  orderingAgency: string;
  /** e.g. "Sở Nông nghiệp và Môi trường". */
  draftingAgency: string;
}

export interface RequestDocumentsModel extends LetterBase {
  subject: SubjectInfo;
  order: DocumentRef;
  missingDocuments: string[];
  /** Date by which the documents are needed. */
  dueDate: DateInput;
  contact?: string;
}

export interface DeclineLetterModel extends LetterBase {
  subject: SubjectInfo;
  order: DocumentRef;
  reasons: string[];
  /** Optional suggestion, e.g. another body better placed. */
  suggestion?: string;
}

export interface PlanStep {
  step: string;
  time: string;
  responsible: string;
}

export interface CostItem {
  item: string;
  unit: string;
  quantity: number;
  unitPrice: number;
  /** Defaults to quantity × unitPrice. */
  amount?: number;
}

export interface AcceptanceLetterModel extends LetterBase {
  subject: SubjectInfo;
  order: DocumentRef;
  /** e.g. "Hội đồng phản biện kết hợp hội thảo khoa học". */
  form: string;
  plan: PlanStep[];
  costItems: CostItem[];
  /** Legal basis of the estimate, e.g. "Thông tư số 11/2015/TT-BTC …". */
  costBasis?: string;
  resultDueDate: DateInput;
  contact?: string;
}

/** A council (Hội đồng) or an expert group (Tổ chuyên gia). */
export type PanelKind = "council" | "expertGroup";

export type PanelRole = "chair" | "viceChair" | "secretary" | "member" | "reviewer";

export interface PanelMember {
  /** With degree, e.g. "PGS.TS. Nguyễn Thị Phương Thảo". */
  name: string;
  /** e.g. "Phó Giám đốc, Trường Đại học Nông Lâm Thái Nguyên". */
  workplace: string;
  role: PanelRole;
  field?: string;
}

export interface PanelDecisionModel extends DocumentBase {
  subject: SubjectInfo;
  /** "council" → Hội đồng, "expertGroup" → Tổ chuyên gia. */
  panelKind: PanelKind;
  /** Who decides, in capitals, e.g. "BAN THƯỜNG VỤ LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH HÀ GIANG". */
  decider: string;
  /** "Căn cứ …" lines (without the trailing ";"). */
  bases: string[];
  /** "Theo đề nghị của …". */
  proposedBy: string;
  members: PanelMember[];
  duties: string[];
  /** Working period, e.g. "từ ngày 12/01/2026 đến ngày 13/02/2026". */
  period: string;
  /** Who carries it out (Điều 4), e.g. "Văn phòng, Ban Tư vấn, phản biện …". */
  implementers: string;
  /** Members who declared a conflict of interest the secretariat waived: "name: the written reason". */
  conflictWaivers?: string[];
}

export interface ExpertInvitationModel extends LetterBase {
  subject: SubjectInfo;
  /** e.g. "PGS.TS. Nguyễn Thị Phương Thảo". */
  expertName: string;
  /** Form of address, "Bà" / "Ông". */
  salutation: string;
  role: PanelRole;
  /** Council or expert group, for the role's name. Default council. */
  panelKind?: PanelKind;
  reviewFrom: DateInput;
  reviewDue: DateInput;
  replyBy: DateInput;
  /** e.g. "1.500.000 đồng/bản nhận xét theo Thông tư số 11/2015/TT-BTC". */
  fee?: string;
  responseUrl?: string;
  contact?: string;
}

export interface MeetingInvitationModel extends DocumentBase {
  subject: SubjectInfo;
  /** Subject line under GIẤY MỜI, e.g. "Tham dự Hội thảo phản biện Đề án …". */
  title: string;
  invitees: string[];
  startsAt: DateInput;
  /** e.g. "08 giờ 00" — computed from startsAt when absent. */
  venue: string;
  agenda: string[];
  chairedBy?: string;
  contact?: string;
  note?: string;
}

export interface CommentRow {
  section: string;
  comment: string;
  suggestion: string;
}

export type OpinionConclusion = "agree" | "agreeWithRevisions" | "disagree";

export interface ExpertOpinionModel extends DocumentBase {
  subject: SubjectInfo;
  expert: {
    name: string;
    degree: string;
    field: string;
    workplace: string;
    role: PanelRole;
  };
  /** Printed in the header's left column, e.g. "HỘI ĐỒNG PHẢN BIỆN". */
  panelName: string;
  /** Council or expert group, for the role's name. Default council. */
  panelKind?: PanelKind;
  generalComments: string[];
  specificComments: CommentRow[];
  conclusion: OpinionConclusion;
  recommendations: string[];
}

export interface MinutesItem {
  speaker: string;
  content: string;
}

export interface MinutesModel extends DocumentBase {
  subject: SubjectInfo;
  /** Under BIÊN BẢN, e.g. "Họp Hội đồng phản biện Đề án …". */
  title: string;
  startsAt: DateInput;
  endsAt: DateInput;
  venue: string;
  chair: string;
  secretary: string;
  present: string[];
  absent?: string[];
  guests?: string[];
  proceedings: MinutesItem[];
  conclusions: string[];
  /** Signers at the bottom: secretary left, chair right. */
  secretarySigner: { title: string; name: string };
  chairSigner: { title: string; name: string };
}

export interface ReportSection {
  heading: string;
  paragraphs: string[];
}

export interface MatrixRow {
  section: string;
  opinion: string;
  proposedChange: string;
  expert: string;
}

export interface FinalReportModel extends DocumentBase {
  subject: SubjectInfo;
  order: DocumentRef;
  panelDecision: DocumentRef;
  /** e.g. "Hội đồng phản biện; hội thảo khoa học ngày 23/01/2026". */
  form: string;
  timeline: string;
  panelKind: PanelKind;
  members: PanelMember[];
  opinionsReceived: number;
  /** II. Overall assessment: necessity, legal and policy fit, fit with plans. */
  overall: ReportSection[];
  /** III. Specific opinions, following the subject's own structure. */
  specific: ReportSection[];
  /** IV. The verdict sentence, e.g. "Đề án đủ điều kiện trình … sau khi chỉnh sửa". */
  verdict: string;
  recommendations: string[];
  matrix: MatrixRow[];
  minorityViews: Array<{ expert: string; view: string }>;
}

export interface CoverLetterModel extends LetterBase {
  subject: SubjectInfo;
  order: DocumentRef;
  /** The report being sent, e.g. "07/BC-LHH" and its date. */
  report: { number: string; date: DateInput };
  recommendationCount: number;
  responseDueDate: DateInput;
  /** Work the Union initiated itself: sent to the authorities it chose, not answering an order. */
  selfInitiated?: boolean;
  /** Whether an answer (tiếp thu, giải trình) is asked for; self-initiated work asks only when chosen. */
  answerRequested?: boolean;
  contact?: string;
}

export interface ResponseReminderModel extends LetterBase {
  subject: SubjectInfo;
  order: DocumentRef;
  report: { number: string; date: DateInput };
  coverLetter: { number: string; date: DateInput };
  responseDueDate: DateInput;
  /** The numbered recommendations still without an answer. */
  pending: string[];
  newDueDate: DateInput;
  contact?: string;
}

export interface ActivityRow {
  title: string;
  type: AssignmentType;
  orderingAgency: string;
  status: string;
  recommendations: number;
  accepted: number;
}

/** The year's list in the activity report: its execution and its money, labelled from the catalogue. */
export interface ActivityPlanSection {
  year: number;
  /** "Quyết định số 2345/QĐ-UBND ngày 20/12/2026" and each amendment's. */
  decisions: string[];
  /** Planned, done, in progress, not started, carried over, cut: `{ label, count }` ("05"). */
  execution: Array<{ label: string; count: string }>;
  /** Approved, spent (to the period's end), remaining: `{ label, amount }` ("140.000.000"). */
  budget: Array<{ label: string; amount: string }>;
  spentWords: string;
}

export interface ActivityReportModel extends DocumentBase {
  /** e.g. "quý I năm 2026" / "năm 2025". */
  periodLabel: string;
  /** The year's list approved by the province (none before its decision). */
  plan?: ActivityPlanSection | null;
  periodKind: "quarterly" | "annual";
  bases: string[];
  rows: ActivityRow[];
  results: string[];
  limitations: string[];
  plans: string[];
  proposals: string[];
}

/** The view model each kind expects. */
export interface DocumentModels extends PlanDocumentModels {
  requestDocuments: RequestDocumentsModel;
  declineLetter: DeclineLetterModel;
  acceptanceLetter: AcceptanceLetterModel;
  panelDecision: PanelDecisionModel;
  expertInvitation: ExpertInvitationModel;
  meetingInvitation: MeetingInvitationModel;
  expertOpinion: ExpertOpinionModel;
  minutes: MinutesModel;
  finalReport: FinalReportModel;
  coverLetter: CoverLetterModel;
  responseReminder: ResponseReminderModel;
  activityReport: ActivityReportModel;
}

/** What an issued document prints in its verification area. */
export interface IssuedInfo {
  /** Short code, e.g. "K7QX-3MPD-9A". */
  verifyCode: string;
  /** Public URL the QR code points to. */
  verifyUrl: string;
  /** PNG data URL of the QR code (see qrDataUrl). */
  qrDataUrl: string;
  /** The content code (`contentCodeOf` the frozen view model), labelled "Mã nội dung", never "SHA-256". */
  contentCode: string;
}

/** Options for one render. */
export interface RenderOptions {
  /** Draft: watermark "DỰ THẢO", blank number and date. */
  draft: boolean;
  /** Issued: prints the QR code, verification code and hash. */
  issued?: IssuedInfo;
  /**
   * How the page carries its fonts: `inline` (the default: data: URLs, the HTML stands alone, as a
   * preview in a browser needs) or `linked` (URLs only the PDF renderer answers, from memory: for
   * HTML that goes to the renderer). See server/documents/fonts.ts.
   */
  fonts?: "inline" | "linked";
}
