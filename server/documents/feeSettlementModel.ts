/**
 * The view model of the settlement statement of experts' fees (bảng kê chi thù lao chuyên gia): one
 * row per expert with what was paid for, gross, tax withheld and net, a cell for the signature, the
 * totals in figures and words and the vouchers. Pure, over the money room's settlement.
 */
import type { DocumentBase } from "./types.js";
import type { Settlement } from "../money/buildSettlement.js";
import type { FeeSettlementModel, FinanceSigners } from "./planTypes.js";
import { label } from "../words/catalogue.js";
import { decisionRef, figures, inWords, typeLabel } from "./planWords.js";

export type FeeSettlementInput = Omit<DocumentBase, "asAbove" | "number"> &
  FinanceSigners & {
    settlement: Settlement;
    subject: { type: string; title: string };
    /** The decision establishing the council or expert group that did the work. */
    panelDecision?: { number: string; date: string; panelKind: "council" | "expert_group" } | null;
  };

/**
 * The statement's view model.
 * @throws ValidationError `invalid_amount` for a malformed amount.
 */
export function buildFeeSettlementModel(input: FeeSettlementInput): FeeSettlementModel {
  const { settlement: s, subject, panelDecision, ...base } = input;
  return {
    ...base,
    asAbove: false,
    number: null,
    subject: `${typeLabel(subject.type)} ${subject.title}`,
    panelDecision: panelDecision
      ? `${label("form", panelDecision.panelKind, "vi")} thành lập theo ${decisionRef(panelDecision)}`
      : null,
    rows: s.rows.map((r) => ({
      no: String(r.no),
      name: r.name,
      role: [r.role, r.workplace].filter(Boolean).join(", "),
      items: r.items.map((i) => `${i.description}: ${figures(i.amount)}`),
      gross: figures(r.gross),
      tax: figures(r.tax),
      net: figures(r.net),
    })),
    totals: { gross: figures(s.totals.gross), tax: figures(s.totals.tax), net: figures(s.totals.net) },
    totalWords: inWords(Math.max(s.totals.gross, 0)),
    vouchers: s.vouchers.join(", "),
  };
}
