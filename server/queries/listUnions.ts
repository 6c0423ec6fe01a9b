/**
 * The Unions of the installation, for its operator: names, province, state and how many accounts
 * each has. Nothing of a Union's work (assignments, opinions, documents, mail) and no personal data.
 */
import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { organizations, users } from "../db/schema.js";
import { NotFoundError } from "../errors.js";
import type { Operator } from "../runtime/actor.js";
import { requireOperator } from "../policies/operatorPolicy.js";

/** Every Union, oldest first. @throws UnauthenticatedError without an operator */
export async function listUnions(db: Executor, operator: Operator | undefined) {
  requireOperator(operator);
  return db
    .select({
      id: organizations.id,
      slug: organizations.slug,
      name: organizations.name,
      shortName: organizations.shortName,
      province: organizations.province,
      suspendedAt: organizations.suspendedAt,
      createdAt: organizations.createdAt,
      accounts: sql<number>`(select count(*)::int from ${users} where ${users.organizationId} = ${organizations.id})`,
    })
    .from(organizations)
    .orderBy(asc(organizations.createdAt), asc(organizations.slug));
}

/** One Union's row. @throws NotFoundError organization_not_found */
export async function findUnion(db: Executor, id: string) {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  if (!row) throw new NotFoundError("organization_not_found", "Không tìm thấy Liên hiệp hội.");
  return row;
}
