/** The document register: the organisation's issued (and issuing) documents, newest first. */
import { and, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { documents } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { requireDocumentRegisterReader } from "../policies/documentPolicy.js";

/** At most this many documents per answer. */
const LIMIT = 200;

/** @throws ForbiddenError forbidden (staff only) */
export async function listDocuments(db: Db, actor: Actor) {
  requireDocumentRegisterReader(actor);
  return db
    .select()
    .from(documents)
    .where(and(eq(documents.organizationId, actor.organizationId), inArray(documents.status, ["issuing", "issued"])))
    .orderBy(desc(documents.issuedAt))
    .limit(LIMIT);
}
