/** One official document the actor may see. */
import { and, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { documents } from "../db/schema.js";
import { NotFoundError } from "../errors.js";
import type { Actor } from "../runtime/actor.js";
import { loadAssignment } from "../policies/assignmentPolicy.js";
import { isMoneyDocument, maySeeDocument } from "../policies/documentPolicy.js";

const notFound = () => new NotFoundError("document_not_found", "Không tìm thấy văn bản.");

/**
 * The document, when it is of the actor's organisation, its assignment is visible to them, and
 * (outside staff) it has been issued — as the assignment detail lists documents.
 * @throws NotFoundError document_not_found (also for what the actor may not see)
 */
export async function loadDocument(db: Executor, actor: Actor, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound();
  const [doc] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, id), eq(documents.organizationId, actor.organizationId)));
  if (!doc) throw notFound();
  // A financial form goes to the money's readers, as the payments do (the accountant works on no assignment).
  if (isMoneyDocument(doc.kind)) {
    if (!maySeeDocument(actor, doc)) throw notFound();
    return doc;
  }
  if (doc.assignmentId) {
    await loadAssignment(db, actor, doc.assignmentId).catch(() => {
      throw notFound();
    });
  }
  if (!maySeeDocument(actor, doc)) throw notFound();
  return doc;
}
