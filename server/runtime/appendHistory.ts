/**
 * The history: the one place history rows are written. Every change to a workflow (and every
 * official act beside it, such as a correction) appends one row; rows are never changed.
 */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
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

/** A history row's columns as the insert's parameters (JSON and times already as text), by name. */
export type HistoryParams = {
  organizationId: string;
  assignmentId: string | null;
  workflow: string;
  workflowId: string;
  version: number;
  actorId: string | null;
  actorName: string;
  eventType: string;
  payload: string;
  fromState: string | null;
  toState: string;
  reason: string | null;
  at: string;
};

/** The parameters of `entry`'s insert, each under its name in `HistoryParams`. */
export function historyParams(entry: HistoryEntry): HistoryParams {
  return {
    organizationId: entry.organizationId,
    assignmentId: entry.assignmentId,
    workflow: entry.workflow,
    workflowId: entry.workflowId,
    version: entry.version,
    actorId: entry.actor.id,
    actorName: entry.actor.name,
    eventType: entry.eventType,
    payload: JSON.stringify(entry.payload),
    fromState: entry.fromState,
    toState: entry.toState,
    reason: entry.reason ?? null,
    at: entry.at.toISOString(),
  };
}

/**
 * The same row as one flat-SQL statement, for a caller that joins it to its own: with `onlyIf`
 * (a CTE's name, e.g. sql`updated`) the row is inserted only if that CTE returned a row, and the
 * statement returns the new row's id.
 */
export function historyInsert(entry: HistoryEntry, onlyIf?: SQL): SQL {
  return historyInsertOf(historyParams(entry), onlyIf);
}

/**
 * The insert with the given parameters: values, or placeholders (`sql.placeholder`) for a statement
 * built once and run many times with `historyParams` under the placeholders' names.
 */
export function historyInsertOf(v: { [K in keyof HistoryParams]: HistoryParams[K] | SQLWrapper }, onlyIf?: SQL): SQL {
  return sql`insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_id,
      actor_name, event_type, payload, from_state, to_state, reason, created_at)
    select ${v.organizationId}, ${v.assignmentId}, ${v.workflow}, ${v.workflowId}, ${v.version},
      ${v.actorId}, ${v.actorName}, ${v.eventType}, ${v.payload}::jsonb,
      ${v.fromState}, ${v.toState}, ${v.reason}, ${v.at}::timestamptz
    ${onlyIf ? sql`from ${onlyIf} returning id` : sql.empty()}`;
}

/**
 * Several rows as one flat-SQL statement: each row is inserted only if `onlyIf` (a CTE's name,
 * e.g. sql`updated`, with an `id` column) returned its `assignmentId`; returns the new rows' ids.
 */
export function historyInsertMany(entries: readonly HistoryEntry[], onlyIf: SQL): SQL {
  const rows = entries.map(historyParams).map(
    (v) => sql`(${v.organizationId}, ${v.assignmentId}, ${v.workflow}, ${v.workflowId}, ${v.version}::int,
      ${v.actorId}::text, ${v.actorName}, ${v.eventType}, ${v.payload}::jsonb, ${v.fromState}::text,
      ${v.toState}, ${v.reason}::text, ${v.at}::timestamptz)`,
  );
  return sql`insert into history (organization_id, assignment_id, workflow, workflow_id, version, actor_id,
      actor_name, event_type, payload, from_state, to_state, reason, created_at)
    select h.* from (values ${sql.join(rows, sql`, `)}) as h (organization_id, assignment_id, workflow, workflow_id,
      version, actor_id, actor_name, event_type, payload, from_state, to_state, reason, created_at)
    join ${onlyIf} on ${onlyIf}.id = h.assignment_id
    returning id`;
}
