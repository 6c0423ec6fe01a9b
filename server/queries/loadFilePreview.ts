/**
 * Inline preview of a dossier file (issue 14 §6): only PDFs and PNG/JPEG images are shown in the
 * browser, and only when their bytes are what their type says (checked again here, whatever was
 * stored); anything else — HTML, SVG, office files — is never served inline. Read-only.
 */
import type { Db } from "../db/connect.js";
import type { Actor } from "../runtime/actor.js";
import { AppError } from "../errors.js";
import { loadDossierFile } from "./loadDossierFile.js";

/** The types shown inline, with the bytes each must start with. */
const INLINE: Record<string, { kind: "pdf" | "image"; magic: number[] }> = {
  "application/pdf": { kind: "pdf", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  "image/png": { kind: "image", magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  "image/jpeg": { kind: "image", magic: [0xff, 0xd8, 0xff] },
};

/** How a stored file may be previewed: "pdf", "image", or null (download only). */
export function previewKind(contentType: string, bytes?: Buffer): "pdf" | "image" | null {
  const t = INLINE[contentType];
  if (!t) return null;
  if (bytes && !t.magic.every((b, i) => bytes[i] === b)) return null;
  return t.kind;
}

/**
 * The file, its bytes and how it previews.
 * @throws NotFoundError assignment_not_found | file_not_found; AppError 415 preview_unavailable
 */
export async function loadFilePreview(db: Db, actor: Actor, assignmentId: string, fileId: string) {
  const { file, bytes } = await loadDossierFile(db, actor, assignmentId, fileId);
  const kind = previewKind(file.contentType, bytes);
  if (!kind) throw new AppError(415, "preview_unavailable", "Tệp này không xem trực tiếp được; hãy tải về.");
  return { file, bytes, kind };
}
