/**
 * The annual plan machine: one year's list of consultancy, critique and assessment tasks (danh mục
 * nhiệm vụ TVPB&GĐXH), from the call for proposals to the year's execution report. Pure: it names
 * effects and records, the runtime performs them after (or, for records, inside) the transaction
 * that saves the snapshot. No `after`, no `invoke`: deadlines are rows that come back as
 * `deadline.reached` events. See README.md for the states, events and words.
 */
import { assign, enqueueActions, setup } from "xstate";
import {
  applyDecision,
  contentValid,
  decisionValid,
  findItem,
  hasStatus,
  isCalendarDay,
  itemsDueIn,
  itemsNotStartedBy,
  partialContentValid,
  proposerValid,
  quarterDays,
  quarterKey,
  submissionItems,
  submissionOrder,
  unfinishedItems,
  updateItems,
} from "./planItems.js";
import type {
  AnnualPlanContext,
  AnnualPlanEvent,
  AnnualPlanInput,
  CarryOverParams,
  RestoreItemsParams,
  DecisionParams,
  ItemVersionParams,
  OpenAssignmentParams,
  PlanDeadlineKeyParams,
  PlanDeadlineParams,
  PlanDocumentParams,
  PlanItem,
  PlanMailParams,
  Quarter,
  SubmissionParams,
} from "./types.js";

/** Bumped on any change that running plans' snapshots must be migrated for. */
export const ANNUAL_PLAN_MACHINE_VERSION = 1;

type E<T extends AnnualPlanEvent["type"]> = Extract<AnnualPlanEvent, { type: T }>;
type Ctx = AnnualPlanContext;

const text = (v: unknown) => typeof v === "string" && v.trim().length > 0;
const isAmendment = (ctx: Ctx) => ctx.draft?.kind === "amendment";
const draftVersion = (ctx: Ctx) => ctx.draft?.version ?? ctx.approvedVersion + 1;

/** A new item proposed in the list being prepared (the initial list, or an amendment's addition). */
function newItem(ctx: Ctx, e: E<"proposal.submit"> | E<"item.add">): PlanItem {
  return {
    itemId: e.itemId,
    status: "proposed",
    quarter: e.content.quarter,
    proposer: { kind: e.proposer.kind, id: e.proposer.id ?? null },
    rank: null,
    mergedInto: null,
    assignmentId: null,
    addedIn: draftVersion(ctx),
    pending: isAmendment(ctx) ? { kind: "add" } : null,
  };
}

const mail = (template: string, to: PlanMailParams["to"], data?: Record<string, unknown>) =>
  ({ type: "sendMail", params: data ? { template, to, data } : { template, to } }) as const;

/** Records the event's item content as a new version of the item, in the list version being prepared. */
const saveItemVersion = (reason: (e: AnnualPlanEvent) => string | null) =>
  ({
    type: "saveItemVersion",
    params: ({ context, event }: { context: Ctx; event: AnnualPlanEvent }) => ({
      itemId: (event as { itemId: string }).itemId,
      listVersion: draftVersion(context),
      reason: reason(event),
    }),
  }) as never;

/**
 * A withdrawn change (kept, or the amendment cancelled): the changed items' content goes back to
 * the version in force, as a new version so the history keeps both. Listed before the update
 * that clears `pending`, so it still sees which items were changed.
 */
const restoreChanged = (
  ids: (context: Ctx, event: AnnualPlanEvent) => string[],
  reason: (e: AnnualPlanEvent) => string | null,
) =>
  ({
    type: "restoreItemVersions",
    params: ({ context, event }: { context: Ctx; event: AnnualPlanEvent }) => ({
      itemIds: ids(context, event).filter((id) => findItem(context, id)?.pending?.kind === "change"),
      inForce: context.approvedVersion,
      reason: reason(event),
    }),
  }) as never;

/** On entering the decision wait: a follow-up deadline. */
const scheduleDecisionFollowUp = {
  type: "scheduleDeadline",
  params: ({ context }: { context: Ctx }) => ({
    key: "decision",
    days: context.decisionFollowUpDays,
    event: { type: "deadline.reached" as const, key: "decision" },
  }),
} as never;

/** The four quarters' start and end deadlines, scheduled when the initial list is approved. */
const scheduleQuarters = enqueueActions(({ context, enqueue }) => {
  for (const q of [1, 2, 3, 4] as Quarter[]) {
    const { start, end } = quarterDays((context as Ctx).year, q);
    for (const [edge, on] of [
      ["Start", start],
      ["End", end],
    ] as const) {
      const key = `quarter${edge}:${q}`;
      enqueue({ type: "scheduleDeadline", params: { key, on, event: { type: "deadline.reached", key } } } as never);
    }
  }
}) as never;

/** A quarter's deadline: the items due to start (at its start), or still not started (at its end). */
const remindQuarter = enqueueActions(({ context, event, enqueue }) => {
  const ctx = context as Ctx;
  const edge = quarterKey((event as E<"deadline.reached">).key);
  if (!edge) return;
  const { quarter } = edge;
  const itemIds = edge.edge === "start" ? itemsDueIn(ctx, quarter) : itemsNotStartedBy(ctx, quarter);
  if (itemIds.length > 0) {
    const template = edge.edge === "start" ? "annualPlan.itemsDue" : "annualPlan.itemsNotStarted";
    enqueue(mail(template, "secretariat", { year: ctx.year, quarter, itemIds }) as never);
    if (edge.edge === "end") enqueue(mail(template, "leadership", { year: ctx.year, quarter, itemIds }) as never);
  }
  if (edge.edge === "end" && quarter === 4)
    enqueue(mail("annualPlan.yearEnded", "secretariat", { year: ctx.year }) as never);
}) as never;

/**
 * The way a list goes to the province, the same for the initial list (`preparing`) and for each
 * amendment (`inExecution.amending`): compiling → awaitingLeadership → issuing → submitted, and
 * the decision brings the list into force.
 */
function submissionStates(kind: "initial" | "amendment") {
  const done = kind === "initial" ? "#annualPlan.inExecution" : "#annualPlan.inExecution.running";
  return {
    initial: "compiling",
    states: {
      compiling: { on: { ...itemEditing(kind), ...proposing } },
      awaitingLeadership: {
        on: {
          "submission.approve": { target: "issuing", actions: [mail("annualPlan.readyToIssue", "clerk")] },
          "submission.return": {
            target: "compiling",
            guard: "hasComments",
            actions: [recordReturn("leadership"), mail("annualPlan.submissionReturned", "secretariat")],
          },
        },
      },
      issuing: { on: { "submission.issue": { target: "submitted", actions: issueSubmission } } },
      submitted: {
        entry: [scheduleDecisionFollowUp],
        exit: [{ type: "cancelDeadline", params: { key: "decision" } }],
        on: {
          "decision.record": { target: done, guard: "decisionValid", actions: decide(kind) },
          "province.return": {
            target: "compiling",
            guard: "hasComments",
            actions: [recordReturn("province"), mail("annualPlan.submissionReturned", "secretariat")],
          },
          "deadline.reached": {
            guard: "isDecisionDeadline",
            actions: [mail("annualPlan.decisionFollowUp", "secretariat")],
          },
        },
      },
    },
  } as never;
}

/** Proposing the compiled list to leadership. */
const proposing = {
  "submission.propose": {
    target: "awaitingLeadership",
    guard: "readyToSubmit",
    actions: [mail("annualPlan.leadershipPending", "leadership")],
  },
};

type Args<T extends AnnualPlanEvent["type"]> = { context: Ctx; event: E<T> };

/** A typed `assign` for transitions built outside `setup()`: `T` names the event the transition handles. */
function update<T extends AnnualPlanEvent["type"]>(_type: T, change: (args: Args<T>) => Partial<Ctx>) {
  return assign(({ context, event }) => change({ context: context as Ctx, event: event as E<T> })) as never;
}

/** The same, for a change of some items only. */
function updateSome<T extends AnnualPlanEvent["type"]>(
  type: T,
  ids: (args: Args<T>) => string[],
  change: (item: PlanItem, args: Args<T>) => Partial<PlanItem>,
) {
  return update(type, (args) => ({ items: updateItems(args.context.items, ids(args), (i) => change(i, args)) }));
}

const theItem = ({ event }: { event: { itemId: string } }) => [event.itemId];

/** The secretariat's work on the list being compiled; an amendment also changes, cuts and keeps items. */
function itemEditing(kind: "initial" | "amendment") {
  const always = {
    "item.add": {
      guard: "proposalValid",
      actions: [
        update("item.add", ({ context, event }) => ({ items: [...context.items, newItem(context, event)] })),
        saveItemVersion((e) => (e as E<"item.add">).note ?? null),
      ],
    },
    "item.edit": {
      guard: "editValid",
      actions: [
        updateSome("item.edit", theItem, (i, { event }) => ({
          quarter: event.content.quarter ?? i.quarter,
          rank: null,
        })),
        saveItemVersion((e) => (e as E<"item.edit">).reason),
      ],
    },
    "items.merge": {
      guard: "mergeValid",
      actions: updateSome(
        "items.merge",
        ({ event }) => event.itemIds,
        (_i, { event }) => ({ status: "merged", mergedInto: event.intoItemId, rank: null, pending: null }),
      ),
    },
    "item.reject": {
      guard: "rejectValid",
      actions: updateSome("item.reject", theItem, () => ({ status: "rejected", rank: null, pending: null })),
    },
    "item.restore": {
      guard: "restoreValid",
      actions: updateSome("item.restore", theItem, (_i, { context }) => ({
        status: "proposed",
        mergedInto: null,
        rank: null,
        addedIn: draftVersion(context),
        pending: isAmendment(context) ? { kind: "add" } : null,
      })),
    },
    "items.rank": {
      guard: "rankValid",
      actions: updateSome(
        "items.rank",
        ({ event }) => event.order,
        (i, { event }) => ({ rank: event.order.indexOf(i.itemId) + 1 }),
      ),
    },
  };
  return kind === "initial" ? always : { ...always, ...amendmentEditing };
}

/** What only an amendment does to items already in force. */
const amendmentEditing = {
  "item.change": {
    guard: "changeValid",
    actions: [
      updateSome("item.change", theItem, (_i, { event }) => ({
        pending: event.content.quarter ? { kind: "change", quarter: event.content.quarter } : { kind: "change" },
      })),
      saveItemVersion((e) => (e as E<"item.change">).reason),
    ],
  },
  "item.proposeCut": {
    guard: "cutValid",
    actions: updateSome("item.proposeCut", theItem, () => ({ pending: { kind: "cut" } })),
  },
  "item.keep": {
    guard: "keepValid",
    actions: [
      restoreChanged(
        (_c, e) => [(e as E<"item.keep">).itemId],
        (e) => (e as E<"item.keep">).reason ?? null,
      ),
      updateSome("item.keep", theItem, () => ({ pending: null })),
    ],
  },
  "amendment.cancel": {
    target: "#annualPlan.inExecution.running",
    guard: "hasReason",
    actions: [
      restoreChanged(
        (c) => c.items.map((i) => i.itemId),
        (e) => (e as E<"amendment.cancel">).reason,
      ),
      update("amendment.cancel", ({ context }) => ({
        draft: null,
        items: context.items.map((i) =>
          i.pending?.kind === "add"
            ? { ...i, status: "withdrawn", pending: null, rank: null }
            : { ...i, pending: null },
        ),
      })),
    ],
  },
};

/** Returned by leadership or by the province: back to compiling, the comments kept. */
function recordReturn(by: "leadership" | "province") {
  const type = by === "leadership" ? "submission.return" : "province.return";
  return update(type, ({ context, event }) => ({
    returns: [...context.returns, { by, version: draftVersion(context), comments: event.comments }],
    submissions: context.submissions.map((s, i, all) =>
      by === "province" && i === all.length - 1 ? { ...s, outcome: "returned" } : s,
    ),
  }));
}

/** The clerk issues the Tờ trình (numbered now) with the list as its annex and sends it to the province. */
const issueSubmission = [
  {
    type: "recordSubmission",
    params: ({ context }: { context: Ctx }) => ({
      version: draftVersion(context),
      kind: context.draft?.kind ?? "initial",
      itemIds: submissionOrder(context),
    }),
  },
  update("submission.issue", ({ context }) => ({
    submissions: [
      ...context.submissions,
      { version: draftVersion(context), kind: context.draft?.kind ?? "initial", outcome: "pending" },
    ],
  })),
  {
    type: "renderDocument",
    params: ({ context }: { context: Ctx }) => ({
      kind: "planSubmission",
      issue: true,
      version: draftVersion(context),
    }),
  },
  mail("annualPlan.submitted", "province"),
] as never;

/** The province's decision: items approved, cut or changed, the version in force, the year's reminders. */
function decide(kind: "initial" | "amendment") {
  return [
    {
      type: "recordDecision",
      params: ({ context }: { context: Ctx }) => ({ version: draftVersion(context), kind }),
    },
    update("decision.record", ({ context, event }) => {
      const version = draftVersion(context);
      return {
        items: applyDecision(context, event),
        approvedVersion: version,
        draft: null,
        decisions: [...context.decisions, { version, number: event.number, date: event.date, fileId: event.fileId }],
        submissions: context.submissions.map((s, i, all) => (i === all.length - 1 ? { ...s, outcome: "approved" } : s)),
      };
    }),
    ...(kind === "initial" ? [scheduleQuarters] : []),
    mail("annualPlan.decided", "proposers", { kind }),
    mail("annualPlan.decided", "accountant", { kind }),
  ] as never;
}

export const annualPlanMachine = setup({
  types: {
    context: {} as AnnualPlanContext,
    events: {} as AnnualPlanEvent,
    input: {} as AnnualPlanInput,
  },
  actions: {
    // Named only; the runtime performs them. Records run inside the saving transaction.
    sendMail: (_, _p: PlanMailParams) => {},
    renderDocument: (_, _p: PlanDocumentParams) => {},
    scheduleDeadline: (_, _p: PlanDeadlineParams) => {},
    cancelDeadline: (_, _p: PlanDeadlineKeyParams) => {},
    cancelAllDeadlines: () => {},
    saveItemVersion: (_, _p: ItemVersionParams) => {},
    recordSubmission: (_, _p: SubmissionParams) => {},
    recordDecision: (_, _p: DecisionParams) => {},
    openAssignment: (_, _p: OpenAssignmentParams) => {},
    carryOverItems: (_, _p: CarryOverParams) => {},
    restoreItemVersions: (_, _p: RestoreItemsParams) => {},
  },
  guards: {
    proposalValid: ({ context, event }) => {
      const e = event as E<"proposal.submit">;
      return text(e.itemId) && !findItem(context, e.itemId) && proposerValid(e.proposer) && contentValid(e.content);
    },
    isProposed: ({ context, event }) => hasStatus(context, (event as { itemId: string }).itemId, "proposed"),
    editValid: ({ context, event }) => {
      const e = event as E<"item.edit">;
      return hasStatus(context, e.itemId, "proposed") && text(e.reason) && partialContentValid(e.content);
    },
    mergeValid: ({ context, event }) => {
      const e = event as E<"items.merge">;
      const ids = e.itemIds ?? [];
      return (
        hasStatus(context, e.intoItemId, "proposed") &&
        ids.length > 0 &&
        new Set(ids).size === ids.length &&
        !ids.includes(e.intoItemId) &&
        ids.every((id) => hasStatus(context, id, "proposed")) &&
        text(e.reason)
      );
    },
    rejectValid: ({ context, event }) => {
      const e = event as E<"item.reject">;
      return hasStatus(context, e.itemId, "proposed") && text(e.reason);
    },
    restoreValid: ({ context, event }) => {
      const e = event as E<"item.restore">;
      return hasStatus(context, e.itemId, "rejected", "merged") && text(e.reason);
    },
    rankValid: ({ context, event }) => {
      const order = (event as E<"items.rank">).order ?? [];
      const proposed = context.items.filter((i) => i.status === "proposed").map((i) => i.itemId);
      return (
        order.length === proposed.length &&
        new Set(order).size === order.length &&
        order.every((id) => proposed.includes(id))
      );
    },
    /** Something to submit, and every new proposal in a place on the list. */
    readyToSubmit: ({ context }) => {
      const items = submissionItems(context);
      return items.length > 0 && context.items.every((i) => i.status !== "proposed" || i.rank !== null);
    },
    hasComments: ({ event }) => text((event as { comments?: string }).comments),
    hasReason: ({ event }) => text((event as { reason?: string }).reason),
    decisionValid: ({ context, event }) => {
      const e = event as E<"decision.record">;
      return text(e.number) && isCalendarDay(e.date) && text(e.fileId) && decisionValid(context, e);
    },
    changeValid: ({ context, event }) => {
      const e = event as E<"item.change">;
      const item = findItem(context, e.itemId);
      return (
        !!item &&
        ["approved", "changed", "started"].includes(item.status) &&
        item.pending === null &&
        text(e.reason) &&
        partialContentValid(e.content)
      );
    },
    cutValid: ({ context, event }) => {
      const e = event as E<"item.proposeCut">;
      const item = findItem(context, e.itemId);
      return !!item && ["approved", "changed"].includes(item.status) && item.pending === null && text(e.reason);
    },
    keepValid: ({ context, event }) => {
      const kind = findItem(context, (event as E<"item.keep">).itemId)?.pending?.kind;
      return kind === "change" || kind === "cut";
    },
    startValid: ({ context, event }) => {
      const e = event as E<"item.start">;
      const item = findItem(context, e.itemId);
      return (
        !!item &&
        (item.status === "approved" || item.status === "changed") &&
        item.pending?.kind !== "cut" &&
        text(e.assignmentId) &&
        !context.items.some((i) => i.assignmentId === e.assignmentId)
      );
    },
    isStarted: ({ context, event }) => hasStatus(context, (event as E<"item.completed">).itemId, "started"),
    isProposalsDeadline: ({ event }) => (event as E<"deadline.reached">).key === "proposals",
    isDecisionDeadline: ({ event }) => (event as E<"deadline.reached">).key === "decision",
    isQuarterDeadline: ({ event }) => quarterKey((event as E<"deadline.reached">).key) !== null,
  },
}).createMachine({
  id: "annualPlan",
  context: ({ input }) => ({
    ...input,
    items: [],
    approvedVersion: 0,
    draft: { kind: "initial", version: 1, reason: null },
    submissions: [],
    decisions: [],
    returns: [],
    reportReturns: [],
  }),
  initial: "collecting",
  states: {
    collecting: {
      entry: [
        {
          type: "scheduleDeadline",
          params: ({ context }) => ({
            key: "proposals",
            on: context.proposalsDueOn,
            event: { type: "deadline.reached" as const, key: "proposals" },
          }),
        },
        mail("annualPlan.callForProposals", "proposers"),
      ],
      exit: [{ type: "cancelDeadline", params: { key: "proposals" } }],
      on: {
        "proposal.submit": {
          guard: "proposalValid",
          actions: [
            assign({ items: ({ context, event }) => [...context.items, newItem(context, event)] }),
            saveItemVersion(() => null),
            {
              type: "sendMail",
              params: ({ event }) => ({ template: "annualPlan.proposalReceived", to: { itemProposer: event.itemId } }),
            },
          ],
        },
        // The proposer (or the secretariat) corrects a proposal before the call closes: a new version.
        "item.edit": {
          guard: "editValid",
          actions: [
            updateSome("item.edit", theItem, (i, { event }) => ({ quarter: event.content.quarter ?? i.quarter })),
            saveItemVersion((e) => (e as E<"item.edit">).reason),
          ],
        },
        "proposal.withdraw": {
          guard: "isProposed",
          actions: assign({
            items: ({ context, event }) => updateItems(context.items, [event.itemId], () => ({ status: "withdrawn" })),
          }),
        },
        "proposals.close": { target: "preparing" },
        "deadline.reached": {
          target: "preparing",
          guard: "isProposalsDeadline",
          actions: [mail("annualPlan.proposalsClosed", "secretariat")],
        },
      },
    },
    preparing: submissionStates("initial"),
    inExecution: {
      initial: "running",
      on: {
        "item.start": {
          guard: "startValid",
          actions: [
            assign({
              items: ({ context, event }) =>
                updateItems(context.items, [event.itemId], () => ({
                  status: "started",
                  assignmentId: event.assignmentId,
                })),
            }),
            {
              type: "openAssignment",
              params: ({ event }) => ({ itemId: event.itemId, assignmentId: event.assignmentId }),
            },
          ],
        },
        "item.completed": {
          guard: "isStarted",
          actions: assign({
            items: ({ context, event }) => updateItems(context.items, [event.itemId], () => ({ status: "done" })),
          }),
        },
        "deadline.reached": { guard: "isQuarterDeadline", actions: [remindQuarter] },
      },
      states: {
        running: {
          on: {
            "amendment.open": {
              target: "amending",
              guard: "hasReason",
              actions: assign({
                draft: ({ context, event }) => ({
                  kind: "amendment" as const,
                  version: context.approvedVersion + 1,
                  reason: event.reason,
                }),
              }),
            },
            "report.submit": {
              target: "reporting",
              actions: [mail("annualPlan.reportPending", "leadership")],
            },
          },
        },
        amending: submissionStates("amendment"),
        reporting: {
          on: {
            "report.approve": {
              target: "#annualPlan.closed",
              actions: [
                { type: "carryOverItems", params: ({ context }) => ({ itemIds: unfinishedItems(context) }) },
                assign({
                  items: ({ context }) =>
                    updateItems(context.items, unfinishedItems(context), () => ({ status: "carriedOver" })),
                }),
                "cancelAllDeadlines",
                { type: "renderDocument", params: { kind: "planExecutionReport", issue: true } },
                mail("annualPlan.closed", "secretariat"),
                mail("annualPlan.closed", "accountant"),
              ],
            },
            "report.return": {
              target: "running",
              guard: "hasComments",
              actions: [
                assign({ reportReturns: ({ context, event }) => [...context.reportReturns, event.comments] }),
                mail("annualPlan.reportReturned", "secretariat"),
              ],
            },
          },
        },
      },
    },
    closed: { type: "final" },
  },
});
