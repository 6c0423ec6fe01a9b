/**
 * One expert's payments in a year (bảng kê thu nhập của chuyên gia): every payment and reversal in
 * date order with its voucher and assignment, gross, tax withheld, net, and the year's totals. Pure.
 * Who may see it (the expert, leadership, the secretariat, the accountant) is the caller's policy.
 */
import { sumDong } from "./dong.js";
import { yearOf } from "./calendarDay.js";
import type { Payment } from "./types.js";

export type ExpertStatementLine = {
  paidOn: string;
  voucherNumber: string;
  assignmentId: string | null;
  /** The assignment as the reader may see it (the caller masks confidential titles). */
  assignment: string | null;
  description: string;
  gross: number;
  tax: number;
  net: number;
  reversal: boolean;
};

export type ExpertStatement = {
  year: number;
  expertId: string;
  name: string;
  lines: ExpertStatementLine[];
  totals: { gross: number; tax: number; net: number };
};

/**
 * The statement of `expertId`'s payments dated in `year`.
 * @throws ValidationError `invalid_amount` for a malformed amount.
 */
export function expertStatement(input: {
  year: number;
  expertId: string;
  name: string;
  payments: readonly Payment[];
  /** Assignment id → how the reader sees it (code and title, or just the code when confidential). */
  assignments: Readonly<Record<string, string>>;
}): ExpertStatement {
  const lines = input.payments
    .filter((p) => p.payee.kind === "expert" && p.payee.expertId === input.expertId && yearOf(p.paidOn) === input.year)
    .sort((a, b) => a.paidOn.localeCompare(b.paidOn) || a.voucherNumber.localeCompare(b.voucherNumber, "vi"))
    .map((p) => ({
      paidOn: p.paidOn,
      voucherNumber: p.voucherNumber,
      assignmentId: p.assignmentId,
      assignment: p.assignmentId ? (input.assignments[p.assignmentId] ?? null) : null,
      description: p.description,
      gross: p.amount,
      tax: p.taxWithheld,
      net: sumDong([p.amount, -p.taxWithheld]),
      reversal: p.reversesId !== null,
    }));
  const totals = {
    gross: sumDong(lines.map((l) => l.gross)),
    tax: sumDong(lines.map((l) => l.tax)),
    net: sumDong(lines.map((l) => l.net)),
  };
  return { year: input.year, expertId: input.expertId, name: input.name, lines, totals };
}
