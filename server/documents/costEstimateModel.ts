/**
 * The view model of an assignment's cost estimate (dự toán kinh phí): the money room's estimate
 * line by line, the subtotal, adjustments with their reasons, the total in figures and words, the
 * legal bases of the rates, and the budget the list approved. Pure.
 */
import type { DocumentBase } from "./types.js";
import type { Estimate } from "../money/types.js";
import type { CostEstimateModel, FinanceSigners } from "./planTypes.js";
import { figures, formsLabel, inWords, typeLabel } from "./planWords.js";

export type CostEstimateInput = Omit<DocumentBase, "asAbove" | "number"> &
  FinanceSigners & {
    estimate: Estimate;
    subject: { type: string; title: string; orderingAgency: string; forms: string[] };
  };

/**
 * The estimate's view model.
 * @throws ValidationError `invalid_amount` for a malformed amount.
 */
export function buildCostEstimateModel(input: CostEstimateInput): CostEstimateModel {
  const { estimate: e, subject, ...base } = input;
  return {
    ...base,
    asAbove: false,
    number: null,
    subject: `${typeLabel(subject.type)} ${subject.title}`,
    orderingAgency: subject.orderingAgency,
    form: formsLabel(subject.forms),
    rows: e.lines.map((l, i) => ({
      no: String(i + 1),
      label: l.label,
      unit: l.unit,
      quantity: String(l.quantity),
      unitAmount: figures(l.unitAmount),
      amount: figures(l.amount),
    })),
    subtotal: figures(e.subtotal),
    adjustments: e.adjustments.map((a) => ({ label: a.label, amount: figures(a.amount), reason: a.reason })),
    total: figures(e.total),
    totalWords: inWords(e.total),
    bases: e.legalBases,
    budget: e.budget === null ? null : figures(e.budget),
  };
}
