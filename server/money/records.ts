/**
 * Rows of the money tables as the pure functions of this room take them (`Rate`, `Payment`).
 * Pure: the callers read the rows.
 */
import type { Payment, Rate, RateItem, RateRole, PayeeKind } from "./types.js";

type RateRow = {
  id: string;
  item: string;
  role: string | null;
  label: string;
  unit: string;
  amount: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  legalBasis: string;
};

type PaymentRow = {
  id: string;
  assignmentId: string | null;
  planItemId: string | null;
  payeeKind: string;
  expertId: string | null;
  payeeName: string;
  item: string;
  description: string;
  amount: number;
  taxWithheld: number;
  paidOn: string;
  voucherNumber: string;
  reversesId: string | null;
};

/** A `rates` row as a `Rate`. */
export const rateOf = (r: RateRow): Rate => ({ ...r, item: r.item as RateItem, role: r.role as RateRole | null });

/** A `payments` row as a `Payment`. */
export const paymentOf = (p: PaymentRow): Payment => ({
  id: p.id,
  assignmentId: p.assignmentId,
  planItemId: p.planItemId,
  payee: { kind: p.payeeKind as PayeeKind, expertId: p.expertId, name: p.payeeName },
  item: p.item as Payment["item"],
  description: p.description,
  amount: p.amount,
  taxWithheld: p.taxWithheld,
  paidOn: p.paidOn,
  voucherNumber: p.voucherNumber,
  reversesId: p.reversesId,
});
