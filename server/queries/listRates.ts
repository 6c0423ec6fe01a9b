/** The rates table (định mức chi) of the organisation: by item, role and effective date. */
import { asc, desc, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { rates } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { requireRatesReader } from "../policies/planPolicy.js";

/** @throws ForbiddenError unless the actor handles money or administers the organisation */
export async function listRates(db: Executor, actor: Actor) {
  requireRatesReader(actor);
  return db
    .select()
    .from(rates)
    .where(eq(rates.organizationId, actor.organizationId))
    .orderBy(asc(rates.item), asc(rates.role), desc(rates.effectiveFrom));
}
