/** Whether the installation is still empty: no Union and no operator (the first-run page is open then). */
import { sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { operators, organizations } from "../db/schema.js";

/** True when the database holds no organisation and no operator. */
export async function isInstallationEmpty(db: Executor): Promise<boolean> {
  const [o] = await db.select({ n: sql<number>`count(*)::int` }).from(organizations);
  const [p] = await db.select({ n: sql<number>`count(*)::int` }).from(operators);
  return Number(o.n) === 0 && Number(p.n) === 0;
}
