/**
 * The render effect: turns a numbered (or draft) document row into PDF bytes, stored once by
 * SHA-256. Until a browser is available the document waits in "issuing" and the effect retries.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { documents, effects } from "../db/schema.js";
import { DOCUMENTS_PENDING } from "./letterAttachments.js";
import { EffectError } from "../errors.js";
import type { EffectRow } from "../runtime/effectWorker.js";

export type RenderDeps = {
  db: Db;
  render: ((documentId: string) => Promise<void>) | null;
  unavailableReason: () => string | null;
};

export function createRenderDocument(deps: RenderDeps) {
  return async function renderDocument(effect: EffectRow): Promise<void> {
    const id = (effect.payload as { documentId: string }).documentId;
    const [doc] = await deps.db.select().from(documents).where(eq(documents.id, id));
    if (!doc) throw new EffectError(`document ${id} not found`, true, "document_missing");
    if (doc.status === "issued" || (doc.status === "draft" && doc.sha256)) return;
    if (!deps.render)
      throw new EffectError(
        deps.unavailableReason() ?? "PDF rendering is not available",
        false,
        "renderer_unavailable",
      );
    await deps.render(id);
    if (doc.assignmentId) await wakeWaitingMail(deps.db, doc.assignmentId);
  };
}

/**
 * The mails of the assignment that wait for their letters are due again now that one is rendered,
 * instead of after their retry back-off: the letter goes out as soon as it exists.
 */
async function wakeWaitingMail(db: Db, assignmentId: string) {
  await db
    .update(effects)
    .set({ runAfter: new Date(0) })
    .where(
      and(
        eq(effects.assignmentId, assignmentId),
        eq(effects.kind, "mail"),
        eq(effects.status, "pending"),
        eq(effects.lastError, DOCUMENTS_PENDING),
      ),
    );
}
