/**
 * One item of the annual plan: what it proposes, its state, where its assignment is, and the
 * forms the actor may use on it in the plan's current step (edit, reject, restore, merge, change,
 * propose a cut, keep, withdraw, start as an assignment).
 */
import type { PlanPageData } from "../../queries/loadPlanPage.js";
import type { Translate } from "./pageTypes.js";
import { contentFields, eventFields, formOf, helpOf, type PlanFormState } from "./planFormFields.js";
import { formatMoney, isCompiling, proposerName, quarterText, type PlanAbilities } from "./presentPlanPage.js";

type Item = PlanPageData["view"]["items"][number];

const LIVE = ["approved", "changed", "started"];

/** The item events the actor may try now (the machine still decides). */
function itemEvents(state: string, item: Item, can: PlanAbilities): string[] {
  const s = item.status;
  const own = can.manage || can.proposer;
  if (state === "collecting") return own && s === "proposed" ? ["item.edit", "proposal.withdraw"] : [];
  if (!can.manage || !isCompiling(state)) return [];
  if (state.startsWith("preparing") || s === "proposed" || s === "rejected")
    return s === "proposed" ? ["item.edit", "items.merge", "item.reject"] : s === "rejected" ? ["item.restore"] : [];
  if (!LIVE.includes(s)) return [];
  // One pending change per item: change or cut it while none is pending, keep it to withdraw one.
  if (item.pending) return item.pending.kind === "add" ? [] : ["item.keep"];
  return s === "started" ? ["item.change"] : ["item.change", "item.proposeCut"];
}

/** The values of the edit form: what was typed, else the item's current content. */
function currentValues(item: Item): Record<string, unknown> {
  const c = item.content;
  if (!c) return {};
  return { ...c, taskType: c.type, estimatedCost: String(c.estimatedCost), quarter: String(c.quarter) };
}

/** One form of the item's. */
function eventForm(data: PlanPageData, item: Item, type: string, state: PlanFormState, t: Translate) {
  const f = formOf(state, type);
  const edits = type === "item.edit" || type === "item.change";
  const values = Object.keys(f.values).length ? f.values : currentValues(item);
  const others = data.view.items.filter((i) => i.id !== item.id && i.status === "proposed");
  return {
    type,
    label: t(`planEvent.${type}`),
    help: helpOf(type, t),
    action: `/plans/${data.view.plan.id}/items/${item.id}/events`,
    content: edits ? contentFields("e", values, f.errors, t) : null,
    merge:
      type === "items.merge"
        ? {
            error: f.errors.intoItemId,
            options: others.map((o) => ({
              value: o.id,
              label: `DM${data.view.plan.year}-${o.number} ${o.content?.title}`,
            })),
          }
        : null,
    fields: eventFields(type, type, state, t),
    error: f.error,
    danger: ["item.reject", "proposal.withdraw", "item.proposeCut"].includes(type),
  };
}

/** The start form, when the item is in force and not yet started. */
function startForm(data: PlanPageData, item: Item, can: PlanAbilities, state: PlanFormState, t: Translate) {
  const inForce = data.view.plan.state.startsWith("inExecution") && ["approved", "changed"].includes(item.status);
  if (!can.start || !inForce || item.assignmentId) return null;
  const f = formOf(state, "start");
  const field = (name: string, kind: "text" | "date" | "textarea") => ({
    id: `s-${name}`,
    name,
    label: t(`planField.${name}`),
    kind,
    value: f.values[name] ?? "",
    error: f.errors[name],
  });
  return {
    action: `/plans/${data.view.plan.id}/items/${item.id}/start`,
    fields: [field("orderNumber", "text"), field("orderDate", "date"), field("requestedDeadline", "date")],
    summary: field("summary", "textarea"),
    error: f.error,
  };
}

/** The page model (`item` is one the actor may see). */
export function presentPlanItemPage(
  data: PlanPageData,
  item: Item,
  can: PlanAbilities,
  state: PlanFormState,
  t: Translate,
) {
  const { plan } = data.view;
  const c = item.content;
  const a = data.assignments.find((x) => x.id === item.assignmentId);
  const number = `DM${plan.year}-${String(item.number).padStart(2, "0")}`;
  return {
    title: `${number} · ${c?.title ?? ""}`,
    plan: { id: plan.id, title: plan.title },
    stepLabel: t(`planState.${plan.state}`),
    item: {
      number,
      title: c?.title ?? "",
      statusLabel: t(`planItemStatus.${item.status}`),
      typeLabel: c ? t(`type.${c.type}`) : "",
      formsLabel: c ? c.forms.map((f) => t(`form.${f}`)).join(", ") : "",
      quarter: quarterText(item.quarter, t),
      rationale: c?.rationale ?? "",
      draftingAgency: c?.draftingAgency ?? "",
      cost: formatMoney(c?.estimatedCost),
      budget: formatMoney(c?.approvedBudget),
      version: item.currentVersion,
      proposer: proposerName(data, item, t),
      pending: item.pending ? t(`planPending.${item.pending.kind}`) : null,
      pendingQuarter: item.pending?.quarter ? quarterText(item.pending.quarter, t) : null,
    },
    work: a
      ? { href: can.openWork ? `/assignments/${a.id}` : null, code: a.code, stateLabel: t(`state.${a.state}`) }
      : null,
    forms: itemEvents(plan.state, item, can).map((type) => eventForm(data, item, type, state, t)),
    start: startForm(data, item, can, state, t),
  };
}
