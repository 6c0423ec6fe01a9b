/**
 * The plan's execution and money page: planned vs done vs in progress vs not started vs carried
 * over vs cut, and for each item the approved budget, the estimate and what was paid in the year
 * (the year's statement), amounts in đồng the Vietnamese way and the total spent in words.
 */
import type { loadPlanReport } from "../../queries/loadPlanReport.js";
import type { Translate } from "./pageTypes.js";
import { formatMoney } from "./presentPlanPage.js";

type Report = Awaited<ReturnType<typeof loadPlanReport>>;

const COUNTS = ["planned", "done", "inProgress", "notStarted", "carriedOver", "cut"] as const;

/** The page model. */
export function presentPlanReport(r: Report, t: Translate) {
  const s = r.statement;
  return {
    title: t("planReport.heading", { year: r.plan.year }),
    plan: { id: r.plan.id, title: r.plan.title },
    stepLabel: t(`planState.${r.plan.state}`),
    counts: COUNTS.map((k) => ({ label: t(`planReport.${k}`), value: r.execution[k] })),
    rows: s.rows.map((row) => ({
      title: row.itemId ? row.title : t("planReport.outsideList"),
      statusLabel: row.status ? t(`planItemStatus.${row.status}`) : "",
      approved: formatMoney(row.approved),
      estimated: row.estimated === null ? "—" : formatMoney(row.estimated),
      spent: formatMoney(row.spent),
      remaining: formatMoney(row.remaining),
      over: row.remaining < 0,
    })),
    totals: {
      approved: formatMoney(s.totals.approved),
      estimated: formatMoney(s.totals.estimated),
      spent: formatMoney(s.totals.spent),
      remaining: formatMoney(s.totals.remaining),
    },
    spentInWords: r.spentInWords,
  };
}
