/**
 * The accountant's forms as the money commands' JSON input (the money schemas check them): a
 * rate, a payment, a reversal, an estimate. Amounts typed the Vietnamese way ("1.500.000").
 */
import { str } from "./fields.js";
import { readAmount } from "./readPlanForms.js";

const opt = (v: unknown) => str(v).trim() || undefined;
const count = (v: unknown) => (str(v).trim() ? Number(str(v).trim()) : undefined);
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(str) : [str(v)]);

/** A row of the rates table. */
export const readRateForm = (b: Record<string, unknown>) => ({
  item: str(b.item),
  role: opt(b.role) ?? null,
  label: str(b.label).trim(),
  unit: str(b.unit).trim(),
  amount: readAmount(b.amount),
  effectiveFrom: str(b.effectiveFrom),
  effectiveTo: opt(b.effectiveTo) ?? null,
  legalBasis: str(b.legalBasis).trim(),
});

/** A payment with its voucher. */
export function readPaymentForm(b: Record<string, unknown>) {
  const kind = str(b.payeeKind);
  return {
    assignmentId: str(b.assignmentId),
    payee: {
      kind,
      ...(kind === "expert" ? { expertId: opt(b.expertId) ?? null } : {}),
      ...(opt(b.payeeName) ? { name: opt(b.payeeName) } : {}),
    },
    item: str(b.item),
    description: str(b.description).trim(),
    amount: readAmount(b.amount),
    ...(str(b.taxWithheld).trim() ? { taxWithheld: readAmount(b.taxWithheld) } : {}),
    paidOn: str(b.paidOn),
    voucherNumber: str(b.voucherNumber).trim(),
  };
}

/** A reversal of a payment (the whole amount when none is typed). */
export const readReversalForm = (b: Record<string, unknown>) => ({
  ...(str(b.amount).trim() ? { amount: readAmount(b.amount) } : {}),
  paidOn: str(b.paidOn),
  voucherNumber: str(b.voucherNumber).trim(),
  reason: str(b.reason).trim(),
});

/** A new estimate version: the panel by role, the forms, sessions and the adjustments typed. */
export function readEstimateForm(b: Record<string, unknown>) {
  const panel = Object.fromEntries(
    ["chair", "secretary", "reviewer", "member"].map((k) => [k, count(b[k])]).filter(([, v]) => v !== undefined),
  );
  const workshop = Object.fromEntries(
    ["sessions", "papers", "participants"].map((k) => [k, count(b[k])]).filter(([, v]) => v !== undefined),
  );
  const adjustments = [0, 1, 2]
    .filter((i) => str(b[`adjLabel${i}`]).trim() || str(b[`adjAmount${i}`]).trim())
    .map((i) => ({
      label: str(b[`adjLabel${i}`]).trim(),
      amount: readAmount(b[`adjAmount${i}`]),
      reason: str(b[`adjReason${i}`]).trim(),
    }));
  return {
    panel,
    forms: list(b.forms),
    ...(count(b.meetings) !== undefined ? { meetings: count(b.meetings) } : {}),
    ...(Object.keys(workshop).length ? { workshop } : {}),
    ...(count(b.travel) !== undefined ? { travel: count(b.travel) } : {}),
    ...(count(b.printing) !== undefined ? { printing: count(b.printing) } : {}),
    ...(adjustments.length ? { adjustments } : {}),
    ...(opt(b.reason) ? { reason: opt(b.reason) } : {}),
  };
}
