/** The settings page: the organisation row and its public holidays of one year (by day). Read-only. */
import { and, asc, eq, gte, lte } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { holidays } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { findOrganization } from "./findOrganization.js";

/** The actor's organisation and the holidays it recorded for `year`. */
export async function loadOrganizationSettings(db: Executor, actor: Actor, year: number) {
  const org = await findOrganization(db, actor);
  const days = await db
    .select()
    .from(holidays)
    .where(
      and(
        eq(holidays.organizationId, actor.organizationId),
        gte(holidays.day, `${year}-01-01`),
        lte(holidays.day, `${year}-12-31`),
      ),
    )
    .orderBy(asc(holidays.day));
  return { org, holidays: days };
}
