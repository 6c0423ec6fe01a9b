/**
 * The dashboard ("việc của tôi"): the assignments waiting on the actor's roles (by due date),
 * an expert's own work (invitations to answer, opinions to write, reports to endorse as chair),
 * and for the Union's staff the charts.
 */
import type { listExpertWork } from "../../queries/listExpertWork.js";
import type { DashboardFigures } from "../../queries/loadDashboardFigures.js";
import type { LatePlanItem } from "../../queries/listLatePlanItems.js";
import type { DashboardPlan } from "../../queries/loadDashboardPlan.js";
import { formatDong } from "../../money/dong.js";
import { barChart } from "./charts.js";
import { presentDashboardCharts } from "./presentDashboardCharts.js";
import type { Translate } from "./pageTypes.js";

type ExpertWork = Awaited<ReturnType<typeof listExpertWork>>;
type WorkItem = { href: string; title: string; what: string; dueAt: string | null; overdue: boolean };

function workItem(seat: ExpertWork["seats"][number], w: ExpertWork, t: Translate, now: Date): WorkItem | null {
  const { invitation: i, assignment: a } = seat;
  if (i.state === "invited")
    return {
      href: "/invitations",
      title: a.title,
      what: t("work.answerInvitation"),
      dueAt: i.dueAt?.toISOString() ?? null,
      overdue: !!i.dueAt && i.dueAt < now,
    };
  if (a.state === "underReview" && !w.submittedIn.includes(a.id)) {
    // The expert's own deadline (review:<id>) wins over the panel's shared one.
    const d = w.reviewDeadlines
      .filter((x) => x.assignmentId === a.id)
      .sort((x, y) => (x.key.length > y.key.length ? -1 : 1))[0];
    return {
      href: `/assignments/${a.id}/opinion`,
      title: a.title,
      what: t("work.writeOpinion"),
      dueAt: d?.dueAt.toISOString() ?? null,
      overdue: !!d && d.dueAt < now,
    };
  }
  if (a.state === "approval.awaitingChair" && i.panelRole === "chair")
    return {
      href: `/assignments/${a.id}`,
      title: a.title,
      what: t("event.report.endorse"),
      dueAt: null,
      overdue: false,
    };
  return null;
}

const EXECUTION = ["planned", "done", "inProgress", "notStarted", "carriedOver", "cut"] as const;

/** This year's list as two bar charts: the items by outcome, and approved against spent. */
function presentPlanCharts(p: DashboardPlan, t: Translate) {
  const empty = t("chart.empty");
  return {
    year: p.year,
    execution: barChart({
      title: t("chart.planExecution", { year: p.year }),
      empty,
      bars: EXECUTION.map((k) => ({ label: t(`planExecution.${k}`), value: p.execution[k] })),
    }),
    budget: barChart({
      title: t("chart.planBudget", { year: p.year }),
      empty,
      bars: [
        { label: t("planExecution.approved"), value: p.approved },
        { label: t("planExecution.spent"), value: p.spent },
      ],
      format: (v) => formatDong(v, "đ"),
    }),
  };
}

/** The dashboard's view model. */
export function presentDashboard(
  input: {
    waiting: Array<{ state: string } & Record<string, unknown>>;
    expertWork: ExpertWork | null;
    figures: DashboardFigures | null;
    /** Annual list items not started by their quarter (staff only). */
    latePlanItems?: LatePlanItem[];
    /** This year's list: execution and money (staff who see the whole plan). */
    plan?: DashboardPlan | null;
  },
  t: Translate,
  now: Date,
) {
  const rows = input.waiting.map((x) => ({ ...x, stateLabel: t(`state.${x.state}`) }));
  const w = input.expertWork;
  const expertWork = w ? w.seats.map((s) => workItem(s, w, t, now)).filter((x) => x !== null) : [];
  const charts = input.figures ? presentDashboardCharts(input.figures, t) : null;
  const latePlanItems = (input.latePlanItems ?? []).map((i) => ({
    ...i,
    quarterLabel: t("plan.quarter", { roman: ["I", "II", "III", "IV"][i.quarter - 1] }),
  }));
  const planCharts = input.plan ? presentPlanCharts(input.plan, t) : null;
  return { rows, expertWork, charts, planCharts, latePlanItems, hasWork: rows.length + expertWork.length > 0 };
}
