/**
 * The clerk uploads an issued document signed elsewhere (a USB token, a CA's remote signing): it
 * must be exactly the issued bytes plus one valid signature as an incremental update
 * (server/signing/verifyIncrementalSignature.ts). The signed bytes become the document's issued
 * bytes; the bytes before stay in `blobs`, and a `document_signatures` row (and, for an
 * assignment's document, a `document.signed` history row) records the change.
 */
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { assignments, blobs, documentSignatures, documents, history } from "../db/schema.js";
import { AppError, ConflictError, ForbiddenError, ValidationError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { appendHistory } from "../runtime/appendHistory.js";
import { loadDocument } from "../queries/loadDocument.js";
import { verifyIncrementalSignature } from "../signing/verifyIncrementalSignature.js";

/** Largest signed PDF accepted. */
export const MAX_SIGNED_PDF_BYTES = 25 * 1024 * 1024;

/**
 * @throws NotFoundError document_not_found; ForbiddenError (not leadership or clerk);
 *   ValidationError file_required; ConflictError document_not_issued, document_changed;
 *   AppError 415/422 signed_file_* (see verifyIncrementalSignature)
 */
export function attachExternalSignature(
  deps: RuntimeDeps,
  props: { actor: Actor; documentId: string; bytes: Buffer | undefined },
): Promise<{ sha256: string; previousSha256: string; signer: string }> {
  const { actor } = props;
  return inTransaction(deps, async (tx) => {
    const doc = await loadDocument(tx, actor, props.documentId);
    if (!hasRole(actor, "leadership", "clerk"))
      throw new ForbiddenError("Chỉ lãnh đạo hoặc văn thư được nộp bản đã ký số.");
    if (!props.bytes?.length) throw new ValidationError("file_required", "Cần chọn tệp PDF đã ký.", "file");
    if (doc.status !== "issued" || !doc.sha256)
      throw new ConflictError("document_not_issued", "Chỉ nộp bản ký số cho văn bản đã ban hành.");
    const [blob] = await tx.select().from(blobs).where(eq(blobs.sha256, doc.sha256));
    if (!blob) throw new AppError(500, "document_bytes_missing", "Không tìm thấy nội dung đã lưu của văn bản.");
    const at = deps.clock.now();
    const signer = verifyIncrementalSignature(blob.bytes, props.bytes, at);
    const sha256 = createHash("sha256").update(props.bytes).digest("hex");
    await tx.insert(blobs).values({ sha256, size: props.bytes.length, bytes: props.bytes }).onConflictDoNothing();
    const moved = await tx
      .update(documents)
      .set({ sha256 })
      .where(and(eq(documents.id, doc.id), eq(documents.sha256, doc.sha256)))
      .returning({ id: documents.id });
    if (!moved.length) throw new ConflictError("document_changed", "Văn bản vừa được cập nhật; hãy tải lại bản mới.");
    await tx.insert(documentSignatures).values({
      organizationId: actor.organizationId,
      documentId: doc.id,
      previousSha256: doc.sha256,
      sha256,
      signerSubject: signer.subject,
      signerSerial: signer.serialNumber,
      uploadedBy: actor.id,
      uploadedAt: at,
    });
    if (doc.assignmentId) await signedHistory(tx, { actor, doc, sha256, signer: signer.subject, at });
    return { sha256, previousSha256: doc.sha256, signer: signer.subject };
  });
}

type Tx = Parameters<Parameters<typeof inTransaction>[1]>[0];

/** The `document.signed` row on the assignment's history (workflow "document", the next version of this document). */
async function signedHistory(
  tx: Tx,
  p: { actor: Actor; doc: typeof documents.$inferSelect; sha256: string; signer: string; at: Date },
) {
  const [{ version }] = await tx
    .select({ version: sql<number>`coalesce(max(${history.version}), 0)::int + 1` })
    .from(history)
    .where(eq(history.workflowId, p.doc.id));
  const [a] = await tx
    .select({ state: assignments.state })
    .from(assignments)
    .where(eq(assignments.id, p.doc.assignmentId!));
  await appendHistory(tx, {
    organizationId: p.actor.organizationId,
    assignmentId: p.doc.assignmentId!,
    workflow: "document",
    workflowId: p.doc.id,
    version: Number(version),
    actor: { id: p.actor.id, name: p.actor.name },
    eventType: "document.signed",
    payload: { documentId: p.doc.id, previousSha256: p.doc.sha256, sha256: p.sha256, signer: p.signer },
    fromState: a?.state ?? null,
    toState: a?.state ?? "issued",
    at: p.at,
  });
}
