/**
 * Who an annual plan's mail is for (workflows/annualPlan `PlanAudience`): the users holding a role
 * (secretariat, leadership, clerk, accountant), the proposers (users of the agencies and member
 * associations that proposed items; before any proposal, every agency and association user), or
 * the proposer of one item. "province" has no address in the registry yet: nobody.
 */
import { and, arrayContains, eq, inArray, or } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { planItems, users } from "../db/schema.js";
import type { Recipient } from "./recipients.js";

type UserRow = typeof users.$inferSelect;

const recipient = (u: UserRow): Recipient => ({
  name: u.fullName,
  address: u.email,
  locale: u.locale === "en" ? "en" : "vi",
  userId: u.id,
});

/** The addresses of a plan audience, each once. */
export async function resolvePlanRecipients(
  db: Executor,
  organizationId: string,
  planId: string,
  to: unknown,
): Promise<Recipient[]> {
  const active = and(eq(users.organizationId, organizationId), eq(users.active, true))!;
  let rows: UserRow[] = [];
  if (typeof to === "string" && ["secretariat", "leadership", "clerk", "accountant"].includes(to)) {
    rows = await db
      .select()
      .from(users)
      .where(and(active, arrayContains(users.roles, [to])));
  } else if (to === "proposers" || (to && typeof to === "object" && "itemProposer" in to)) {
    const itemId = to === "proposers" ? null : String((to as { itemProposer: unknown }).itemProposer);
    const items = await db
      .select({ agencyId: planItems.agencyId, associationId: planItems.memberAssociationId })
      .from(planItems)
      .where(itemId ? eq(planItems.id, itemId) : eq(planItems.planId, planId));
    rows = await proposerUsers(db, active, items, to === "proposers" && items.length === 0);
  }
  const seen = new Set<string>();
  return rows
    .map(recipient)
    .filter((r) => r.address && !seen.has(r.address.toLowerCase()) && seen.add(r.address.toLowerCase()));
}

async function proposerUsers(
  db: Executor,
  active: ReturnType<typeof and>,
  items: Array<{ agencyId: string | null; associationId: string | null }>,
  everyone: boolean,
): Promise<UserRow[]> {
  if (everyone)
    return db
      .select()
      .from(users)
      .where(and(active, or(arrayContains(users.roles, ["agency"]), arrayContains(users.roles, ["association"]))));
  const agencyIds = [...new Set(items.map((i) => i.agencyId).filter((x): x is string => !!x))];
  const assocIds = [...new Set(items.map((i) => i.associationId).filter((x): x is string => !!x))];
  const conds = [
    ...(agencyIds.length ? [inArray(users.agencyId, agencyIds)] : []),
    ...(assocIds.length ? [inArray(users.memberAssociationId, assocIds)] : []),
  ];
  return conds.length
    ? db
        .select()
        .from(users)
        .where(and(active, or(...conds)))
    : [];
}
