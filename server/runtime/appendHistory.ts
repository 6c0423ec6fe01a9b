/**
 * The history: the one place history rows are written. Every change to a workflow (and every
 * official act beside it, such as a correction) appends one row; rows are never changed.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "../db/connect.js";

/** One history row: who did what to which workflow, from which state to which. */
export type HistoryEntry = {
  organizationId: string;
  /** Null for a workflow of its own (an annual plan). */
  assignmentId: string | null;
  workflow: string;
  workflowId: string;
  /** The workflow's version after the change (unique per workflow). */
  version: number;
  actor: { id: string | null; name: string };
  eventType: string;
  payload: Record<string, unknown>;
  fromState: string | null;
  toState: string;
  reason?: string | null;
  at: Date;
};

/** Appends a history row. Throws what the database throws (a repeated workflow version is a unique violation). */
export async function appendHistory(tx: Tx, entry: HistoryEntry): Promise<void> {
  await tx.execute(historyInsert(entry));
}

/**
 * The same row as one flat-SQL statement, for a caller that joins it to its own: with `onlyIf`
 * (a CTE's name, e.g. sql`updated`) the row is inserted only if that CTE returned a row, and the
 * statement returns the new row's id.
 */
export function historyInsert(entry: HistoryEntry, onlyIf?: SQL): SQL {
  return sql`insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_id,
      actor_name, event_type, payload, from_state, to_state, reason, created_at)
    select ${entry.organizationId}, ${entry.assignmentId}, ${entry.workflow}, ${entry.workflowId}, ${entry.version},
      ${entry.actor.id}, ${entry.actor.name}, ${entry.eventType}, ${JSON.stringify(entry.payload)}::jsonb,
      ${entry.fromState}, ${entry.toState}, ${entry.reason ?? null}, ${entry.at.toISOString()}::timestamptz
    ${onlyIf ? sql`from ${onlyIf} returning id` : sql.empty()}`;
}

/**
 * Several rows as one flat-SQL statement: each row is inserted only if `onlyIf` (a CTE's name,
 * e.g. sql`updated`, with an `id` column) returned its `assignmentId`; returns the new rows' ids.
 */
export function historyInsertMany(entries: readonly HistoryEntry[], onlyIf: SQL): SQL {
  const rows = entries.map(
    (e) => sql`(${e.organizationId}, ${e.assignmentId}, ${e.workflow}, ${e.workflowId}, ${e.version}::int,
      ${e.actor.id}::text, ${e.actor.name}, ${e.eventType}, ${JSON.stringify(e.payload)}::jsonb, ${e.fromState}::text,
      ${e.toState}, ${e.reason ?? null}::text, ${e.at.toISOString()}::timestamptz)`,
  );
  return sql`insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_id,
      actor_name, event_type, payload, from_state, to_state, reason, created_at)
    select h.* from (values ${sql.join(rows, sql`, `)}) as h (organization_id, assignment_id, workflow, workflow_id,
      version, actor_id, actor_name, event_type, payload, from_state, to_state, reason, created_at)
    join ${onlyIf} on ${onlyIf}.id = h.assignment_id
    returning id`;
}
