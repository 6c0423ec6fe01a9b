/** For /readyz: how many organisations' active signing keys expire within 30 days, or have expired. */
import { and, eq, lt, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { signingKeys } from "../db/schema.js";
import { EXPIRY_WARNING_DAYS } from "../signing/signingKeyStore.js";

/** Counts of active keys near or past their expiry (no names: /readyz is public). */
export async function signingKeyWarnings(
  db: Db,
  now: Date,
): Promise<{ expiringWithin30Days: number; expired: number }> {
  const soon = new Date(now.getTime() + EXPIRY_WARNING_DAYS * 86_400_000);
  const [row] = await db
    .select({
      soon: sql<number>`count(*)::int`,
      expired: sql<number>`count(*) filter (where ${signingKeys.notAfter} < ${now.toISOString()}::timestamptz)::int`,
    })
    .from(signingKeys)
    .where(and(eq(signingKeys.status, "active"), lt(signingKeys.notAfter, soon)));
  return { expiringWithin30Days: Number(row?.soon ?? 0), expired: Number(row?.expired ?? 0) };
}
