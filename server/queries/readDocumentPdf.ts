/**
 * The PDF of a document: the stored bytes of an issued one (never re-rendered), or a fresh draft
 * render (watermarked, no number) of one not issued yet.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { blobs } from "../db/schema.js";
import { AppError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import type { DocumentService } from "../documents/service.js";
import { documentFileName } from "../presenters/documentPresenter.js";
import { loadDocument } from "./loadDocument.js";

export type DocumentPdf =
  | { status: "issued"; bytes: Buffer; fileName: string; sha256: string }
  | { status: "draft"; bytes: Buffer; fileName: string }
  /** Being rendered now: ask again shortly. */
  | { status: "issuing"; reason: string };

/**
 * @throws NotFoundError document_not_found; AppError 500 document_bytes_missing when an issued
 *   document's stored bytes are gone; the renderer's errors for a draft
 */
export async function readDocumentPdf(
  deps: { db: Db; documents: DocumentService },
  actor: Actor,
  id: string,
): Promise<DocumentPdf> {
  const doc = await loadDocument(deps.db, actor, id);
  const fileName = documentFileName(doc, "pdf");
  if (doc.status === "issued" && doc.sha256) {
    const [blob] = await deps.db.select().from(blobs).where(eq(blobs.sha256, doc.sha256));
    if (!blob) throw new AppError(500, "document_bytes_missing", "Không tìm thấy nội dung đã lưu của văn bản.");
    return { status: "issued", bytes: blob.bytes, fileName, sha256: doc.sha256 };
  }
  if (doc.status === "issuing") {
    const reason = deps.documents.unavailableReason() ?? "Văn bản đang được kết xuất; hãy thử lại sau giây lát.";
    return { status: "issuing", reason };
  }
  const bytes = await deps.documents.renderDraft(doc.kind, {
    organizationId: doc.organizationId,
    assignmentId: doc.assignmentId,
    viewModel: doc.viewModel,
  });
  return { status: "draft", bytes, fileName };
}
