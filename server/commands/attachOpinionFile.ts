/**
 * An expert attaches a file to their opinion while the panel reviews: the same checks as a dossier
 * file (size, accepted type, the bytes really of that type), the bytes kept once by SHA-256. Each
 * file is its own call, so a refused file never takes a good one down with it.
 */
import { blobs, opinionAttachments } from "../db/schema.js";
import { ConflictError, ForbiddenError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { loadAssignment, panelSeatOf } from "../policies/assignmentPolicy.js";
import { sha256 } from "../auth/passwords.js";
import { checkFile, cleanFileName } from "./uploadDossierFile.js";

/**
 * Stores one attachment of the actor's opinion.
 * @throws TooLargeError, ValidationError file_empty, AppError 415 file_type_not_allowed / file_type_mismatch,
 *   NotFoundError, ConflictError event_not_allowed (not under review), ForbiddenError (no seat on the panel)
 */
export async function attachOpinionFile(
  deps: RuntimeDeps,
  props: { actor: Actor; assignmentId: string; fileName: string; bytes: Buffer },
) {
  const fileName = cleanFileName(props.fileName);
  const { contentType } = checkFile(fileName, props.bytes);
  return inTransaction(deps, async (tx) => {
    const a = await loadAssignment(tx, props.actor, props.assignmentId);
    if (a.state !== "underReview")
      throw new ConflictError("event_not_allowed", "Chỉ đính kèm tệp khi nhiệm vụ đang trong giai đoạn phản biện.");
    const seat = await panelSeatOf(tx, props.actor, a.id);
    if (!seat) throw new ForbiddenError("Chỉ thành viên Hội đồng/Tổ chuyên gia đã nhận lời mới đính kèm tệp.");
    const hash = sha256(props.bytes);
    await tx.insert(blobs).values({ sha256: hash, size: props.bytes.length, bytes: props.bytes }).onConflictDoNothing();
    const [row] = await tx
      .insert(opinionAttachments)
      .values({
        organizationId: a.organizationId,
        assignmentId: a.id,
        expertId: seat.expertId,
        fileName,
        contentType,
        size: props.bytes.length,
        sha256: hash,
        uploadedBy: props.actor.id,
        uploadedAt: deps.clock.now(),
      })
      .returning();
    return row;
  });
}
