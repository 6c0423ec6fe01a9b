/**
 * The year's money against the plan (tổng hợp kinh phí năm): for every item of the approved list,
 * the approved budget, the estimate and what was paid in the year; payments for work outside the
 * list on a line of their own; totals. Pure, over plan items, estimates and payment records.
 */
import { ValidationError } from "../errors.js";
import { sumDong } from "./dong.js";
import { yearOf } from "./calendarDay.js";
import type { Payment } from "./types.js";

/** A plan item as the statement needs it. */
export type StatementItem = {
  itemId: string;
  title: string;
  status: string;
  /** The budget the province approved (after changes); null for an item not approved. */
  approvedBudget: number | null;
  assignmentId: string | null;
};

export type YearStatementRow = {
  itemId: string | null;
  title: string;
  status: string | null;
  approved: number;
  estimated: number | null;
  spent: number;
  /** approved − spent; negative when overspent. */
  remaining: number;
};

export type YearStatement = {
  year: number;
  rows: YearStatementRow[];
  totals: { approved: number; estimated: number; spent: number; remaining: number };
};

const paidFor = (p: Payment, item: StatementItem) =>
  p.planItemId === item.itemId || (item.assignmentId !== null && p.assignmentId === item.assignmentId);

/**
 * The statement of `year`: payments dated in that year only; an item's payments are those naming
 * the item or its assignment; the rest go to "Nhiệm vụ ngoài danh mục".
 * @throws ValidationError `invalid_amount` for a malformed amount; `invalid_year`.
 */
export function yearStatement(input: {
  year: number;
  items: readonly StatementItem[];
  /** The latest estimate's total per assignment id. */
  estimates: Readonly<Record<string, number>>;
  payments: readonly Payment[];
}): YearStatement {
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2200) {
    throw new ValidationError("invalid_year", "Năm không hợp lệ.", "year");
  }
  const payments = input.payments.filter((p) => yearOf(p.paidOn) === input.year);
  const used = new Set<string>();
  const rows: YearStatementRow[] = input.items.map((item) => {
    const mine = payments.filter((p) => paidFor(p, item));
    mine.forEach((p) => used.add(p.id));
    const approved = item.approvedBudget ?? 0;
    const spent = sumDong(mine.map((p) => p.amount));
    const estimated = item.assignmentId ? (input.estimates[item.assignmentId] ?? null) : null;
    return {
      itemId: item.itemId,
      title: item.title,
      status: item.status,
      approved,
      estimated,
      spent,
      remaining: approved - spent,
    };
  });
  const outside = payments.filter((p) => !used.has(p.id));
  if (outside.length > 0) {
    const spent = sumDong(outside.map((p) => p.amount));
    rows.push({
      itemId: null,
      title: "Nhiệm vụ ngoài danh mục",
      status: null,
      approved: 0,
      estimated: null,
      spent,
      remaining: -spent,
    });
  }
  const totals = {
    approved: sumDong(rows.map((r) => r.approved)),
    estimated: sumDong(rows.map((r) => r.estimated ?? 0)),
    spent: sumDong(rows.map((r) => r.spent)),
    remaining: 0,
  };
  totals.remaining = sumDong([totals.approved, -totals.spent]);
  return { year: input.year, rows, totals };
}
