/**
 * What the accountant's payment form chooses from: the organisation's assignments (newest first,
 * a confidential one by its code only) and its experts by name.
 */
import { asc, desc, eq } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { assignments, experts } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { requireMoneyReader } from "../policies/planPolicy.js";
import { personName } from "../words/personName.js";

/** @throws ForbiddenError unless the actor sees all payments */
export async function listMoneyChoices(db: Executor, actor: Actor) {
  requireMoneyReader(actor);
  const org = actor.organizationId;
  const work = await db
    .select({
      id: assignments.id,
      code: assignments.code,
      title: assignments.title,
      confidential: assignments.confidential,
    })
    .from(assignments)
    .where(eq(assignments.organizationId, org))
    .orderBy(desc(assignments.createdAt))
    .limit(500);
  const people = await db.select().from(experts).where(eq(experts.organizationId, org)).orderBy(asc(experts.fullName));
  return {
    assignments: work.map((a) => ({ id: a.id, label: a.confidential ? a.code : `${a.code} – ${a.title}` })),
    experts: people.map((e) => ({ id: e.id, name: personName(e) })),
  };
}
