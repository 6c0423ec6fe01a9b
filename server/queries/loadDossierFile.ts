/** One file of an assignment's dossier with its bytes, for download. */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { blobs, dossierFiles } from "../db/schema.js";
import { NotFoundError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { maySeeConfidentialFiles } from "../policies/dossierPolicy.js";

/**
 * The file and its stored bytes.
 * @throws NotFoundError assignment_not_found; file_not_found (also for a confidential file the actor may not open)
 */
export async function loadDossierFile(db: Db, actor: Actor, assignmentId: string, fileId: string) {
  const a = await loadAssignment(db, actor, assignmentId);
  const [file] = await db
    .select()
    .from(dossierFiles)
    .where(and(eq(dossierFiles.id, fileId), eq(dossierFiles.assignmentId, a.id)));
  if (!file || (file.confidential && !maySeeConfidentialFiles(actor)))
    throw new NotFoundError("file_not_found", "Không tìm thấy tệp.");
  const [blob] = await db.select().from(blobs).where(eq(blobs.sha256, file.sha256));
  return { file, bytes: blob.bytes };
}
