/**
 * Builds the view model of an official document from the database: the organisation's profile
 * from its settings, the assignment (subject, order, agency, marks), and the part of the workflow
 * the document reports (missing documents, plan, panel, workshop, the consolidated report and its
 * numbered recommendations…), one builder per kind (`*Model.ts`, registered in modelBuilders.ts).
 * The issuing service freezes the result on the `documents` row, so an issued document never
 * changes when the data behind it does.
 */
import { eq } from "drizzle-orm";
import { vietnamDateOf } from "../calendar/workingDays.js";
import type { Executor } from "../db/connect.js";
import { organizations } from "../db/schema.js";
import { activeSigningKey } from "../signing/signingKeyStore.js";
import { ValidationError } from "../errors.js";
import { activityReportModel } from "./activityReportModel.js";
import { MODEL_BUILDERS } from "./modelBuilders.js";
import { createModelContext, type DocumentMeta } from "./modelContext.js";
import { numberLabelOf } from "./numberLabel.js";
import { planExecutionReportDocModel, planSubmissionDocModel, type PlanDocumentMeta } from "./planData.js";
import { defaultSignerKey, orgProfile, type AllSettings } from "./orgProfile.js";
import { DOCUMENT_KIND_INFO, documentTitle as templatesMetadataTitle } from "./templates.js";
import { DOCUMENT_KINDS, type DocumentBase, type DocumentKind, type DocumentModels } from "./types.js";

export { numberLabelOf } from "./numberLabel.js";
export { defaultSignerKey, orgProfile, type AllSettings, type DocumentSettings } from "./orgProfile.js";

/** What a view model is built from: a `documents` row or the same fields for a draft. */
export type DocumentSource = {
  /** The row's id, when there is a row (a plan's Tờ trình finds the submission it carries by it). */
  id?: string;
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

/**
 * How to build: `now` (the date of a document without an issue time), `draft`; and what the caller
 * has already read, so that issuing does not read it twice: the organisation's row, and whether it
 * has an active signing key (read here when not given).
 */
export type BuildOptions = {
  now: Date;
  draft?: boolean;
  org?: typeof organizations.$inferSelect;
  signsDigitally?: boolean;
};

/** True for a kind the product renders. */
export function isDocumentKind(kind: string): kind is DocumentKind {
  return (DOCUMENT_KINDS as readonly string[]).includes(kind);
}

/**
 * Builds the view model of one document.
 * @throws ValidationError `unknown_document_kind`, `assignment_not_found`, `organization_not_found`,
 *   `document_data_missing` (e.g. an expert opinion without a submitted opinion).
 */
export async function buildViewModel(db: Executor, source: DocumentSource, opts: BuildOptions): Promise<BuiltDocument> {
  if (!isDocumentKind(source.kind))
    throw new ValidationError("unknown_document_kind", `Không có loại văn bản "${source.kind}".`, "kind");
  const kind = source.kind;
  const orgRow =
    opts.org?.id === source.organizationId
      ? opts.org
      : (await db.select().from(organizations).where(eq(organizations.id, source.organizationId)))[0];
  if (!orgRow) throw new ValidationError("organization_not_found", "Không tìm thấy tổ chức.");
  const { profile, settings, signerKeys } = orgProfile(orgRow);
  const draft = !!opts.draft;
  const at = source.issuedAt ?? opts.now;
  const meta = (source.viewModel ?? {}) as DocumentMeta;
  const signsDigitally = !draft && (opts.signsDigitally ?? !!(await activeSigningKey(db, source.organizationId)));
  const base = documentBase(kind, source, {
    profile,
    settings,
    signerKeys,
    meta,
    draft,
    now: opts.now,
    signsDigitally,
  });
  const numberLabel = (vm: DocumentBase) => numberLabelOf(kind, vm.number ?? null, profile, !!vm.secrecy);
  if (kind === "activityReport") {
    const vm = await activityReportModel(db, source.organizationId, base, meta.period ?? quarterOf(at));
    const title = `Báo cáo hoạt động tư vấn, phản biện và giám định xã hội ${vm.periodLabel}`;
    return { kind, vm, numberLabel: numberLabel(vm), title };
  }
  if (kind === "planSubmission" || kind === "planExecutionReport") {
    const planMeta = meta as PlanDocumentMeta;
    const vm =
      kind === "planSubmission"
        ? await planSubmissionDocModel(db, source.organizationId, base, planMeta, source.id)
        : await planExecutionReportDocModel(db, source.organizationId, base, planMeta);
    const title = templatesMetadataTitle(kind, vm);
    return { kind, vm, numberLabel: numberLabel(vm), title } as BuiltDocument;
  }
  if (!source.assignmentId) throw new ValidationError("document_data_missing", "Văn bản này cần gắn với một nhiệm vụ.");
  const { organizationId, assignmentId } = source;
  const c = await createModelContext({ db, organizationId, assignmentId, profile, settings, base, meta, at, draft });
  const vm = (await MODEL_BUILDERS[kind](c)) as DocumentModels[DocumentKind];
  const title = `${DOCUMENT_KIND_INFO[kind].typeName} — ${c.subject.title}`;
  return { kind, vm, numberLabel: numberLabel(vm), title };
}

/**
 * What every document carries: the organisation, number and date (none on a draft), the signer,
 * the correction it makes, and the visible e-signature when the organisation signs electronically.
 */
function documentBase(
  kind: DocumentKind,
  source: DocumentSource,
  o: {
    profile: DocumentBase["org"];
    settings: AllSettings;
    signerKeys: string[];
    meta: DocumentMeta;
    draft: boolean;
    now: Date;
    /** The organisation has an active signing key: the issued PDF will carry a digital signature. */
    signsDigitally: boolean;
  },
): DocumentBase {
  const { settings, draft, meta } = o;
  const date = draft ? null : (source.issuedAt ?? o.now);
  const at = source.issuedAt ?? o.now;
  const signerRole = defaultSignerKey(kind, settings, o.signerKeys);
  const signerImage =
    settings.signerImages?.[signerRole === "default" ? (settings.signers[0]?.key ?? "default") : signerRole];
  return {
    org: o.profile,
    number: draft ? null : source.number,
    date: date ? date.toISOString() : null,
    signerRole,
    ...(meta.correction && !draft ? { correction: meta.correction } : {}),
    ...(!draft && (o.signsDigitally || signerImage)
      ? { signature: { ...(signerImage ? { signerImage } : {}), signedAt: at.toISOString() } }
      : {}),
  };
}

/** The calendar quarter (Vietnam time) that contains `at`. */
export function quarterOf(at: Date): { from: string; to: string; label: string; kind: "quarterly" } {
  const [y, m] = vietnamDateOf(at).split("-").map(Number);
  const q = Math.floor((m - 1) / 3);
  const from = `${y}-${String(q * 3 + 1).padStart(2, "0")}-01`;
  const to = q === 3 ? `${y + 1}-01-01` : `${y}-${String(q * 3 + 4).padStart(2, "0")}-01`;
  return { from, to, label: `quý ${["I", "II", "III", "IV"][q]} năm ${y}`, kind: "quarterly" };
}
