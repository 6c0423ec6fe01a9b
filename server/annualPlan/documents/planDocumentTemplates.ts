/**
 * Renders the year's plan and money documents (Tờ trình with the list, execution report, cost
 * estimate, settlement of experts' fees) with the same Decree 30 partials, stylesheet and fonts as
 * every other document, plus templates/documents/planDocuments.css.
 *
 * Why a renderer of its own: while server/documents/* is being restructured, these kinds are kept
 * out of its `DOCUMENT_KINDS`. Folding them in is mechanical: add `PLAN_DOCUMENT_KINDS` to
 * `DOCUMENT_KINDS`, `PLAN_DOCUMENT_KIND_INFO` to `DOCUMENT_KIND_INFO`, `PlanDocumentModels` to
 * `DocumentModels`, planDocuments.css to document.css, and delete this file. The context below
 * (`_`) is the one server/documents/templates.ts builds, so the shared partials read the same fields.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import Handlebars from "handlebars";
import { ValidationError } from "../../errors.js";
import { tinosFontFaceCss } from "../../documents/fonts.js";
import {
  formatDateLine,
  formatDocumentNumber,
  formatShortDate,
  vietnamParts,
  vietnamTimeIso,
} from "../../documents/format.js";
import type { DateInput, DocumentBase, RenderOptions, Signer } from "../../documents/types.js";
import { PLAN_DOCUMENT_KINDS, type PlanDocumentKind, type PlanDocumentModels } from "./types.js";

/** How each kind is numbered and named (as server/documents/templates.ts `DOCUMENT_KIND_INFO`). */
export const PLAN_DOCUMENT_KIND_INFO: Record<
  PlanDocumentKind,
  { typeAbbr?: string; letter: boolean; unnumbered?: boolean; typeName: string }
> = {
  planSubmission: { typeAbbr: "TTr", letter: false, typeName: "Tờ trình" },
  planExecutionReport: { typeAbbr: "BC", letter: false, typeName: "Báo cáo" },
  costEstimate: { letter: false, unnumbered: true, typeName: "Dự toán kinh phí" },
  feeSettlement: { letter: false, unnumbered: true, typeName: "Bảng kê chi thù lao chuyên gia" },
};

function toDate(value: DateInput): Date {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) throw new ValidationError("invalid_date", `Ngày không hợp lệ: ${String(value)}`);
  return d;
}

function readHbs(dir: string | undefined, only?: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (!dir || !existsSync(dir)) return out;
  for (const file of readdirSync(dir)) {
    const name = basename(file, ".hbs");
    if (file.endsWith(".hbs") && (!only || only.includes(name))) out.set(name, readFileSync(join(dir, file), "utf8"));
  }
  return out;
}

function readCss(dir: string, overrideDir: string | undefined, file: string): string {
  const override = overrideDir ? join(overrideDir, file) : undefined;
  return readFileSync(override && existsSync(override) ? override : join(dir, file), "utf8");
}

function createHandlebars(dir: string, overrideDir?: string): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper({
    eq: (a: unknown, b: unknown) => a === b,
    or: (...list: unknown[]) => list.slice(0, -1).some(Boolean),
    inc: (i: number) => i + 1,
    concat: (...list: unknown[]) =>
      list
        .slice(0, -1)
        .map((x) => String(x ?? ""))
        .join(""),
    shortDate: (d: DateInput) => formatShortDate(toDate(d)),
  });
  const partials = readHbs(join(dir, "partials"));
  for (const [name, src] of readHbs(overrideDir && join(overrideDir, "partials"))) partials.set(name, src);
  for (const [name, src] of partials) hb.registerPartial(name, hb.compile(src, { strict: false }));
  return hb;
}

export interface PlanDocumentTemplates {
  /**
   * Renders one document to a complete HTML page (fonts and CSS inlined, nothing external).
   * @throws ValidationError `missing_document_number` / `missing_document_date` (not a draft),
   *   `unknown_signer`, `invalid_date`.
   */
  render<K extends PlanDocumentKind>(kind: K, viewModel: PlanDocumentModels[K], options: RenderOptions): string;
  /** PDF Info fields: title, subject, author, keywords (Vietnamese). */
  metadata<K extends PlanDocumentKind>(
    kind: K,
    viewModel: PlanDocumentModels[K],
  ): { title: string; subject: string; author: string; keywords: string[] };
}

type KindInfo = (typeof PLAN_DOCUMENT_KIND_INFO)[PlanDocumentKind];

/** PDF Info fields of a plan document: title, subject, author, keywords (Vietnamese). */
function planMetadata(kind: PlanDocumentKind, vm: DocumentBase) {
  const info = PLAN_DOCUMENT_KIND_INFO[kind];
  const v = vm as { year?: number; subject?: string; amendment?: boolean };
  const list = `Danh mục nhiệm vụ tư vấn, phản biện và giám định xã hội năm ${v.year}`;
  const about =
    kind === "planSubmission"
      ? `đề nghị ${v.amendment ? "điều chỉnh, bổ sung" : "phê duyệt"} ${list}`
      : kind === "planExecutionReport"
        ? `kết quả thực hiện ${list}`
        : (v.subject ?? "");
  return {
    title: `${info.typeName} ${about}`,
    subject: about,
    author: vm.org.displayName,
    keywords: ["TVPB&GĐXH", info.typeName, ...(v.year ? [`năm ${v.year}`] : [])],
  };
}

/**
 * The shared partials' context (`_`), as server/documents/templates.ts builds it.
 * @throws ValidationError `missing_document_number`, `missing_document_date`, `unknown_signer`, `invalid_date`.
 */
function partialsContext(
  kind: PlanDocumentKind,
  vm: DocumentBase,
  opts: RenderOptions,
  styles: { css: string; fontCss: string },
) {
  const info: KindInfo = PLAN_DOCUMENT_KIND_INFO[kind];
  const draft = opts.draft;
  if (!draft && !info.unnumbered && (vm.number === null || vm.number === undefined)) {
    throw new ValidationError("missing_document_number", "Văn bản ban hành phải có số.", "number");
  }
  if (!draft && !vm.date) throw new ValidationError("missing_document_date", "Văn bản ban hành phải có ngày.", "date");
  const date = !draft && vm.date ? toDate(vm.date) : null;
  const year = vietnamParts(vm.date ? toDate(vm.date) : new Date()).year;
  const parts = {
    number: draft ? null : vm.number,
    typeAbbr: info.typeAbbr,
    issuerAbbr: vm.org.issuerAbbr,
    unitAbbr: vm.org.unitAbbr,
  };
  const numberLine = info.unnumbered ? null : formatDocumentNumber(parts);
  const signature = vm.signature ?? {};
  return {
    ...styles,
    kind,
    draft,
    issued: draft ? undefined : opts.issued,
    letter: info.letter,
    title: planMetadata(kind, vm).title,
    issuerLines: vm.org.issuerNameLines ?? [vm.org.issuerName],
    numberLine,
    numberRef: numberLine ? numberLine.replace(/^Số:\s?/, "") : "",
    dateLine: formatDateLine(vm.org.place, date, year),
    dateShort: date ? formatShortDate(date) : `      /      /${year}`,
    signer: resolveSigner(vm),
    signerImage: draft ? undefined : signature.signerImage,
    sealImage: draft || !vm.signature ? undefined : (signature.sealImage ?? vm.org.sealImage),
    signedAt: draft || !signature.signedAt ? undefined : vietnamTimeIso(toDate(signature.signedAt)),
    recipients: [...(vm.asAbove ? ["Như trên"] : []), ...(vm.recipients ?? [])],
    archive: vm.org.archiveCodes ?? `VT, ${vm.org.unitAbbr}`,
  };
}

function compileAll(hb: typeof Handlebars, dir: string, overrideDir?: string) {
  const sources = readHbs(dir, PLAN_DOCUMENT_KINDS);
  for (const [name, src] of readHbs(overrideDir, PLAN_DOCUMENT_KINDS)) sources.set(name, src);
  const templates = new Map<PlanDocumentKind, HandlebarsTemplateDelegate>();
  for (const kind of PLAN_DOCUMENT_KINDS) {
    const src = sources.get(kind);
    if (src === undefined) throw new Error(`Document template ${kind}.hbs is missing in ${dir}`);
    try {
      hb.precompile(src); // parses now, so a syntax error shows at start-up rather than at the first render
    } catch (err) {
      throw new Error(`Template ${kind} does not compile: ${(err as Error).message}`);
    }
    templates.set(kind, hb.compile(src, { strict: false }));
  }
  return templates;
}

/**
 * Compiles the four templates and the shared partials from `dir` (templates/documents) and an
 * organisation's `overrideDir`, the latter winning by file name.
 * @throws Error when a template is missing or does not compile.
 */
export function createPlanDocumentTemplates(options: { dir: string; overrideDir?: string }): PlanDocumentTemplates {
  const templates = compileAll(createHandlebars(options.dir, options.overrideDir), options.dir, options.overrideDir);
  const styles = {
    css: ["document.css", "planDocuments.css"].map((f) => readCss(options.dir, options.overrideDir, f)).join("\n"),
    fontCss: tinosFontFaceCss(),
  };
  return {
    render(kind, viewModel, opts) {
      const vm = viewModel as DocumentBase;
      const context = { ...vm, _: partialsContext(kind, vm, opts, styles) };
      return templates.get(kind)!(context, { allowProtoPropertiesByDefault: false });
    },
    metadata: (kind, vm) => planMetadata(kind, vm),
  };
}

function resolveSigner(vm: DocumentBase): Signer {
  if (vm.signer) return vm.signer;
  const role = vm.signerRole ?? "default";
  const signer = vm.org.signers[role];
  if (!signer) throw new ValidationError("unknown_signer", `Không có người ký "${role}".`, "signerRole");
  return signer;
}
