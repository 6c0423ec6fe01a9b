/**
 * The statement that saves an assignment's transition (the versioned update, the history row and
 * the outbox rows of the mail it queued, as CTEs), built once per shape — how many outbox rows —
 * and run with its values as parameters. Building it with Drizzle's `sql` for every event cost
 * about 25 KB of allocation and a share of the CPU per event (docs/BENCHMARKS.md, "The event path,
 * fourth pass"); on PostgreSQL it is also a named prepared statement, parsed and planned once per
 * connection. The SQL itself stays where it is written: `historyInsertOf` (appendHistory.ts) and
 * `effectInsertOf` (queueEffect.ts), here given placeholders instead of values.
 */
import { sql, type Placeholder, type Query, type SQL } from "drizzle-orm";
import { rowsOf, type Executor } from "../db/connect.js";
import { historyInsertOf, historyParams, type HistoryEntry } from "./appendHistory.js";
import { effectInsertOf, effectParams, type QueuedEffect } from "./queueEffect.js";

/** What the versioned update writes: the row `id` at `fromVersion` becomes `version` (times and JSON as text). */
export type AssignmentUpdate = {
  id: string;
  fromVersion: number;
  version: number;
  state: string;
  snapshot: string;
  updatedAt: string;
  machineVersion: number;
};

/**
 * Runs the save on `executor` (a transaction, or the database itself for a statement alone) and
 * returns how many history rows it wrote: 1, or 0 when the version had moved (nothing written).
 */
export async function runAssignmentSave(
  executor: Executor,
  update: AssignmentUpdate,
  history: HistoryEntry,
  effects: readonly QueuedEffect[],
): Promise<number> {
  const values: Record<string, unknown> = { ...update, ...prefixed("h_", historyParams(history)) };
  effects.forEach((e, i) => Object.assign(values, prefixed(`e${i}_`, effectParams(e))));
  const written = await preparedSave(executor, effects.length).execute(values);
  return rowsOf(written).length;
}

type Prepared = { execute(values: Record<string, unknown>): Promise<unknown> };
type Session = {
  prepareQuery(query: Query, fields: undefined, name: string, arrayMode: boolean): Prepared;
};
/** Drizzle's database or transaction, as its query builders see it: its SQL dialect and its session. */
type Internals = { dialect: { sqlToQuery(sql: SQL): Query }; session: Session };
/** The statement's text and parameters (placeholders), by the number of outbox rows. */
const statements = new Map<number, Query>();
/** Drizzle's prepared query, per session (the database's, or a transaction's) and shape. */
const prepared = new WeakMap<Session, Map<number, Prepared>>();

function preparedSave(executor: Executor, effectCount: number): Prepared {
  // Drizzle's session runs prepared queries on its client (the pool, or the transaction's connection).
  const { dialect, session } = executor as unknown as Internals;
  let byShape = prepared.get(session);
  if (!byShape) prepared.set(session, (byShape = new Map()));
  let query = byShape.get(effectCount);
  if (!query) {
    const statement = statementFor(dialect, effectCount);
    query = session.prepareQuery(statement, undefined, `tvpb_save_assignment_${effectCount}`, false);
    byShape.set(effectCount, query);
  }
  return query;
}

/** The statement for `effectCount` outbox rows (the same text on both engines: both speak PostgreSQL's SQL). */
function statementFor(dialect: Internals["dialect"], effectCount: number): Query {
  let query = statements.get(effectCount);
  if (query) return query;
  const p = named<Record<keyof AssignmentUpdate, Placeholder>>("");
  const effects = Array.from(
    { length: effectCount },
    (_, i) => sql`, ${sql.raw(`effect${i}`)} as (${effectInsertOf(named(`e${i}_`), sql`updated`)})`,
  );
  const statement: SQL = sql`with updated as (
      update assignments set snapshot = ${p.snapshot}::jsonb, state = ${p.state}, version = ${p.version},
        updated_at = ${p.updatedAt}::timestamptz, machine_version = ${p.machineVersion}
      where id = ${p.id} and version = ${p.fromVersion} returning id)
    ${sql.join(effects)}
    ${historyInsertOf(named("h_"), sql`updated`)}`;
  query = dialect.sqlToQuery(statement);
  statements.set(effectCount, query);
  return query;
}

/** An object whose every property is the placeholder `prefix` + its name (typed as what it stands in for). */
function named<T>(prefix: string): T {
  return new Proxy({}, { get: (_t, key): Placeholder => sql.placeholder(prefix + String(key)) }) as T;
}

function prefixed(prefix: string, values: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) out[prefix + k] = v;
  return out;
}
