/**
 * Official document templates (Decree 30/2020/NĐ-CP layout): Handlebars, one `.hbs` per document
 * kind plus shared partials, compiled once at start-up. An organisation's override directory wins
 * over the built-in template, partial or stylesheet of the same name.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import Handlebars from "handlebars";
import { ValidationError } from "../errors.js";
import { tinosFontFaceCss } from "./fonts.js";
import {
  formatDateLine,
  formatDocumentNumber,
  formatMoney,
  formatShortDate,
  formatVietnameseDate,
  pad2,
  toRoman,
  vietnamParts,
  vietnamTimeIso,
} from "./format.js";
import {
  DOCUMENT_KINDS,
  type AssignmentType,
  type CostItem,
  type DateInput,
  type DocumentBase,
  type DocumentKind,
  type DocumentModels,
  type PanelMember,
  type PanelRole,
  type RenderOptions,
  type Signer,
} from "./types.js";

interface KindInfo {
  /** Type abbreviation in the number (QĐ, BC…); undefined for letters. */
  typeAbbr?: string;
  /** A letter: "V/v" summary line and "Kính gửi:". */
  letter: boolean;
  /** Has no number at all (a form). */
  unnumbered?: boolean;
  /** Document type name for the PDF title. */
  typeName: string;
}

/** How each kind is numbered and named. */
export const DOCUMENT_KIND_INFO: Record<DocumentKind, KindInfo> = {
  requestDocuments: { letter: true, typeName: "Công văn" },
  declineLetter: { letter: true, typeName: "Công văn" },
  acceptanceLetter: { letter: true, typeName: "Công văn" },
  panelDecision: { typeAbbr: "QĐ", letter: false, typeName: "Quyết định" },
  expertInvitation: { letter: true, typeName: "Thư mời" },
  meetingInvitation: { typeAbbr: "GM", letter: false, typeName: "Giấy mời" },
  expertOpinion: { letter: false, unnumbered: true, typeName: "Bản nhận xét" },
  minutes: { typeAbbr: "BB", letter: false, typeName: "Biên bản" },
  finalReport: { typeAbbr: "BC", letter: false, typeName: "Báo cáo" },
  coverLetter: { letter: true, typeName: "Công văn" },
  responseReminder: { letter: true, typeName: "Công văn" },
  activityReport: { typeAbbr: "BC", letter: false, typeName: "Báo cáo" },
};

const WORK: Record<AssignmentType, string> = {
  consultancy: "tư vấn",
  critique: "phản biện",
  assessment: "giám định",
};

const ROLE: Record<PanelRole, { council: string; expertGroup: string }> = {
  chair: { council: "Chủ tịch Hội đồng", expertGroup: "Tổ trưởng" },
  viceChair: { council: "Phó Chủ tịch Hội đồng", expertGroup: "Tổ phó" },
  secretary: { council: "Ủy viên thư ký khoa học", expertGroup: "Thư ký" },
  reviewer: { council: "Ủy viên phản biện", expertGroup: "Chuyên gia phản biện" },
  member: { council: "Ủy viên", expertGroup: "Thành viên" },
};

const WEEKDAYS = ["Chủ nhật", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy"];

function toDate(value: DateInput): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new ValidationError("invalid_date", `Ngày không hợp lệ: ${String(value)}`);
  return d;
}

/** Handlebars passes its options hash as the last argument; strip it. */
function args(list: unknown[]): unknown[] {
  return list.slice(0, -1);
}

function costAmount(item: CostItem): number {
  return item.amount ?? item.quantity * item.unitPrice;
}

function registerHelpers(hb: typeof Handlebars): void {
  hb.registerHelper({
    eq: (a: unknown, b: unknown) => a === b,
    or: (...list: unknown[]) => args(list).some(Boolean),
    concat: (...list: unknown[]) =>
      args(list)
        .map((x) => String(x ?? ""))
        .join(""),
    upper: (s: unknown) => String(s ?? "").toLocaleUpperCase("vi"),
    lowerFirst: (s: unknown) => {
      const t = String(s ?? "");
      return t.charAt(0).toLocaleLowerCase("vi") + t.slice(1);
    },
    inc: (i: number) => i + 1,
    pad2: (n: number) => pad2(n),
    roman: (n: number) => toRoman(n),
    work: (t: AssignmentType) => WORK[t] ?? "",
    Work: (t: AssignmentType) => {
      const w = WORK[t] ?? "";
      return w.charAt(0).toLocaleUpperCase("vi") + w.slice(1);
    },
    panelName: (kind: "council" | "expertGroup") => (kind === "expertGroup" ? "Tổ chuyên gia" : "Hội đồng"),
    roleLabel: (role: PanelRole, kind: "council" | "expertGroup") =>
      ROLE[role]?.[kind === "expertGroup" ? "expertGroup" : "council"] ?? "",
    chairOf: (members: PanelMember[]) => members.find((m) => m.role === "chair"),
    shortDate: (d: DateInput) => formatShortDate(toDate(d)),
    viDate: (d: DateInput) => formatVietnameseDate(toDate(d)),
    isoVN: (d: DateInput) => vietnamTimeIso(toDate(d)),
    timeOf: (d: DateInput) => {
      const p = vietnamParts(toDate(d));
      return `${pad2(p.hour)} giờ ${pad2(p.minute)}`;
    },
    weekdayDate: (d: DateInput) => {
      const date = toDate(d);
      const weekday = new Date(date.getTime() + 7 * 3600 * 1000).getUTCDay();
      return `${WEEKDAYS[weekday]}, ${formatVietnameseDate(date)}`;
    },
    money: (...list: unknown[]) => {
      const [amount, unit] = args(list) as [number, string | undefined];
      return formatMoney(amount, unit === undefined ? "đồng" : unit);
    },
    costAmount: (item: CostItem) => costAmount(item),
    costTotal: (items: CostItem[]) => items.reduce((s, i) => s + costAmount(i), 0),
    sum: (rows: Array<Record<string, number>>, field: string) => rows.reduce((s, r) => s + (Number(r[field]) || 0), 0),
    nextPeriod: (kind: "quarterly" | "annual") => (kind === "annual" ? "năm tới" : "quý tới"),
  });
}

/** Compiles eagerly: a syntax error surfaces at start-up, and nothing is parsed per render. */
function compileNow(hb: typeof Handlebars, source: string, name: string): HandlebarsTemplateDelegate {
  try {
    const spec = hb.precompile(source, { strict: false });
    // precompile returns the template spec as JavaScript source; this turns it into an object.
    const templateSpec = new Function(`return ${String(spec)};`)() as TemplateSpecification;
    return hb.template(templateSpec);
  } catch (err) {
    throw new Error(`Template ${name} does not compile: ${(err as Error).message}`);
  }
}

function readHbsDir(dir: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!dir || !existsSync(dir)) return out;
  for (const file of readdirSync(dir)) {
    if (file.endsWith(".hbs")) out.set(basename(file, ".hbs"), readFileSync(join(dir, file), "utf8"));
  }
  return out;
}

export interface DocumentTemplates {
  /**
   * Renders one document to a complete HTML page (fonts and CSS inlined, no external resources).
   * @throws ValidationError `unknown_document_kind`, `missing_document_number` /
   *   `missing_document_date` (a non-draft needs both), `unknown_signer`, `invalid_date`.
   */
  render<K extends DocumentKind>(kind: K, viewModel: DocumentModels[K], options: RenderOptions): string;
  /** PDF Info fields for a rendered document: title, subject, author, keywords (Vietnamese). */
  metadata<K extends DocumentKind>(
    kind: K,
    viewModel: DocumentModels[K],
  ): { title: string; subject: string; author: string; keywords: string[] };
  /** The kinds this set can render. */
  readonly kinds: readonly DocumentKind[];
}

/**
 * Loads and compiles every document template and partial from `dir` (built-ins, normally
 * templates/documents) and `overrideDir` (an organisation's own, e.g.
 * `<DATA_DIR>/templates/<orgSlug>/documents/`), the latter winning by file name.
 * @throws Error when a built-in template is missing or a template does not compile.
 */
export function createDocumentTemplates(options: { dir: string; overrideDir?: string }): DocumentTemplates {
  const hb = Handlebars.create();
  registerHelpers(hb);

  const partialSources = readHbsDir(join(options.dir, "partials"));
  if (options.overrideDir) {
    for (const [name, src] of readHbsDir(join(options.overrideDir, "partials"))) partialSources.set(name, src);
  }
  for (const [name, src] of partialSources) hb.registerPartial(name, compileNow(hb, src, `partials/${name}`));

  const builtIn = readHbsDir(options.dir);
  const override = readHbsDir(options.overrideDir);
  const templates = new Map<DocumentKind, HandlebarsTemplateDelegate>();
  for (const kind of DOCUMENT_KINDS) {
    const src = override.get(kind) ?? builtIn.get(kind);
    if (src === undefined) throw new Error(`Document template ${kind}.hbs is missing in ${options.dir}`);
    templates.set(kind, compileNow(hb, src, kind));
  }

  const cssOverride = options.overrideDir ? join(options.overrideDir, "document.css") : undefined;
  const css = readFileSync(
    cssOverride && existsSync(cssOverride) ? cssOverride : join(options.dir, "document.css"),
    "utf8",
  );
  const fontCss = tinosFontFaceCss();

  function resolveSigner(vm: DocumentBase): Signer {
    if (vm.signer) return vm.signer;
    const role = vm.signerRole ?? "default";
    const signer = vm.org.signers[role];
    if (!signer) throw new ValidationError("unknown_signer", `Không có người ký "${role}".`, "signerRole");
    return signer;
  }

  function metadata<K extends DocumentKind>(kind: K, vm: DocumentModels[K]) {
    const info = DOCUMENT_KIND_INFO[kind];
    const base = vm as DocumentBase & {
      summary?: string;
      title?: string;
      subject?: { title: string; type: AssignmentType };
      periodLabel?: string;
    };
    const about = base.summary ?? base.title ?? base.subject?.title ?? base.periodLabel ?? "";
    const keywords = ["TVPB&GĐXH", info.typeName];
    if (base.subject) keywords.push(WORK[base.subject.type], base.subject.title);
    return {
      title: `${info.typeName}${about ? ` ${about}` : ""}`,
      subject: base.subject ? `${WORK[base.subject.type]} ${base.subject.title}` : about,
      author: vm.org.displayName,
      keywords,
    };
  }

  function render<K extends DocumentKind>(kind: K, viewModel: DocumentModels[K], opts: RenderOptions): string {
    const template = templates.get(kind);
    if (!template) {
      throw new ValidationError("unknown_document_kind", `Không có mẫu văn bản "${String(kind)}".`, "kind");
    }
    const vm = viewModel as DocumentBase;
    const info = DOCUMENT_KIND_INFO[kind];
    const draft = opts.draft;
    if (!draft && !info.unnumbered && (vm.number === null || vm.number === undefined)) {
      throw new ValidationError("missing_document_number", "Văn bản ban hành phải có số.", "number");
    }
    if (!draft && !vm.date) {
      throw new ValidationError("missing_document_date", "Văn bản ban hành phải có ngày.", "date");
    }
    const date = !draft && vm.date ? toDate(vm.date) : null;
    const year = vietnamParts(vm.date ? toDate(vm.date) : new Date()).year;
    const number = draft ? null : vm.number;
    const numberParts = { number, typeAbbr: info.typeAbbr, issuerAbbr: vm.org.issuerAbbr, unitAbbr: vm.org.unitAbbr };
    const numberLine = info.unnumbered ? null : formatDocumentNumber(numberParts);
    const signature = vm.signature ?? {};
    const letter = info.letter;
    const recipients = [...((vm.asAbove ?? letter) ? ["Như trên"] : []), ...(vm.recipients ?? [])];
    const context = {
      ...vm,
      _: {
        kind,
        draft,
        issued: draft ? undefined : opts.issued,
        css,
        fontCss,
        letter,
        title: metadata(kind, viewModel).title,
        issuerLines: vm.org.issuerNameLines ?? [vm.org.issuerName],
        numberLine,
        numberRef: numberLine ? numberLine.replace(/^Số:\s?/, "") : "",
        dateLine: formatDateLine(vm.org.place, date, year),
        dateShort: date ? formatShortDate(date) : `      /      /${year}`,
        signer: info.unnumbered ? undefined : resolveSigner(vm),
        // A draft carries no signature, seal or signing time: it is not signed yet.
        signerImage: draft ? undefined : signature.signerImage,
        sealImage: draft || !vm.signature ? undefined : (signature.sealImage ?? vm.org.sealImage),
        signedAt: draft || !signature.signedAt ? undefined : vietnamTimeIso(toDate(signature.signedAt)),
        recipients,
        archive: vm.org.archiveCodes ?? `VT, ${vm.org.unitAbbr}`,
      },
    };
    return template(context, { allowProtoPropertiesByDefault: false });
  }

  return { render, metadata, kinds: DOCUMENT_KINDS };
}
