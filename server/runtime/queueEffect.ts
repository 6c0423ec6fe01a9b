/**
 * The outbox: the one place effects are queued. An effect row is written in the transaction of
 * the change that asks for it, and the effect worker performs it after the commit.
 */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { Tx } from "../db/connect.js";

/** An effect to perform after the commit: what kind, with what payload, once per idempotency key. */
export type QueuedEffect = {
  organizationId: string;
  assignmentId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  idempotencyKey: string;
  runAfter: Date;
};

/** Transactions whose effects are being collected (collectEffects) instead of written one by one. */
const collecting = new WeakMap<Tx, QueuedEffect[]>();

/**
 * Queues an effect in the outbox; the same idempotency key is never queued twice (the second is
 * ignored). Inside `collectEffects` the effect is handed to its caller, which writes it in a
 * statement of its own before the transaction commits. Throws what the database throws.
 */
export async function queueEffect(tx: Tx, effect: QueuedEffect): Promise<void> {
  const collected = collecting.get(tx);
  if (collected) return void collected.push(effect);
  // Flat SQL: queued by nearly every transition, and Drizzle's builder costs more CPU than the insert.
  await tx.execute(effectInsert(effect));
}

/**
 * Runs `fn` and returns the effects it queued on `tx`, unwritten: the caller must write each with
 * `effectInsert` in the same transaction (the engine joins them to its save, one round trip less).
 */
export async function collectEffects(tx: Tx, fn: () => Promise<void>): Promise<QueuedEffect[]> {
  const collected: QueuedEffect[] = [];
  collecting.set(tx, collected);
  try {
    await fn();
  } finally {
    collecting.delete(tx);
  }
  return collected;
}

/** An effect's columns as the insert's parameters (JSON and times already as text), by name. */
export type EffectParams = {
  organizationId: string;
  assignmentId: string | null;
  kind: string;
  payload: string;
  idempotencyKey: string;
  runAfter: string;
};

/** The parameters of `effect`'s insert, each under its name in `EffectParams`. */
export function effectParams(effect: QueuedEffect): EffectParams {
  return {
    organizationId: effect.organizationId,
    assignmentId: effect.assignmentId,
    kind: effect.kind,
    payload: JSON.stringify(effect.payload),
    idempotencyKey: effect.idempotencyKey,
    runAfter: effect.runAfter.toISOString(),
  };
}

/**
 * The insert of one effect as flat SQL; with `onlyIf` (a CTE's name) only if that CTE returned a row.
 */
export function effectInsert(effect: QueuedEffect, onlyIf?: SQL): SQL {
  return effectInsertOf(effectParams(effect), onlyIf);
}

/**
 * The insert with the given parameters: values, or placeholders (`sql.placeholder`) for a statement
 * built once and run many times with `effectParams` under the placeholders' names.
 */
export function effectInsertOf(v: { [K in keyof EffectParams]: EffectParams[K] | SQLWrapper }, onlyIf?: SQL): SQL {
  return sql`insert into effects (organization_id, assignment_id, kind, payload, idempotency_key, status, run_after)
    select ${v.organizationId}, ${v.assignmentId}, ${v.kind}, ${v.payload}::jsonb,
      ${v.idempotencyKey}, 'pending', ${v.runAfter}::timestamptz
    ${onlyIf ? sql`from ${onlyIf}` : sql.empty()}
    on conflict (idempotency_key) do nothing`;
}
