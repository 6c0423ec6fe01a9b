/** Spends a one-time link: the building block both link commands use inside their transaction. */
import type { Tx } from "../db/connect.js";
import { usedTokens } from "../db/schema.js";
import { ConflictError } from "../errors.js";

/**
 * Records the link's jti; a second (or concurrent) use finds the row and is refused. Runs in the
 * transaction of the action the link performs, so the link is spent only if the action commits.
 * @throws ConflictError link_used
 */
export async function spendLink(tx: Tx, jti: string): Promise<void> {
  const rows = await tx.insert(usedTokens).values({ jti }).onConflictDoNothing().returning();
  if (!rows.length) throw new ConflictError("link_used", "Liên kết đã được sử dụng.");
}
