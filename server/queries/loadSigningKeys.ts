/** The organisation's signing key as an admin may see it: the active certificate and its history, never the key. */
import type { Db } from "../db/connect.js";
import { requireRole } from "../policies/assignmentPolicy.js";
import type { Actor } from "../runtime/actor.js";
import { expiresSoon, signingKeyHistory, type SigningKeyRow } from "../signing/signingKeyStore.js";

/** One key without its material. */
export type SigningKeyView = Omit<SigningKeyRow, "sealed">;

/** The active key (if any), whether it expires within 30 days, and every key before it. @throws ForbiddenError */
export async function loadSigningKeys(
  db: Db,
  actor: Actor,
  now: Date,
): Promise<{ active: SigningKeyView | null; expiresSoon: boolean; history: SigningKeyView[] }> {
  requireRole(actor, "admin");
  const rows = (await signingKeyHistory(db, actor.organizationId)).map(({ sealed: _sealed, ...rest }) => rest);
  const active = rows.find((r) => r.status === "active") ?? null;
  return { active, expiresSoon: !!active && expiresSoon(active, now), history: rows };
}
