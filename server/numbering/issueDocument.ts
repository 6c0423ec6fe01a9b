/**
 * The one writer of `documents` rows. `issueDocument` takes the next number of the document's
 * register and writes the row in `issuing` (with a history row on its assignment when the act is
 * one of its own, such as a correction); `draftDocument` writes an unnumbered draft. Both queue
 * the render effect that builds, freezes and renders the document after the commit. Used by the
 * engine's `renderDocument` action, corrections and the periodic activity report.
 */
import { randomUUID } from "node:crypto";
import type { Tx } from "../db/connect.js";
import { documents } from "../db/schema.js";
import { appendHistory } from "../runtime/appendHistory.js";
import { queueEffect } from "../runtime/queueEffect.js";
import { allocateNumber } from "./allocateNumber.js";
import { registerFor, registerYear, UNNUMBERED_KINDS } from "./registers.js";

export type DocumentRow = typeof documents.$inferSelect;

/** A document to write: what it is, whose, and what its renderer starts from. */
export type NewDocument = {
  organizationId: string;
  assignmentId: string | null;
  kind: string;
  title: string;
  actor: { id: string | null; name: string };
  at: Date;
  viewModel: Record<string, unknown>;
  /** The render effect's idempotency key (default `document:<id>:render`). */
  renderKey?: string;
};

/** A document to issue: also its register's confidentiality, what it corrects, and its history row. */
export type DocumentToIssue = NewDocument & {
  /** Confidential documents are numbered in their own registers (`BC-MAT` …). */
  confidential: boolean;
  /**
   * False for a form that carries no number (a financial statement: bảng kê, dự toán): issued,
   * rendered, signed and stored like the others, but no register's number is taken.
   */
  numbered?: boolean;
  correctsId?: string;
  /**
   * Written on the document's assignment (which must be set) as workflow "document", version 1;
   * the payload gets the new document's id as `documentId`.
   */
  history?: { eventType: string; payload: Record<string, unknown>; reason: string | null; state: string };
};

/**
 * Issues a numbered document inside `tx`: takes the next number of its register for the year of
 * `at` (Vietnam time) unless it is unnumbered (a signed form, `UNNUMBERED_KINDS`, or `numbered:
 * false`), writes the row in `issuing`, its history row if asked, and queues its render.
 * @throws Error when a history row is asked for a document without an assignment; what the database throws
 */
export async function issueDocument(tx: Tx, doc: DocumentToIssue): Promise<DocumentRow> {
  if (doc.history && !doc.assignmentId) throw new Error("A document's history row needs its assignment.");
  // A form issued without a number (UNNUMBERED_KINDS, or asked so) takes none from any register.
  const numbered = (doc.numbered ?? true) && !UNNUMBERED_KINDS.has(doc.kind);
  const register = numbered ? registerFor(doc.kind, doc.confidential) : null;
  const year = registerYear(doc.at);
  const number = register ? await allocateNumber(tx, doc.organizationId, register, year) : null;
  const row = await writeDocument(tx, doc, {
    status: "issuing",
    register,
    year,
    number,
    correctsId: doc.correctsId ?? null,
    issuedBy: doc.actor.id,
    issuedAt: doc.at,
  });
  if (doc.history) {
    await appendHistory(tx, {
      organizationId: doc.organizationId,
      assignmentId: doc.assignmentId!,
      workflow: "document",
      workflowId: row.id,
      version: 1,
      actor: doc.actor,
      eventType: doc.history.eventType,
      payload: { documentId: row.id, ...doc.history.payload },
      fromState: doc.history.state,
      toState: doc.history.state,
      reason: doc.history.reason,
      at: doc.at,
    });
  }
  return row;
}

/** Writes an unnumbered draft inside `tx` and queues its render. Throws what the database throws. */
export function draftDocument(tx: Tx, doc: NewDocument): Promise<DocumentRow> {
  return writeDocument(tx, doc, { status: "draft" });
}

async function writeDocument(
  tx: Tx,
  doc: NewDocument,
  issue: Partial<typeof documents.$inferInsert> & { status: string },
): Promise<DocumentRow> {
  const id = randomUUID();
  const [row] = await tx
    .insert(documents)
    .values({
      id,
      organizationId: doc.organizationId,
      assignmentId: doc.assignmentId,
      kind: doc.kind,
      title: doc.title,
      createdAt: doc.at,
      viewModel: doc.viewModel,
      ...issue,
    })
    .returning();
  await queueEffect(tx, {
    organizationId: doc.organizationId,
    assignmentId: doc.assignmentId,
    kind: "render",
    payload: { documentId: id },
    idempotencyKey: doc.renderKey ?? `document:${id}:render`,
    runAfter: doc.at,
  });
  return row;
}
