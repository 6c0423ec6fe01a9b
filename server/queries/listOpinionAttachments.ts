/**
 * The files attached to opinions that the actor may see, as the opinions themselves are seen: an
 * expert sees their own (draft or submitted); staff see those of experts who have submitted an
 * opinion; nobody else sees any. Read-only; no bytes.
 */
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { opinionAttachments, opinionVersions } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { isStaff } from "../policies/staffPolicy.js";

/** The experts whose attachments on this assignment the actor may see. */
export async function attachmentOwnersFor(db: Executor, actor: Actor, assignmentId: string): Promise<string[]> {
  if (!isStaff(actor)) return actor.expertId ? [actor.expertId] : [];
  const rows = await db
    .selectDistinct({ expertId: opinionVersions.expertId })
    .from(opinionVersions)
    .where(and(eq(opinionVersions.assignmentId, assignmentId), eq(opinionVersions.status, "submitted")));
  const owners = rows.map((r) => r.expertId);
  return actor.expertId && !owners.includes(actor.expertId) ? [...owners, actor.expertId] : owners;
}

/**
 * The attachments the actor may see, oldest first (id, expert, name, type, size, when).
 * @throws NotFoundError assignment_not_found
 */
export async function listOpinionAttachments(db: Executor, actor: Actor, assignmentId: string) {
  const a = await loadAssignment(db, actor, assignmentId);
  const owners = await attachmentOwnersFor(db, actor, a.id);
  if (!owners.length) return [];
  return db
    .select({
      id: opinionAttachments.id,
      expertId: opinionAttachments.expertId,
      fileName: opinionAttachments.fileName,
      contentType: opinionAttachments.contentType,
      size: opinionAttachments.size,
      uploadedAt: opinionAttachments.uploadedAt,
    })
    .from(opinionAttachments)
    .where(and(eq(opinionAttachments.assignmentId, a.id), inArray(opinionAttachments.expertId, owners)))
    .orderBy(asc(opinionAttachments.uploadedAt), asc(opinionAttachments.fileName));
}
