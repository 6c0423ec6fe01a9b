/** The organisation's names and settings, and its holidays from the start of this year on. */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/connect.js";
import { holidays, organizations } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { requireSettingsReader } from "../policies/registryPolicy.js";
import { resolveSettings } from "../settings.js";

/** @throws ForbiddenError forbidden (admin, secretariat and leadership read the settings) */
export async function loadSettings(db: Db, actor: Actor, now: Date) {
  requireSettingsReader(actor);
  const [org] = await db.select().from(organizations).where(eq(organizations.id, actor.organizationId));
  const year = Number(now.toISOString().slice(0, 4));
  const days = await db
    .select()
    .from(holidays)
    .where(and(eq(holidays.organizationId, actor.organizationId), sql`${holidays.day} >= ${`${year}-01-01`}`))
    .orderBy(asc(holidays.day));
  return {
    name: org.name,
    shortName: org.shortName,
    settings: resolveSettings(org.settings),
    holidays: days.map((d) => ({ day: d.day, name: d.name })),
  };
}
