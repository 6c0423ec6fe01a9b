/**
 * Who may see an official document: staff see every document of their organisation whose
 * assignment they may see (and the periodic reports); others see only what has been issued on an
 * assignment they may see. Not visible means 404, as for assignments.
 */
import { and, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { documents } from "../db/schema.js";
import { NotFoundError } from "../errors.js";
import { hasRole, type Actor, type Role } from "../runtime/actor.js";
import { loadAssignment } from "./assignmentPolicy.js";

const STAFF: Role[] = ["secretariat", "leadership", "clerk", "admin"];

/**
 * Loads a document the actor may see: same organisation, and its assignment visible.
 * @throws NotFoundError document_not_found (also for a malformed id and for what the actor may not see)
 */
export async function loadDocument(db: Executor, actor: Actor, id: string): Promise<typeof documents.$inferSelect> {
  const notFound = () => new NotFoundError("document_not_found", "Không tìm thấy văn bản.");
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound();
  const [doc] = await db
    .select()
    .from(documents)
    .where(and(eq(documents.id, id), eq(documents.organizationId, actor.organizationId)));
  if (!doc) throw notFound();
  const staff = hasRole(actor, ...STAFF);
  if (doc.assignmentId) {
    await loadAssignment(db, actor, doc.assignmentId).catch(() => {
      throw notFound();
    });
  } else if (!staff) {
    throw notFound();
  }
  // Outside staff see only what has been issued to them (as the assignment detail lists them).
  if (!staff && doc.status !== "issued") throw notFound();
  return doc;
}
