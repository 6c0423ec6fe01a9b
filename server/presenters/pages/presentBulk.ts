/**
 * The bulk-action pages (issue 14 §6): late experts to remind at once, and open assignments to move
 * to another secretariat member. Pure; words through `t`.
 */
import type { listLateExperts } from "../../queries/listLateExperts.js";
import type { listStaffWork } from "../../queries/listStaffWork.js";
import type { Translate } from "./pageTypes.js";

type Result = { done?: number; refused?: number } | null;

const resultOf = (r: Result, t: Translate) =>
  r
    ? { done: t("bulk.done", { n: r.done ?? 0 }), refused: r.refused ? t("bulk.refused", { n: r.refused }) : null }
    : null;

/** The late experts, each a checkbox `pick` valued `<assignmentId>:<expertId>`. */
export function presentLateExperts(rows: Awaited<ReturnType<typeof listLateExperts>>, t: Translate, result: Result) {
  return {
    rows: rows.map((r) => ({
      value: `${r.assignmentId}:${r.expertId}`,
      href: `/assignments/${r.assignmentId}`,
      code: r.code,
      title: r.title,
      expertName: r.expertName,
      dueAt: r.dueAt.toISOString(),
    })),
    result: resultOf(result, t),
  };
}

/** The open assignments with their staff, the secretariat members, and who the list is narrowed to. */
export function presentReassign(
  work: Awaited<ReturnType<typeof listStaffWork>>,
  t: Translate,
  opts: { from?: string; result: Result; error?: string },
) {
  return {
    rows: work.assignments.map((a) => ({
      id: a.id,
      code: a.code,
      title: a.title,
      stateLabel: t(`state.${a.state}`),
      staff: a.staff.map((s) => s.name).join(", "),
    })),
    people: work.secretariat.map((p) => ({ value: p.id, label: p.name, selected: p.id === opts.from })),
    from: opts.from ?? "",
    result: resultOf(opts.result, t),
    error: opts.error ?? null,
  };
}
