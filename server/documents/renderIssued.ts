/**
 * Issues a numbered document's PDF: the view model and verification code frozen on the row (first
 * attempt only), HTML with the QR code → PDF, the PAdES signature when the organisation has a
 * certificate, the bytes stored once by SHA-256 and the row marked issued, in one statement.
 */
import { and, eq, sql } from "drizzle-orm";
import type { PdfRenderer } from "../adapters/pdf.js";
import type { BlobCache } from "../db/blobCache.js";
import type { Db } from "../db/connect.js";
import { blobs, documents, organizations } from "../db/schema.js";
import { EffectError } from "../errors.js";
import type { Clock } from "../runtime/clock.js";
import type { KeyVault } from "../signing/keyVault.js";
import { activeSigningKey, openSigningKey, type SigningKeyRow } from "../signing/signingKeyStore.js";
import { orgProfile } from "./orgProfile.js";
import type { DocumentTemplates } from "./templates.js";
import type { DocumentKind, DocumentModels } from "./types.js";
import { contentCodeOf, makeVerifyCode, qrDataUrl, sha256Hex } from "./verification.js";
import { buildViewModel } from "./viewModels.js";

/** A row of `documents`. */
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

/** What issuing needs: the database, the renderer, where /verify lives, the clock, the organisation's templates. */
export type IssueDeps = {
  db: Db;
  renderer: PdfRenderer;
  publicUrl: string;
  clock: Clock;
  /** The organisation's template set now, and its version (recorded on the issued row). */
  templatesFor: (org: { id: string; slug: string }) => Promise<{ templates: DocumentTemplates; version: number }>;
  /** Opens the organisation's sealed signing key; null when none is configured. */
  vault: KeyVault | null;
  /** An RFC 3161 timestamp authority (PAdES B-T). */
  tsaUrl?: string;
  /** Issued bytes are put here once stored (the mail announcing the document attaches them). */
  blobCache?: BlobCache;
};

type Organization = typeof organizations.$inferSelect;

/**
 * Renders, signs and stores an `issuing` row; anything else is left alone (issued rows are immutable).
 * @throws EffectError from the renderer or signer; `document_not_issuing` when the row moved on meanwhile.
 */
export async function renderIssuedDocument(deps: IssueDeps, doc: DocumentRow, org: Organization): Promise<void> {
  if (doc.status !== "issuing") return; // issued: immutable; draft: rendered on demand only.
  const { templates, version } = await deps.templatesFor(org);
  // Read once: whether the view model shows the e-signature, and the key that signs (opened after the render).
  const keyRow = await activeSigningKey(deps.db, org.id);
  const { frozen, verifyCode } = await freeze(deps, doc, { org, signsDigitally: !!keyRow });
  const kind = frozen.kind;
  const verifyUrl = `${deps.publicUrl}/verify/${verifyCode}`;
  const issued = {
    verifyCode,
    verifyUrl,
    qrDataUrl: await qrDataUrl(verifyUrl),
    contentCode: contentCodeOf(frozen.vm),
  };
  const html = templates.render(kind, frozen.vm, { draft: false, issued, fonts: "linked" });
  const meta = templates.metadata(kind, frozen.vm);
  const issuedAt = doc.issuedAt ?? deps.clock.now();
  const pdf = await deps.renderer.render(html, {
    margins: frozen.vm.org.margins,
    metadata: {
      ...meta,
      keywords: [...meta.keywords, ...(frozen.numberLabel ? [frozen.numberLabel] : []), verifyCode],
      createdAt: issuedAt,
    },
  });
  const signed = await signIfConfigured(deps, pdf, { org, keyRow }, frozen, {
    title: meta.title,
    signingTime: issuedAt,
  });
  const sha256 = await store(deps.db, doc.id, signed, frozen.numberLabel, version);
  deps.blobCache?.set(sha256, signed);
}

/** Freezes the view model and the verification code on the row (first attempt only). */
async function freeze(
  deps: IssueDeps,
  doc: DocumentRow,
  read: { org: Organization; signsDigitally: boolean },
): Promise<{ frozen: FrozenViewModel; verifyCode: string }> {
  const stored = doc.viewModel as Partial<FrozenViewModel> | null;
  if (stored?.frozen && doc.verifyCode) return { frozen: stored as FrozenViewModel, verifyCode: doc.verifyCode };
  const built = await buildViewModel(deps.db, doc, { now: doc.issuedAt ?? deps.clock.now(), ...read });
  // JSON round trip: the same shape whether rendered now or from the row on a retry.
  const frozen = JSON.parse(JSON.stringify({ frozen: true, ...built, source: stored ?? undefined })) as FrozenViewModel;
  for (let attempt = 0; ; attempt++) {
    const verifyCode = makeVerifyCode();
    try {
      const rows = await deps.db
        .update(documents)
        .set({ viewModel: frozen as unknown as Record<string, unknown>, verifyCode, numberLabel: built.numberLabel })
        .where(and(eq(documents.id, doc.id), eq(documents.status, "issuing")))
        .returning({ id: documents.id });
      if (!rows.length) throw new EffectError(`document ${doc.id} is no longer issuing`, true, "document_not_issuing");
      return { frozen, verifyCode };
    } catch (err) {
      // A verify code collision (50 bits) is astronomically rare; try another.
      if (err instanceof EffectError || attempt >= 3) throw err;
    }
  }
}

/** The PAdES signature with the organisation's active signing key (its row read before), if any. @throws EffectError */
async function signIfConfigured(
  deps: IssueDeps,
  pdf: Buffer,
  { org, keyRow }: { org: Organization; keyRow: SigningKeyRow | null },
  frozen: FrozenViewModel,
  at: { title: string; signingTime: Date },
): Promise<Buffer> {
  const key = openSigningKey(keyRow, deps.vault);
  if (!key) return pdf;
  const { profile } = orgProfile(org);
  const signer = frozen.vm.signer ?? profile.signers[frozen.vm.signerRole ?? "default"];
  const { signPdf } = await import("./signPdf.js"); // loaded on first use: start-up time
  return signPdf(pdf, {
    signer: key.signer,
    reason: `Ban hành ${at.title.split(" ")[0]}${frozen.numberLabel ? ` số ${frozen.numberLabel}` : ""}`,
    location: profile.place,
    name: key.signerName ?? signer?.name ?? profile.displayName,
    contactInfo: profile.email ?? "",
    signingTime: at.signingTime,
    tsaUrl: deps.tsaUrl,
  });
}

/**
 * Stores the bytes once by SHA-256 and marks the row issued, in ONE statement (atomic without a
 * transaction around it: no BEGIN and COMMIT, two round trips fewer); returns the SHA-256. The
 * row's foreign key to the blob is checked at the statement's end, when the blob is there.
 */
async function store(
  db: Db,
  documentId: string,
  pdf: Buffer,
  numberLabel: string | null,
  templateVersion: number,
): Promise<string> {
  const sha256 = sha256Hex(pdf);
  await db.execute(sql`with blob as (
      insert into ${blobs} (sha256, size, bytes) values (${sha256}, ${pdf.length}, ${pdf}::bytea)
      on conflict (sha256) do nothing)
    update ${documents} set sha256 = ${sha256}, status = 'issued', number_label = ${numberLabel},
      template_version = ${templateVersion}
    where id = ${documentId} and status = 'issuing'`);
  return sha256;
}
