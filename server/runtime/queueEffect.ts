/**
 * The outbox: the one place effects are queued. An effect row is written in the transaction of
 * the change that asks for it, and the effect worker performs it after the commit.
 */
import { sql } from "drizzle-orm";
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

/**
 * Queues an effect in the outbox; the same idempotency key is never queued twice (the second is
 * ignored). Throws what the database throws.
 */
export async function queueEffect(tx: Tx, effect: QueuedEffect): Promise<void> {
  // Flat SQL: queued by nearly every transition, and Drizzle's builder costs more CPU than the insert.
  await tx.execute(sql`insert into effects (organization_id, assignment_id, kind, payload, idempotency_key,
    status, run_after)
    values (${effect.organizationId}, ${effect.assignmentId}, ${effect.kind}, ${JSON.stringify(effect.payload)}::jsonb,
      ${effect.idempotencyKey}, 'pending', ${effect.runAfter.toISOString()}::timestamptz)
    on conflict (idempotency_key) do nothing`);
}
