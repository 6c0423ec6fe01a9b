/**
 * The draft final report as a Word file (.docx), for leaders who edit in Word: the same sections
 * as the PDF (I–IV, numbered recommendations, annex tables), Times New Roman 14 pt, A4 with
 * Decree 30 margins, page numbers centred at the top from page 2.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  Header,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from "docx";
import { ValidationError } from "../errors.js";
import { formatDateLine, formatDocumentNumber, formatShortDate, vietnamParts } from "./format.js";
import { panelRoleTitle, panelWord, workOf } from "./documentWords.js";
import type { DateInput, FinalReportModel, PanelMember, Signer } from "./types.js";

const FONT = "Times New Roman";
/** docx sizes are half-points. */
const PT = (pt: number) => pt * 2;
/** Millimetres to twips, rounded (docx's own helper truncates: A4 would come out 11905 wide). */
const mm = (v: number) => Math.round((v * 1440) / 25.4);
const INDENT = mm(12.7);

function date(d: DateInput): Date {
  const v = d instanceof Date ? d : new Date(d);
  if (Number.isNaN(v.getTime())) throw new ValidationError("invalid_date", `Ngày không hợp lệ: ${String(d)}`);
  return v;
}

interface RunStyle {
  bold?: boolean;
  italics?: boolean;
  size?: number;
}

function run(text: string, style: RunStyle = {}): TextRun {
  return new TextRun({ text, font: FONT, size: PT(style.size ?? 14), bold: style.bold, italics: style.italics });
}

function para(
  children: string | ParagraphChild[],
  opts: {
    align?: (typeof AlignmentType)[keyof typeof AlignmentType];
    indent?: boolean;
    after?: number;
    style?: RunStyle;
    pageBreakBefore?: boolean;
  } = {},
): Paragraph {
  return new Paragraph({
    children: typeof children === "string" ? [run(children, opts.style)] : children,
    alignment: opts.align ?? AlignmentType.JUSTIFIED,
    indent: opts.indent === false ? undefined : { firstLine: INDENT },
    spacing: { after: opts.after ?? 120, line: 300 },
    pageBreakBefore: opts.pageBreakBefore,
  });
}

function centered(text: string, style: RunStyle = {}, after = 0): Paragraph {
  return para(text, { align: AlignmentType.CENTER, indent: false, after, style });
}

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: "FFFFFF" };
const NO_BORDERS = {
  top: NO_BORDER,
  bottom: NO_BORDER,
  left: NO_BORDER,
  right: NO_BORDER,
  insideHorizontal: NO_BORDER,
  insideVertical: NO_BORDER,
};

/** A borderless two-column layout table (header, signature row). */
function columns(left: Paragraph[], right: Paragraph[], leftPct = 45): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: NO_BORDERS,
    rows: [
      new TableRow({
        children: [
          new TableCell({ children: left, width: { size: leftPct, type: WidthType.PERCENTAGE }, borders: NO_BORDERS }),
          new TableCell({
            children: right,
            width: { size: 100 - leftPct, type: WidthType.PERCENTAGE },
            borders: NO_BORDERS,
          }),
        ],
      }),
    ],
  });
}

/** A bordered data table; `widths` in percent. */
function grid(headers: string[], rows: string[][], widths: number[]): Table {
  const cell = (text: string, i: number, head: boolean) =>
    new TableCell({
      width: { size: widths[i], type: WidthType.PERCENTAGE },
      children: [
        new Paragraph({
          children: [run(text, { size: 12, bold: head })],
          alignment: head || i === 0 ? AlignmentType.CENTER : AlignmentType.LEFT,
          spacing: { before: 40, after: 40 },
        }),
      ],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((h, i) => cell(h, i, true)) }),
      ...rows.map((r) => new TableRow({ cantSplit: true, children: r.map((t, i) => cell(t, i, false)) })),
    ],
  });
}

function heading(text: string, italics = false): Paragraph {
  return para([run(text, { bold: true, italics })], { after: 120 });
}

function roleOf(m: PanelMember, kind: FinalReportModel["panelKind"]): string {
  return panelRoleTitle(m.role, kind);
}

/** What every part of the report needs: the model, its words and its number and date lines. */
type Parts = {
  vm: FinalReportModel;
  draft: boolean;
  work: string;
  panel: string;
  numberLine: string;
  issuedDate: Date | null;
  year: number;
};

/**
 * Builds the .docx of a final report (by default as a draft: blank number and date, for editing).
 * @throws ValidationError `invalid_date`, `unknown_signer`, or those of formatDocumentNumber.
 */
export async function reportToDocx(vm: FinalReportModel, options: { draft?: boolean } = {}): Promise<Buffer> {
  const draft = options.draft ?? true;
  const { org } = vm;
  const year = vietnamParts(vm.date ? date(vm.date) : new Date()).year;
  const issuedDate = !draft && vm.date ? date(vm.date) : null;
  const number = draft ? null : vm.number;
  const numberLine = formatDocumentNumber({ number, typeAbbr: "BC", issuerAbbr: org.issuerAbbr });
  const signer = vm.signer ?? org.signers[vm.signerRole ?? "default"];
  if (!signer) throw new ValidationError("unknown_signer", "Không có người ký.", "signerRole");
  const [work, panel] = [workOf(vm.subject.type), panelWord(vm.panelKind)];
  const p: Parts = { vm, draft, work, panel, numberLine, issuedDate, year };
  const body = [
    header(p),
    ...titleBlock(p),
    ...generalSection(p),
    ...assessmentSections(p),
    columns(recipientsBlock(p), signatureBlock(signer), 45),
    ...annexes(p),
  ];
  return Packer.toBuffer(wordDocument(p, body));
}

/** The two-column Decree 30 header: issuer and number; national motto and place and date. */
function header({ vm, numberLine, issuedDate, year }: Parts): Table {
  const { org } = vm;
  return columns(
    [
      ...(org.parentBody ? [centered(org.parentBody, { size: 12 })] : []),
      ...(org.issuerNameLines ?? [org.issuerName]).map((l) => centered(l, { size: 12, bold: true })),
      centered("________", { size: 12 }, 60),
      centered(numberLine, { size: 13 }),
    ],
    [
      centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", { size: 12, bold: true }),
      centered("Độc lập - Tự do - Hạnh phúc", { size: 13, bold: true }),
      centered("_______________________", { size: 13 }, 60),
      centered(formatDateLine(org.place, issuedDate, year), { size: 14, italics: true }),
    ],
  );
}

/** "BÁO CÁO", the subject and the rule under it (and "DỰ THẢO" on a draft). */
function titleBlock({ vm, draft, work }: Parts): Paragraph[] {
  return [
    centered("", {}, 120),
    ...(draft ? [centered("DỰ THẢO", { bold: true, size: 14 }, 120)] : []),
    centered("BÁO CÁO", { bold: true }),
    centered(`Kết quả ${work} ${vm.subject.title}`, { bold: true }),
    centered("__________", {}, 240),
  ];
}

/** I. General: legal bases, subject, form and time, panel, opinions received. */
function generalSection({ vm, work, panel }: Parts): Paragraph[] {
  const { org, subject } = vm;
  const chair = vm.members.find((m) => m.role === "chair");
  const two = (n: number) => String(n).padStart(2, "0");
  return [
    heading("I. THÔNG TIN CHUNG"),
    heading("1. Căn cứ thực hiện", true),
    para(
      "- Quyết định số 14/2014/QĐ-TTg ngày 14/02/2014 của Thủ tướng Chính phủ về hoạt động tư vấn, phản biện và " +
        "giám định xã hội của Liên hiệp các Hội Khoa học và Kỹ thuật Việt Nam;",
    ),
    ...(org.provincialRegulation ? [para(`- ${org.provincialRegulation};`)] : []),
    para(
      `- Văn bản số ${vm.order.number} ngày ${formatShortDate(date(vm.order.date))} của ` +
        `${vm.order.issuer}${vm.order.summary ? ` ${vm.order.summary}` : ""};`,
    ),
    para(
      `- Quyết định số ${vm.panelDecision.number} ngày ${formatShortDate(date(vm.panelDecision.date))} của ` +
        `${vm.panelDecision.issuer}${vm.panelDecision.summary ? ` ${vm.panelDecision.summary}` : ""}.`,
    ),
    heading(`2. Đối tượng ${work}`, true),
    para(
      `${subject.title}, do ${subject.draftingAgency} chủ trì soạn thảo, ${subject.orderingAgency} đề nghị ${work}.`,
    ),
    heading("3. Hình thức và thời gian thực hiện", true),
    para(`Hình thức: ${vm.form}. Thời gian: ${vm.timeline}.`),
    heading(`4. Thành phần ${panel}`, true),
    para(
      `${panel} gồm ${two(vm.members.length)} thành viên (danh sách tại Phụ lục ` +
        `I)${chair ? `, do ${chair.name} làm ${roleOf(chair, vm.panelKind)}` : ""}.`,
    ),
    heading("5. Ý kiến nhận được", true),
    para(
      `${org.shortName} đã nhận được ` +
        `${two(vm.opinionsReceived)}/${two(vm.members.length)} bản nhận ` +
        `xét của các thành viên ${panel}.`,
    ),
  ];
}

/** II–IV: overall and specific opinions, the verdict, the numbered recommendations, the closing line. */
function assessmentSections({ vm, work }: Parts): Paragraph[] {
  const { org, subject } = vm;
  const sections = (items: FinalReportModel["overall"]) =>
    items.flatMap((s, i) => [heading(`${i + 1}. ${s.heading}`, true), ...s.paragraphs.map((t) => para(t))]);
  return [
    heading("II. ĐÁNH GIÁ CHUNG"),
    ...sections(vm.overall),
    heading("III. Ý KIẾN CỤ THỂ"),
    ...sections(vm.specific),
    heading("IV. KẾT LUẬN VÀ KIẾN NGHỊ"),
    para(vm.verdict),
    para(
      `${org.shortName} kiến nghị ${subject.draftingAgency} tiếp thu, chỉnh sửa các nội dung sau và báo cáo ` +
        `${subject.orderingAgency} kết quả tiếp thu, giải trình đối với từng kiến nghị:`,
    ),
    ...vm.recommendations.map((t, i) => para(`${i + 1}. ${t}`)),
    para(`Trên đây là kết quả ${work} của ${org.displayName}, trân trọng báo cáo ${subject.orderingAgency} xem xét./.`),
  ];
}

/** "Nơi nhận:" and the recipients, ending with the archive line. */
function recipientsBlock({ vm }: Parts): Paragraph[] {
  const left = { indent: false, after: 0, align: AlignmentType.LEFT } as const;
  return [
    para([run("Nơi nhận:", { bold: true, italics: true, size: 12 })], left),
    ...[...(vm.asAbove ? ["Như trên"] : []), ...(vm.recipients ?? [])].map((r) =>
      para([run(`- ${r};`, { size: 11 })], left),
    ),
    para([run(`- Lưu: ${vm.org.archiveCodes ?? `VT, ${vm.org.unitAbbr}`}.`, { size: 11 })], left),
  ];
}

/** The signature block: authority, title, room to sign, name. */
function signatureBlock(signer: Signer): Paragraph[] {
  return [
    ...(signer.authority ? [centered(`${signer.authority.prefix} ${signer.authority.of}`, { bold: true })] : []),
    centered(signer.title, { bold: true }, 1400),
    centered(signer.name, { bold: true }),
  ];
}

/** Annexes I–III: the panel, the comment matrix, the minority views. */
function annexes({ vm, panel, numberLine, issuedDate, year }: Parts): Array<Paragraph | Table> {
  const annexNote =
    `(Kèm theo Báo cáo số ${numberLine.replace(/^Số:\s?/, "")} ngày ` +
    `${issuedDate ? formatShortDate(issuedDate) : `      /      /${year}`} của ${vm.org.displayName})`;
  const annexHead = (label: string, title: string) => [
    para([run(label, { bold: true })], { align: AlignmentType.CENTER, indent: false, after: 0, pageBreakBefore: true }),
    centered(title, { bold: true }),
    centered(annexNote, { italics: true, size: 13 }, 200),
  ];
  return [
    ...annexHead("PHỤ LỤC I", `DANH SÁCH THÀNH VIÊN ${panel.toLocaleUpperCase("vi")}`),
    grid(
      ["TT", "Họ và tên, học hàm, học vị", "Chức vụ, đơn vị công tác", "Nhiệm vụ"],
      vm.members.map((m, i) => [String(i + 1), m.name, m.workplace, roleOf(m, vm.panelKind)]),
      [7, 33, 40, 20],
    ),
    ...annexHead("PHỤ LỤC II", "TỔNG HỢP Ý KIẾN VÀ ĐỀ XUẤT CHỈNH SỬA"),
    grid(
      ["TT", "Mục, nội dung", "Ý kiến", "Đề xuất chỉnh sửa", "Chuyên gia"],
      vm.matrix.map((r, i) => [String(i + 1), r.section, r.opinion, r.proposedChange, r.expert]),
      [6, 18, 31, 27, 18],
    ),
    ...annexHead("PHỤ LỤC III", "Ý KIẾN KHÁC BIỆT"),
    ...(vm.minorityViews.length
      ? vm.minorityViews.map((v, i) => para([run(`${i + 1}. `), run(`${v.expert}: `, { bold: true }), run(v.view)]))
      : [para("Không có ý kiến khác biệt.")]),
  ];
}

/** The Word document: A4, the organisation's margins, page numbers at the top from page 2. */
function wordDocument({ vm, work }: Parts, body: Array<Paragraph | Table>): Document {
  const { org, subject } = vm;
  const m = org.margins ?? { top: 20, bottom: 20, left: 30, right: 15 };
  const margin = { top: mm(m.top), bottom: mm(m.bottom), left: mm(m.left), right: mm(m.right), header: mm(8) };
  const pageNumber = new TextRun({ children: [PageNumber.CURRENT], font: FONT, size: PT(13) });
  return new Document({
    creator: org.displayName,
    title: `Báo cáo kết quả ${work} ${subject.title}`,
    subject: `${work} ${subject.title}`,
    keywords: `TVPB&GĐXH; ${work}`,
    styles: { default: { document: { run: { font: FONT, size: PT(14) } } } },
    sections: [
      {
        properties: { titlePage: true, page: { size: { width: mm(210), height: mm(297) }, margin } },
        headers: {
          first: new Header({ children: [new Paragraph({ children: [] })] }),
          default: new Header({
            children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [pageNumber] })],
          }),
        },
        children: body,
      },
    ],
  });
}
