/**
 * Public verification of issued documents (no login): look one up by the code printed on it, or by
 * the exact bytes of a PDF someone holds. Only issued documents are ever found.
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { blobs, documents, organizations } from "../db/schema.js";
import { normalizeVerifyCode, sha256Hex } from "../documents/verification.js";
import { isSignedPdf } from "../signing/pdfSignature.js";

/** The canonical form of a code as a person typed it (spaces, dashes, case), or null when it cannot be one. */
export { normalizeVerifyCode };

/** An issued document with what its public page shows besides it. */
export type VerifiedDocument = {
  doc: typeof documents.$inferSelect;
  organization: typeof organizations.$inferSelect | undefined;
  /** The document this one corrects, if it is a correction. */
  corrects: typeof documents.$inferSelect | undefined;
  /** The latest issued correction of this document, if any. */
  correctedBy: typeof documents.$inferSelect | undefined;
  /** Whether the stored PDF carries a digital signature. */
  signed: boolean;
};

/** The issued document with this verification code (as typed), or null. */
export async function findDocumentByCode(db: Executor, typed: string): Promise<VerifiedDocument | null> {
  const code = normalizeVerifyCode(typed);
  if (!code) return null;
  const [doc] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.verifyCode, code), eq(documents.status, "issued")));
  return doc ? withContext(db, doc) : null;
}

/** The issued document whose stored bytes are exactly these, or null; with the bytes' SHA-256. */
export async function findDocumentByContent(db: Executor, bytes: Buffer) {
  const sha256 = sha256Hex(bytes);
  const [doc] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.sha256, sha256), eq(documents.status, "issued")))
    .orderBy(asc(documents.issuedAt))
    .limit(1);
  return { sha256, found: doc ? await withContext(db, doc) : null };
}

async function withContext(db: Executor, doc: typeof documents.$inferSelect): Promise<VerifiedDocument> {
  const [organization] = await db.select().from(organizations).where(eq(organizations.id, doc.organizationId));
  const [corrects] = doc.correctsId ? await db.select().from(documents).where(eq(documents.id, doc.correctsId)) : [];
  const [correctedBy] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.correctsId, doc.id), inArray(documents.status, ["issued"])))
    .orderBy(desc(documents.issuedAt))
    .limit(1);
  const [blob] = doc.sha256
    ? await db.select({ bytes: blobs.bytes }).from(blobs).where(eq(blobs.sha256, doc.sha256))
    : [];
  return { doc, organization, corrects, correctedBy, signed: !!blob && isSignedPdf(blob.bytes) };
}
