/**
 * Starts an import of experts into the registry as a long operation: the checked rows are queued
 * as one effect that the worker performs, and the returned id is what the progress page follows.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { eq } from "drizzle-orm";
import type { Tx } from "../db/connect.js";
import { effects } from "../db/schema.js";
import type { ImportPayload } from "../effects/importExperts.js";
import type { Clock } from "../runtime/clock.js";
import { queueEffect } from "../runtime/queueEffect.js";
import { EXPERT_IMPORT_LIMITS, importTooLarge } from "./expertWorkbook.js";
import type { ExpertInput } from "./registry.js";
import { requireRole } from "../policies/assignmentPolicy.js";

export { EXPERT_IMPORT_LIMITS, xlsxToCsv } from "./expertWorkbook.js";

/**
 * Queues the import of `rows` (already validated) and returns the import's id.
 * @throws ForbiddenError unless the actor is an administrator or the secretariat
 */
export async function startExpertImport(deps: RuntimeDeps, props: { actor: Actor; rows: ExpertInput[] }) {
  requireRole(props.actor, "admin", "secretariat");
  return inTransaction(deps, (tx) =>
    queueExpertImport(tx, { actor: props.actor, rows: props.rows, clock: deps.clock, key: randomUUID() }),
  );
}

/**
 * Queues an import; returns the effect id the progress page follows.
 * @throws AppError 413 `import_too_large` with more than `EXPERT_IMPORT_LIMITS.rows` rows.
 */
async function queueExpertImport(tx: Tx, props: { actor: Actor; rows: ExpertInput[]; clock: Clock; key: string }) {
  if (props.rows.length > EXPERT_IMPORT_LIMITS.rows) throw importTooLarge();
  await queueEffect(tx, {
    organizationId: props.actor.organizationId,
    assignmentId: null,
    kind: "expertImport",
    payload: {
      actorId: props.actor.id ?? "",
      rows: props.rows,
      total: props.rows.length,
      done: 0,
      created: 0,
    } satisfies ImportPayload,
    idempotencyKey: `import:${props.key}`,
    runAfter: props.clock.now(),
  });
  const [row] = await tx
    .select({ id: effects.id })
    .from(effects)
    .where(eq(effects.idempotencyKey, `import:${props.key}`));
  return row.id;
}
