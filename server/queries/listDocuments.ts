/**
 * The document register: the organisation's issued (and issuing) documents, newest first. A
 * document of a confidential assignment the reader does not work on shows only that it exists:
 * its number, register and dates, titled "Nhiệm vụ mật <code>", without its verification code.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { documents } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { requireDocumentRegisterReader } from "../policies/documentPolicy.js";
import { hiddenConfidential } from "../policies/assignmentPolicy.js";
import { translate } from "../words/catalogue.js";

/** At most this many documents per answer. */
const LIMIT = 200;

/** @throws ForbiddenError forbidden (staff only) */
export async function listDocuments(db: Db, actor: Actor) {
  requireDocumentRegisterReader(actor);
  const rows = await db
    .select()
    .from(documents)
    // The status list as SQL text: it is the predicate of documents_org_issued_idx, read newest first.
    .where(and(eq(documents.organizationId, actor.organizationId), sql`${documents.status} in ('issuing', 'issued')`))
    .orderBy(desc(documents.issuedAt), desc(documents.id))
    .limit(LIMIT);
  const hidden = await hiddenConfidential(
    db,
    actor,
    rows.map((d) => d.assignmentId),
  );
  return rows.map((d) => {
    const secret = d.assignmentId ? hidden.get(d.assignmentId) : undefined;
    if (!secret) return d;
    const title = translate(actor.locale ?? "vi", "assignment.confidentialMasked", { code: secret.code });
    return { ...d, title, sha256: null, verifyCode: null, viewModel: null };
  });
}
