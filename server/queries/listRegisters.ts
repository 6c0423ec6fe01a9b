/**
 * The clerk's registers of a year: incoming orders (in the order they arrived) and outgoing
 * numbered documents (by register and number), a page of each at a time. Each page is read in
 * order through an index and stops (assignments_org_created_id_idx; documents_number_uq): the
 * next page starts after the last row shown (a keyset cursor), never by skipping rows. Read-only.
 */
import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import type { Executor } from "../db/connect.js";
import { agencies, assignments, documents } from "../db/schema.js";
import type { Actor } from "../runtime/actor.js";
import { visibleTo } from "../policies/assignmentPolicy.js";

/** Rows per page of each register. */
export const REGISTER_PAGE = 100;

/** Where each register's page starts: after the last row of the page before (null: at the start). */
export type RegisterCursors = {
  incoming?: { createdAt: string; id: string } | null;
  outgoing?: { register: string; number: number } | null;
};

/** A page of both registers of `year`, limited to what the actor may see; `next…`: the cursor of the page after. */
export async function listRegisters(db: Executor, actor: Actor, year: number, from: RegisterCursors = {}) {
  const [incoming, outgoing] = [await incomingPage(db, actor, year, from), await outgoingPage(db, actor, year, from)];
  const lastIn = incoming.length > REGISTER_PAGE ? incoming[REGISTER_PAGE - 1].a : null;
  const lastOut = outgoing.length > REGISTER_PAGE ? outgoing[REGISTER_PAGE - 1].d : null;
  return {
    incoming: incoming.slice(0, REGISTER_PAGE).map(({ a, agencyName }) => ({ assignment: a, agencyName })),
    outgoing: outgoing.slice(0, REGISTER_PAGE).map(({ d, code, title }) => ({ document: d, code, title })),
    nextIncoming: lastIn ? { createdAt: lastIn.createdAt.toISOString(), id: lastIn.id } : null,
    nextOutgoing: lastOut ? { register: lastOut.register ?? "", number: lastOut.number ?? 0 } : null,
  };
}

/** The columns the incoming register shows (never the snapshot or the search text). */
const INCOMING_COLUMNS = {
  id: assignments.id,
  code: assignments.code,
  title: assignments.title,
  state: assignments.state,
  orderNumber: assignments.orderNumber,
  orderDate: assignments.orderDate,
  createdAt: assignments.createdAt,
};

/** Orders received in the year (its bounds in the session's time zone, as before), from the cursor on. */
function incomingPage(db: Executor, actor: Actor, year: number, from: RegisterCursors) {
  const c = from.incoming;
  return db
    .select({ a: INCOMING_COLUMNS, agencyName: agencies.name })
    .from(assignments)
    .leftJoin(agencies, eq(agencies.id, assignments.agencyId))
    .where(
      and(
        visibleTo(actor),
        sql`${assignments.createdAt} >= make_timestamptz(${year}, 1, 1, 0, 0, 0)`,
        sql`${assignments.createdAt} < make_timestamptz(${year + 1}, 1, 1, 0, 0, 0)`,
        c ? sql`(${assignments.createdAt}, ${assignments.id}) > (${c.createdAt}::timestamptz, ${c.id})` : undefined,
      ),
    )
    .orderBy(asc(assignments.createdAt), asc(assignments.id))
    .limit(REGISTER_PAGE + 1);
}

/** Numbered documents of the year, by register and number, from the cursor on. */
function outgoingPage(db: Executor, actor: Actor, year: number, from: RegisterCursors) {
  const c = from.outgoing;
  return db
    .select({ d: documents, code: assignments.code, title: assignments.title })
    .from(documents)
    .leftJoin(assignments, eq(assignments.id, documents.assignmentId))
    .where(
      and(
        eq(documents.organizationId, actor.organizationId),
        isNotNull(documents.number),
        eq(documents.year, year),
        sql`(${documents.assignmentId} is null or ${visibleTo(actor)})`,
        c ? sql`(${documents.register}, ${documents.number}) > (${c.register}, ${c.number})` : undefined,
      ),
    )
    .orderBy(asc(documents.register), asc(documents.number))
    .limit(REGISTER_PAGE + 1);
}
