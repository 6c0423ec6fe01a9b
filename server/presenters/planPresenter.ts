/** Annual plans as the API shows them: codes with their words, amounts as whole đồng. */
import type { Actor } from "../runtime/actor.js";
import type { PlanItemView, PlanView } from "../queries/loadAnnualPlan.js";
import { label, translate } from "../words/catalogue.js";

/** One item: its code (DM2027-05), status, quarter, proposer, content and linked assignment. */
export function presentPlanItem(year: number, i: PlanItemView, actor: Actor) {
  const c = i.content;
  return {
    id: i.id,
    code: `DM${year}-${String(i.number).padStart(2, "0")}`,
    status: i.status,
    statusLabel: label("planItemStatus", i.status, actor.locale),
    rank: i.rank,
    quarter: i.quarter,
    proposer: { kind: i.proposerKind, agencyId: i.agencyId, memberAssociationId: i.memberAssociationId },
    mergedIntoId: i.mergedIntoId,
    assignmentId: i.assignmentId,
    addedInVersion: i.addedInVersion,
    version: i.currentVersion,
    pending: i.pending && {
      kind: i.pending.kind,
      kindLabel: translate(actor.locale, `planPending.${i.pending.kind}`),
      quarter: i.pending.quarter ?? null,
    },
    content: c && {
      title: c.title,
      type: c.type,
      forms: c.forms,
      quarter: c.quarter,
      rationale: c.rationale,
      estimatedCost: c.estimatedCost,
      approvedBudget: c.approvedBudget,
      orderingAgencyId: c.orderingAgencyId,
      draftingAgency: c.draftingAgency,
      subjectKind: c.subjectKind,
      listVersion: c.listVersion,
    },
  };
}

/** The plan with its items, submissions and decisions, and the events the caller may send now. */
export function presentPlan(view: PlanView, actor: Actor) {
  const { plan } = view;
  return {
    id: plan.id,
    year: plan.year,
    title: plan.title,
    state: plan.state,
    stateLabel: translate(actor.locale, `planState.${plan.state}`),
    proposalsDueOn: plan.proposalsDueOn,
    approvedVersion: plan.approvedVersion,
    version: plan.version,
    items: view.items.map((i) => presentPlanItem(plan.year, i, actor)),
    submissions: view.submissions.map((s) => ({
      id: s.id,
      listVersion: s.listVersion,
      attempt: s.attempt,
      kind: s.kind,
      items: s.items,
      documentId: s.documentId,
      outcome: s.outcome,
      returnComments: s.returnComments,
      submittedAt: s.submittedAt,
    })),
    decisions: view.decisions.map((d) => ({
      id: d.id,
      listVersion: d.listVersion,
      number: d.number,
      decidedOn: d.decidedOn,
      issuer: d.issuer,
      fileName: d.fileName,
      outcomes: d.outcomes,
    })),
    can: view.can,
  };
}
