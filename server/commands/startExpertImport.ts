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
import type { ExpertInput } from "./registry.js";
import { requireRole } from "../policies/assignmentPolicy.js";

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

/** The first sheet of an .xlsx workbook as CSV text. */
export async function xlsxToCsv(bytes: Buffer): Promise<string> {
  const { readSheet } = await import("read-excel-file/node"); // loaded on first use: start-up time
  const rows = await readSheet(bytes);
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : v instanceof Date ? v.toISOString().slice(0, 10) : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(",")).join("\n");
}

/** Queues an import; returns the effect id the progress page follows. */
async function queueExpertImport(tx: Tx, props: { actor: Actor; rows: ExpertInput[]; clock: Clock; key: string }) {
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
