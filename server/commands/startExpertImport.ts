/**
 * Starts an import of experts into the registry as a long operation: the checked rows are queued
 * as one effect that the worker performs, and the returned id is what the progress page follows.
 */
import { randomUUID } from "node:crypto";
import type { Actor } from "../runtime/actor.js";
import { inTransaction, type RuntimeDeps } from "../runtime/applyEvent.js";
import { queueExpertImport } from "../effects/importExperts.js";
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
