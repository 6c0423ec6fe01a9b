/**
 * The document service: turns a numbered `documents` row into its issued PDF — view model built
 * from the database and frozen on the row, verification code and QR, HTML → PDF, optional PAdES
 * signature with the organisation's PKCS#12 certificate — and stores the bytes once by SHA-256.
 * Issued bytes are never rendered again. Drafts are rendered on demand, watermarked, not stored.
 */
import { eq } from "drizzle-orm";
import type { Db, Executor } from "../db/connect.js";
import { documents, organizations } from "../db/schema.js";
import { AppError, EffectError, ValidationError } from "../errors.js";
import type { Clock } from "../runtime/clock.js";
import type { PdfRenderer } from "../adapters/pdf.js";
import type { KeyVault } from "../signing/keyVault.js";
import type { BlobCache } from "../db/blobCache.js";
import { renderIssuedDocument } from "./renderIssued.js";
import { createTemplateStore, type TemplateOrg } from "./templateStore.js";
import type { DocumentTemplates } from "./templates.js";
import type { DocumentKind } from "./types.js";
import { buildViewModel, isDocumentKind, type BuiltDocument } from "./viewModels.js";

export { DOCUMENT_TEMPLATES_DIR, type TemplateOrg } from "./templateStore.js";
export type { DocumentRow, FrozenViewModel } from "./renderIssued.js";

export interface DocumentService {
  /**
   * Issues a numbered document: renders, signs when configured, stores, marks it issued. Idempotent:
   * an issued document is left alone; a retry after a failed render reuses the frozen view model and code.
   * @throws EffectError from the renderer or signer; `renderer_unavailable` without a browser.
   */
  renderIssued(documentId: string): Promise<void>;
  /** A draft of a kind for an assignment: watermarked, no number, not stored. @throws EffectError, ValidationError */
  renderDraft(
    kind: string,
    props: { organizationId: string; assignmentId: string | null; viewModel?: Record<string, unknown> | null },
  ): Promise<Buffer>;
  /**
   * The HTML of a draft (the same template the PDF is printed from), for showing it inline on a page.
   * @throws ValidationError unknown_document_kind; EffectError template_broken
   */
  draftHtml(
    kind: string,
    props: { organizationId: string; assignmentId: string | null; viewModel?: Record<string, unknown> | null },
  ): Promise<string>;
  /** The view model a draft would print (for the Word export). */
  draftViewModel(
    kind: DocumentKind,
    props: { organizationId: string; assignmentId: string | null },
  ): Promise<BuiltDocument>;
  /** Whether PDFs can be rendered now, and why not. */
  unavailableReason(): string | null;
  /** Each document kind's template for an organisation: the built-in source, and its own if any. */
  templateSources(org: TemplateOrg): Promise<Array<{ kind: DocumentKind; builtIn: string; override: string | null }>>;
  /**
   * Saves an organisation's own template for a kind after checking that it compiles together with
   * the partials; `null` goes back to the built-in one. It is stored in the database as the
   * organisation's next template version, which the next render in every process uses. Returns it.
   * @throws ValidationError unknown_document_kind, template_invalid; ConflictError stale_version
   */
  saveTemplate(org: TemplateOrg, kind: string, source: string | null, authorId?: string | null): Promise<number>;
  /** Seals and opens the organisations' signing keys; null when the operator gave no key-encryption key. */
  signingVault: KeyVault | null;
}

/** What the document service works with. */
export type DocumentServiceDeps = {
  db: Db;
  renderer: PdfRenderer | null;
  publicUrl: string;
  clock: Clock;
  /** Built-in templates; compiled lazily from templates/documents when absent. */
  templates?: DocumentTemplates;
  /** Organisation files (partials, document.css, older kind templates) in `<overrideDir>/<orgSlug>/documents/`. */
  overrideDir?: string;
  /** Why there is no renderer (shown by /readyz and in effect errors). */
  unavailable?: string;
  /** Seals the signing keys at rest (server/signing/keyVault.ts); without it no key can be stored. */
  signingVault?: KeyVault | null;
  /** An RFC 3161 timestamp authority for PAdES B-T. */
  tsaUrl?: string;
  /** Issued bytes are also kept here, for the mail that attaches them (server/db/blobCache.ts). */
  blobCache?: BlobCache;
};

/** Builds the document service over the database, the PDF renderer (null: none on this machine) and the templates. */
export function createDocumentService(deps: DocumentServiceDeps): DocumentService {
  const vault = deps.signingVault ?? null;
  const store = createTemplateStore(deps);
  const unavailableReason = () => (deps.renderer ? null : (deps.unavailable ?? "PDF rendering is not available"));
  const requireRenderer = (): PdfRenderer => {
    if (!deps.renderer) throw new EffectError(unavailableReason()!, false, "renderer_unavailable");
    return deps.renderer;
  };

  async function renderIssued(documentId: string): Promise<void> {
    // The row and its organisation in one statement.
    const [row] = await deps.db
      .select({ doc: documents, org: organizations })
      .from(documents)
      .leftJoin(organizations, eq(organizations.id, documents.organizationId))
      .where(eq(documents.id, documentId));
    if (!row) throw new EffectError(`document ${documentId} not found`, true, "document_missing");
    const { doc, org } = row;
    if (doc.status !== "issuing") return; // issued: immutable; draft: rendered on demand only.
    const renderer = requireRenderer();
    await renderIssuedDocument({ ...deps, renderer, templatesFor: store.templatesFor, vault }, doc, found(org));
  }

  async function draftViewModel(kind: DocumentKind, props: DraftProps) {
    const source = { kind, ...props, number: null, issuedAt: null, viewModel: props.viewModel ?? null };
    return buildViewModel(deps.db, source, { now: deps.clock.now(), draft: true });
  }

  async function draftPage(kind: string, props: DraftProps, fonts: "inline" | "linked" = "inline") {
    if (!isDocumentKind(kind))
      throw new ValidationError("unknown_document_kind", `Không có loại văn bản "${kind}".`, "kind");
    const org = await orgOf(deps.db, props.organizationId);
    const { templates } = await store.templatesFor(org);
    const built = await draftViewModel(kind, props);
    const html = fillTemplate(() => templates.render(kind, built.vm, { draft: true, fonts }));
    return { html, built, meta: templates.metadata(kind, built.vm) };
  }

  async function renderDraft(kind: string, props: DraftProps): Promise<Buffer> {
    if (!isDocumentKind(kind))
      throw new ValidationError("unknown_document_kind", `Không có loại văn bản "${kind}".`, "kind");
    const renderer = requireRenderer();
    const { html, built, meta } = await draftPage(kind, props, "linked");
    return renderer.render(html, {
      margins: built.vm.org.margins,
      metadata: { ...meta, title: `Dự thảo ${meta.title}` },
    });
  }

  return {
    renderIssued,
    renderDraft,
    draftHtml: async (kind, props) => (await draftPage(kind, props)).html,
    draftViewModel,
    templateSources: store.templateSources,
    saveTemplate: store.saveTemplate,
    unavailableReason,
    signingVault: vault,
  };
}

/** Which draft: the organisation, the assignment (none for the activity report) and what the row would carry. */
type DraftProps = { organizationId: string; assignmentId: string | null; viewModel?: Record<string, unknown> | null };

/** @throws ValidationError `organization_not_found` */
async function orgOf(db: Executor, organizationId: string) {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
  return found(org);
}

/** The organisation read, or `organization_not_found`. */
function found<T>(org: T | null | undefined): T {
  if (!org) throw new ValidationError("organization_not_found", "Không tìm thấy tổ chức.");
  return org;
}

/** A template that fails while being filled in (a missing partial, a misused helper) is the template's fault. */
function fillTemplate(fill: () => string): string {
  try {
    return fill();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new EffectError(`Mẫu văn bản có lỗi: ${(err as Error).message.split("\n")[0]}`, true, "template_broken");
  }
}
