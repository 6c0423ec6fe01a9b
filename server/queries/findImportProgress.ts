/** The progress of an expert import the actor's organisation started (for its progress page). Read-only. */
import type { Db } from "../db/connect.js";
import type { Actor } from "../runtime/actor.js";
import { importProgress } from "../effects/importExperts.js";

/** Status, counts and error of import `id` (a number in the URL), or null when there is no such import. */
export async function findImportProgress(db: Db, actor: Actor, id: string) {
  return /^\d+$/.test(id) ? importProgress(db, actor.organizationId, Number(id)) : null;
}
