/** The progress of an expert import the actor's organisation started (for its progress page). Read-only. */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { effects } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import type { ImportPayload } from "../effects/importExperts.js";

/** Status, counts and error of import `id` (a number in the URL), or null when there is no such import. */
export async function findImportProgress(db: Db, actor: Actor, id: string) {
  return /^\d+$/.test(id) ? importProgress(db, actor.organizationId, Number(id)) : null;
}

/** The progress of an import, for its page (organisation-scoped). */
export async function importProgress(db: Db, organizationId: string, id: number) {
  const [row] = await db
    .select()
    .from(effects)
    .where(and(eq(effects.id, id), eq(effects.organizationId, organizationId), eq(effects.kind, "expertImport")));
  if (!row) return null;
  const p = row.payload as ImportPayload;
  return {
    status: row.status,
    total: p.total,
    done: row.status === "done" ? p.total : p.done,
    created: p.created,
    error: row.status === "failed" ? row.lastError : null,
  };
}
