/**
 * The view model of the year's execution report (báo cáo kết quả thực hiện danh mục): every item of
 * the approved list with its quarter, where it ended, the budget approved and the money spent, the
 * counts of planned, done, carried over and cut, and the totals in figures and words. Pure, over the
 * money room's year statement.
 */
import type { DocumentBase } from "./types.js";
import type { YearStatement } from "../money/yearStatement.js";
import type { PlanExecutionReportModel } from "./planTypes.js";
import { decisionRef, figures, inWords, itemStatusLabel, quarterLabel, two } from "./planWords.js";

export type ExecutionReportInput = Omit<DocumentBase, "asAbove"> & {
  year: number;
  bases: string[];
  /** The decision approving the list, then those approving amendments. */
  decisions: Array<{ number: string; date: string }>;
  /** Every item that was ever approved (cut ones included), with its final quarter. */
  items: Array<{ itemId: string; status: string; quarter: number }>;
  statement: YearStatement;
  evaluation: string[];
  proposals: string[];
};

/** On the list at the end of the year: done, or carried over (cut items are counted apart). */
const ON_LIST = ["approved", "changed", "started", "done", "carriedOver"];

/**
 * The report's view model; rows follow the statement's order, work outside the list last.
 * @throws ValidationError `invalid_amount` for a malformed amount.
 */
export function buildPlanExecutionReportModel(input: ExecutionReportInput): PlanExecutionReportModel {
  const { year, bases, decisions, items, statement, evaluation, proposals, ...base } = input;
  const byId = new Map(items.map((i) => [i.itemId, i]));
  const rows = statement.rows.map((r, i) => {
    const item = r.itemId ? byId.get(r.itemId) : undefined;
    return {
      no: String(i + 1),
      title: r.title,
      quarter: item ? quarterLabel(item.quarter) : "",
      status: item ? itemStatusLabel(item.status) : "",
      approved: figures(r.approved),
      spent: figures(r.spent),
      remaining: figures(r.remaining),
    };
  });
  const count = (...statuses: string[]) => two(items.filter((i) => statuses.includes(i.status)).length);
  return {
    ...base,
    asAbove: false,
    year,
    bases,
    decisions: decisions.map(decisionRef),
    counts: {
      planned: count(...ON_LIST),
      done: count("done"),
      carriedOver: count("carriedOver", "started", "approved", "changed"),
      cut: count("cut"),
    },
    rows,
    totals: {
      approved: figures(statement.totals.approved),
      spent: figures(statement.totals.spent),
      remaining: figures(statement.totals.remaining),
      spentWords: inWords(Math.max(statement.totals.spent, 0)),
      approvedWords: inWords(Math.max(statement.totals.approved, 0)),
    },
    evaluation,
    proposals,
  };
}
