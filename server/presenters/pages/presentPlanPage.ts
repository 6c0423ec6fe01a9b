/**
 * The annual plan's page: the year's list, its step in words, each item with its state and, once
 * started, where its assignment is; the forms the actor may use in this step (as event forms that
 * post to the plan's commands); the history of the list's versions (submissions and decisions).
 */
import type { PlanPageData } from "../../queries/loadPlanPage.js";
import { waitingOn } from "../waitingOn.js";
import type { Translate } from "./pageTypes.js";
import { contentFields, eventFields, formOf, helpOf, type PlanFormState } from "./planFormFields.js";

/** What the actor may do on the plan's pages (planPolicy.planAbilities). */
export type PlanAbilities = {
  manage: boolean;
  decide: boolean;
  propose: boolean;
  start: boolean;
  proposer: boolean;
  openWork?: boolean;
};

const ROMAN = ["I", "II", "III", "IV"];
const money = (v: number | null | undefined) =>
  v === null || v === undefined ? "" : `${String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ".")} đ`;
export { money as formatMoney };

/** "Quý II". */
export const quarterText = (q: number, t: Translate) => t("plan.quarter", { roman: ROMAN[q - 1] ?? String(q) });

/** The plan's compiling steps, where the list is edited. */
export const isCompiling = (state: string) => state.endsWith(".compiling");

/** Who proposed the item, in words. */
export function proposerName(data: PlanPageData, i: PlanPageData["view"]["items"][number], t: Translate) {
  if (i.proposerKind === "agency") return data.agencies.find((a) => a.id === i.agencyId)?.name ?? "";
  if (i.proposerKind === "association")
    return data.associations.find((a) => a.id === i.memberAssociationId)?.name ?? "";
  return t("plan.proposerUnion");
}

/** One row of the list. */
function itemRow(data: PlanPageData, i: PlanPageData["view"]["items"][number], can: PlanAbilities, t: Translate) {
  const { plan } = data.view;
  const c = i.content;
  const a = data.assignments.find((x) => x.id === i.assignmentId);
  const role = a ? waitingOn(a.state) : null;
  return {
    id: i.id,
    number: `DM${plan.year}-${String(i.number).padStart(2, "0")}`,
    href: `/plans/${plan.id}/items/${i.id}`,
    title: c?.title ?? "",
    typeLabel: c ? t(`type.${c.type}`) : "",
    formsLabel: c ? c.forms.map((f) => t(`form.${f}`)).join(", ") : "",
    quarter: quarterText(i.quarter, t),
    cost: money(c?.estimatedCost),
    budget: money(c?.approvedBudget),
    rank: i.rank,
    status: i.status,
    statusLabel: t(`planItemStatus.${i.status}`),
    pending: i.pending ? t(`planPending.${i.pending.kind}`) : null,
    proposer: proposerName(data, i, t),
    work: a
      ? {
          href: can.openWork ? `/assignments/${a.id}` : null,
          code: a.code,
          stateLabel: t(`state.${a.state}`),
          waiting: role ? t(`role.${role}`) : "",
        }
      : null,
  };
}

/** The list's versions: each submission with its outcome, and the province's decision on it. */
function history(data: PlanPageData, t: Translate) {
  const { submissions, decisions } = data.view;
  return submissions.map((s) => {
    const d = decisions.find((x) => x.submissionId === s.id);
    return {
      version: s.listVersion,
      kindLabel: t(`planSubmission.${s.kind}`),
      attempt: s.attempt > 1 ? t("plan.attempt", { n: s.attempt }) : "",
      submittedAt: s.submittedAt,
      outcomeLabel: t(`planOutcome.${s.outcome}`),
      returnComments: s.returnComments,
      documentHref: s.documentId ? `/api/v1/documents/${s.documentId}/pdf` : null,
      itemCount: s.items.length,
      decision: d ? { number: d.number, decidedOn: d.decidedOn, issuer: d.issuer, fileName: d.fileName } : null,
    };
  });
}

/** The plan-wide action forms the actor may use now. */
function actions(data: PlanPageData, state: PlanFormState, t: Translate) {
  const id = data.view.plan.id;
  return data.view.can.map((type) => {
    const f = formOf(state, type);
    return {
      type,
      action: `/plans/${id}/events`,
      label: t(`planEvent.${type}`),
      help: helpOf(type, t),
      fields: eventFields(type, type, state, t),
      error: f.error,
      danger: /return|cancel/.test(type),
    };
  });
}

/** The page model. */
export function presentPlanPage(data: PlanPageData, can: PlanAbilities, state: PlanFormState, t: Translate) {
  const { plan } = data.view;
  const rows = data.view.items.map((i) => itemRow(data, i, can, t));
  const proposal = formOf(state, "proposal");
  const mayAdd = can.manage && isCompiling(plan.state);
  const mayPropose = can.propose && plan.state === "collecting";
  return {
    title: plan.title,
    plan: { id: plan.id, year: plan.year, proposalsDueOn: plan.proposalsDueOn, approvedVersion: plan.approvedVersion },
    stepLabel: t(`planState.${plan.state}`),
    proposer: can.proposer,
    items: rows,
    actions: actions(data, state, t),
    rank: can.manage && isCompiling(plan.state) ? rankForm(rows, state, t) : null,
    decision: can.decide && plan.state.endsWith(".submitted") ? decisionForm(data, state, t) : null,
    proposal:
      mayPropose || mayAdd
        ? {
            action: mayPropose ? `/plans/${plan.id}/proposals` : `/plans/${plan.id}/items`,
            heading: t(mayPropose ? "plan.proposeHeading" : "plan.addHeading"),
            fields: contentFields("p", proposal.values, proposal.errors, t),
            error: proposal.error,
          }
        : null,
    history: history(data, t),
    reportHref: can.proposer ? null : `/plans/${plan.id}/report`,
  };
}

/** The ranking form: the proposals still in the list with their position. */
function rankForm(rows: ReturnType<typeof itemRow>[], state: PlanFormState, t: Translate) {
  const f = formOf(state, "items.rank");
  const open = rows.filter((r) => r.status === "proposed");
  if (!open.length) return null;
  return {
    error: f.error,
    rows: open.map((r, n) => ({ id: r.id, number: r.number, title: r.title, position: r.rank ?? n + 1 })),
    label: t("planEvent.items.rank"),
  };
}

/** The province's decision form: number, date, issuer, the file, and each item sent: approved, cut or changed. */
function decisionForm(data: PlanPageData, state: PlanFormState, t: Translate) {
  const f = formOf(state, "decision");
  const last = data.view.submissions[data.view.submissions.length - 1];
  const sent = new Set((last?.items ?? []).map((x) => x.itemId));
  const items = data.view.items
    .filter((i) => sent.has(i.id))
    .map((i) => ({
      id: i.id,
      number: `DM${data.view.plan.year}-${String(i.number).padStart(2, "0")}`,
      title: i.content?.title ?? "",
      cost: money(i.content?.estimatedCost),
      outcome: String(f.values[`outcome_${i.id}`] ?? "as_sent"),
      newCost: f.values[`cost_${i.id}`] ?? "",
      quarterOptions: [1, 2, 3, 4].map((q) => ({
        value: String(q),
        label: quarterText(q, t),
        selected: String(f.values[`quarter_${i.id}`] ?? i.quarter) === String(q),
      })),
    }));
  return { action: `/plans/${data.view.plan.id}/decision`, items, values: f.values, errors: f.errors, error: f.error };
}
