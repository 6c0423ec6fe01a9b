/**
 * The document service: turns a numbered `documents` row into its issued PDF — view model built
 * from the database and frozen on the row, verification code and QR, HTML → PDF, optional PAdES
 * signature with the organisation's PKCS#12 certificate — and stores the bytes once by SHA-256.
 * Issued bytes are never rendered again. Drafts are rendered on demand, watermarked, not stored.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import Handlebars from "handlebars";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { and, eq } from "drizzle-orm";
import type { Db, Executor } from "../db/connect.js";
import { blobs, documents, organizations } from "../db/schema.js";
import { AppError, EffectError, ValidationError } from "../errors.js";
import type { Clock } from "../runtime/clock.js";
import type { PdfRenderer } from "../adapters/pdf.js";
import { createDocumentTemplates, DOCUMENT_KIND_INFO, type DocumentTemplates } from "./templates.js";
import { makeVerifyCode, qrDataUrl, sha256Hex } from "./verification.js";
import { buildViewModel, isDocumentKind, orgProfile, type BuiltDocument } from "./viewModels.js";
import type { DocumentKind, DocumentModels } from "./types.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The built-in templates. */
export const DOCUMENT_TEMPLATES_DIR = path.join(root, "templates", "documents");

export type DocumentRow = typeof documents.$inferSelect;

/** What is frozen on an issued row: the view model plus where it came from. */
export type FrozenViewModel = {
  frozen: true;
  kind: DocumentKind;
  vm: DocumentModels[DocumentKind];
  numberLabel: string | null;
  title: string;
  source?: Record<string, unknown>;
};

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
  /** The view model a draft would print (for the Word export). */
  draftViewModel(
    kind: DocumentKind,
    props: { organizationId: string; assignmentId: string | null },
  ): Promise<BuiltDocument>;
  /** Whether PDFs can be rendered now, and why not. */
  unavailableReason(): string | null;
  /** Each document kind's template for an organisation: the built-in source, and its override if any. */
  templateSources(slug: string): Array<{ kind: DocumentKind; builtIn: string; override: string | null }>;
  /**
   * Saves an organisation's own template for a kind after checking that it compiles together with
   * the partials; `null` goes back to the built-in one. The next render in this process uses it.
   * @throws ValidationError unknown_document_kind, template_invalid, templates_not_configurable
   */
  saveTemplate(slug: string, kind: string, source: string | null): Promise<void>;
}

export function createDocumentService(deps: {
  db: Db;
  renderer: PdfRenderer | null;
  publicUrl: string;
  clock: Clock;
  /** Built-in templates; compiled lazily from templates/documents when absent. */
  templates?: DocumentTemplates;
  /** Organisation overrides live in `<overrideDir>/<orgSlug>/documents/`. */
  overrideDir?: string;
  /** Why there is no renderer (shown by /readyz and in effect errors). */
  unavailable?: string;
}): DocumentService {
  let builtIn = deps.templates;
  const perOrg = new Map<string, DocumentTemplates>();

  function templatesFor(slug: string): DocumentTemplates {
    const dir = deps.overrideDir ? path.join(deps.overrideDir, slug, "documents") : undefined;
    if (dir && existsSync(dir)) {
      let t = perOrg.get(slug);
      if (!t) perOrg.set(slug, (t = createDocumentTemplates({ dir: DOCUMENT_TEMPLATES_DIR, overrideDir: dir })));
      return t;
    }
    builtIn ??= createDocumentTemplates({ dir: DOCUMENT_TEMPLATES_DIR });
    return builtIn;
  }

  function requireRenderer(): PdfRenderer {
    if (!deps.renderer)
      throw new EffectError(deps.unavailable ?? "PDF rendering is not available", false, "renderer_unavailable");
    return deps.renderer;
  }

  async function orgOf(db: Executor, organizationId: string) {
    const [org] = await db.select().from(organizations).where(eq(organizations.id, organizationId));
    if (!org) throw new ValidationError("organization_not_found", "Không tìm thấy tổ chức.");
    return org;
  }

  /** Freezes the view model and the verification code on the row (first attempt only). */
  async function freeze(doc: DocumentRow): Promise<{ frozen: FrozenViewModel; verifyCode: string }> {
    const stored = doc.viewModel as Partial<FrozenViewModel> | null;
    if (stored?.frozen && doc.verifyCode) return { frozen: stored as FrozenViewModel, verifyCode: doc.verifyCode };
    const built = await buildViewModel(deps.db, doc, { now: doc.issuedAt ?? deps.clock.now() });
    // JSON round trip: the same shape whether rendered now or from the row on a retry.
    const frozen = JSON.parse(
      JSON.stringify({ frozen: true, ...built, source: stored ?? undefined }),
    ) as FrozenViewModel;
    for (let attempt = 0; ; attempt++) {
      const verifyCode = makeVerifyCode();
      try {
        const rows = await deps.db
          .update(documents)
          .set({ viewModel: frozen as unknown as Record<string, unknown>, verifyCode, numberLabel: built.numberLabel })
          .where(and(eq(documents.id, doc.id), eq(documents.status, "issuing")))
          .returning({ id: documents.id });
        if (!rows.length)
          throw new EffectError(`document ${doc.id} is no longer issuing`, true, "document_not_issuing");
        return { frozen, verifyCode };
      } catch (err) {
        // A verify code collision (50 bits) is astronomically rare; try another.
        if (err instanceof EffectError || attempt >= 3) throw err;
      }
    }
  }

  async function renderIssued(documentId: string): Promise<void> {
    const [doc] = await deps.db.select().from(documents).where(eq(documents.id, documentId));
    if (!doc) throw new EffectError(`document ${documentId} not found`, true, "document_missing");
    if (doc.status !== "issuing") return; // issued: immutable; draft: rendered on demand only.
    const renderer = requireRenderer();
    const org = await orgOf(deps.db, doc.organizationId);
    const templates = templatesFor(org.slug);
    const { frozen, verifyCode } = await freeze(doc);
    const kind = frozen.kind;
    const verifyUrl = `${deps.publicUrl}/verify/${verifyCode}`;
    const issued = {
      verifyCode,
      verifyUrl,
      qrDataUrl: await qrDataUrl(verifyUrl),
      contentHash: sha256Hex(JSON.stringify(frozen.vm)),
    };
    const html = templates.render(kind, frozen.vm, { draft: false, issued });
    const meta = templates.metadata(kind, frozen.vm);
    const issuedAt = doc.issuedAt ?? deps.clock.now();
    let pdf = await renderer.render(html, {
      margins: frozen.vm.org.margins,
      metadata: {
        ...meta,
        keywords: [...meta.keywords, ...(frozen.numberLabel ? [frozen.numberLabel] : []), verifyCode],
        createdAt: issuedAt,
      },
    });
    const { settings, profile } = orgProfile(org);
    if (settings.signing?.p12Base64) {
      const signer = frozen.vm.signer ?? profile.signers[frozen.vm.signerRole ?? "default"];
      const { signPdf } = await import("./signPdf.js"); // loaded on first use: start-up time
      pdf = await signPdf(pdf, {
        p12: Buffer.from(settings.signing.p12Base64, "base64"),
        passphrase: settings.signing.passphrase,
        reason: `Ban hành ${meta.title.split(" ")[0]}${frozen.numberLabel ? ` số ${frozen.numberLabel}` : ""}`,
        location: profile.place,
        name: settings.signing.signerName ?? signer?.name ?? profile.displayName,
        contactInfo: profile.email ?? "",
        signingTime: issuedAt,
      });
    }
    const sha256 = sha256Hex(pdf);
    await deps.db.transaction(async (tx) => {
      await tx
        .insert(blobs)
        .values({ sha256, size: pdf.length, bytes: pdf })
        .onConflictDoNothing({ target: blobs.sha256 });
      await tx
        .update(documents)
        .set({ sha256, status: "issued", numberLabel: frozen.numberLabel })
        .where(and(eq(documents.id, doc.id), eq(documents.status, "issuing")));
    });
  }

  async function draftViewModel(
    kind: DocumentKind,
    props: { organizationId: string; assignmentId: string | null; viewModel?: Record<string, unknown> | null },
  ) {
    return buildViewModel(
      deps.db,
      {
        kind,
        organizationId: props.organizationId,
        assignmentId: props.assignmentId,
        number: null,
        issuedAt: null,
        viewModel: props.viewModel ?? null,
      },
      { now: deps.clock.now(), draft: true },
    );
  }

  async function renderDraft(
    kind: string,
    props: { organizationId: string; assignmentId: string | null; viewModel?: Record<string, unknown> | null },
  ): Promise<Buffer> {
    if (!isDocumentKind(kind))
      throw new ValidationError("unknown_document_kind", `Không có loại văn bản "${kind}".`, "kind");
    const renderer = requireRenderer();
    const org = await orgOf(deps.db, props.organizationId);
    const templates = templatesFor(org.slug);
    const built = await draftViewModel(kind, props);
    const html = fillTemplate(() => templates.render(kind, built.vm, { draft: true }));
    const meta = templates.metadata(kind, built.vm);
    return renderer.render(html, {
      margins: built.vm.org.margins,
      metadata: { ...meta, title: `Dự thảo ${meta.title}` },
    });
  }

  const overrideDirOf = (slug: string) => {
    if (!deps.overrideDir)
      throw new ValidationError(
        "templates_not_configurable",
        "Không cấu hình được mẫu văn bản riêng trên máy chủ này.",
      );
    if (!/^[a-z0-9-]+$/.test(slug)) throw new ValidationError("invalid_organization", "Mã tổ chức không hợp lệ.");
    return path.join(deps.overrideDir, slug, "documents");
  };

  function templateSources(slug: string) {
    const dir = deps.overrideDir ? path.join(deps.overrideDir, slug, "documents") : null;
    return (Object.keys(DOCUMENT_KIND_INFO) as DocumentKind[]).map((kind) => {
      const file = dir ? path.join(dir, `${kind}.hbs`) : null;
      return {
        kind,
        builtIn: readFileSync(path.join(DOCUMENT_TEMPLATES_DIR, `${kind}.hbs`), "utf8"),
        override: file && existsSync(file) ? readFileSync(file, "utf8") : null,
      };
    });
  }

  async function saveTemplate(slug: string, kind: string, source: string | null) {
    if (!isDocumentKind(kind))
      throw new ValidationError("unknown_document_kind", `Không có loại văn bản “${kind}”.`, "kind");
    const dir = overrideDirOf(slug);
    const file = path.join(dir, `${kind}.hbs`);
    if (source === null) {
      rmSync(file, { force: true });
    } else {
      if (source.length > 200_000) throw new ValidationError("template_invalid", "Mẫu quá dài.", "source");
      try {
        Handlebars.precompile(source);
      } catch (err) {
        throw new ValidationError(
          "template_invalid",
          `Mẫu có lỗi cú pháp: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
          "source",
        );
      }
      mkdirSync(dir, { recursive: true });
      const previous = existsSync(file) ? readFileSync(file, "utf8") : null;
      writeFileSync(file, source);
      perOrg.delete(slug);
      try {
        // The whole set, partials included, must still compile with the new template.
        templatesFor(slug);
      } catch (err) {
        if (previous === null) rmSync(file, { force: true });
        else writeFileSync(file, previous);
        perOrg.delete(slug);
        throw new ValidationError(
          "template_invalid",
          `Mẫu không dùng được: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`,
          "source",
        );
      }
    }
    perOrg.delete(slug);
  }

  return {
    renderIssued,
    renderDraft,
    draftViewModel,
    templateSources,
    saveTemplate,
    unavailableReason: () => (deps.renderer ? null : (deps.unavailable ?? "PDF rendering is not available")),
  };
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
