/** One file attached to an opinion, with its bytes, for download by those who may see that opinion. */
import { and, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { blobs, opinionAttachments } from "../db/schema.js";
import { NotFoundError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { attachmentOwnersFor } from "./listOpinionAttachments.js";

/**
 * The attachment and its bytes.
 * @throws NotFoundError assignment_not_found; file_not_found (also when the actor may not see it)
 */
export async function loadOpinionAttachment(db: Executor, actor: Actor, assignmentId: string, fileId: string) {
  const a = await loadAssignment(db, actor, assignmentId);
  const [file] = await db
    .select()
    .from(opinionAttachments)
    .where(and(eq(opinionAttachments.id, fileId), eq(opinionAttachments.assignmentId, a.id)));
  if (!file || !(await attachmentOwnersFor(db, actor, a.id)).includes(file.expertId))
    throw new NotFoundError("file_not_found", "Không tìm thấy tệp.");
  const [blob] = await db.select().from(blobs).where(eq(blobs.sha256, file.sha256));
  return { file, bytes: blob.bytes };
}
