/**
 * The assignment machine: the whole life of one consultancy / critique / assessment, from the
 * order to the agency's response. Pure: it names effects and records, the runtime performs them
 * after (or, for records, inside) the transaction that saves the snapshot. No `after`, no `invoke`:
 * deadlines are rows that come back as `deadline.reached` events.
 */
import { and, assign, enqueueActions, setup } from "xstate";
import type {
  AssignmentContext,
  AssignmentInput,
  Candidate,
  DeadlineKeyParams,
  DeadlineParams,
  DocumentParams,
  InvitationsParams,
  MailParams,
  ResponseStatus,
  Seat,
} from "./types.js";

type P<T extends string, Payload = object> = { type: T } & Payload;

/** Every event the assignment accepts. Requests are imperative, reports are past tense. */
export type AssignmentEvent =
  | P<"order.register", { note?: string }>
  | P<"documents.request", { missingDocuments: string[]; note?: string }>
  | P<"documents.supply", { note?: string }>
  | P<"order.proposeAccept", { note?: string }>
  | P<"order.proposeDecline", { reasons: string }>
  | P<"order.accept", { note?: string }>
  | P<"order.decline", { note?: string }>
  | P<"proposal.return", { comments: string }>
  | P<"plan.submit", { workPlan: string; costEstimate: number; reviewDays?: number }>
  | P<"panel.invite", { members: Candidate[]; alternates?: Candidate[]; invitationIds: string[] }>
  | P<"invitation.accepted", { invitationId: string; conflict?: boolean }>
  | P<"invitation.declined", { invitationId: string; conflict?: boolean; nextInvitationId?: string }>
  | P<"invitation.expired", { invitationId: string; nextInvitationId?: string }>
  | P<"conflict.waive", { invitationId: string; reason: string }>
  | P<"conflict.replace", { invitationId: string; reason: string; nextInvitationId?: string }>
  | P<"panel.submit", { note?: string }>
  | P<"panel.approve", { note?: string }>
  | P<"panel.return", { comments: string }>
  | P<"opinion.submitted", { expertId: string; version: number }>
  | P<"extension.request", { expertId: string; days: number; reason: string }>
  | P<"extension.grant", { expertId: string; days?: number }>
  | P<"extension.refuse", { expertId: string; reason: string }>
  | P<"reminder.send", { expertId?: string }>
  | P<"workshop.schedule", { scheduledAt: string; place: string }>
  | P<"workshop.record", { minutes: string; attendees: string[]; recordedAt?: string }>
  | P<"review.close", { note?: string }>
  | P<"report.drafted", { version: number }>
  | P<"report.submit", { note?: string }>
  | P<"report.endorse", { note?: string }>
  | P<"report.approve", { note?: string }>
  | P<"report.return", { comments: string }>
  | P<"report.issue", { recommendations: Array<{ id: string; number: number }> }>
  | P<"delivery.recorded", { channel: string; note?: string; pendingDocuments?: string[] }>
  | P<"response.save", { answers: Array<{ recommendationId: string; status: ResponseStatus; explanation?: string }> }>
  | P<"response.submit", { answers: Array<{ recommendationId: string; status: ResponseStatus; explanation?: string }> }>
  | P<
      "response.record",
      {
        answers: Array<{ recommendationId: string; status: ResponseStatus; explanation?: string }>;
        answeredBy: string;
        answeredOn: string;
        reference?: string;
        fileId?: string;
      }
    >
  | P<"assignment.close", { note?: string }>
  | P<"assignment.reopen", { reason: string }>
  | P<"assignment.hold", { reason: string }>
  | P<"assignment.resume", { note?: string }>
  | P<"assignment.withdraw", { reason: string }>
  | P<"deadline.reached", { key: string; level?: "secretariat" | "leadership" }>;

export type AssignmentEventType = AssignmentEvent["type"];

/** Bumped on any change that running assignments' snapshots must be migrated for. */
export const ASSIGNMENT_MACHINE_VERSION = 1;

type E<T extends AssignmentEvent["type"]> = Extract<AssignmentEvent, { type: T }>;

const seatsFrom = (members: Candidate[], ids: string[]): Seat[] =>
  members.map((m, i) => ({
    invitationId: ids[i],
    expertId: m.expertId,
    role: m.role,
    status: "invited",
    conflict: false,
  }));

/** The next alternate for a lost seat: same role first, else the best-ranked of any role. */
function nextAlternate(ctx: AssignmentContext, lost: Seat | undefined): Candidate | undefined {
  if (!lost) return undefined;
  const taken = new Set(ctx.panel.map((s) => s.expertId));
  const free = ctx.alternates.filter((a) => !taken.has(a.expertId));
  return free.find((a) => a.role === lost.role) ?? free[0];
}

function replaceSeat(
  ctx: AssignmentContext,
  invitationId: string,
  status: Seat["status"],
  conflict: boolean,
  nextId?: string,
) {
  const lost = ctx.panel.find((s) => s.invitationId === invitationId);
  const panel = ctx.panel.map((s) => (s.invitationId === invitationId ? { ...s, status, conflict } : s));
  const alt = nextId ? nextAlternate(ctx, lost) : undefined;
  if (alt && nextId && lost) {
    panel.push({ invitationId: nextId, expertId: alt.expertId, role: lost.role, status: "invited", conflict: false });
  }
  return {
    panel,
    alternates: alt ? ctx.alternates.filter((a) => a.expertId !== alt.expertId) : ctx.alternates,
    newSeat: alt && nextId && lost ? panel[panel.length - 1] : undefined,
  };
}

type Answer = { recommendationId: string; status: string; explanation?: string };

/** Each answer names a recommendation of this round, a known status, and explains anything short of "accepted". */
function answersKnown(ctx: AssignmentContext, answers: Answer[]) {
  const known = new Set(ctx.recommendations.map((r) => r.id));
  return answers.every(
    (a) =>
      known.has(a.recommendationId) &&
      ["accepted", "partly", "not_accepted"].includes(a.status) &&
      (a.status === "accepted" || !!a.explanation?.trim()),
  );
}

function allAnswered(ctx: AssignmentContext, answers: Answer[]) {
  const answered = new Set([...ctx.answered, ...answers.map((a) => a.recommendationId)]);
  return ctx.recommendations.length > 0 && ctx.recommendations.every((r) => answered.has(r.id));
}

/** A recipient's answer the Union may record: no ordering agency, and known, well-formed answers. */
const recordable = (ctx: AssignmentContext, e: { answers?: Answer[] }) =>
  !hasOrderingAgency(ctx) && (e.answers?.length ?? 0) > 0 && answersKnown(ctx, e.answers ?? []);

const acceptedSeats = (ctx: AssignmentContext) => ctx.panel.filter((s) => s.status === "accepted");

/** The calendar day in Vietnam (UTC+7) of an ISO instant, YYYY-MM-DD. */
const vietnamDay = (iso: string) => new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 10);

/**
 * Whether there is an ordering agency to write to: self-initiated work (chủ động) has none, so it
 * gets no acknowledgement, acceptance or decline letter; its result goes to the recipients it chose.
 * (Snapshots from before `hasAgency` existed: by origin.)
 */
const hasOrderingAgency = (ctx: AssignmentContext) => ctx.hasAgency ?? ctx.origin !== "self_initiated";

/** Whether an answer to the result is awaited (every order; self-initiated work only when asked for). */
const awaitsResponse = (ctx: AssignmentContext) => ctx.awaitsResponse ?? hasOrderingAgency(ctx);

/** Adds the event's recommendations to those answered. */
const rememberAnswered = assign({
  answered: ({ context, event }) => [
    ...new Set([
      ...(context as AssignmentContext).answered,
      ...((event as { answers?: Answer[] }).answers ?? []).map((a) => a.recommendationId),
    ]),
  ],
}) as never;

/** An accepted seat whose expert declared a conflict of interest that is neither waived nor replaced. */
const conflictSeat = (ctx: AssignmentContext, invitationId: string) =>
  ctx.panel.find((s) => s.invitationId === invitationId && s.status === "accepted" && s.conflict);

// Hold and resume leave and re-enter the open state through deep history: the states' own entry
// and exit actions must not restart or cancel their deadlines (hold pauses them all instead).
const isHoldOrResume = (type: string) => type === "assignment.hold" || type === "assignment.resume";

/** Entry: schedule a stage deadline, except when re-entered by resume. */
function scheduleOnEntry(key: string, spec: (ctx: AssignmentContext) => { workingDays?: number; days?: number }) {
  return enqueueActions(({ context, event, enqueue }) => {
    if (isHoldOrResume(event.type)) return;
    enqueue({
      type: "scheduleDeadline",
      params: { key, ...spec(context as AssignmentContext), event: { type: "deadline.reached" as const, key } },
    } as never);
  }) as never;
}

type Named = { type: string; params?: Record<string, unknown> };

/** Actions addressed to the ordering agency (its letters and mails); none for self-initiated work. */
function forAgency(...actions: Named[]) {
  return enqueueActions(({ context, enqueue }) => {
    if (!hasOrderingAgency(context as AssignmentContext)) return;
    for (const a of actions) enqueue(a as never);
  }) as never;
}

/** Exit: cancel a stage deadline, except when left by hold (which pauses it). */
function cancelOnExit(key: string) {
  return enqueueActions(({ event, enqueue }) => {
    if (isHoldOrResume(event.type)) return;
    enqueue({ type: "cancelDeadline", params: { key } } as never);
  }) as never;
}

export const assignmentMachine = setup({
  types: {
    context: {} as AssignmentContext,
    events: {} as AssignmentEvent,
    input: {} as AssignmentInput,
  },
  actions: {
    // Named only; the runtime performs them. Records run inside the saving transaction.
    sendMail: (_, _p: MailParams) => {},
    renderDocument: (_, _p: DocumentParams) => {},
    scheduleDeadline: (_, _p: DeadlineParams) => {},
    cancelDeadline: (_, _p: DeadlineKeyParams) => {},
    pauseDeadline: (_, _p: DeadlineKeyParams) => {},
    resumeDeadline: (_, _p: DeadlineKeyParams) => {},
    createInvitations: (_, _p: InvitationsParams) => {},
    cancelInvitations: () => {},
    cancelInvitation: (_, _p: { invitationId: string }) => {},
    createRecommendations: () => {},
    recordResponses: () => {},
    cancelAllDeadlines: () => {},
  },
  guards: {
    hasMissingDocuments: ({ event }) => (event as E<"documents.request">).missingDocuments?.length > 0,
    /** A decline proposal carries `reasons`; hold, withdraw and reopen carry `reason`. */
    hasReasons: ({ event }) => {
      const e = event as { reasons?: string; reason?: string };
      return !!(e.reasons ?? e.reason)?.trim();
    },
    hasComments: ({ event }) => !!(event as E<"report.return">).comments?.trim(),
    planValid: ({ event }) => {
      const e = event as E<"plan.submit">;
      return !!e.workPlan?.trim() && Number.isFinite(e.costEstimate) && e.costEstimate >= 0;
    },
    invitesValid: ({ context, event }) => {
      const e = event as E<"panel.invite">;
      if (!e.members?.length || e.invitationIds?.length !== e.members.length) return false;
      const active = new Set(
        context.panel.filter((s) => s.status === "invited" || s.status === "accepted").map((s) => s.expertId),
      );
      const ids = e.members.map((m) => m.expertId);
      return new Set(ids).size === ids.length && ids.every((id) => !active.has(id));
    },
    isOpenSeat: ({ context, event }) => {
      const id = (event as E<"invitation.accepted">).invitationId;
      return context.panel.some((s) => s.invitationId === id && s.status === "invited");
    },
    /** Enough accepted seats, no declared conflict, a chair when the form is a council. */
    panelComplete: ({ context }) => {
      const accepted = acceptedSeats(context);
      if (accepted.length < context.minPanel) return false;
      if (accepted.some((s) => s.conflict)) return false;
      if (context.forms.includes("council") && !accepted.some((s) => s.role === "chair")) return false;
      return true;
    },
    isPanelMember: ({ context, event }) => {
      const id = (event as E<"opinion.submitted">).expertId;
      return acceptedSeats(context).some((s) => s.expertId === id);
    },
    hasPendingExtension: ({ context, event }) => {
      const id = (event as E<"extension.grant">).expertId;
      return context.extensionRequests.some((r) => r.expertId === id && r.status === "pending");
    },
    canRequestExtension: ({ context, event }) => {
      const e = event as E<"extension.request">;
      return (
        acceptedSeats(context).some((s) => s.expertId === e.expertId) &&
        e.days > 0 &&
        e.days <= 60 &&
        !!e.reason?.trim() &&
        !context.opinions.some((o) => o.expertId === e.expertId) &&
        !context.extensionRequests.some((r) => r.expertId === e.expertId && r.status === "pending")
      );
    },
    workshopPlanned: ({ context }) => context.workshop !== null,
    /** Minutes are recorded on or after the workshop's day (Vietnam time); the server adds `recordedAt`. */
    workshopDayReached: ({ context, event }) => {
      const at = (event as E<"workshop.record">).recordedAt;
      return !context.workshop || !at || vietnamDay(at) >= vietnamDay(context.workshop.scheduledAt);
    },
    /** The documents a delivery delivers are issued (the server lists those still being issued). */
    documentsIssued: ({ event }) => !(event as E<"delivery.recorded">).pendingDocuments?.length,
    awaitsResponse: ({ context }) => awaitsResponse(context),
    /** The seat has a declared, unresolved conflict and the secretariat gives its written reason. */
    conflictResolvable: ({ context, event }) => {
      const e = event as E<"conflict.waive">;
      return !!conflictSeat(context, e.invitationId) && !!e.reason?.trim();
    },
    enoughOpinions: ({ context }) => {
      if (context.forms.includes("workshop") && !context.workshop?.minutesRecorded) return false;
      return context.opinions.length >= context.minOpinions;
    },
    hasReportDraft: ({ context }) => context.reportVersion > 0,
    needsChair: ({ context }) => context.forms.includes("council"),
    hasRecommendations: ({ event }) => (event as E<"report.issue">).recommendations?.length > 0,
    answersKnown: ({ context, event }) =>
      (event as E<"response.save">).answers?.length > 0 && answersKnown(context, (event as E<"response.save">).answers),
    /**
     * Self-initiated work (no ordering agency to answer itself): the Union records a recipient's
     * written answer, naming known recommendations; `recordCompletes` when every one is answered.
     */
    answerRecordable: ({ context, event }) => recordable(context, event as E<"response.record">),
    recordCompletes: ({ context, event }) => {
      const e = event as E<"response.record">;
      return recordable(context, e) && allAnswered(context, e.answers);
    },
    /** Every recommendation answered, counting what was saved before and what comes now. */
    responseComplete: ({ context, event }) => {
      const answers = (event as E<"response.submit">).answers ?? [];
      return answersKnown(context, answers) && allAnswered(context, answers);
    },
  },
}).createMachine({
  id: "assignment",
  context: ({ input }) => ({
    ...input,
    round: 1,
    missingDocuments: [],
    proposal: null,
    declineReasons: null,
    plan: null,
    panel: [],
    alternates: [],
    panelApproved: false,
    opinions: [],
    extensionRequests: [],
    workshop: null,
    escalations: 0,
    reportVersion: 0,
    chairEndorsed: false,
    returns: [],
    recommendations: [],
    answered: [],
    reminders: 0,
    overdue: [],
  }),
  initial: "active",
  states: {
    active: {
      initial: "ordered",
      on: {
        "assignment.hold": { target: "onHold", guard: "hasReasons" },
        "assignment.withdraw": {
          target: "withdrawn",
          guard: "hasReasons",
          actions: [
            "cancelAllDeadlines",
            "cancelInvitations",
            { type: "sendMail", params: { template: "assignment.withdrawn", to: "secretariat" } },
          ],
        },
      },
      states: {
        hist: { type: "history", history: "deep" },
        ordered: {
          on: {
            "order.register": {
              target: "screening",
              actions: [forAgency({ type: "sendMail", params: { template: "order.acknowledged", to: "agency" } })],
            },
          },
        },
        screening: {
          initial: "reviewing",
          entry: [scheduleOnEntry("screening", (c) => ({ workingDays: c.timeline.screeningWorkingDays }))],
          exit: [cancelOnExit("screening")],
          on: {
            "deadline.reached": {
              actions: [
                {
                  type: "sendMail",
                  params: ({ event }) => ({ template: "escalation", to: "secretariat", data: { key: event.key } }),
                },
              ],
            },
          },
          states: {
            reviewing: {
              on: {
                "documents.request": {
                  target: "awaitingDocuments",
                  guard: "hasMissingDocuments",
                  actions: [
                    assign({ missingDocuments: ({ event }) => event.missingDocuments }),
                    { type: "pauseDeadline", params: { key: "screening" } },
                    { type: "renderDocument", params: { kind: "requestDocuments", issue: true } },
                    { type: "sendMail", params: { template: "documents.requested", to: "agency" } },
                  ],
                },
                "order.proposeAccept": {
                  target: "proposedAccept",
                  actions: [
                    assign({ proposal: ({ event }) => ({ kind: "accept" as const, note: event.note ?? "" }) }),
                    { type: "sendMail", params: { template: "leadership.pending", to: "leadership" } },
                  ],
                },
                "order.proposeDecline": {
                  target: "proposedDecline",
                  guard: "hasReasons",
                  actions: [
                    assign({
                      proposal: ({ event }) => ({ kind: "decline" as const, note: event.reasons }),
                      declineReasons: ({ event }) => event.reasons,
                    }),
                    { type: "sendMail", params: { template: "leadership.pending", to: "leadership" } },
                  ],
                },
              },
            },
            awaitingDocuments: {
              on: {
                "documents.supply": {
                  target: "reviewing",
                  actions: [assign({ missingDocuments: [] }), { type: "resumeDeadline", params: { key: "screening" } }],
                },
                // The screening clock is paused while the agency owes documents.
                "deadline.reached": {},
              },
            },
            proposedAccept: {
              on: {
                "order.accept": { target: "#assignment.active.planning" },
                "proposal.return": { target: "reviewing", guard: "hasComments", actions: assign({ proposal: null }) },
              },
            },
            proposedDecline: {
              on: {
                "order.decline": {
                  target: "#assignment.declined",
                  actions: [
                    "cancelAllDeadlines",
                    forAgency(
                      { type: "renderDocument", params: { kind: "declineLetter", issue: true } },
                      { type: "sendMail", params: { template: "order.declined", to: "agency" } },
                    ),
                  ],
                },
                "proposal.return": {
                  target: "reviewing",
                  guard: "hasComments",
                  actions: assign({ proposal: null, declineReasons: null }),
                },
              },
            },
          },
        },
        planning: {
          entry: [scheduleOnEntry("planning", (c) => ({ workingDays: c.timeline.planningWorkingDays }))],
          exit: [cancelOnExit("planning")],
          on: {
            "plan.submit": {
              target: "panelFormation",
              guard: "planValid",
              actions: [
                assign({
                  plan: ({ context, event }) => ({
                    workPlan: event.workPlan,
                    costEstimate: event.costEstimate,
                    reviewDays: event.reviewDays ?? context.timeline.reviewDays,
                  }),
                }),
                forAgency(
                  { type: "renderDocument", params: { kind: "acceptanceLetter", issue: true } },
                  { type: "sendMail", params: { template: "order.accepted", to: "agency" } },
                ),
              ],
            },
            "deadline.reached": {
              actions: [
                {
                  type: "sendMail",
                  params: ({ event }) => ({ template: "escalation", to: "secretariat", data: { key: event.key } }),
                },
              ],
            },
          },
        },
        panelFormation: {
          initial: "forming",
          on: {
            "invitation.accepted": {
              guard: "isOpenSeat",
              // A declared conflict stays on the seat (panelComplete refuses it) until waived or replaced.
              actions: assign({
                panel: ({ context, event }) =>
                  context.panel.map((s) =>
                    s.invitationId === event.invitationId
                      ? { ...s, status: "accepted" as const, conflict: !!event.conflict }
                      : s,
                  ),
              }),
            },
            "invitation.declined": {
              guard: "isOpenSeat",
              actions: [
                assign(({ context, event }) => {
                  const { panel, alternates } = replaceSeat(
                    context,
                    event.invitationId,
                    "declined",
                    !!event.conflict,
                    event.nextInvitationId,
                  );
                  return { panel, alternates };
                }),
                {
                  type: "createInvitations",
                  params: ({ context, event }) => ({
                    seats: context.panel.filter((s) => s.invitationId === event.nextInvitationId),
                  }),
                },
              ],
            },
            "invitation.expired": {
              guard: "isOpenSeat",
              actions: [
                assign(({ context, event }) => {
                  const { panel, alternates } = replaceSeat(
                    context,
                    event.invitationId,
                    "expired",
                    false,
                    event.nextInvitationId,
                  );
                  return { panel, alternates };
                }),
                {
                  type: "createInvitations",
                  params: ({ context, event }) => ({
                    seats: context.panel.filter((s) => s.invitationId === event.nextInvitationId),
                  }),
                },
              ],
            },
          },
          states: {
            forming: {
              on: {
                "panel.invite": {
                  guard: "invitesValid",
                  actions: [
                    assign({
                      panel: ({ context, event }) => [
                        ...context.panel,
                        ...seatsFrom(event.members, event.invitationIds),
                      ],
                      alternates: ({ context, event }) => [...context.alternates, ...(event.alternates ?? [])],
                    }),
                    {
                      type: "createInvitations",
                      params: ({ event }) => ({ seats: seatsFrom(event.members, event.invitationIds) }),
                    },
                  ],
                },
                // An expert who accepted declaring a conflict: the secretariat waives it with a written
                // reason (kept on the seat, printed in the panel decision) or replaces the expert.
                "conflict.waive": {
                  guard: "conflictResolvable",
                  actions: assign({
                    panel: ({ context, event }) =>
                      context.panel.map((s) =>
                        s.invitationId === event.invitationId ? { ...s, conflict: false, waiver: event.reason } : s,
                      ),
                  }),
                },
                "conflict.replace": {
                  guard: "conflictResolvable",
                  actions: [
                    assign(({ context, event }) => {
                      const { panel, alternates } = replaceSeat(
                        context,
                        event.invitationId,
                        "cancelled",
                        true,
                        event.nextInvitationId,
                      );
                      return { panel, alternates };
                    }),
                    { type: "cancelInvitation", params: ({ event }) => ({ invitationId: event.invitationId }) },
                    {
                      type: "createInvitations",
                      params: ({ context, event }) => ({
                        seats: context.panel.filter((s) => s.invitationId === event.nextInvitationId),
                      }),
                    },
                  ],
                },
                "panel.submit": {
                  target: "proposed",
                  guard: "panelComplete",
                  actions: [{ type: "sendMail", params: { template: "leadership.pending", to: "leadership" } }],
                },
              },
            },
            proposed: {
              on: {
                "panel.approve": {
                  target: "#assignment.active.underReview",
                  guard: "panelComplete",
                  actions: [
                    assign({ panelApproved: true }),
                    "cancelInvitations",
                    { type: "renderDocument", params: { kind: "panelDecision", issue: true } },
                    { type: "sendMail", params: { template: "panel.approved", to: "panel" } },
                  ],
                },
                "panel.return": { target: "forming", guard: "hasComments" },
              },
            },
          },
        },
        underReview: {
          entry: [scheduleOnEntry("review", (c) => ({ workingDays: c.plan?.reviewDays ?? c.timeline.reviewDays }))],
          exit: [cancelOnExit("review")],
          on: {
            "opinion.submitted": {
              guard: "isPanelMember",
              actions: [
                assign({
                  opinions: ({ context, event }) => [
                    ...context.opinions.filter((o) => o.expertId !== event.expertId),
                    { expertId: event.expertId, version: event.version },
                  ],
                }),
                // The submitted opinion becomes the signed form (bản nhận xét), issued unnumbered.
                { type: "renderDocument", params: { kind: "expertOpinion", issue: true } },
              ],
            },
            "extension.request": {
              guard: "canRequestExtension",
              actions: [
                assign({
                  extensionRequests: ({ context, event }) => [
                    ...context.extensionRequests,
                    { expertId: event.expertId, days: event.days, reason: event.reason, status: "pending" as const },
                  ],
                }),
                { type: "sendMail", params: { template: "extension.requested", to: "secretariat" } },
              ],
            },
            "extension.grant": {
              guard: "hasPendingExtension",
              actions: [
                assign({
                  extensionRequests: ({ context, event }) =>
                    context.extensionRequests.map((r) =>
                      r.expertId === event.expertId && r.status === "pending"
                        ? { ...r, days: event.days ?? r.days, status: "granted" as const }
                        : r,
                    ),
                }),
                {
                  type: "scheduleDeadline",
                  params: ({ context, event }) => {
                    // The request just granted is the expert's last granted one (the assign above ran first).
                    const days = context.extensionRequests
                      .filter((r) => r.expertId === event.expertId && r.status === "granted")
                      .at(-1)!.days;
                    return {
                      key: `review:${event.expertId}`,
                      workingDays: days,
                      from: "review",
                      event: { type: "deadline.reached", key: `review:${event.expertId}` },
                    };
                  },
                },
                {
                  type: "sendMail",
                  params: ({ event }) => ({
                    template: "extension.decided",
                    to: { expertId: event.expertId },
                    data: { granted: true },
                  }),
                },
              ],
            },
            "extension.refuse": {
              guard: "hasPendingExtension",
              actions: [
                assign({
                  extensionRequests: ({ context, event }) =>
                    context.extensionRequests.map((r) =>
                      r.expertId === event.expertId && r.status === "pending"
                        ? { ...r, status: "refused" as const }
                        : r,
                    ),
                }),
                {
                  type: "sendMail",
                  params: ({ event }) => ({
                    template: "extension.decided",
                    to: { expertId: event.expertId },
                    data: { granted: false, reason: event.reason },
                  }),
                },
              ],
            },
            "reminder.send": {
              actions: [
                assign({ reminders: ({ context }) => context.reminders + 1 }),
                {
                  type: "sendMail",
                  params: ({ event }) => ({
                    template: "opinion.reminder",
                    to: event.expertId ? { expertId: event.expertId } : { pendingExperts: true },
                  }),
                },
              ],
            },
            "workshop.schedule": {
              actions: [
                assign({
                  workshop: ({ event }) => ({
                    scheduledAt: event.scheduledAt,
                    place: event.place,
                    minutesRecorded: false,
                  }),
                }),
                { type: "renderDocument", params: { kind: "meetingInvitation", issue: true } },
                { type: "sendMail", params: { template: "workshop.invitation", to: "panel" } },
              ],
            },
            "workshop.record": {
              guard: and(["workshopPlanned", "workshopDayReached"]),
              actions: [
                assign({ workshop: ({ context }) => ({ ...context.workshop!, minutesRecorded: true }) }),
                { type: "renderDocument", params: { kind: "minutes", issue: true } },
              ],
            },
            // Reminders before and after a due date are sent by the timer worker from the
            // organisation's reminder policy; the machine hears of the due instant (recorded in
            // the history) and of each escalation level, which it sends on.
            "deadline.reached": [
              {
                guard: ({ event }) => !!event.level && event.key.startsWith("review:"),
                actions: [
                  {
                    type: "sendMail",
                    params: ({ event }) => ({
                      template: "escalation",
                      to: event.level!,
                      data: { key: event.key, expertId: event.key.slice("review:".length) },
                    }),
                  },
                ],
              },
              {
                guard: ({ event }) => !!event.level && event.key === "review",
                actions: [
                  assign({ escalations: ({ context }) => context.escalations + 1 }),
                  {
                    type: "sendMail",
                    params: ({ event }) => ({ template: "escalation", to: event.level!, data: { key: event.key } }),
                  },
                ],
              },
              {
                guard: ({ event }) => !event.level && event.key.startsWith("review"),
                actions: assign({ overdue: ({ context, event }) => [...new Set([...context.overdue, event.key])] }),
              },
            ],
            "review.close": { target: "consolidation", guard: "enoughOpinions" },
          },
        },
        consolidation: {
          entry: [scheduleOnEntry("consolidation", (c) => ({ workingDays: c.timeline.consolidationWorkingDays }))],
          exit: [cancelOnExit("consolidation")],
          on: {
            "report.drafted": { actions: assign({ reportVersion: ({ event }) => event.version }) },
            "report.submit": { target: "approval", guard: "hasReportDraft" },
            "deadline.reached": {
              actions: [
                {
                  type: "sendMail",
                  params: ({ event }) => ({ template: "escalation", to: "secretariat", data: { key: event.key } }),
                },
              ],
            },
          },
        },
        approval: {
          initial: "routing",
          entry: [
            enqueueActions(({ event, enqueue }) => {
              if (!isHoldOrResume(event.type)) enqueue.assign({ chairEndorsed: false });
            }),
          ],
          on: {
            "report.return": {
              target: "consolidation",
              guard: "hasComments",
              actions: assign({
                returns: ({ context, event }) => [
                  ...context.returns,
                  { comments: event.comments, reportVersion: context.reportVersion },
                ],
              }),
            },
          },
          states: {
            routing: { always: [{ target: "awaitingChair", guard: "needsChair" }, { target: "awaitingLeadership" }] },
            awaitingChair: {
              on: {
                "report.endorse": {
                  target: "awaitingLeadership",
                  actions: [assign({ chairEndorsed: true })],
                },
              },
            },
            awaitingLeadership: {
              entry: [
                enqueueActions(({ event, enqueue }) => {
                  if (!isHoldOrResume(event.type))
                    enqueue({
                      type: "sendMail",
                      params: { template: "leadership.pending", to: "leadership" },
                    } as never);
                }),
              ],
              on: { "report.approve": { target: "#assignment.active.issuing" } },
            },
          },
        },
        issuing: {
          on: {
            "report.issue": {
              target: "sent",
              guard: "hasRecommendations",
              actions: [
                assign({ recommendations: ({ event }) => event.recommendations, answered: [] }),
                "createRecommendations",
                { type: "renderDocument", params: { kind: "finalReport", issue: true } },
                { type: "renderDocument", params: { kind: "coverLetter", issue: true } },
                { type: "sendMail", params: { template: "result.sent", to: "recipients" } },
                { type: "sendMail", params: { template: "expert.thanks", to: "panel" } },
              ],
            },
          },
        },
        sent: {
          on: { "delivery.recorded": { target: "delivered", guard: "documentsIssued" } },
        },
        // Passed through at once: an answer is awaited, or (self-initiated work asking none) it closes.
        delivered: {
          always: [
            { target: "awaitingResponse", guard: "awaitsResponse" },
            { target: "#assignment.closed", actions: ["cancelAllDeadlines"] },
          ],
        },
        awaitingResponse: {
          entry: [scheduleOnEntry("response", (c) => ({ workingDays: c.timeline.responseDays }))],
          exit: [cancelOnExit("response")],
          on: {
            "response.save": {
              guard: "answersKnown",
              actions: [
                "recordResponses",
                assign({
                  answered: ({ context, event }) => [
                    ...new Set([...context.answered, ...event.answers.map((a) => a.recommendationId)]),
                  ],
                }),
              ],
            },
            "response.submit": {
              target: "responded",
              guard: "responseComplete",
              actions: [
                "recordResponses",
                assign({
                  answered: ({ context, event }) => [
                    ...new Set([...context.answered, ...event.answers.map((a) => a.recommendationId)]),
                  ],
                }),
                { type: "sendMail", params: { template: "response.received", to: "secretariat" } },
              ],
            },
            // Self-initiated work: the Union records what a recipient answered (its letter, date,
            // what it adopted); the answer is complete once every recommendation is answered.
            "response.record": [
              { target: "responded", guard: "recordCompletes", actions: ["recordResponses", rememberAnswered] },
              { guard: "answerRecordable", actions: ["recordResponses", rememberAnswered] },
            ],
            // The due instant issues the official reminder letter; the policy's reminder mails go
            // from the timer worker; escalation levels are sent on.
            "deadline.reached": [
              {
                guard: ({ event }) => event.key === "response" && !event.level,
                actions: [
                  assign({
                    reminders: ({ context }) => context.reminders + 1,
                    overdue: ({ context }) => [...new Set([...context.overdue, "response"])],
                  }),
                  { type: "renderDocument", params: { kind: "responseReminder", issue: true } },
                ],
              },
              {
                guard: ({ event }) => event.key === "response" && !!event.level,
                actions: [
                  {
                    type: "sendMail",
                    params: ({ event }) => ({ template: "escalation", to: event.level!, data: { key: "response" } }),
                  },
                ],
              },
            ],
          },
        },
        responded: {
          on: { "assignment.close": { target: "#assignment.closed", actions: ["cancelAllDeadlines"] } },
        },
      },
    },
    onHold: {
      entry: [{ type: "pauseDeadline", params: { key: "*" } }],
      on: {
        "assignment.resume": { target: "active.hist", actions: [{ type: "resumeDeadline", params: { key: "*" } }] },
        "assignment.withdraw": {
          target: "withdrawn",
          guard: "hasReasons",
          actions: ["cancelAllDeadlines", "cancelInvitations"],
        },
      },
    },
    declined: { type: "final" },
    withdrawn: { type: "final" },
    closed: {
      on: {
        "assignment.reopen": {
          target: "active.screening",
          guard: "hasReasons",
          actions: assign(({ context }) => ({
            round: context.round + 1,
            proposal: null,
            declineReasons: null,
            missingDocuments: [],
            plan: null,
            panel: [],
            alternates: [],
            panelApproved: false,
            opinions: [],
            extensionRequests: [],
            workshop: null,
            escalations: 0,
            reportVersion: 0,
            chairEndorsed: false,
            returns: [],
            recommendations: [],
            answered: [],
            reminders: 0,
            overdue: [],
          })),
        },
      },
    },
  },
});
