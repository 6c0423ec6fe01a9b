/**
 * Stores a dossier file (hồ sơ): the size is capped, the declared type must be one we accept and
 * the bytes must really be that type (a renamed executable is refused), and the bytes are kept
 * once by SHA-256.
 */
import { blobs, dossierFiles } from "../db/schema.js";
import { ConflictError, ForbiddenError, TooLargeError, ValidationError, AppError } from "../errors.js";
import { hasRole, type Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { sha256 } from "../auth/passwords.js";
import { DOSSIER_FILE_KINDS } from "../../workflows/assignment/types.js";

export const MAX_FILE_BYTES = 20 * 1024 * 1024;
export const FILE_KINDS = DOSSIER_FILE_KINDS;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
/** Accepted extensions, their content type and the bytes they must start with. */
const TYPES: Record<string, { contentType: string; magic: number[] }> = {
  pdf: { contentType: "application/pdf", magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  docx: { contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", magic: ZIP },
  xlsx: { contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", magic: ZIP },
  odt: { contentType: "application/vnd.oasis.opendocument.text", magic: ZIP },
  zip: { contentType: "application/zip", magic: ZIP },
  doc: { contentType: "application/msword", magic: OLE },
  xls: { contentType: "application/vnd.ms-excel", magic: OLE },
  png: { contentType: "image/png", magic: [0x89, 0x50, 0x4e, 0x47] },
  jpg: { contentType: "image/jpeg", magic: [0xff, 0xd8, 0xff] },
  jpeg: { contentType: "image/jpeg", magic: [0xff, 0xd8, 0xff] },
};

/** Checks name, size and content. @throws TooLargeError, AppError 415 file_type_not_allowed / file_type_mismatch */
export function checkFile(fileName: string, bytes: Buffer): { contentType: string } {
  if (bytes.length > MAX_FILE_BYTES) throw new TooLargeError(`Tệp vượt quá ${MAX_FILE_BYTES / 1024 / 1024} MB.`);
  if (bytes.length === 0) throw new ValidationError("file_empty", "Tệp rỗng.", "file");
  const ext = fileName.toLowerCase().split(".").pop() ?? "";
  const t = TYPES[ext];
  if (!t || !fileName.includes("."))
    throw new AppError(415, "file_type_not_allowed", "Chỉ nhận tệp PDF, Word, Excel, ODT, ZIP, PNG hoặc JPEG.", "file");
  if (!t.magic.every((b, i) => bytes[i] === b))
    throw new AppError(415, "file_type_mismatch", "Nội dung tệp không đúng với phần mở rộng của tên tệp.", "file");
  return { contentType: t.contentType };
}

/** A file name safe to store and to send back: NFC, no path separators or control characters, ≤ 200 characters. */
export const cleanFileName = (name: string) =>
  name
    .normalize("NFC")
    .replace(/[\\/\x00-\x1f]/g, "_")
    .slice(0, 200);

/**
 * @throws NotFoundError, ForbiddenError, ValidationError, TooLargeError, AppError 415,
 *   ConflictError when the assignment is finished.
 */
export async function uploadDossierFile(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string; fileName: string; bytes: Buffer; kind: string },
) {
  const { actor } = props;
  if (!(FILE_KINDS as readonly string[]).includes(props.kind))
    throw new ValidationError("invalid_kind", "Loại tài liệu không hợp lệ.", "kind");
  const fileName = cleanFileName(props.fileName);
  const { contentType } = checkFile(fileName, props.bytes);
  return inTransaction(deps, async (tx) => {
    const a = await loadAssignment(tx, actor, props.assignmentId);
    const ownAgency = hasRole(actor, "agency") && actor.agencyId === a.agencyId;
    if (!ownAgency && !hasRole(actor, "secretariat", "clerk"))
      throw new ForbiddenError("Chỉ cơ quan đặt hàng hoặc Ban TVPB được bổ sung hồ sơ.");
    if (["closed", "declined", "withdrawn"].includes(a.state))
      throw new ConflictError("assignment_finished", "Nhiệm vụ đã kết thúc, không nhận thêm hồ sơ.");
    const hash = sha256(props.bytes);
    await tx.insert(blobs).values({ sha256: hash, size: props.bytes.length, bytes: props.bytes }).onConflictDoNothing();
    const [row] = await tx
      .insert(dossierFiles)
      .values({
        organizationId: a.organizationId,
        assignmentId: a.id,
        kind: props.kind,
        fileName,
        contentType,
        size: props.bytes.length,
        sha256: hash,
        confidential: props.kind === "confidential_annex",
        uploadedBy: actor.id,
        uploadedAt: deps.clock.now(),
      })
      .returning();
    return row;
  });
}
