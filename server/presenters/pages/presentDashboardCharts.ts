/** The dashboard's charts (server-side SVG) from the figures of loadDashboardFigures, in the reader's words. */
import { LIST_STATES } from "./presentAssignmentList.js";
import type { DashboardFigures } from "../../queries/loadDashboardFigures.js";
import { barChart, columnChart } from "./charts.js";
import type { Translate } from "./pageTypes.js";

/** The stages in the order the charts list them (the list's, up to the final ones). */
const STAGE_ORDER = LIST_STATES.slice(0, LIST_STATES.indexOf("closed"));
const ALL_STAGES = LIST_STATES;

const pct = (v: number) => `${Math.round(v * 100)}%`;
const average = (s: { total: number; stays: number }) => Math.round((s.total / s.stays) * 10) / 10;

function adoptionBars(rows: DashboardFigures["adoption"], t: Translate) {
  const byAgency = new Map<string, { accepted: number; partly: number; total: number }>();
  for (const row of rows) {
    const e = byAgency.get(row.agency) ?? { accepted: 0, partly: 0, total: 0 };
    if (row.status === "accepted") e.accepted += row.n;
    if (row.status === "partly") e.partly += row.n;
    e.total += row.n;
    byAgency.set(row.agency, e);
  }
  return [...byAgency.entries()].map(([agency, e]) => ({
    label: agency,
    value: (e.accepted + e.partly * 0.5) / e.total,
    text: t("chart.adoptionText", { accepted: e.accepted, partly: e.partly, total: e.total }),
  }));
}

function countCharts(f: DashboardFigures, t: Translate) {
  const empty = t("chart.empty");
  return {
    byState: barChart({
      title: t("chart.byState"),
      empty,
      bars: ALL_STAGES.filter((s) => s in f.byStage).map((s) => ({ label: t(`stage.${s}`), value: f.byStage[s] })),
    }),
    byType: barChart({
      title: t("chart.byType"),
      empty,
      bars: f.byType.map((x) => ({ label: t(`type.${x.type}`), value: x.n })),
    }),
    byMonth: columnChart({
      title: t("chart.byMonth"),
      empty,
      bars: f.byMonth.map((x) => ({ label: `${x.month.slice(5)}/${x.month.slice(2, 4)}`, value: x.n })),
    }),
  };
}

function timingCharts(f: DashboardFigures, t: Translate) {
  const empty = t("chart.empty");
  return {
    onTime: barChart({
      title: t("chart.onTime"),
      empty,
      max: 1,
      format: pct,
      bars: f.onTime.map((x) => ({
        label: t(`deadline.${x.stage}`),
        value: x.met / x.total,
        text: `${pct(x.met / x.total)} (${x.met}/${x.total})`,
      })),
    }),
    avgDays: barChart({
      title: t("chart.avgDays"),
      empty,
      bars: STAGE_ORDER.filter((s) => f.stageDays[s]).map((s) => ({
        label: t(`stage.${s}`),
        value: average(f.stageDays[s]),
      })),
      format: (v) => `${v} ${t("unit.wd")}`,
    }),
    adoption: barChart({ title: t("chart.adoption"), empty, max: 1, bars: adoptionBars(f.adoption, t) }),
  };
}

/** Six charts as SVG markup: by stage, type and month; on time; working days per stage; adoption. */
export function presentDashboardCharts(f: DashboardFigures, t: Translate): Record<string, string> {
  return { ...countCharts(f, t), ...timingCharts(f, t) };
}
