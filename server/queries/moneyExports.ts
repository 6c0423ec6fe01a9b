/**
 * The accountant's workbooks (.xlsx): payments of a year, an assignment's estimate and settlement
 * statement, an expert's statement of the year. Headers in the reader's language; text cells are
 * escaped against spreadsheet injection by server/exports/xlsx.ts. Who may read each is the
 * query's it is built from.
 */
import type { Executor } from "../db/connect.js";
import type { Actor } from "../runtime/actor.js";
import { defineSheet, writeWorkbook } from "../exports/xlsx.js";
import { translate } from "../words/catalogue.js";
import { listEstimates, listPayments, loadExpertStatement, loadSettlement, type PaymentFilters } from "./moneyReads.js";

const h = (actor: Actor, key: string) => translate(actor.locale, `xlsx.${key}`);

/** The payments the actor may see, as a workbook. */
export async function exportPayments(db: Executor, actor: Actor, f: PaymentFilters): Promise<Buffer> {
  const rows = await listPayments(db, actor, f);
  return writeWorkbook([
    defineSheet({
      name: h(actor, "payments"),
      rows,
      columns: [
        { header: h(actor, "paidOn"), kind: "day", value: (r) => r.paidOn },
        { header: h(actor, "voucher"), kind: "text", value: (r) => r.voucherNumber },
        { header: h(actor, "payee"), kind: "text", value: (r) => r.payeeName },
        { header: h(actor, "description"), kind: "text", value: (r) => r.description },
        { header: h(actor, "amount"), kind: "money", value: (r) => r.amount },
        { header: h(actor, "tax"), kind: "money", value: (r) => r.taxWithheld },
        { header: h(actor, "net"), kind: "money", value: (r) => r.amount - r.taxWithheld },
      ],
    }),
  ]);
}

/** The assignment's latest estimate: its lines and adjustments. */
export async function exportEstimate(db: Executor, actor: Actor, assignmentId: string): Promise<Buffer> {
  const { versions } = await listEstimates(db, actor, assignmentId);
  const last = versions.at(-1);
  const lines = [
    ...(last?.lines ?? []).map((l) => ({
      label: l.label,
      unit: l.unit,
      quantity: l.quantity,
      unitAmount: l.unitAmount,
      amount: l.amount,
      note: l.legalBasis,
    })),
    ...(last?.adjustments ?? []).map((a) => ({
      label: a.label,
      unit: "",
      quantity: 1,
      unitAmount: a.amount,
      amount: a.amount,
      note: a.reason,
    })),
  ];
  return writeWorkbook([
    defineSheet({
      name: h(actor, "estimate"),
      rows: lines,
      columns: [
        { header: h(actor, "item"), kind: "text", value: (r) => r.label },
        { header: h(actor, "unit"), kind: "text", value: (r) => r.unit },
        { header: h(actor, "quantity"), kind: "count", value: (r) => r.quantity },
        { header: h(actor, "unitAmount"), kind: "money", value: (r) => r.unitAmount },
        { header: h(actor, "amount"), kind: "money", value: (r) => r.amount },
        { header: h(actor, "note"), kind: "text", value: (r) => r.note },
      ],
    }),
  ]);
}

/** The settlement statement: one row per paid expert. */
export async function exportSettlement(db: Executor, actor: Actor, assignmentId: string): Promise<Buffer> {
  const s = await loadSettlement(db, actor, assignmentId);
  return writeWorkbook([
    defineSheet({
      name: h(actor, "settlement"),
      rows: s.rows,
      columns: [
        { header: h(actor, "no"), kind: "count", value: (r) => r.no },
        { header: h(actor, "payee"), kind: "text", value: (r) => r.name },
        { header: h(actor, "role"), kind: "text", value: (r) => r.role },
        { header: h(actor, "amount"), kind: "money", value: (r) => r.gross },
        { header: h(actor, "tax"), kind: "money", value: (r) => r.tax },
        { header: h(actor, "net"), kind: "money", value: (r) => r.net },
        { header: h(actor, "signature"), kind: "text", value: () => "" },
      ],
    }),
  ]);
}

/** An expert's statement of the year. */
export async function exportExpertStatement(db: Executor, actor: Actor, expertId: string, year: number) {
  const s = await loadExpertStatement(db, actor, expertId, year);
  return writeWorkbook([
    defineSheet({
      name: h(actor, "statement"),
      rows: s.lines,
      columns: [
        { header: h(actor, "paidOn"), kind: "day", value: (r) => r.paidOn },
        { header: h(actor, "voucher"), kind: "text", value: (r) => r.voucherNumber },
        { header: h(actor, "assignment"), kind: "text", value: (r) => r.assignment },
        { header: h(actor, "description"), kind: "text", value: (r) => r.description },
        { header: h(actor, "amount"), kind: "money", value: (r) => r.gross },
        { header: h(actor, "tax"), kind: "money", value: (r) => r.tax },
        { header: h(actor, "net"), kind: "money", value: (r) => r.net },
      ],
    }),
  ]);
}
