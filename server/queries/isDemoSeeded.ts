/** Whether the demo organisation was seeded here (its first demo log-in exists). Read-only. */
import { eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { users } from "../db/schema.js";

/** True when a user with this demo e-mail exists (production never seeds, so never there). */
export async function isDemoSeeded(db: Executor, demoEmail: string): Promise<boolean> {
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.email, demoEmail)).limit(1);
  return rows.length > 0;
}
