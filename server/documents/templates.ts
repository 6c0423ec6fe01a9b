/**
 * Official document templates (Decree 30/2020/NĐ-CP layout): Handlebars, one `.hbs` per document
 * kind plus shared partials, compiled once at start-up. An organisation's override directory wins
 * over the built-in template, partial or stylesheet of the same name.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import Handlebars from "handlebars";
import { ValidationError } from "../errors.js";
import { translate } from "../words/catalogue.js";
import { documentTypeName, panelRoleTitle, panelWord, workOf } from "./documentWords.js";
import { tinosFontFaceCss } from "./fonts.js";
import {
  formatDateLine,
  formatDocumentNumber,
  formatMoney,
  formatShortDate,
  formatTimeOfDay,
  formatVietnameseDate,
  formatWeekdayDate,
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
  type PanelKind,
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
  /** A form signed by the head of the organisation too (the financial statements' third signature). */
  headSigns?: boolean;
  /** Document type name for the PDF title ("Công văn", "Quyết định"…, from the catalogue). */
  typeName: string;
}

/** How each kind is numbered and whether it is a letter. */
const KIND_SHAPES: Record<DocumentKind, Omit<KindInfo, "typeName">> = {
  requestDocuments: { letter: true },
  declineLetter: { letter: true },
  acceptanceLetter: { letter: true },
  panelDecision: { typeAbbr: "QĐ", letter: false },
  expertInvitation: { letter: true },
  meetingInvitation: { typeAbbr: "GM", letter: false },
  expertOpinion: { letter: false, unnumbered: true },
  minutes: { typeAbbr: "BB", letter: false },
  finalReport: { typeAbbr: "BC", letter: false },
  coverLetter: { letter: true },
  responseReminder: { letter: true },
  activityReport: { typeAbbr: "BC", letter: false },
  planSubmission: { typeAbbr: "TTr", letter: false },
  planExecutionReport: { typeAbbr: "BC", letter: false },
  costEstimate: { letter: false, unnumbered: true, headSigns: true },
  feeSettlement: { letter: false, unnumbered: true, headSigns: true },
};

/** How each kind is numbered and named. */
export const DOCUMENT_KIND_INFO: Record<DocumentKind, KindInfo> = Object.fromEntries(
  DOCUMENT_KINDS.map((kind) => [kind, { ...KIND_SHAPES[kind], typeName: documentTypeName(kind) }]),
) as Record<DocumentKind, KindInfo>;

export interface DocumentTemplates {
  /**
   * Renders one document to a complete HTML page: CSS inlined, fonts inlined too unless
   * `options.fonts` is `linked` (then only the PDF renderer can load them).
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
 * `<DATA_DIR>/templates/<orgSlug>/documents/`), the latter winning by file name. With `lazy`, each
 * template and partial is compiled on its first use instead (rendering one document compiles only
 * what it uses: the whole set took most of a second of the event loop at a process's first issue).
 * @throws Error when a built-in template is missing or (unless `lazy`) a template does not compile.
 */
export function createDocumentTemplates(options: Options): DocumentTemplates {
  const hb = Handlebars.create();
  hb.registerHelper({ ...logicHelpers(), ...wordHelpers() });
  const compile = options.lazy ? compileOnFirstUse : compileNow;
  registerPartials(hb, options, compile);
  const templates = compileKinds(hb, options, compile);
  const css = readStylesheet(options);
  const pages = {
    inline: { css, fontCss: tinosFontFaceCss("inline") },
    linked: { css, fontCss: tinosFontFaceCss("linked") },
  } satisfies Record<string, PageAssets>;
  const render = <K extends DocumentKind>(kind: K, viewModel: DocumentModels[K], opts: RenderOptions): string => {
    const template = templates.get(kind);
    if (!template) {
      throw new ValidationError("unknown_document_kind", `Không có mẫu văn bản "${String(kind)}".`, "kind");
    }
    const page = pages[opts.fonts ?? "inline"];
    return template(renderContext(kind, viewModel, opts, page), { allowProtoPropertiesByDefault: false });
  };
  return { render, metadata: documentMetadata, kinds: DOCUMENT_KINDS };
}

/**
 * `dir`: the built-in templates; `overrideDir`: an organisation's own files (partials, document.css,
 * kinds); `overrides`: an organisation's own kind templates by kind (from the database), winning over both.
 */
type Options = { dir: string; overrideDir?: string; overrides?: ReadonlyMap<string, string>; lazy?: boolean };
type Compile = typeof compileNow;
/** The stylesheet and the embedded font every page carries. */
type PageAssets = { css: string; fontCss: string };

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

/** Capitalises the first letter the Vietnamese way. */
const upperFirst = (t: string) => t.charAt(0).toLocaleUpperCase("vi") + t.slice(1);

/** Words and formats the templates call (see the documents README, "Overriding a template"). */
function wordHelpers(): Record<string, Handlebars.HelperDelegate> {
  return {
    upper: (s: unknown) => String(s ?? "").toLocaleUpperCase("vi"),
    lowerFirst: (s: unknown) => {
      const t = String(s ?? "");
      return t.charAt(0).toLocaleLowerCase("vi") + t.slice(1);
    },
    work: (t: AssignmentType) => workOf(t),
    Work: (t: AssignmentType) => upperFirst(workOf(t)),
    panelName: (kind: PanelKind | undefined) => panelWord(typeof kind === "string" ? kind : "council"),
    roleLabel: (role: PanelRole, kind: PanelKind | undefined) =>
      panelRoleTitle(role, typeof kind === "string" ? kind : "council"),
    nextPeriod: (kind: "quarterly" | "annual") =>
      translate("vi", `nextPeriod.${kind === "annual" ? kind : "quarterly"}`),
    shortDate: (d: DateInput) => formatShortDate(toDate(d)),
    viDate: (d: DateInput) => formatVietnameseDate(toDate(d)),
    isoVN: (d: DateInput) => vietnamTimeIso(toDate(d)),
    timeOf: (d: DateInput) => formatTimeOfDay(toDate(d)),
    weekdayDate: (d: DateInput) => formatWeekdayDate(toDate(d)),
    money: (...list: unknown[]) => {
      const [amount, unit] = args(list) as [number, string | undefined];
      return formatMoney(amount, unit === undefined ? "đồng" : unit);
    },
  };
}

/** Logic and arithmetic the templates call. */
function logicHelpers(): Record<string, Handlebars.HelperDelegate> {
  return {
    eq: (a: unknown, b: unknown) => a === b,
    or: (...list: unknown[]) => args(list).some(Boolean),
    concat: (...list: unknown[]) =>
      args(list)
        .map((x) => String(x ?? ""))
        .join(""),
    inc: (i: number) => i + 1,
    pad2: (n: number) => pad2(n),
    roman: (n: number) => toRoman(n),
    chairOf: (members: PanelMember[]) => members.find((m) => m.role === "chair"),
    costAmount: (item: CostItem) => costAmount(item),
    costTotal: (items: CostItem[]) => items.reduce((s, i) => s + costAmount(i), 0),
    sum: (rows: Array<Record<string, number>>, field: string) => rows.reduce((s, r) => s + (Number(r[field]) || 0), 0),
  };
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

/** `compileNow` deferred to the template's (or partial's) first call; the same delegate afterwards. */
function compileOnFirstUse(hb: typeof Handlebars, source: string, name: string): HandlebarsTemplateDelegate {
  let compiled: HandlebarsTemplateDelegate | null = null;
  return (context, options) => (compiled ??= compileNow(hb, source, name))(context, options);
}

function readHbsDir(dir: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!dir || !existsSync(dir)) return out;
  for (const file of readdirSync(dir)) {
    if (file.endsWith(".hbs")) out.set(basename(file, ".hbs"), readFileSync(join(dir, file), "utf8"));
  }
  return out;
}

/** Built-in partials, replaced by the organisation's of the same name. */
function registerPartials(hb: typeof Handlebars, options: Options, compile: Compile): void {
  const partialSources = readHbsDir(join(options.dir, "partials"));
  if (options.overrideDir) {
    for (const [name, src] of readHbsDir(join(options.overrideDir, "partials"))) partialSources.set(name, src);
  }
  for (const [name, src] of partialSources) hb.registerPartial(name, compile(hb, src, `partials/${name}`));
}

/** Every kind's template, the organisation's own winning over the built-in one. */
function compileKinds(
  hb: typeof Handlebars,
  options: Options,
  compile: Compile,
): Map<DocumentKind, HandlebarsTemplateDelegate> {
  const builtIn = readHbsDir(options.dir);
  const override = readHbsDir(options.overrideDir);
  const templates = new Map<DocumentKind, HandlebarsTemplateDelegate>();
  for (const kind of DOCUMENT_KINDS) {
    const src = options.overrides?.get(kind) ?? override.get(kind) ?? builtIn.get(kind);
    if (src === undefined) throw new Error(`Document template ${kind}.hbs is missing in ${options.dir}`);
    templates.set(kind, compile(hb, src, kind));
  }
  return templates;
}

function readStylesheet(options: Options): string {
  const cssOverride = options.overrideDir ? join(options.overrideDir, "document.css") : undefined;
  return readFileSync(cssOverride && existsSync(cssOverride) ? cssOverride : join(options.dir, "document.css"), "utf8");
}

/** @throws ValidationError `unknown_signer` when the view model names a signer the organisation lacks. */
function resolveSigner(vm: DocumentBase): Signer {
  if (vm.signer) return vm.signer;
  const role = vm.signerRole ?? "default";
  const signer = vm.org.signers[role];
  if (!signer) throw new ValidationError("unknown_signer", `Không có người ký "${role}".`, "signerRole");
  return signer;
}

/** A document's title as its PDF and the /verify page give it ("Tờ trình đề nghị phê duyệt Danh mục …"). */
export function documentTitle<K extends DocumentKind>(kind: K, vm: DocumentModels[K]): string {
  return documentMetadata(kind, vm).title;
}

/** PDF Info fields of a document: title, subject, author, keywords (Vietnamese). */
function documentMetadata<K extends DocumentKind>(kind: K, vm: DocumentModels[K]) {
  const info = DOCUMENT_KIND_INFO[kind];
  if (isPlanKind(kind)) return planMetadata(kind, vm as DocumentBase);
  const base = vm as DocumentBase & {
    summary?: string;
    title?: string;
    subject?: { title: string; type: AssignmentType };
    periodLabel?: string;
  };
  const about = base.summary ?? base.title ?? base.subject?.title ?? base.periodLabel ?? "";
  const keywords = ["TVPB&GĐXH", info.typeName];
  if (base.subject) keywords.push(workOf(base.subject.type), base.subject.title);
  // "Thư mời" + "mời tham gia …" is "Thư mời tham gia …", not "Thư mời mời tham gia".
  const lastWord = info.typeName.split(" ").at(-1)!.toLocaleLowerCase("vi");
  const rest = about.toLocaleLowerCase("vi").startsWith(`${lastWord} `) ? about.slice(lastWord.length + 1) : about;
  return {
    title: `${info.typeName}${rest ? ` ${rest}` : ""}`,
    subject: base.subject ? `${workOf(base.subject.type)} ${base.subject.title}` : about,
    author: vm.org.displayName,
    keywords,
  };
}

const PLAN_KINDS: readonly DocumentKind[] = ["planSubmission", "planExecutionReport", "costEstimate", "feeSettlement"];
const isPlanKind = (kind: DocumentKind) => PLAN_KINDS.includes(kind);

/** PDF Info fields of the year's plan and money documents, whose subject is the year's list or a text. */
function planMetadata(kind: DocumentKind, vm: DocumentBase) {
  const typeName = DOCUMENT_KIND_INFO[kind].typeName;
  const v = vm as { year?: number; subject?: string; amendment?: boolean };
  const list = `Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm ${v.year}`;
  const about =
    kind === "planSubmission"
      ? `đề nghị ${v.amendment ? "điều chỉnh, bổ sung" : "phê duyệt"} ${list}`
      : kind === "planExecutionReport"
        ? `kết quả thực hiện ${list}`
        : (v.subject ?? "");
  return {
    title: `${typeName} ${about}`,
    subject: about,
    author: vm.org.displayName,
    keywords: ["TVPB&GĐXH", typeName, ...(v.year ? [`năm ${v.year}`] : [])],
  };
}

/**
 * The view model plus `_`, what the shared partials print: number and date lines, signer, seal,
 * recipients, the verification block of an issued document.
 * @throws ValidationError `missing_document_number` / `missing_document_date` (a non-draft needs
 *   both), `unknown_signer`, `invalid_date`.
 */
function renderContext<K extends DocumentKind>(
  kind: K,
  viewModel: DocumentModels[K],
  opts: RenderOptions,
  page: PageAssets,
) {
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
  const { issuerAbbr, unitAbbr } = vm.org;
  const numberLine = info.unnumbered
    ? null
    : formatDocumentNumber({ number, typeAbbr: info.typeAbbr, issuerAbbr, unitAbbr, confidential: !!vm.secrecy });
  return {
    ...vm,
    _: {
      kind,
      draft,
      issued: draft ? undefined : opts.issued,
      ...page,
      letter: info.letter,
      title: documentMetadata(kind, viewModel).title,
      issuerLines: vm.org.issuerNameLines ?? [vm.org.issuerName],
      numberLine,
      numberRef: numberLine ? numberLine.replace(/^Số:\s?/, "") : "",
      dateLine: formatDateLine(vm.org.place, date, year),
      dateShort: date ? formatShortDate(date) : `      /      /${year}`,
      signer: info.unnumbered && !info.headSigns ? undefined : resolveSigner(vm),
      ...signatureMarks(vm, draft),
      recipients: [...((vm.asAbove ?? info.letter) ? ["Như trên"] : []), ...(vm.recipients ?? [])],
      archive: vm.org.archiveCodes ?? `VT, ${vm.org.unitAbbr}`,
    },
  };
}

/** The visible e-signature: none on a draft, which is not signed yet. */
function signatureMarks(vm: DocumentBase, draft: boolean) {
  const signature = vm.signature ?? {};
  return {
    signerImage: draft ? undefined : signature.signerImage,
    sealImage: draft || !vm.signature ? undefined : (signature.sealImage ?? vm.org.sealImage),
    signedAt: draft || !signature.signedAt ? undefined : vietnamTimeIso(toDate(signature.signedAt)),
  };
}
