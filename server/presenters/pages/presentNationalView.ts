/**
 * The national view page (the installation's operator, VUSTA): per Union and in total, assignments
 * by type, form, origin and state in words, the on-time rate and the adoption of recommendations as
 * percentages, the average days of each stage and the experts engaged. Aggregates only, as
 * server/queries/loadNationalView.ts reads them.
 */
import type { loadNationalView } from "../../queries/loadNationalView.js";
import type { Translate } from "./pageTypes.js";

type View = Awaited<ReturnType<typeof loadNationalView>>;
type Counts = Record<string, number>;
/** Whether the catalogue has a word for a code of a group. */
type Has = (group: string, code: string) => boolean;

const GROUPS = [
  ["byType", "type", "national.byType"],
  ["byForm", "form", "national.byForm"],
  ["byOrigin", "origin", "national.byOrigin"],
  ["byState", "state", "national.byState"],
  ["byAnswer", "response", "national.byAnswer"],
] as const;

/** "82%" or a dash when no stage deadline has ended yet. */
const percent = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 100)}%`);

/** Counts of one dimension in words, largest first. */
function breakdown(counts: Counts, group: string, t: Translate, has: Has) {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => ({ label: has(group, code) ? t(`${group}.${code}`) : t("national.other"), n }));
}

type Figures = {
  byType: Counts;
  byForm: Counts;
  byOrigin: Counts;
  byState: Counts;
  byAnswer: Counts;
  stageDays: Record<string, { days: number; stays: number }>;
};

/** The average days of each stage, in the order a stage is usually reached (most stays first). */
function stageDays(f: Figures, t: Translate, has: Has) {
  const rows = Object.entries(f.stageDays)
    .sort((a, b) => b[1].stays - a[1].stays)
    .map(([stage, v]) => ({
      label: has("state", stage) ? t(`state.${stage}`) : t("national.other"),
      n: t("national.days", { n: v.days.toLocaleString("vi-VN") }),
    }));
  return { heading: t("national.stageDays"), rows };
}

function groupsOf(f: Figures, t: Translate, has: Has) {
  return [
    ...GROUPS.map(([pick, group, key]) => ({ heading: t(key), rows: breakdown(f[pick], group, t, has) })),
    stageDays(f, t, has),
  ];
}

/** The page model; `has` says whether the catalogue has a key (codes without a word become "other"). */
export function presentNationalView(view: View, t: Translate, has: Has) {
  return {
    unions: view.unions.map((u) => ({
      name: u.name,
      province: u.province ?? "",
      assignments: u.assignments,
      onTime: percent(u.onTimeRate),
      adoption: percent(u.adoptionRate),
      expertsInvited: u.expertsInvited,
      expertsWithOpinion: u.expertsWithOpinion,
      groups: groupsOf(u, t, has),
    })),
    total: {
      unions: view.total.unions,
      assignments: view.total.assignments,
      onTime: percent(view.total.onTimeRate),
      adoption: percent(view.total.adoptionRate),
      expertsInvited: view.total.expertsInvited,
      expertsWithOpinion: view.total.expertsWithOpinion,
      groups: groupsOf(view.total, t, has),
    },
  };
}
