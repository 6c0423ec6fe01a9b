/**
 * The clerk's registers of a year: incoming orders (in the order they arrived) and outgoing
 * numbered documents (by register and number). Read-only.
 */
import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies, assignments, documents } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { visibleTo } from "../policies/assignmentPolicy.js";

/** Both registers of `year`, limited to what the actor may see. */
export async function listRegisters(db: Executor, actor: Actor, year: number) {
  const incoming = await db
    .select({ a: assignments, agencyName: agencies.name })
    .from(assignments)
    .leftJoin(agencies, eq(agencies.id, assignments.agencyId))
    .where(and(visibleTo(actor), sql`extract(year from ${assignments.createdAt}) = ${year}`))
    .orderBy(asc(assignments.createdAt));
  const outgoing = await db
    .select({ d: documents, code: assignments.code, title: assignments.title })
    .from(documents)
    .leftJoin(assignments, eq(assignments.id, documents.assignmentId))
    .where(
      and(
        eq(documents.organizationId, actor.organizationId),
        isNotNull(documents.number),
        eq(documents.year, year),
        sql`(${documents.assignmentId} is null or ${visibleTo(actor)})`,
      ),
    )
    .orderBy(asc(documents.register), asc(documents.number));
  return {
    incoming: incoming.map(({ a, agencyName }) => ({ assignment: a, agencyName })),
    outgoing: outgoing.map(({ d, code, title }) => ({ document: d, code, title })),
  };
}
