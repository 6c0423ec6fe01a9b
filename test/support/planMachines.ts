/**
 * Helpers for the pure annual plan machine tests (no database): a realistic input for the 2027
 * list of a provincial Union, realistic proposals, and a driver that walks a plan to a given state.
 */
import { initialTransition, transition } from "xstate";
import { annualPlanMachine } from "../../workflows/annualPlan/annualPlanMachine.js";
import type { AnnualPlanEvent, AnnualPlanInput, ItemContent, Proposer } from "../../workflows/annualPlan/types.js";
import { flattenState } from "./machines.js";

export type PlanSnapshot = ReturnType<typeof annualPlanMachine.resolveState>;

/** The 2027 list: proposals until 31/10/2026, 30 days' wait for the province before following up. */
export function planInput(overrides: Partial<AnnualPlanInput> = {}): AnnualPlanInput {
  return { planId: "DM-2027", year: 2027, proposalsDueOn: "2026-10-31", decisionFollowUpDays: 30, ...overrides };
}

export const agencyProposer: Proposer = { kind: "agency", id: "ag-so-nong-nghiep" };
export const associationProposer: Proposer = { kind: "association", id: "hoi-lam-nghiep" };
export const unionProposer: Proposer = { kind: "union", id: null };

/** A realistic proposal; `overrides` changes any field. */
export function content(overrides: Partial<ItemContent> = {}): ItemContent {
  return {
    title: "Đề án phát triển cây dược liệu tỉnh giai đoạn 2026–2030, định hướng 2035",
    type: "critique",
    forms: ["council"],
    quarter: 2,
    rationale: "Đề án có tác động lớn đến sinh kế đồng bào vùng cao; cần ý kiến phản biện độc lập.",
    estimatedCost: 45_000_000,
    orderingAgencyId: "ag-ubnd-tinh",
    draftingAgency: "Sở Nông nghiệp và Môi trường",
    ...overrides,
  };
}

/** Five proposals: two from agencies, one from a member association, two of the Union's own. */
export const proposals: Array<Extract<AnnualPlanEvent, { type: "proposal.submit" }>> = [
  { type: "proposal.submit", itemId: "it-01", proposer: agencyProposer, content: content() },
  {
    type: "proposal.submit",
    itemId: "it-02",
    proposer: { kind: "agency", id: "ag-so-xay-dung" },
    content: content({
      title: "Quy hoạch chung đô thị Na Hang đến năm 2045",
      type: "assessment",
      forms: ["council", "workshop"],
      quarter: 3,
      estimatedCost: 60_000_000,
      draftingAgency: "Sở Xây dựng",
    }),
  },
  {
    type: "proposal.submit",
    itemId: "it-03",
    proposer: associationProposer,
    content: content({
      title: "Kế hoạch ứng dụng khoa học công nghệ và chuyển đổi số trong sản xuất nông nghiệp",
      type: "consultancy",
      forms: ["expert_group", "written"],
      quarter: 1,
      estimatedCost: 15_000_000,
    }),
  },
  {
    type: "proposal.submit",
    itemId: "it-04",
    proposer: unionProposer,
    content: content({
      title: "Dự thảo Nghị quyết HĐND tỉnh về chính sách thu hút, trọng dụng trí thức",
      forms: ["written"],
      quarter: 2,
      estimatedCost: 12_500_000,
      orderingAgencyId: null,
      draftingAgency: "Sở Nội vụ",
    }),
  },
  {
    type: "proposal.submit",
    itemId: "it-05",
    proposer: { kind: "agency", id: "ag-so-nong-nghiep" },
    content: content({
      title: "Dự án hồ chứa nước Khuổi Nhùng",
      type: "assessment",
      forms: ["council", "workshop"],
      quarter: 4,
      estimatedCost: 80_000_000,
    }),
  },
];

/** Sends an event the machine must accept; throws a readable error when it is refused. */
export function sendPlan(snapshot: PlanSnapshot, event: AnnualPlanEvent) {
  if (!snapshot.can(event)) throw new Error(`${event.type} refused in ${flattenState(snapshot.value)}`);
  return transition(annualPlanMachine, snapshot, event);
}

/** Sends several accepted events; returns the last snapshot and its actions. */
export function sendPlanAll(snapshot: PlanSnapshot, ...events: AnnualPlanEvent[]) {
  let actions: ReturnType<typeof sendPlan>[1] = [];
  for (const event of events) [snapshot, actions] = sendPlan(snapshot, event);
  return [snapshot, actions] as const;
}

export const DECISION: Extract<AnnualPlanEvent, { type: "decision.record" }> = {
  type: "decision.record",
  number: "245/QĐ-UBND",
  date: "2027-01-15",
  fileId: "file-qd-245",
  cut: ["it-05"],
  changed: [{ itemId: "it-02", quarter: 4, estimatedCost: 50_000_000 }],
};

/** The ordinary year: each event with the state it leads to. */
const path: Array<{ event: AnnualPlanEvent; then: string }> = [
  ...proposals.map((event) => ({ event, then: "collecting" })),
  { event: { type: "proposals.close" }, then: "preparing.compiling" },
  {
    event: { type: "item.reject", itemId: "it-03", reason: "Đã có trong chương trình của Sở KH&CN" },
    then: "preparing.compiling",
  },
  { event: { type: "items.rank", order: ["it-01", "it-02", "it-04", "it-05"] }, then: "preparing.compiling" },
  { event: { type: "submission.propose" }, then: "preparing.awaitingLeadership" },
  { event: { type: "submission.approve" }, then: "preparing.issuing" },
  { event: { type: "submission.issue" }, then: "preparing.submitted" },
  { event: DECISION, then: "inExecution.running" },
  { event: { type: "item.start", itemId: "it-01", assignmentId: "as-01" }, then: "inExecution.running" },
  {
    event: { type: "amendment.open", reason: "Bổ sung nhiệm vụ theo đề nghị của UBND tỉnh" },
    then: "inExecution.amending.compiling",
  },
  {
    event: {
      type: "item.add",
      itemId: "it-06",
      proposer: { kind: "agency", id: "ag-ubnd-tinh" },
      content: content({
        title: "Đề án chuyển đổi số tỉnh giai đoạn 2027–2030",
        quarter: 3,
        estimatedCost: 30_000_000,
      }),
    },
    then: "inExecution.amending.compiling",
  },
  { event: { type: "items.rank", order: ["it-06"] }, then: "inExecution.amending.compiling" },
  { event: { type: "submission.propose" }, then: "inExecution.amending.awaitingLeadership" },
  { event: { type: "submission.approve" }, then: "inExecution.amending.issuing" },
  { event: { type: "submission.issue" }, then: "inExecution.amending.submitted" },
  {
    event: { type: "decision.record", number: "1020/QĐ-UBND", date: "2027-06-20", fileId: "file-qd-1020" },
    then: "inExecution.running",
  },
  { event: { type: "report.submit" }, then: "inExecution.reporting" },
  { event: { type: "report.approve" }, then: "closed" },
];

/**
 * Drives a new plan to `target` (a flattened state such as "preparing.submitted"), stopping the first
 * time it gets there. Throws when an event on the way is refused.
 */
export function drivePlanTo(target: string, input = planInput()): PlanSnapshot {
  let [snapshot] = initialTransition(annualPlanMachine, input);
  if (flattenState(snapshot.value) === target) return snapshot;
  for (const { event, then } of path) {
    [snapshot] = sendPlan(snapshot, event);
    if (then === target && flattenState(snapshot.value) === target) return snapshot;
  }
  throw new Error(`no way to ${target}`);
}
